"""Reporting periods: a period is its first day plus the indicator's frequency.

Quarters and years are financial (April to March), as partnership datasets report them.
"""

from __future__ import annotations

import datetime as dt
import re

from lift.core.calendar import FinancialYear, add_months, financial_year

from .choices import Frequency

MONTHS = {"monthly": 1, "quarterly": 3, "annual": 12}
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_YEAR = re.compile(r"^(\d{4})/(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})/(\d{2})\s*Q([1-4])$", re.IGNORECASE)


def fits(frequency: str, start: dt.date) -> bool:
    """Does `start` begin a period of this frequency?"""
    if start.day != 1:
        return False
    if frequency == Frequency.MONTHLY:
        return True
    if frequency == Frequency.QUARTERLY:
        return start.month in (1, 4, 7, 10)
    if frequency == Frequency.ANNUAL:
        return start == financial_year(start).first_day
    return False


def end(frequency: str, start: dt.date) -> dt.date:
    """The last day of the period."""
    return add_months(start, MONTHS[frequency]) - dt.timedelta(days=1)


def following(frequency: str, start: dt.date, n: int = 1) -> dt.date:
    return add_months(start, MONTHS[frequency] * n)


def containing(frequency: str, day: dt.date) -> dt.date:
    """The first day of the period of this frequency that contains `day`."""
    if frequency == Frequency.MONTHLY:
        return day.replace(day=1)
    if frequency == Frequency.QUARTERLY:
        return dt.date(day.year, ((day.month - 1) // 3) * 3 + 1, 1)
    return financial_year(day).first_day


def label(frequency: str, start: dt.date) -> str:
    """How people write the period: "Apr 2015", "2015/16 Q1", "2015/16"."""
    if frequency == Frequency.MONTHLY:
        return start.strftime("%b %Y")
    year = financial_year(start).label
    if frequency == Frequency.QUARTERLY:
        return f"{year} Q{FinancialYear.quarter_of(start)}"
    return year


def parse(frequency: str, text: str) -> dt.date:
    """The period's first day from "2015-04-01", "2015-04", "2015/16 Q1" or "2015/16".

    Raises ValueError (with a message for the user) for text that is not a period of this
    frequency."""
    text = text.strip()
    start: dt.date | None = None
    try:
        if m := _QUARTER.match(text):
            start = FinancialYear.parse(f"{m.group(1)}/{m.group(2)}").quarter_start(int(m.group(3)))
            if frequency != Frequency.QUARTERLY:
                raise ValueError(f"{text} is a quarter, but this indicator is {frequency}.")
        elif _YEAR.match(text):
            start = FinancialYear.parse(text).first_day
        elif m := _MONTH.match(text):
            start = dt.date(int(m.group(1)), int(m.group(2)), 1)
        else:
            start = dt.date.fromisoformat(text)
    except ValueError as exc:
        if str(exc).startswith(text) and "indicator" in str(exc):
            raise
        raise ValueError(
            f"{text!r} is not a period: use 2015-04 (month), 2015/16 Q1 (quarter) or "
            "2015/16 (year)."
        ) from None
    if not fits(frequency, start):
        raise ValueError(f"{text} does not start a {frequency} period.")
    return start
