"""Working days in England and Wales, and the date arithmetic every deadline uses.

A working day is a day that is not a Saturday, a Sunday or a bank holiday in England
(substitute days and one-off holidays such as 8 May 2020 included). Bank holidays come
from the maintained `holidays` package, England subdivision, cached per year.

Counting follows the statutory convention: the day of the trigger is day 0, so
"within 5 working days" of a Friday trigger ends at the close of the 5th working day
after it. Nothing else in LIFT does date arithmetic for deadlines: call `due_date`.

Financial years (April to March, written 2015/16) are `FinancialYear`: every year label in
LIFT, from the business plan to a Section 11 cycle's "2015-17", is made and read here.
"""

from __future__ import annotations

import calendar as _stdlib_calendar
import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

import holidays
from django.core.exceptions import ValidationError

if TYPE_CHECKING:
    from .reference import DeadlineRule

# The earliest year LIFT's deadlines are tested against (the 2015 regime).
FIRST_YEAR = 2015
# The years a date typed in may fall in: a meeting in 9999 is a typing slip, and dates at
# the edge of what Python can hold break anything that adds a day or an hour to them.
EARLIEST_YEAR = 1900
LATEST_YEAR = 2100

WORKING_DAYS = "working_days"
CALENDAR_DAYS = "calendar_days"
WEEKS = "weeks"
MONTHS = "months"
UNITS = (WORKING_DAYS, CALENDAR_DAYS, WEEKS, MONTHS)


@lru_cache(maxsize=256)
def _bank_holidays(year: int) -> dict[dt.date, str]:
    found = holidays.country_holidays("GB", subdiv="ENG", years=year)
    return {day: str(name) for day, name in sorted(found.items())}


def check_years(**dates: dt.date | None) -> None:
    """ValidationError, by field, for each date outside EARLIEST_YEAR to LATEST_YEAR (a model's
    clean(): forms, the API and the services all refuse it)."""
    errors = {
        name: f"Enter a date between {EARLIEST_YEAR} and {LATEST_YEAR}"
        for name, value in dates.items()
        if value is not None and not EARLIEST_YEAR <= value.year <= LATEST_YEAR
    }
    if errors:
        raise ValidationError(errors)


def end_after(start: dt.datetime, length: dt.timedelta) -> dt.datetime:
    """`start` + `length`, clamped to the last moment Python can hold (a calendar feed must
    answer even for a date stored before the years were checked)."""
    try:
        return start + length
    except OverflowError:
        return dt.datetime.max.replace(tzinfo=start.tzinfo)


def next_day(d: dt.date) -> dt.date | None:
    """The day after `d`, or None after the last day Python can hold."""
    return None if d >= dt.date.max else d + dt.timedelta(days=1)


def bank_holidays(year: int) -> dict[dt.date, str]:
    """England and Wales bank holidays in `year`, date -> name, in date order."""
    return dict(_bank_holidays(year))


def is_bank_holiday(d: dt.date) -> bool:
    return d in _bank_holidays(d.year)


def is_working_day(d: dt.date) -> bool:
    """Not a Saturday, a Sunday or an England and Wales bank holiday."""
    return d.weekday() < 5 and not is_bank_holiday(d)


def next_working_day(d: dt.date) -> dt.date:
    """`d` itself if it is a working day, otherwise the first working day after it."""
    while not is_working_day(d):
        d += dt.timedelta(days=1)
    return d


def add_working_days(start: dt.date, n: int) -> dt.date:
    """The n-th working day after `start` (day 0), or before it when n is negative.

    `start` need not be a working day: a trigger on a Saturday counts from the Monday.
    With n == 0 the result is `start` itself.
    """
    step = dt.timedelta(days=1 if n >= 0 else -1)
    remaining = abs(n)
    d = start
    while remaining:
        d += step
        if is_working_day(d):
            remaining -= 1
    return d


def working_days_between(a: dt.date, b: dt.date) -> int:
    """Working days after `a` up to and including `b`; when `b` is before `a`, minus the
    working days from `b` up to but not including `a`.

    `working_days_between(start, add_working_days(start, n)) == n` for every n.
    """
    if b < a:
        one_day = dt.timedelta(days=1)
        return -working_days_between(b - one_day, a - one_day)
    count = 0
    d = a
    one = dt.timedelta(days=1)
    # Whole weeks first: each holds five weekdays, less the bank holidays on weekdays.
    weeks = (b - a).days // 7
    if weeks:
        end = a + dt.timedelta(weeks=weeks)
        holidays_in = sum(
            1
            for year in range(a.year, end.year + 1)
            for h in _bank_holidays(year)
            if a < h <= end and h.weekday() < 5
        )
        count = weeks * 5 - holidays_in
        d = end
    while d < b:
        d += one
        if is_working_day(d):
            count += 1
    return count


def add_calendar_days(start: dt.date, n: int) -> dt.date:
    return start + dt.timedelta(days=n)


def add_months(start: dt.date, n: int) -> dt.date:
    """The same day n months later (or earlier), clamped to the end of a shorter month.

    31 January + 1 month is 28 (or 29) February.
    """
    month_index = start.year * 12 + (start.month - 1) + n
    year, month = divmod(month_index, 12)
    month += 1
    last = _stdlib_calendar.monthrange(year, month)[1]
    return dt.date(year, month, min(start.day, last))


