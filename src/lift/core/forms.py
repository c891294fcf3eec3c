"""Forms rendered in GOV.UK Design System markup, and the core forms."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.renderers import TemplatesSetting


class GovukFormRenderer(TemplatesSetting):
    """`{{ form }}` renders an error summary and GOV.UK form groups for every form."""

    form_template_name = "govuk/forms/form.html"
    field_template_name = "govuk/forms/field.html"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class ReasonForm(forms.Form):
    """Asked when a change needs a recorded reason (history keeps it)."""

    reason = forms.CharField(
        label="Reason for the change",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )


class ConfirmDeleteForm(forms.Form):
    reason = forms.CharField(
        label="Why is this being deleted?",
        help_text="The reason is kept in the change history.",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )
