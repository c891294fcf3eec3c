"""The CDOP's section of the annual report: the panel's annual report for the year, nested
in it. Registered with `lift.reports.registry` from the app's `ready()`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from lift.core.documents import Block, Para
from lift.core.wording import long_date
from lift.reports.registry import nested, register_annual_section

from .models import Analysis, ChildDeath
from .stats import annual_report as panel_report


def cdop_section(partnership: Any, start: dt.date, end: dt.date) -> list[Block] | None:
    """The CDOP's year counted over the report's financial year; its trends are by calendar
    year of death, the three years to the one the financial year starts in (2015/16 ->
    2013 to 2015, the last full calendar years)."""
    if not (
        ChildDeath.objects.filter(
            partnership=partnership, notified_on__gte=start, notified_on__lte=end
        ).exists()
        or Analysis.objects.filter(
            partnership=partnership, completed_on__gte=start, completed_on__lte=end
        ).exists()
    ):
        return None
    year = start.year
    return [
        Para(
            f"The year's figures are for {long_date(start)} to {long_date(end)}; the trends "
            f"are by calendar year of death, {year - 2} to {year}. Small numbers are suppressed."
        ),
        *nested(panel_report(partnership, year, period=(start, end)).sections),
    ]


def register() -> None:
    register_annual_section(
        "cdop", "Child death reviews: the CDOP's annual report", 40, cdop_section
    )
