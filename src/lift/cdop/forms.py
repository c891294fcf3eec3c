"""Forms of the child death review area. Every text field has a size limit; nothing typed
is ever rendered as HTML (templates autoescape and never use |safe on it)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone

from lift.core.files import EvidenceFileField
from lift.core.forms import DateInput
from lift.core.models import Agency, Partnership, Person

from .choices import Expected, ReferralKind, Sex
from .models import (
    Campaign,
    CdopMeeting,
    CdopSettings,
    ChildDeath,
    ChildDeathIdentity,
    ReviewMeeting,
)
from .reference import cdop_reference


def _jar_choices() -> list[tuple[str, str]]:
    return [(c.code, c.label) for c in cdop_reference().jar_criteria]


def _text(
    label: str, limit: int, *, required: bool = True, rows: int = 0, help_text: str = ""
) -> forms.CharField:
    widget = forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput()
    return forms.CharField(
        label=label, max_length=limit, required=required, widget=widget, help_text=help_text
    )


class NotificationForm(forms.Form):
    """The notification form (the former Form A)."""

    notifier_name = _text("Your name", 200)
    notifier_role = _text("Your role", 200, required=False)
    notifier_organisation = _text("Your organisation", 200, required=False)
    notifier_email = forms.EmailField(
        label="Your e-mail address",
        max_length=254,
        required=False,
        help_text="We send an acknowledgement with the case reference only.",
    )
    notifier_phone = _text("Your telephone number", 40, required=False)
    first_name = _text("Child's first name", 100)
    family_name = _text("Child's family name", 100, required=False)
    date_of_birth = forms.DateField(label="Child's date of birth", required=False, widget=DateInput)
    date_of_death = forms.DateField(label="Date of death", widget=DateInput)
    sex = forms.ChoiceField(
        label="Child's sex", choices=Sex.choices, widget=forms.RadioSelect, initial=Sex.UNKNOWN
    )
    address = _text("Child's home address", 500, required=False, rows=3)
    postcode = _text("Postcode", 10, required=False)
    nhs_number = _text("NHS number", 12, required=False, help_text="10 digits, if known")
    expected = forms.ChoiceField(
        label="Was the death expected?",
        choices=Expected.choices,
        widget=forms.RadioSelect,
        help_text="Unexpected: not anticipated as a significant possibility 24 hours before.",
    )
    jar_criteria = forms.MultipleChoiceField(
        label="Do any of these apply?",
        choices=(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Any one means a joint agency response (police, health and social care).",
    )
    circumstances = _text(
        "What happened", 5000, required=False, rows=6, help_text="5,000 characters at most."
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["jar_criteria"].choices = _jar_choices()  # type: ignore[attr-defined]

    def clean_date_of_death(self) -> dt.date:
        value: dt.date = self.cleaned_data["date_of_death"]
        if value > timezone.localdate():
            raise forms.ValidationError("The date of death must be today or in the past.")
        return value


class PublicNotificationForm(NotificationForm):
    partnership = forms.ModelChoiceField(
        label="Which safeguarding partnership's area did the child live in?",
        error_messages={"required": "Select the partnership whose area the child lived in"},
        queryset=Partnership.objects.none(),
        empty_label=None,
        widget=forms.RadioSelect,
    )
    field_order = ["partnership"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["partnership"].queryset = Partnership.objects.order_by("name")  # type: ignore[attr-defined]


class CaseForm(forms.ModelForm):
    jar_criteria = forms.MultipleChoiceField(
        label="Joint agency response criteria",
        choices=(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = ChildDeath
        fields = [
            "expected",
            "sex",
            "jar_criteria",
            "jar_started_on",
            "jar_completed_on",
            "status",
            "meeting",
        ]
        widgets = {
            "jar_started_on": DateInput,
            "jar_completed_on": DateInput,
            "expected": forms.RadioSelect,
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["jar_criteria"].choices = _jar_choices()  # type: ignore[attr-defined]


class IdentityForm(forms.ModelForm):
    class Meta:
        model = ChildDeathIdentity
        fields = [
            "first_name",
            "family_name",
            "date_of_birth",
            "date_of_death",
            "address",
            "postcode",
            "nhs_number",
            "circumstances",
        ]
        widgets = {"date_of_birth": DateInput, "date_of_death": DateInput}


class AgencyReportRequestForm(forms.Form):
    agency = forms.ModelChoiceField(label="Agency", queryset=Agency.objects.none())
    contact_name = _text("Contact's name", 200)
    contact_email = forms.EmailField(label="Contact's e-mail address", max_length=254)
    supplementary = forms.MultipleChoiceField(
        label="Supplementary forms",
        choices=(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    due_on = forms.DateField(
        label="Due by",
        required=False,
        widget=DateInput,
        help_text="Leave empty for the partnership's usual time allowed.",
    )

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.filter(  # type: ignore[attr-defined]
            partnership=partnership, is_active=True
        ).order_by("name")
        self.fields["supplementary"].choices = [  # type: ignore[attr-defined]
            (s.code, s.label) for s in cdop_reference().supplementary
        ]


class PublicReportForm(forms.Form):
    """The agency reporting form, built from the report's questions."""

    completed_by = _text("Your name and role", 200)

    def __init__(
        self, *args: Any, questions: list[tuple[str, str, str, int]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.question_keys = []
        for key, label, hint, limit in questions:
            name = "q_" + key.replace(".", "__")
            self.question_keys.append((name, key))
            self.fields[name] = _text(label, limit, required=False, rows=5, help_text=hint)
        self.order_fields([n for n, _ in self.question_keys] + ["completed_by"])

    def answers(self) -> dict[str, str]:
        return {key: self.cleaned_data.get(name, "") for name, key in self.question_keys}


class ReviewMeetingForm(forms.ModelForm):
    class Meta:
        model = ReviewMeeting
        fields = ["held_on", "attendees", "summary", "issues_for_panel"]
        widgets = {"held_on": DateInput}


class AnalysisForm(forms.Form):
    """The panel's analysis (the former Form C)."""

    category = forms.ChoiceField(label="Category of death", widget=forms.RadioSelect, choices=())
    factors = forms.MultipleChoiceField(
        label="Recorded factors", choices=(), required=False, widget=forms.CheckboxSelectMultiple
    )
    modifiable_factors = forms.MultipleChoiceField(
        label="Which recorded factors are modifiable?",
        choices=(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    modifiable = forms.ChoiceField(label="Modifiable factors", widget=forms.RadioSelect, choices=())
    learning_points = _text("Learning points", 8000, required=False, rows=5)
    completed_on = forms.DateField(label="Analysis completed on", widget=DateInput)
    meeting = forms.ModelChoiceField(
        label="CDOP meeting", queryset=CdopMeeting.objects.none(), required=False
    )

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        ref = cdop_reference()
        self.fields["category"].choices = [  # type: ignore[attr-defined]
            (c.code, f"{c.number}. {c.label}") for c in ref.categories
        ]
        factor_choices = [(f.code, f.label) for f in ref.factors]
        self.fields["factors"].choices = factor_choices  # type: ignore[attr-defined]
        self.fields["modifiable_factors"].choices = factor_choices  # type: ignore[attr-defined]
        self.fields["modifiable"].choices = [(o.code, o.label) for o in ref.outcomes]  # type: ignore[attr-defined]
        self.fields["meeting"].queryset = CdopMeeting.objects.filter(partnership=partnership)  # type: ignore[attr-defined]
        score_choices = [(str(s.value), f"{s.value}: {s.label}") for s in ref.scores]
        self.domain_names: list[tuple[str, str, str]] = []
        for d in ref.domains:
            self.fields[f"score_{d.code}"] = forms.TypedChoiceField(
                label=f"Score: {d.label}",
                choices=score_choices,
                coerce=int,
                widget=forms.RadioSelect,
            )
            self.fields[f"factors_{d.code}"] = _text(
                f"Factors: {d.label}", 4000, required=False, rows=3
            )
            self.domain_names.append((d.code, f"score_{d.code}", f"factors_{d.code}"))
        order = ["category"]
        for _code, score, text in self.domain_names:
            order += [score, text]
        order += [
            "factors",
            "modifiable_factors",
            "modifiable",
            "learning_points",
            "completed_on",
            "meeting",
        ]
        self.order_fields(order)

    def scores(self) -> dict[str, int]:
        return {code: self.cleaned_data[score] for code, score, _ in self.domain_names}

    def domain_factors(self) -> dict[str, str]:
        return {code: self.cleaned_data[text] for code, _, text in self.domain_names}


class RecommendationForm(forms.Form):
    text = _text("Recommendation", 4000, rows=4)
    agencies = forms.ModelMultipleChoiceField(
        label="Agencies it is addressed to",
        queryset=Agency.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    action_title = _text("Action to carry it out", 250, required=False)
    owner_agency = forms.ModelChoiceField(
        label="Agency owning the action", queryset=Agency.objects.none(), required=False
    )
    due_on = forms.DateField(label="Action due by", required=False, widget=DateInput)
    success_measure = _text(
        "How will we know the action made a difference?", 2000, required=False, rows=3
    )

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agencies = Agency.objects.filter(partnership=partnership, is_active=True).order_by("name")
        self.fields["agencies"].queryset = agencies  # type: ignore[attr-defined]
        self.fields["owner_agency"].queryset = agencies  # type: ignore[attr-defined]


class ReferralForm(forms.Form):
    kind = forms.ChoiceField(
        label="Refer the case", choices=ReferralKind.choices, widget=forms.RadioSelect
    )
    reasons = _text(
        "Reasons",
        4000,
        rows=5,
        help_text="Use the case number. Never the child's name or other identifier.",
    )


class ChairDecisionForm(forms.Form):
    outcome = _text("What did you decide, and why?", 4000, rows=5)


class MeetingForm(forms.ModelForm):
    class Meta:
        model = CdopMeeting
        fields = ["held_on", "title", "location", "notes"]
        widgets = {"held_on": DateInput}


class MeetingCaseForm(forms.Form):
    case = forms.ModelChoiceField(label="Case", queryset=ChildDeath.objects.none())

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["case"].queryset = ChildDeath.objects.filter(  # type: ignore[attr-defined]
            partnership=partnership, analysis__isnull=True
        ).order_by("reference")


class MeetingMemberForm(forms.Form):
    person = forms.ModelChoiceField(label="Panel member", queryset=Person.objects.none())

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = (  # type: ignore[attr-defined]
            Person.objects.filter(
                role_assignments__partnership=partnership,
                role_assignments__case_type__isnull=True,
                is_active=True,
            )
            .distinct()
            .order_by("full_name")
        )


class PaperForm(forms.Form):
    file = EvidenceFileField(label="Paper")
    description = _text("Description", 300, required=False)


class CampaignForm(forms.ModelForm):
    factor = forms.ChoiceField(label="Recurring factor it addresses", required=False, choices=())

    class Meta:
        model = Campaign
        fields = [
            "title",
            "kind",
            "audience",
            "partners",
            "factor",
            "started_on",
            "ended_on",
            "reach",
            "description",
            "published",
        ]
        widgets = {"started_on": DateInput, "ended_on": DateInput}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["factor"].choices = [("", "None")] + [  # type: ignore[attr-defined]
            (f.code, f.label) for f in cdop_reference().factors
        ]


class SettingsForm(forms.ModelForm):
    class Meta:
        model = CdopSettings
        fields = [
            "suppression_threshold",
            "link_expiry_days",
            "report_due_working_days",
            "reminder_working_days",
        ]


class YearForm(forms.Form):
    year = forms.IntegerField(label="Year", min_value=2000, max_value=2200)
