"""Forms rendered in GOV.UK Design System markup, and the core forms."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.renderers import TemplatesSetting


def specific_messages(form: forms.BaseForm) -> forms.BaseForm:
    """GOV.UK error messages name the field: "Enter the name", "Select the agency",
    "Enter a date for the due date" - unless the form set its own."""
    for field in form.fields.values():
        label = str(field.label or "").strip()
        if not label:
            continue
        subject = label[0].lower() + label[1:]
        default = forms.Field.default_error_messages["required"]
        if field.error_messages.get("required") != default:
            continue
        if isinstance(field, forms.ChoiceField | forms.ModelChoiceField):
            verb = "Select"
        elif isinstance(field, forms.FileField):
            verb = "Choose"
        else:
            verb = "Enter"
        field.error_messages["required"] = f"{verb} {subject}"
        if isinstance(field, forms.DateField):
            field.error_messages["invalid"] = f"{label} must be a real date, like 27 3 2025"
        elif isinstance(field, forms.IntegerField | forms.DecimalField | forms.FloatField):
            field.error_messages["invalid"] = f"{label} must be a number"
    return form


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
