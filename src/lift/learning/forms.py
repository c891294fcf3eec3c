"""Forms of the learning pages. Each workflow step has its own small form."""

from __future__ import annotations

from typing import Any

from django import forms

from lift.core.files import EvidenceFileField
from lift.core.forms import DateInput
from lift.core.models import Agency, Person

from .choices import (
    ActionStatus,
    Addressee,
    EvidenceKind,
    FindingKind,
    ImpactMethod,
    ImpactOutcome,
    Response,
)
from .models import Action, Dissemination, Finding, LibraryItem, Recommendation, Theme

REASON_ROWS = {"rows": 3}


def _themes_field() -> forms.ModelMultipleChoiceField:
    return forms.ModelMultipleChoiceField(
        queryset=Theme.objects.filter(is_active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "govuk-checkboxes--small"}),
        label="Themes",
    )


class ActionForm(forms.ModelForm):
    themes = _themes_field()

    class Meta:
        model = Action
        fields = [
            "title",
            "description",
            "recommendation",
            "owner_agency",
            "owner",
            "due_on",
            "priority",
            "success_measure",
            "status",
            "themes",
        ]
        widgets = {"due_on": DateInput, "description": forms.Textarea(attrs=REASON_ROWS)}
        labels = {"owner_agency": "Agency that owns it", "owner": "Person who owns it"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        status = self.fields["status"]
        assert isinstance(status, forms.ChoiceField)
        status.choices = [
            (s.value, s.label)
            for s in (ActionStatus.PROPOSED, ActionStatus.AGREED, ActionStatus.IN_PROGRESS)
        ]
        status.label = "Status to start in"
        self.fields["success_measure"].widget.attrs.update(REASON_ROWS)


class ActionEditForm(forms.ModelForm):
    themes = _themes_field()

    class Meta:
        model = Action
        fields = ["title", "description", "owner", "priority", "success_measure", "themes"]
        widgets = {"description": forms.Textarea(attrs=REASON_ROWS)}
        labels = {"owner": "Person who owns it"}


class TransitionForm(forms.Form):
    """Moving an action: a reason (required for some moves), the replacement when
    superseded."""

    reason = forms.CharField(
        label="Reason", required=False, widget=forms.Textarea(attrs=REASON_ROWS), max_length=4000
    )

    def __init__(
        self, *args: Any, to: str, action: Action, reason_required: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = reason_required
        if not reason_required:
            self.fields["reason"].label = "Note"
        if to == ActionStatus.SUPERSEDED:
            self.fields["superseded_by"] = forms.ModelChoiceField(
                queryset=Action.objects.filter(partnership_id=action.partnership_id)
                .exclude(pk=action.pk)
                .order_by("title"),
                label="Action that replaces it",
            )


class ActionUpdateForm(forms.Form):
    text = forms.CharField(
        label="What has happened since the last update?",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=8000,
    )


class DueDateForm(forms.Form):
    due_on = forms.DateField(label="New due date", widget=DateInput)
    reason = forms.CharField(
        label="Why is the due date moving?",
        help_text="The original due date is kept and shown with the action.",
        widget=forms.Textarea(attrs=REASON_ROWS),
        max_length=4000,
    )


class EvidenceForm(forms.Form):
    kind = forms.ChoiceField(
        choices=EvidenceKind.choices, widget=forms.RadioSelect, label="What kind of evidence?"
    )
    description = forms.CharField(label="Describe the evidence", max_length=300)
    url = forms.URLField(label="Link (for a link)", required=False, assume_scheme="https")
    note = forms.CharField(
        label="Note (for a note)", required=False, widget=forms.Textarea(attrs=REASON_ROWS)
    )
    uploaded_file = EvidenceFileField(label="File (for a file)", required=False)


class ImpactCheckForm(forms.Form):
    method = forms.ChoiceField(
        choices=ImpactMethod.choices, widget=forms.RadioSelect, label="How was impact measured?"
    )
    measured = forms.CharField(
        label="What was measured, and how?", widget=forms.Textarea(attrs=REASON_ROWS)
    )
    result = forms.CharField(label="The result", widget=forms.Textarea(attrs=REASON_ROWS))
    outcome = forms.ChoiceField(
        choices=ImpactOutcome.choices, widget=forms.RadioSelect, label="What does it show?"
    )
    compared_from = forms.CharField(
        label="Compared from (period)",
        required=False,
        max_length=60,
        help_text="For example 2024 Q1",
    )
    compared_to = forms.CharField(
        label="Compared to (period)", required=False, max_length=60, help_text="For example 2025 Q1"
    )
    checked_on = forms.DateField(label="Date of the check", widget=DateInput)


class VerifyForm(forms.Form):
    confirm = forms.BooleanField(
        label="I have read the evidence and the impact check, and I verify the impact",
        error_messages={"required": "Confirm that you have checked the evidence and the impact."},
    )


class RespondForm(forms.Form):
    response = forms.ChoiceField(
        choices=[
            (r.value, r.label) for r in (Response.ACCEPTED, Response.PARTLY, Response.NOT_ACCEPTED)
        ],
        widget=forms.RadioSelect,
        label="Response",
    )
    reason = forms.CharField(
        label="Reason",
        required=False,
        help_text="Needed when the recommendation is not accepted or only partly accepted.",
        widget=forms.Textarea(attrs=REASON_ROWS),
    )


class RecommendationForm(forms.ModelForm):
    themes = _themes_field()
    agencies = forms.ModelMultipleChoiceField(
        queryset=Agency.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "govuk-checkboxes--small"}),
        label="Agencies it is addressed to",
        help_text="Needed when it is addressed to named agencies.",
    )
    findings = forms.ModelMultipleChoiceField(
        queryset=Finding.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "govuk-checkboxes--small"}),
        label="Findings it answers",
    )

    class Meta:
        model = Recommendation
        fields = ["reference", "text", "addressee", "agencies", "findings", "themes"]
        widgets = {"addressee": forms.RadioSelect}


