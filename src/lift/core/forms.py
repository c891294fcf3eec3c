"""Forms rendered in GOV.UK Design System markup, and the core forms."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import TemplatesSetting

from .widgets import GovukBoundField, GovukDateInput, date_subject
from .wording import instruction, sentence

# C0 controls and DEL: nothing a person types, and XML (XLSX, DOCX) cannot hold most of them.
# A box of several lines may hold tabs and new lines.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")
CONTROL_CHARACTERS_MULTILINE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class NoControlCharacters:
    """Refuses text holding a control character: "Remove the control characters from <label>"."""

    def __init__(self, subject: str, *, multiline: bool) -> None:
        self.subject = subject
        self.pattern = CONTROL_CHARACTERS_MULTILINE if multiline else CONTROL_CHARACTERS

    def __call__(self, value: Any) -> None:
        if isinstance(value, str) and self.pattern.search(value):
            raise ValidationError(
                f"Remove the control characters from {self.subject}", code="control_characters"
            )


def refuse_control_characters(field: forms.Field, subject: str) -> None:
    """Every text field of every form built by the shared machinery (FormMixin.make_form
    calls specific_messages), once."""
    if not isinstance(field, forms.CharField) or isinstance(field.widget, forms.PasswordInput):
        return
    if any(isinstance(v, NoControlCharacters) for v in field.validators):
        return
    multiline = isinstance(field.widget, forms.Textarea)
    field.validators.append(NoControlCharacters(subject or "this answer", multiline=multiline))


def specific_messages(form: forms.BaseForm) -> forms.BaseForm:
    """GOV.UK error messages name the field: "Enter the name", "Select the agency",
    "Enter a date for the due date" - unless the form set its own. Text fields also refuse
    control characters (a title holding one broke the XLSX export, issue 17)."""
    for field in form.fields.values():
        label = str(field.label or "").strip()
        subject = label[0].lower() + label[1:] if label else ""
        if label.endswith("?"):
            subject = "the answer"  # not "Remove ... from how was impact measured?"
        refuse_control_characters(field, subject)
        if not label:
            continue
        default = forms.Field.default_error_messages["required"]
        if field.error_messages.get("required") != default:
            continue
        if isinstance(field, forms.ChoiceField | forms.ModelChoiceField):
            verb = "Select"
        elif isinstance(field, forms.FileField):
            verb = "Choose"
        else:
            verb = "Enter"
        # A question label is turned into an instruction ("Select how impact was
        # measured"), never prefixed ("Select how was impact measured?").
        field.error_messages["required"] = instruction(verb, label)
        if isinstance(field, forms.DateField):
            field.error_messages["invalid"] = f"{date_subject(label)} must be a real date"
        elif isinstance(field, forms.IntegerField | forms.DecimalField | forms.FloatField):
            field.error_messages["invalid"] = f"{sentence(subject)} must be a number"
    return form


class GovukFormRenderer(TemplatesSetting):
    """`{{ form }}` renders an error summary and GOV.UK form groups for every form."""

    form_template_name = "govuk/forms/form.html"
    field_template_name = "govuk/forms/field.html"
    bound_field_class = GovukBoundField  # date fields become GOV.UK date inputs


# Every date a person types: the GOV.UK date input (core.widgets, ADR 0008). A date field
# with Django's own DateInput gets it too, through GovukBoundField.
DateInput = GovukDateInput


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
