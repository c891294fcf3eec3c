"""A list's cells are written as Django's escaping would write them."""

from __future__ import annotations

from typing import Any

from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from hypothesis import given
from hypothesis import strategies as st

from lift.core.tables import _cell_html


def _as_django_would(cell: dict[str, Any]) -> str:
    numeric = " govuk-table__cell--numeric" if cell["numeric"] else ""
    if cell["url"]:
        inner = format_html(
            '<a class="govuk-link" href="{}">{}</a>', cell["url"], cell["text"] or "(untitled)"
        )
    else:
        inner = conditional_escape(cell["text"])
    return format_html('<td class="govuk-table__cell{}">{}</td>', numeric, inner)


@given(
    text=st.text() | st.just("<b>R&D 'x' \"y\"</b>"),
    url=st.none() | st.text(min_size=1) | st.just('/a?b=1&c="2"'),
    numeric=st.booleans(),
    safe=st.booleans(),
)
def test_cells_escape_as_django_does(text: str, url: str | None, numeric: bool, safe: bool) -> None:
    cell = {"text": mark_safe(text) if safe else text, "url": url, "numeric": numeric}
    assert _cell_html(cell) == str(_as_django_would(cell))


def test_a_cell_never_carries_markup_from_its_text() -> None:
    html = _cell_html({"text": '<script>alert("x")</script>', "url": None, "numeric": False})
    assert "<script>" not in html and "&lt;script&gt;" in html
