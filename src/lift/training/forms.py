"""Forms of the training pages."""

from __future__ import annotations

from typing import Any

from django import forms

from lift.core.files import EvidenceFileField
from lift.core.forms import DateInput
from lift.core.models import Person
from lift.learning.choices import FindingKind
from lift.learning.models import Theme

from .choices import ChangeReason
from .models import (
    AgencyTraining,
    CascadeSession,
    Commission,
    Course,
    NeedsAssessment,
    Programme,
    TrainingSession,
    TrainingSettings,
)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%H:%M")


THEMES = {"widget": forms.CheckboxSelectMultiple, "required": False}


class ProgrammeForm(forms.ModelForm):
    class Meta:
        model = Programme
        fields = ["year", "title", "summary", "starts_on", "ends_on", "themes"]
        widgets = {
            "starts_on": DateInput,
            "ends_on": DateInput,
            "themes": forms.CheckboxSelectMultiple,
        }


class ProgrammeApproveForm(forms.Form):
    body = forms.CharField(
        label="Approved by",
        initial="LSCB Executive",
        max_length=200,
        help_text="The body that approved the programme.",
    )
    approved_on = forms.DateField(label="Date approved", widget=DateInput)
    reference = forms.CharField(
        label="Meeting and minute",
        max_length=200,
        required=False,
        help_text="For example: Executive, 16 September 2015, minute 4.",
    )


class ProgrammeChangeForm(forms.Form):
    reason = forms.ChoiceField(
        label="Why is the programme changing?",
        choices=ChangeReason.choices,
        widget=forms.RadioSelect,
    )
    description = forms.CharField(
        label="What changed", widget=forms.Textarea(attrs={"rows": 4}), max_length=5000
    )
    changed_on = forms.DateField(label="Date of the change", widget=DateInput)


class PriorityLinkForm(forms.Form):
    title = forms.CharField(label="Business plan priority", max_length=200)
    themes = forms.ModelMultipleChoiceField(
        queryset=Theme.objects.all(), label="Themes of the priority", **THEMES
    )


class CourseForm(forms.ModelForm):
    change_reason = forms.ChoiceField(
        label="Reason for adding it during the year",
        choices=[("", "Not an in-year change"), *ChangeReason.choices],
        required=False,
        help_text="Needed when the programme has already been approved by the Executive.",
    )

    class Meta:
        model = Course
        fields = [
            "programme",
            "title",
            "summary",
            "level",
            "format",
            "learning_outcomes",
            "themes",
            "findings",
            "recommendations",
            "trainer_kind",
            "trainer_name",
            "trainer_agency",
            "duration_hours",
            "cost",
            "paid_by",
            "public",
        ]
        widgets = {
            "level": forms.RadioSelect,
            "trainer_kind": forms.RadioSelect,
            "themes": forms.CheckboxSelectMultiple,
            "findings": forms.CheckboxSelectMultiple,
            "recommendations": forms.CheckboxSelectMultiple,
            "learning_outcomes": forms.Textarea(attrs={"rows": 4}),
        }


class CourseEditForm(CourseForm):
    class Meta(CourseForm.Meta):
        fields = [f for f in CourseForm.Meta.fields if f != "programme"]


class CommissionForm(forms.ModelForm):
    class Meta:
        model = Commission
        fields = ["requesting_agency", "funding_agreed", "agreed_on", "invoice_reference"]
        widgets = {"agreed_on": DateInput}


class MaterialForm(forms.Form):
    file = EvidenceFileField(label="Materials file")
    description = forms.CharField(label="Description", max_length=300, required=False)