class FindingForm(forms.ModelForm):
    themes = _themes_field()

    class Meta:
        model = Finding
        fields = ["title", "text", "kind", "identified_on", "themes"]
        widgets = {"identified_on": DateInput, "kind": forms.RadioSelect}


class JudgeForm(forms.Form):
    applies = forms.TypedChoiceField(
        choices=[("yes", "Yes, it applies here"), ("no", "No, it does not apply here")],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        label="Does this lesson apply locally?",
    )
    reason = forms.CharField(
        label="Why (optional)", required=False, widget=forms.Textarea(attrs=REASON_ROWS)
    )


class RecommendFromFindingForm(forms.Form):
    reference = forms.CharField(label="Reference", required=False, max_length=30)
    text = forms.CharField(label="Recommendation", widget=forms.Textarea(attrs={"rows": 4}))
    addressee = forms.ChoiceField(
        choices=Addressee.choices, widget=forms.RadioSelect, label="Addressed to"
    )
    agencies = forms.ModelMultipleChoiceField(
        queryset=Agency.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "govuk-checkboxes--small"}),
        label="Agencies it is addressed to",
        help_text="Needed when it is addressed to named agencies.",
    )


class LibraryItemForm(forms.ModelForm):
    themes = _themes_field()

    class Meta:
        model = LibraryItem
        fields = [
            "kind",
            "title",
            "author",
            "published_on",
            "url",
            "summary",
            "considered_on",
            "themes",
        ]
        widgets = {
            "published_on": DateInput,
            "considered_on": DateInput,
            "kind": forms.RadioSelect,
        }


class LessonForm(forms.Form):
    title = forms.CharField(label="Lesson", max_length=250)
    text = forms.CharField(label="What the lesson says", widget=forms.Textarea(attrs={"rows": 4}))
    kind = forms.ChoiceField(
        choices=FindingKind.choices, widget=forms.RadioSelect, initial=FindingKind.IMPROVEMENT
    )
    themes = _themes_field()


class DisseminationForm(forms.ModelForm):
    findings = forms.ModelMultipleChoiceField(
        queryset=Finding.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "govuk-checkboxes--small"}),
        label="Findings it carried",
    )
    agencies_reached = forms.ModelMultipleChoiceField(
        queryset=Agency.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "govuk-checkboxes--small"}),
        label="Agencies reached",
    )

    class Meta:
        model = Dissemination
        fields = [
            "kind",
            "title",
            "held_on",
            "audience",
            "findings",
            "agencies_reached",
            "people_reached",
            "summary",
        ]
        widgets = {"held_on": DateInput, "kind": forms.RadioSelect}


class ThemeForm(forms.ModelForm):
    class Meta:
        model = Theme
        fields = ["name", "code", "description"]
        help_texts = {"code": "A short identifier: lower-case letters, numbers and hyphens."}


def person_choices(field: forms.ModelChoiceField, partnership: Any) -> None:
    """Owners: people holding a role in the partnership."""
    field.queryset = Person.objects.filter(role_assignments__partnership=partnership).distinct()
