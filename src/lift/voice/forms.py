"""Forms of young people's voice."""

from __future__ import annotations

from typing import Any

from django import forms

from lift.core.forms import DateInput

from .choices import ResponseKind
from .models import (
    ChairMeeting,
    Consultation,
    Event,
    ForumMember,
    ForumSession,
    Term,
    YouthForum,
)


def _dates(form: forms.BaseForm) -> None:
    for field in form.fields.values():
        if isinstance(field, forms.DateField):
            field.widget = DateInput()


class _Model(forms.ModelForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _dates(self)


class ForumForm(_Model):
    class Meta:
        model = YouthForum
        fields = [
            "name",
            "youth_service",
            "agency",
            "description",
            "guardian_consent_under",
            "events_target",
            "retention_months",
        ]


class MemberForm(_Model):
    class Meta:
        model = ForumMember
        fields = [
            "name",
            "age_band",
            "joined_on",
            "consent_on",
            "guardian_consent_on",
            "retain_until",
            "left_on",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["retain_until"].required = False
        self.fields[
            "retain_until"
        ].help_text = "Leave empty to keep details for the forum's retention period from joining."


class SessionForm(_Model):
    class Meta:
        model = ForumSession
        fields = ["held_on", "title", "attended", "notes"]


class TermForm(_Model):
    class Meta:
        model = Term
        fields = ["name", "starts_on", "ends_on"]


class ChairMeetingForm(_Model):
    class Meta:
        model = ChairMeeting
        fields = ["meets_on", "status", "topics", "attended", "notes"]


class EventForm(_Model):
    class Meta:
        model = Event
        fields = ["kind", "title", "theme", "held_on", "audience", "attended", "what_was_said"]


class ConsultationForm(_Model):
    class Meta:
        model = Consultation
        fields = ["topic", "description", "opened_on", "closed_on"]


class ViewForm(forms.Form):
    said = forms.CharField(
        label="What young people said",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        help_text="In their words where possible. Never a name.",
    )
    title = forms.CharField(
        label="Short title for the learning chain", max_length=250, required=False
    )


class RespondForm(forms.Form):
    response = forms.ChoiceField(
        label="Response",
        choices=[c for c in ResponseKind.choices if c[0] != ResponseKind.PENDING],
        widget=forms.RadioSelect,
    )
    response_text = forms.CharField(
        label="What we did, or why we could not",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
    )
    responded_on = forms.DateField(label="Date", widget=DateInput())


class PresentationForm(forms.Form):
    year = forms.CharField(label="Year", max_length=7, help_text="e.g. 2015/16")
    title = forms.CharField(label="Title", max_length=250)
    summary = forms.CharField(
        label="Summary", widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=4000
    )
    meeting: forms.ModelChoiceField = forms.ModelChoiceField(
        label="Board meeting",
        queryset=None,
        required=False,  # type: ignore[arg-type]
    )

    def __init__(self, *args: Any, meetings: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = meetings  # type: ignore[attr-defined]


class MaterialForm(forms.Form):
    file = forms.FileField(label="Material (slides, film notes, leaflet)")
    description = forms.CharField(label="Description", max_length=200, required=False)
