"""Forms of the Section 11 pages (GOV.UK markup through the shared renderer)."""

from __future__ import annotations

from typing import Any

from django import forms

from lift.core.files import EvidenceFileField
from lift.core.forms import DateInput
from lift.core.models import Agency, Person

from .models import Cycle, Framework, Panel, RatingLevel, Standard


def _rating_choices(levels: list[RatingLevel]) -> list[tuple[str, str]]:
    return [(level.value, level.label) for level in levels]


class CycleForm(forms.Form):
    name = forms.CharField(label="Name", max_length=100, help_text="For example 2015-17.")
    framework = forms.ModelChoiceField(
        label="Standards framework", queryset=Framework.objects.none()
    )
    previous = forms.ModelChoiceField(
        label="Previous cycle",
        queryset=Cycle.objects.none(),
        required=False,
        help_text="Agencies can start from their answers in this cycle.",
    )
    agencies = forms.ModelMultipleChoiceField(
        label="Agencies taking part",
        queryset=Agency.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    starts_on = forms.DateField(label="Start date", widget=DateInput)
    deadline = forms.DateField(label="Deadline for returns", widget=DateInput)
    challenge_starts_on = forms.DateField(label="Peer challenge starts", widget=DateInput)
    challenge_ends_on = forms.DateField(label="Peer challenge ends", widget=DateInput)

    def __init__(self, *args: Any, partnership: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["framework"].queryset = Framework.objects.for_partnership(partnership)  # type: ignore[attr-defined]
        self.fields["previous"].queryset = Cycle.objects.filter(partnership=partnership)  # type: ignore[attr-defined]
        self.fields["agencies"].queryset = Agency.objects.filter(  # type: ignore[attr-defined]
            partnership=partnership, is_active=True
        )


class CycleEditForm(forms.ModelForm):
    class Meta:
        model = Cycle
        fields = ["name", "deadline", "challenge_starts_on", "challenge_ends_on"]
        widgets = {
            "deadline": DateInput,
            "challenge_starts_on": DateInput,
            "challenge_ends_on": DateInput,
        }


class CycleOpenForm(forms.Form):
    carry_forward = forms.ModelMultipleChoiceField(
        label="Agencies starting from their previous answers",
        queryset=Agency.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Their answers and evidence from the previous cycle are copied and marked "
        "for review.",
    )

    def __init__(self, *args: Any, cycle: Cycle, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if cycle.previous_id:
            self.fields["carry_forward"].queryset = cycle.agencies.filter(  # type: ignore[attr-defined]
                pk__in=cycle.previous.returns.values("agency_id")  # type: ignore[union-attr,misc]
            )
        else:
            del self.fields["carry_forward"]


class FrameworkUploadForm(forms.Form):
    file = forms.FileField(
        label="Framework file",
        help_text=(
            "A YAML file in the Section 11 framework format (see the guide), up to 1 MB. "
            "It is checked in full before anything is saved."
        ),
        widget=forms.FileInput(attrs={"accept": ".yaml,.yml"}),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label="Reason",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
        help_text="Needed if any return is not moderated. Kept on the cycle and the returns.",
    )


class AnswerForm(forms.Form):
    self_rating = forms.ChoiceField(label="Self-rating", widget=forms.RadioSelect)
    narrative = forms.CharField(
        label="How you meet this requirement",
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        max_length=10000,
        help_text="Say what you do and how you know it works. Never name a child.",
    )
    evidence_links = forms.CharField(
        label="Links to evidence",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=4000,
        help_text="One web address a line, starting https://",
    )
    evidence_file = EvidenceFileField(label="Upload an evidence file", required=False)

    def __init__(self, *args: Any, levels: list[RatingLevel], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["self_rating"].choices = _rating_choices(levels)  # type: ignore[attr-defined]


class ActionForm(forms.Form):
    title = forms.CharField(label="What will be done", max_length=250)
    owner = forms.ModelChoiceField(label="Owner", queryset=Person.objects.none(), required=False)
    due_on = forms.DateField(label="Due date", widget=DateInput)
    success_measure = forms.CharField(
        label="How will you know it has made a difference?",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = Person.objects.filter(  # type: ignore[attr-defined]
            role_assignments__agency=agency
        ).distinct()


class PanelForm(forms.Form):
    name = forms.CharField(label="Name", max_length=150)
    meets_on = forms.DateField(label="Meets on", widget=DateInput, required=False)


class PanelMemberForm(forms.Form):
    person = forms.ModelChoiceField(label="Person", queryset=Person.objects.none())
    is_lay = forms.BooleanField(label="Lay member", required=False)
    is_chair = forms.BooleanField(label="Chairs the panel", required=False)

    def __init__(self, *args: Any, partnership: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = Person.objects.filter(  # type: ignore[attr-defined]
            role_assignments__partnership=partnership, is_active=True
        ).distinct()


class AssignPanelForm(forms.Form):
    panel = forms.ModelChoiceField(label="Panel", queryset=Panel.objects.none())

    def __init__(self, *args: Any, cycle: Cycle, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["panel"].queryset = cycle.panels.all()  # type: ignore[attr-defined]


class QuestionForm(forms.Form):
    standard = forms.ModelChoiceField(label="Standard", queryset=Standard.objects.none())
    question = forms.CharField(
        label="Question for the agency", widget=forms.Textarea(attrs={"rows": 4}), max_length=4000
    )

    def __init__(self, *args: Any, framework: Framework, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["standard"].queryset = framework.standards.all()  # type: ignore[attr-defined]


class ResponseForm(forms.Form):
    response = forms.CharField(
        label="The agency's response", widget=forms.Textarea(attrs={"rows": 5}), max_length=8000
    )


class ModerateForm(forms.Form):
    moderated_rating = forms.ChoiceField(label="Moderated rating", widget=forms.RadioSelect)
    moderation_note = forms.CharField(
        label="Why (optional)",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=4000,
    )

    def __init__(self, *args: Any, levels: list[RatingLevel], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["moderated_rating"].choices = _rating_choices(levels)  # type: ignore[attr-defined]


class ConclusionForm(forms.Form):
    conclusion = forms.CharField(
        label="The panel's conclusion", widget=forms.Textarea(attrs={"rows": 6}), max_length=8000
    )


class OverviewForm(forms.Form):
    summary = forms.CharField(
        label="Summary for the Board", widget=forms.Textarea(attrs={"rows": 6}), max_length=10000
    )
    common_themes = forms.CharField(
        label="Common themes",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text="One a line.",
        max_length=4000,
    )
    key_areas = forms.CharField(
        label="Key areas for improvement",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="One a line. Each becomes a finding and a recommendation in the learning chain.",
        max_length=4000,
    )


class PresentForm(forms.Form):
    board_date = forms.DateField(label="Date of the Board meeting", widget=DateInput)
    meeting = forms.ChoiceField(
        label="Put it on this meeting's agenda", required=False, choices=[("", "None")]
    )

    def __init__(self, *args: Any, meetings: list[tuple[str, str]] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        if meetings:
            self.fields["meeting"].choices = [("", "None"), *meetings]  # type: ignore[attr-defined]
        else:
            del self.fields["meeting"]


class BoardDateForm(forms.Form):
    board_date = forms.DateField(label="Date of the Board meeting", widget=DateInput)


class EscalationForm(forms.Form):
    agency = forms.ModelChoiceField(label="Agency", queryset=Agency.objects.none())
    addressee = forms.CharField(
        label="Addressed to", max_length=200, help_text="The agency's senior manager, by post."
    )
    letter_text = forms.CharField(
        label="Letter", widget=forms.Textarea(attrs={"rows": 8}), max_length=10000
    )

    def __init__(self, *args: Any, agencies: list[Agency], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.filter(  # type: ignore[attr-defined]
            pk__in=[a.pk for a in agencies]
        )


class EscalationResponseForm(forms.Form):
    response_on = forms.DateField(label="Date of the response", widget=DateInput)
    response = forms.CharField(
        label="The agency's response", widget=forms.Textarea(attrs={"rows": 5}), max_length=8000
    )
