"""What the accessibility statement says about LIFT, kept in code so the tests keep it true.

The statement (`/accessibility/`, lift.core.views.footer) follows the GOV.UK sample
accessibility statement for the Public Sector Bodies (Websites and Mobile Applications)
(No. 2) Accessibility Regulations 2018. Its compliance status and its list of known problems
come from here. Each known problem names how it is kept true: `still_there` answers whether
the cause is still in the code (tests/core/test_footer_pages.py fails when it is gone, so the
problem is taken off the statement when it is fixed), and `issue` is the open issue that
fixes it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.contrib.staticfiles import finders
from django.template import loader

WCAG_VERSION = "2.2"
WCAG_LEVEL = "AA"
# "fully compliant", "partially compliant" or "not compliant" (the regulations' wording).
COMPLIANCE = "partially compliant"
# The statement was prepared on this date and last reviewed on LAST_REVIEWED.
PREPARED = dt.date(2026, 12, 7)
LAST_REVIEWED = dt.date(2026, 12, 7)
# How LIFT was tested: true of the browser suite (tests/browser/conftest.py, assert_accessible).
HOW_TESTED = (
    "LIFT is tested automatically with axe-core in a real browser (Chromium) on every page its "
    "browser tests visit, signed in as each kind of user and signed out; any axe violation, "
    "of any impact, fails the tests. The LIFT development team carries out these tests."
)


@dataclass(frozen=True)
class KnownProblem:
    """A part of LIFT that is not fully accessible."""

    summary: str  # what a person meets, in plain words
    criteria: tuple[str, ...]  # WCAG success criteria it fails ("1.4.10 Reflow"); may be ()
    fix: str  # what is planned
    issue: int  # the open issue that fixes it
    still_there: Callable[[], bool]  # True while the cause is still in the code


def _tables_scroll_sideways() -> bool:
    template: Any = loader.get_template("core/object_list.html")  # Django backend Template
    source = template.template.source
    css_path = finders.find("lift/lift.css")
    css = Path(str(css_path)).read_text(encoding="utf-8") if css_path else ""
    return "lift-table-wrapper" in source and "overflow-x:auto" in css.replace(" ", "")


KNOWN_PROBLEMS: tuple[KnownProblem, ...] = (
    KnownProblem(
        summary=(
            "Some lists have more columns than fit on the screen: you have to scroll "
            "sideways to read them, and on a narrow screen (320 pixels wide) they do not "
            "rearrange to fit."
        ),
        criteria=("1.4.10 Reflow",),
        fix="We plan to choose the columns each list shows by the width of the screen.",
        issue=22,
        still_there=_tables_scroll_sideways,
    ),
)


def non_compliant() -> list[KnownProblem]:
    """The known problems that fail a WCAG success criterion."""
    return [p for p in KNOWN_PROBLEMS if p.criteria]


def other_problems() -> list[KnownProblem]:
    return [p for p in KNOWN_PROBLEMS if not p.criteria]
