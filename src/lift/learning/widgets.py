"""Widgets drawn in Python for pages that show many of them on every request.

Django draws each <option> of a <select> through a template of its own; a filter panel of
five selects with tens of options each spent more time on that than on the whole database
work of the page. These widgets give the same markup (GOV.UK classes come from the form
renderer's attrs as before) built with ``format_html``.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe


class QuickSelect(forms.Select):
    """A single-choice <select> rendered without a template per option."""

    def render(
        self,
        name: str,
        value: Any,
        attrs: dict[str, Any] | None = None,
        renderer: Any = None,
    ) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [format_html('<select name="{}"{}>', widget["name"], _attrs(widget["attrs"]))]
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(format_html('<optgroup label="{}">', group_name))
            for option in options:
                parts.append(
                    format_html(
                        '<option value="{}"{}>{}</option>',
                        str(option["value"]),
                        _attrs(option["attrs"]),
                        option["label"],
                    )
                )
            if group_name:
                parts.append(mark_safe("</optgroup>"))
        parts.append(mark_safe("</select>"))
        return mark_safe("".join(parts))


def _attrs(attrs: dict[str, Any]) -> SafeString:
    """Attributes as Django's attrs.html writes them: True alone, False and None left out."""
    return mark_safe(
        "".join(
            format_html(" {}", key) if value is True else format_html(' {}="{}"', key, value)
            for key, value in attrs.items()
            if value is not False and value is not None
        )
    )


class QuickNullBooleanSelect(forms.NullBooleanSelect, QuickSelect):
    """Yes / No / Unknown, drawn like QuickSelect."""
