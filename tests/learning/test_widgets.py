"""The Python-drawn selects give the markup Django's templates give, option for option."""

from __future__ import annotations

import re

from django import forms

from lift.learning.widgets import QuickNullBooleanSelect, QuickSelect

CHOICES = [("", "---------"), ("a", "A & <b>"), ("Group", [("x", "X"), ("y", "Y")])]


def _squash(html: str) -> str:
    return re.sub(r">\s+<", "><", html.strip())


def test_quick_select_matches_django() -> None:
    attrs = {"class": "govuk-select", "aria-describedby": "id_f-hint"}
    for value in ("a", "x", "", None):
        expected = forms.Select(choices=CHOICES).render("f", value, attrs=attrs)
        got = QuickSelect(choices=CHOICES).render("f", value, attrs=attrs)
        assert _squash(got) == _squash(expected)
    assert "&lt;b&gt;" in QuickSelect(choices=CHOICES).render("f", "a")


def test_quick_null_boolean_select_matches_django() -> None:
    for value in (True, False, None):
        expected = forms.NullBooleanSelect().render("o", value)
        assert _squash(QuickNullBooleanSelect().render("o", value)) == _squash(expected)
