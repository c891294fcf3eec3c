"""The GOV.UK date input (three boxes: day, month, year) for every date a person types.

Every form rendered with the project's renderer (core.forms.GovukFormRenderer, the
FORM_RENDERER setting) builds its fields' BoundFields with GovukBoundField, which gives a
date field the date input and the pattern's error messages, so no form declares either
(ADR 0008). A post without the three boxes may give the date as one ISO value
(``due_on=2026-01-02``), as API clients, links and older tests do.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from .wording import instruction

PARTS = ("day", "month", "year")


class PartialDate(str):
    """What the three boxes held when they do not make a real date: a string no date format
    parses (so a plain DateField calls it invalid), with the parts kept for the message and
    for showing the boxes again as the person typed them."""

    day: str
    month: str
    year: str

    def __new__(cls, day: str, month: str, year: str) -> PartialDate:
        made = super().__new__(cls, f"{day}/{month}/{year} (not a date)")
        made.day, made.month, made.year = day, month, year
        return made


def date_from_parts(day: str, month: str, year: str) -> dt.date | None:
    """The date the boxes make, or None when they do not make a real one."""
    if not (day.isdigit() and month.isdigit() and year.isdigit() and len(year) == 4):
        return None
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        return None


class GovukDateInput(forms.MultiWidget):
    """Day, month and year boxes in the GOV.UK date-input markup. The boxes are named
    ``<name>_day``, ``<name>_month``, ``<name>_year`` and have the ids ``id_<name>_0``,
    ``_1``, ``_2``; the field's label and errors link to the day box."""

    template_name = "govuk/widgets/date_input.html"
    labels = ("Day", "Month", "Year")
    widths = ("govuk-input--width-2", "govuk-input--width-2", "govuk-input--width-4")

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        box = {"inputmode": "numeric"}
        super().__init__(
            widgets={part: forms.TextInput(attrs=box) for part in PARTS},
            attrs=attrs,
        )

    def decompress(self, value: Any) -> list[Any]:
        if isinstance(value, PartialDate):
            return [value.day, value.month, value.year]
        if isinstance(value, str) and value:
            try:
                value = dt.date.fromisoformat(value)
            except ValueError:
                return [None, None, None]
        if isinstance(value, dt.datetime):
            value = value.date()
        if isinstance(value, dt.date):
            return [value.day, value.month, value.year]
        return [None, None, None]

    def _names(self, name: str) -> list[str]:
        return [f"{name}_{part}" for part in PARTS]  # as MultiWidget names them

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        names = self._names(name)
        if not any(n in data for n in names):
            return data.get(name)  # one ISO value ("2026-01-02"), or nothing
        day, month, year = (str(data.get(n) or "").strip() for n in names)
        if not (day or month or year):
            return ""
        made = date_from_parts(day, month, year)
        return made.isoformat() if made else PartialDate(day, month, year)

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return name not in data and all(n not in data for n in self._names(name))

    def id_for_label(self, id_: str) -> str:
        return f"{id_}_0" if id_ else ""

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        attrs = dict(attrs or {})
        error = bool(attrs.pop("data-govuk-error", False))
        attrs.pop("aria-describedby", None)  # the fieldset carries it (field.html)
        context = super().get_context(name, value, attrs)
        for sub, label, width in zip(
            context["widget"]["subwidgets"], self.labels, self.widths, strict=True
        ):
            sub["label"] = label
            classes = ["govuk-input", "govuk-date-input__input", width]
            if error:
                classes.append("govuk-input--error")
            sub["attrs"]["class"] = " ".join(classes)
        context["widget"]["box_id"] = attrs.get("id", "")
        return context


def date_subject(label: Any) -> str:
    """How an error message names the date: its label ("Due date must include a month"),
    or "The date" when the label is a question or missing."""
    text = str(label or "").strip()
    if not text or text.endswith("?"):
        return "The date"
    return text[0].upper() + text[1:]


class GovukDateField(forms.DateField):
    """A date field whose errors are the GOV.UK date input's: "<Date> must include a month",
    "<Date> must be a real date", "Year must include 4 numbers" ("Enter <the date>" when it
    is required and left empty comes from core.forms.specific_messages)."""

    def to_python(self, value: Any) -> dt.date | None:
        if isinstance(value, PartialDate):
            raise ValidationError(partial_date_message(value, self.label), code="invalid")
        try:
            return super().to_python(value)
        except ValidationError:
            raise ValidationError(
                f"{date_subject(self.label)} must be a real date", code="invalid"
            ) from None


def partial_date_message(value: PartialDate, label: Any) -> str:
    subject = date_subject(label)
    missing = [part for part in PARTS if not getattr(value, part)]
    if missing:
        words = missing[0] if len(missing) == 1 else " and ".join(missing)
        return f"{subject} must include a {words}"
    if value.year.isdigit() and len(value.year) != 4:
        return "Year must include 4 numbers"
    return f"{subject} must be a real date"


def _plain_date_input(widget: forms.Widget) -> bool:
    """Django's DateInput (or the project's old type=date one), not a hidden input or another
    application's own date widget (the Django admin's, say)."""
    return type(widget) in (forms.DateInput, GovukDateInput)


def govuk_date(field: forms.Field) -> None:
    """Make a date field typed by a person a GOV.UK date input, once."""
    if not isinstance(field, forms.DateField) or not _plain_date_input(field.widget):
        return
    if not isinstance(field.widget, GovukDateInput):
        old = field.widget
        attrs = {k: v for k, v in old.attrs.items() if k not in ("type", "class")}
        field.widget = GovukDateInput(attrs=attrs)
        field.widget.is_required = old.is_required
    if field.error_messages.get("required") == forms.Field.default_error_messages["required"]:
        field.error_messages["required"] = instruction("Enter", str(field.label or "the date"))
    if type(field) is forms.DateField:
        # A form's fields are deep copies made for this form instance: changing the copy's
        # class gives it GovukDateField's messages without touching the form's declaration.
        field.__class__ = GovukDateField


class GovukBoundField(forms.BoundField):
    """Every field of every form the project renders (GovukFormRenderer.bound_field_class)."""

    def __init__(self, form: forms.BaseForm, field: forms.Field, name: str) -> None:
        govuk_date(field)
        super().__init__(form, field, name)