class SessionForm(forms.ModelForm):
    online_url = forms.URLField(
        label="Online joining link",
        required=False,
        assume_scheme="https",
        help_text="The joining link for an online session.",
    )

    class Meta:
        model = TrainingSession
        fields = [
            "starts_on",
            "ends_on",
            "start_time",
            "end_time",
            "venue",
            "online_url",
            "capacity",
            "trainer",
        ]
        widgets = {
            "starts_on": DateInput,
            "ends_on": DateInput,
            "start_time": TimeInput,
            "end_time": TimeInput,
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["ends_on"].required = False


class SessionCancelForm(forms.Form):
    reason = forms.CharField(
        label="Why is the session cancelled?",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text="Everyone booked is told, with this reason.",
    )


class BookForm(forms.Form):
    """Book a place: for yourself, or (for leads and training staff) for someone else."""

    learner = forms.ModelChoiceField(
        queryset=Person.objects.none(), label="Who is the place for?", required=False
    )

    def __init__(self, *args: Any, people: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if people is None:
            del self.fields["learner"]
        else:
            field = self.fields["learner"]
            field.queryset = people  # type: ignore[attr-defined]
            field.required = True


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label="Reason", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000, required=False
    )


class ApproveForm(forms.Form):
    decision = forms.ChoiceField(
        label="Do you approve this training?",
        choices=[("approve", "Yes, approve it"), ("decline", "No, do not approve it")],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label="Reason (needed if you do not approve it)",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )


class OfferForm(forms.Form):
    decision = forms.ChoiceField(
        label="Do you want the place?",
        choices=[("accept", "Yes, take the place"), ("decline", "No, give it to someone else")],
        widget=forms.RadioSelect,
    )


class FindingFromEvaluationForm(forms.Form):
    title = forms.CharField(label="Title of the lesson", max_length=250)
    kind = forms.ChoiceField(
        label="What does it show?", choices=FindingKind.choices, widget=forms.RadioSelect
    )
    text = forms.CharField(
        label="The lesson",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=10000,
        help_text="Never a child's name or other identifier.",
    )
    themes = forms.ModelMultipleChoiceField(queryset=Theme.objects.all(), label="Themes", **THEMES)


class CascadeForm(forms.ModelForm):
    class Meta:
        model = CascadeSession
        fields = [
            "course",
            "agency",
            "delivered_on",
            "format",
            "delivered_by",
            "attendees",
            "notes",
        ]
        widgets = {"delivered_on": DateInput}


class AgencyTrainingForm(forms.ModelForm):
    class Meta:
        model = AgencyTraining
        fields = [
            "agency",
            "title",
            "level",
            "period_start",
            "period_end",
            "number_trained",
            "themes",
            "notes",
        ]
        widgets = {
            "period_start": DateInput,
            "period_end": DateInput,
            "level": forms.RadioSelect,
            "themes": forms.CheckboxSelectMultiple,
        }


class ImportForm(forms.Form):
    file = forms.FileField(
        label="CSV or Excel file",
        help_text="Columns: agency, title, level (1, 2 or 3), period start, period end, "
        "number trained, themes (optional: codes separated by ;), notes (optional). Dates as "
        "31/12/2025.",
    )


class NeedsAssessmentForm(forms.ModelForm):
    class Meta:
        model = NeedsAssessment
        fields = ["year", "title", "opens_on", "closes_on", "themes"]
        widgets = {
            "opens_on": DateInput,
            "closes_on": DateInput,
            "themes": forms.CheckboxSelectMultiple,
        }


class NeedsCloseForm(forms.Form):
    informs = forms.ModelChoiceField(
        queryset=Programme.objects.all(),
        label="Programme it informs",
        required=False,
        help_text="The themes agencies asked for are added to this programme.",
    )


class TrainingSettingsForm(forms.ModelForm):
    class Meta:
        model = TrainingSettings
        fields = [
            "requires_manager_approval",
            "cancellation_notice_days",
            "non_attendance_charge",
            "offer_hold_days",
            "session_reminder_days",
            "follow_up_interval_months",
            "follow_up_sample_percent",
            "follow_up_reminder_days",
        ]


def needs_return_form_class(question_set: Any, agencies: Any) -> type[forms.Form]:
    """The needs return: agency, themes, staff numbers, then the question set's questions."""
    from .questionsets import form_class

    base = form_class(question_set)
    fields: dict[str, forms.Field] = {
        "agency": forms.ModelChoiceField(queryset=agencies, label="Agency"),
        "themes": forms.ModelMultipleChoiceField(
            queryset=Theme.objects.all(), label="Themes your staff need training on", **THEMES
        ),
        "staff_level2": forms.IntegerField(
            min_value=0, label="Staff needing level 2 core multi-agency training"
        ),
        "staff_level3": forms.IntegerField(
            min_value=0, label="Staff in specialist roles needing level 3 training"
        ),
    }
    fields.update(base.base_fields)
    return type("NeedsReturnForm", (forms.Form,), fields)
