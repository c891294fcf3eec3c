"""Template helpers for GOV.UK Frontend markup. Loaded as a builtin in every template."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import forms, template
from django.utils.html import format_html

register = template.Library()

_INPUT_WIDTHS = {"date": "govuk-input--width-10", "number": "govuk-input--width-10"}


@register.filter
def field_kind(bound: forms.BoundField) -> str:
    widget = bound.field.widget
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
    existing = bound.field.widget.attrs.get("class", "")
    if classes:
        attrs["class"] = f"{classes} {existing}".strip()
    if described:
        attrs["aria-describedby"] = " ".join(described)
    return bound.as_widget(attrs=attrs)


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
