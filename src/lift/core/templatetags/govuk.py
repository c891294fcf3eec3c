"""Template helpers for GOV.UK Frontend markup. Loaded as a builtin in every template."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import forms, template
from django.utils import timezone
from django.utils.html import format_html

from lift.core import wording
from lift.core.widgets import GovukDateInput

register = template.Library()

_INPUT_WIDTHS = {"date": "govuk-input--width-10", "number": "govuk-input--width-10"}


@register.filter
def field_kind(bound: forms.BoundField) -> str:
    widget = bound.field.widget
    if isinstance(widget, GovukDateInput):
        return "date"
    if isinstance(widget, forms.HiddenInput):
        return "hidden"
    if isinstance(widget, forms.CheckboxSelectMultiple):  # a RadioSelect subclass: first
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.Select | forms.SelectMultiple):
        return "select"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(widget, forms.ClearableFileInput | forms.FileInput):
        return "file"
    return "input"


@register.simple_tag
def govuk_widget(bound: forms.BoundField) -> str:
    kind = field_kind(bound)
    classes = {
        "select": "govuk-select",
        "textarea": "govuk-textarea",
        "file": "govuk-file-upload",
        "input": "govuk-input",
    }.get(kind, "")
    input_type = getattr(bound.field.widget, "input_type", "")
    if kind == "input" and input_type in _INPUT_WIDTHS:
        classes += " " + _INPUT_WIDTHS[input_type]
    if bound.errors and classes:
        classes += f" {classes.split()[0]}--error"
    described = []
    if bound.help_text:
        described.append(f"{bound.auto_id}-hint")
    if bound.errors:
        described.append(f"{bound.auto_id}-error")
    attrs: dict[str, Any] = {}
    if kind == "date":  # the boxes take their classes from the widget; the fieldset is described
        if bound.errors:
            attrs["data-govuk-error"] = True
        return bound.as_widget(attrs=attrs)
    existing = bound.field.widget.attrs.get("class", "")
    if classes:
        attrs["class"] = f"{classes} {existing}".strip()
    if described:
        attrs["aria-describedby"] = " ".join(described)
    return bound.as_widget(attrs=attrs)


# A label that already says when the answer is needed ("Reason (needed if you do not
# approve it)") is not also marked "(optional)".
_SAYS_WHEN_NEEDED = ("needed if", "needed when", "needed for", "required if", "only if")


@register.filter
def optional_marker(bound: forms.BoundField) -> str:
    """ " (optional)" after the label of a field a person may leave empty."""
    if bound.field.required:
        return ""
    label = str(bound.label or "").lower()
    if any(words in label for words in _SAYS_WHEN_NEEDED):
        return ""
    return " (optional)"


@register.simple_tag
def date_example() -> str:
    """The GOV.UK date input's hint: "27 3 2026" (this year)."""
    return f"27 3 {timezone.localdate().year}"


@register.filter
def long_date(value: Any) -> str:
    """A date as people read it: "6 December 2026" (core.wording.long_date)."""
    return wording.long_date(value)


@register.filter
def as_text(value: Any) -> str:
    """A value as a summary list shows it: dates "6 December 2026", Yes/No (core.tables)."""
    from lift.core.tables import as_text as table_text

    return table_text(value)


@register.filter
def history_value(value: Any) -> str:
    """A value kept in the change history (stored as JSON, dates as ISO strings) as people
    read it: "6 December 2026", "6 December 2026, 14:05", lists and mappings spelt out."""
    return wording.stored_value(value)


@register.simple_tag(takes_context=True)
def query_with(context: Any, **changes: Any) -> str:
    """The current query string with some parameters changed (for sorting and paging)."""
    request = context["request"]
    params = request.GET.copy()
    for key, value in changes.items():
        if value is None or value == "":
            params.pop(key, None)
        else:
            params[key] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.filter
def urlencode_dict(value: dict[str, Any]) -> str:
    return urlencode(value)


@register.simple_tag
def tag(text: str, colour: str = "") -> str:
    css = f"govuk-tag govuk-tag--{colour}" if colour else "govuk-tag"
    return format_html('<strong class="{}">{}</strong>', css, text)


STATE_COLOURS = {
    "overdue": "red",
    "due_soon": "yellow",
    "running": "blue",
    "met": "green",
    "met_late": "orange",
    "stopped": "grey",
}


@register.simple_tag
def clock_tag(clock: Any) -> str:
    return tag(clock.get_state_display(), STATE_COLOURS.get(clock.state, "grey"))


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    try:
        return mapping[key]
    except (KeyError, IndexError, TypeError):
        return None


@register.filter
def verbose_name(model: Any) -> str:
    return str(model._meta.verbose_name)


@register.simple_tag
def form_token() -> str:
    """A POST form's single-use token (core.idempotency): the form is accepted once."""
    from lift.core.idempotency import FIELD, new_token

    return format_html('<input type="hidden" name="{}" value="{}">', FIELD, new_token())