def add(start: dt.date, amount: int, unit: str) -> dt.date:
    """`start` moved by `amount` of `unit` (one of UNITS); negative amounts go back."""
    if unit == WORKING_DAYS:
        return add_working_days(start, amount)
    if unit == CALENDAR_DAYS:
        return add_calendar_days(start, amount)
    if unit == WEEKS:
        return add_calendar_days(start, 7 * amount)
    if unit == MONTHS:
        return add_months(start, amount)
    raise ValueError(f"Unknown unit {unit!r}: expected one of {', '.join(UNITS)}.")


def due_date(rule: DeadlineRule, start: dt.date) -> dt.date:
    """The due date of `rule` for a start event on `start`.

    For a "within" or "minimum" rule it is `amount` `unit`s after the start event; for a
    "notice" rule (e.g. tell the Panel at least 7 working days before publication) the
    start event is the later event and the due date is that far before it. Calendar-day,
    week and month deadlines are not moved off weekends: the statutory texts count them
    as plain calendar periods.
    """
    amount = -rule.amount if rule.kind == "notice" else rule.amount
    return add(start, amount, rule.unit)


def notice_earliest(rule: DeadlineRule, given_on: dt.date) -> dt.date:
    """The earliest date of the event that a notice given on `given_on` is in time for,
    counted as the notice's clock counts (`due_date`, back from the event): the first day
    whose notice is due on or after `given_on`. For 7 working days given on Thursday 3
    December 2026 that is Saturday 12 December (due Thursday 3), not Monday 14 (7 working
    days counted forward), so a clock met on its due date never meets a refusal."""
    if rule.kind != "notice":
        raise ValueError(f"{rule.key} is not a notice rule.")
    day = given_on
    while due_date(rule, day) < given_on:
        day += dt.timedelta(days=1)
    return day


# --- financial years ---------------------------------------------------------------------

# A financial year starts on 1 April: 2015/16 runs from 1 April 2015 to 31 March 2016.
FINANCIAL_YEAR_START_MONTH = 4
_FY_LABEL = re.compile(r"^(\d{4})/(\d{2})$")


@dataclass(frozen=True, order=True)
class FinancialYear:
    """A financial year, April to March, as partnerships plan and report: the business plan,
    the annual report, the training and audit programmes, annual and quarterly data.

    `FinancialYear.containing(day)` is the year a day falls in; `FinancialYear.parse("2015/16")`
    reads a label back; `fy + 1` is the year after. Its `label` is how people write it.
    """

    start_year: int

    @classmethod
    def containing(cls, day: dt.date) -> FinancialYear:
        return cls(day.year if day.month >= FINANCIAL_YEAR_START_MONTH else day.year - 1)

    @classmethod
    def parse(cls, label: str) -> FinancialYear:
        """The year a label such as "2015/16" names; ValueError for anything else (the second
        part must be the last two digits of the year after the first)."""
        match = _FY_LABEL.match((label or "").strip())
        if match is None or (int(match.group(1)) + 1) % 100 != int(match.group(2)):
            raise ValueError(f"{label!r} is not a financial year: write it as 2015/16.")
        return cls(int(match.group(1)))

    @classmethod
    def is_label(cls, label: str) -> bool:
        try:
            cls.parse(label)
        except ValueError:
            return False
        return True

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.start_year, FINANCIAL_YEAR_START_MONTH, 1)

    @property
    def last_day(self) -> dt.date:
        return dt.date(self.start_year + 1, FINANCIAL_YEAR_START_MONTH, 1) - dt.timedelta(days=1)

    @property
    def label(self) -> str:
        """2015/16."""
        return f"{self.start_year}/{(self.start_year + 1) % 100:02d}"

    def quarter_start(self, quarter: int) -> dt.date:
        """The first day of quarter 1 to 4 (Q1 is April to June)."""
        if not 1 <= quarter <= 4:
            raise ValueError(f"A financial year has quarters 1 to 4, not {quarter}.")
        return add_months(self.first_day, 3 * (quarter - 1))

    @staticmethod
    def quarter_of(day: dt.date) -> int:
        """The financial quarter (1 to 4) a day falls in."""
        return (day.month - FINANCIAL_YEAR_START_MONTH) % 12 // 3 + 1

    def __contains__(self, day: object) -> bool:
        return isinstance(day, dt.date) and self.first_day <= day <= self.last_day

    def __add__(self, years: int) -> FinancialYear:
        return FinancialYear(self.start_year + years)

    def __sub__(self, years: int) -> FinancialYear:
        return FinancialYear(self.start_year - years)

    def __str__(self) -> str:
        return self.label


def financial_year(day: dt.date) -> FinancialYear:
    """The financial year `day` falls in."""
    return FinancialYear.containing(day)


def financial_years_label(first: FinancialYear, years: int) -> str:
    """A run of `years` financial years from `first`, as people write a Section 11 cycle:
    two years from 2015/16 (1 April 2015 to 31 March 2017) is "2015-17"; one year is
    first's own label."""
    if years < 1:
        raise ValueError("A run of financial years is at least one year long.")
    if years == 1:
        return first.label
    return f"{first.start_year}-{(first.start_year + years) % 100:02d}"
