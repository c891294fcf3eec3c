"""England and Wales working days and the date arithmetic deadlines use."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lift.core import calendar as cal
from lift.core.reference import DeadlineRule, StartEvent

pytestmark = pytest.mark.django_db  # the shared conftest resets django-axes before every test

D = dt.date
dates = st.dates(min_value=D(2015, 1, 1), max_value=D(2030, 12, 31))
counts = st.integers(min_value=0, max_value=400)


@pytest.mark.parametrize(
    ("day", "name"),
    [
        (D(2020, 5, 8), "VE Day 75 (early May bank holiday moved)"),
        (D(2022, 6, 3), "Platinum Jubilee"),
        (D(2022, 9, 19), "State funeral of Queen Elizabeth II"),
        (D(2023, 5, 8), "Coronation of King Charles III"),
    ],
)
def test_one_off_holidays_are_not_working_days(day: dt.date, name: str) -> None:
    assert day.weekday() < 5, name
    assert not cal.is_working_day(day), name


def test_moved_may_day_2020_is_a_working_day() -> None:
    # The early May bank holiday moved from Monday 4 May to Friday 8 May in 2020.
    assert cal.is_working_day(D(2020, 5, 4))


@pytest.mark.parametrize(
    "day",
    [
        D(2015, 12, 28),  # Boxing Day substitute (26 Dec was a Saturday)
        D(2021, 12, 27),  # Christmas substitute
        D(2021, 12, 28),  # Boxing Day substitute
        D(2022, 1, 3),  # New Year substitute
        D(2024, 3, 29),  # Good Friday
        D(2024, 4, 1),  # Easter Monday
        D(2025, 8, 25),  # Summer bank holiday
    ],
)
def test_bank_and_substitute_holidays(day: dt.date) -> None:
    assert not cal.is_working_day(day)


def test_weekends_are_not_working_days_and_ordinary_weekdays_are() -> None:
    assert not cal.is_working_day(D(2025, 3, 8))  # Saturday
    assert not cal.is_working_day(D(2025, 3, 9))  # Sunday
    assert cal.is_working_day(D(2025, 3, 10))


def test_scottish_holidays_do_not_count() -> None:
    # 2 January and St Andrew's Day are Scottish bank holidays, not English ones.
    assert cal.is_working_day(D(2024, 1, 2))
    assert cal.is_working_day(D(2023, 11, 30))


def test_bank_holidays_lists_the_year_in_order() -> None:
    days = list(cal.bank_holidays(2023))
    assert days == sorted(days)
    assert D(2023, 5, 8) in days
    # New Year's Day fell on a Sunday, so 2 January was a substitute day.
    assert D(2023, 1, 2) in days
    assert len(days) == 10


def test_five_working_days_over_christmas() -> None:
    # Fri 20 Dec 2024 is day 0; 25, 26 Dec and 1 Jan are holidays.
    assert cal.add_working_days(D(2024, 12, 20), 5) == D(2024, 12, 31)
    assert cal.add_working_days(D(2024, 12, 20), 6) == D(2025, 1, 2)


def test_five_working_days_over_easter() -> None:
    # Wed 16 Apr 2025 is day 0; Good Friday 18 and Easter Monday 21 Apr are holidays:
    # 17, 22, 23, 24, 25 April.
    assert cal.add_working_days(D(2025, 4, 16), 5) == D(2025, 4, 25)


def test_trigger_on_a_weekend_counts_from_the_next_working_day() -> None:
    assert cal.add_working_days(D(2025, 3, 8), 1) == D(2025, 3, 10)
    assert cal.add_working_days(D(2025, 3, 8), 5) == D(2025, 3, 14)


def test_zero_and_negative_working_days() -> None:
    assert cal.add_working_days(D(2025, 3, 8), 0) == D(2025, 3, 8)
    # 7 working days before Friday 2 May 2025: back over the weekend.
    assert cal.add_working_days(D(2025, 5, 2), -7) == D(2025, 4, 23)


def test_working_days_between() -> None:
    assert cal.working_days_between(D(2024, 12, 20), D(2024, 12, 31)) == 5
    assert cal.working_days_between(D(2024, 12, 31), D(2024, 12, 20)) == -5
    assert cal.working_days_between(D(2025, 1, 6), D(2025, 1, 6)) == 0
    # A whole year: 2024 had 262 weekdays (leap year) and 8 weekday bank holidays.
    assert cal.working_days_between(D(2023, 12, 31), D(2024, 12, 31)) == 254


def test_next_working_day() -> None:
    assert cal.next_working_day(D(2024, 12, 25)) == D(2024, 12, 27)
    assert cal.next_working_day(D(2024, 12, 27)) == D(2024, 12, 27)


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (D(2025, 1, 31), 1, D(2025, 2, 28)),
        (D(2024, 1, 31), 1, D(2024, 2, 29)),
        (D(2024, 8, 31), 6, D(2025, 2, 28)),
        (D(2024, 11, 15), 3, D(2025, 2, 15)),
        (D(2025, 3, 31), -1, D(2025, 2, 28)),
        (D(2025, 5, 10), 12, D(2026, 5, 10)),
    ],
)
def test_add_months_clamps_to_the_end_of_the_month(
    start: dt.date, n: int, expected: dt.date
) -> None:
    assert cal.add_months(start, n) == expected


def test_add_calendar_days() -> None:
    assert cal.add_calendar_days(D(2024, 12, 20), 14) == D(2025, 1, 3)


def _rule(amount: int, unit: str, kind: str = "within") -> DeadlineRule:
    return DeadlineRule(
        key="k",
        urn="urn:lift:test:deadline:k",
        label="Test",
        amount=amount,
        unit=unit,
        start_event=StartEvent("start", "Start"),
        kind=kind,
    )


@pytest.mark.parametrize(
    ("rule", "start", "expected"),
    [
        (_rule(5, "working_days"), D(2024, 12, 20), D(2024, 12, 31)),
        (_rule(14, "calendar_days"), D(2024, 12, 20), D(2025, 1, 3)),
        (_rule(1, "weeks"), D(2025, 4, 16), D(2025, 4, 23)),
        (_rule(6, "months"), D(2024, 8, 31), D(2025, 2, 28)),
        (_rule(7, "working_days", "notice"), D(2025, 5, 2), D(2025, 4, 23)),
        (_rule(1, "weeks", "notice"), D(2025, 5, 2), D(2025, 4, 25)),
        (_rule(12, "months", "minimum"), D(2025, 5, 2), D(2026, 5, 2)),
    ],
)
def test_due_date_dispatches_on_unit_and_kind(
    rule: DeadlineRule, start: dt.date, expected: dt.date
) -> None:
    assert cal.due_date(rule, start) == expected


def test_unknown_unit_is_refused() -> None:
    with pytest.raises(ValueError, match="fortnights"):
        cal.add(D(2025, 1, 1), 1, "fortnights")


@given(dates, st.integers(min_value=1, max_value=400))
def test_result_is_a_working_day(start: dt.date, n: int) -> None:
    assert cal.is_working_day(cal.add_working_days(start, n))
    assert cal.is_working_day(cal.add_working_days(start, -n))


@given(dates, counts, counts)
def test_add_working_days_is_monotonic(start: dt.date, a: int, b: int) -> None:
    lo, hi = sorted((a, b))
    assert cal.add_working_days(start, lo) <= cal.add_working_days(start, hi)
    if lo < hi:
        assert cal.add_working_days(start, lo) < cal.add_working_days(start, hi)


@given(dates, st.integers(min_value=-400, max_value=400))
def test_add_then_count_round_trips(start: dt.date, n: int) -> None:
    assert cal.working_days_between(start, cal.add_working_days(start, n)) == n


@given(dates, dates)
def test_count_matches_a_day_by_day_count(a: dt.date, b: dt.date) -> None:
    lo, hi = sorted((a, b))
    slow = sum(
        1 for i in range(1, (hi - lo).days + 1) if cal.is_working_day(lo + dt.timedelta(days=i))
    )
    assert cal.working_days_between(lo, hi) == slow


@given(dates, st.integers(min_value=-36, max_value=36))
def test_add_months_lands_in_the_right_month(start: dt.date, n: int) -> None:
    result = cal.add_months(start, n)
    assert (result.year * 12 + result.month) - (start.year * 12 + start.month) == n
    assert result.day <= start.day


# --- financial years ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "label"),
    [
        (D(2015, 4, 1), "2015/16"),
        (D(2016, 3, 31), "2015/16"),
        (D(2016, 4, 1), "2016/17"),
        (D(2026, 12, 7), "2026/27"),
        (D(2027, 1, 1), "2026/27"),
        (D(1999, 4, 1), "1999/00"),
        (D(2000, 3, 31), "1999/00"),
    ],
)
def test_the_financial_year_a_day_falls_in(day: dt.date, label: str) -> None:
    fy = cal.financial_year(day)
    assert fy.label == str(fy) == label
    assert day in fy
    assert fy.first_day <= day <= fy.last_day


def test_a_financial_year_runs_april_to_march() -> None:
    fy = cal.FinancialYear(2015)
    assert (fy.first_day, fy.last_day) == (D(2015, 4, 1), D(2016, 3, 31))
    assert D(2015, 3, 31) not in fy
    assert D(2016, 4, 1) not in fy
    assert (fy - 1).label == "2014/15"
    assert (fy + 1).label == "2016/17"
    assert fy + 1 > fy


@given(dates)
def test_every_day_is_in_exactly_one_financial_year(day: dt.date) -> None:
    fy = cal.financial_year(day)
    assert day in fy
    assert day not in fy + 1
    assert day not in fy - 1
    assert cal.FinancialYear.parse(fy.label) == fy
    assert (fy + 1).first_day == fy.last_day + dt.timedelta(days=1)
    assert fy.quarter_start(cal.FinancialYear.quarter_of(day)) <= day


@pytest.mark.parametrize("label", ["2015/16", " 2015/16 ", "1999/00"])
def test_a_label_reads_back(label: str) -> None:
    assert cal.FinancialYear.is_label(label)
    assert cal.FinancialYear.parse(label).label == label.strip()


@pytest.mark.parametrize("label", ["", "2015", "2015/17", "2015-16", "15/16", "2015/2016", "x"])
def test_a_label_that_is_not_a_financial_year_is_refused(label: str) -> None:
    assert not cal.FinancialYear.is_label(label)
    with pytest.raises(ValueError, match="2015/16"):
        cal.FinancialYear.parse(label)


def test_financial_quarters() -> None:
    fy = cal.FinancialYear(2015)
    assert [fy.quarter_start(q) for q in (1, 2, 3, 4)] == [
        D(2015, 4, 1),
        D(2015, 7, 1),
        D(2015, 10, 1),
        D(2016, 1, 1),
    ]
    assert [cal.FinancialYear.quarter_of(D(2015, m, 1)) for m in (4, 6, 7, 12)] == [1, 1, 2, 3]
    assert cal.FinancialYear.quarter_of(D(2016, 3, 31)) == 4
    with pytest.raises(ValueError):
        fy.quarter_start(5)


def test_a_run_of_financial_years_is_written_as_a_section_11_cycle_is() -> None:
    assert cal.financial_years_label(cal.FinancialYear(2015), 2) == "2015-17"
    assert cal.financial_years_label(cal.FinancialYear(2098), 2) == "2098-00"
    assert cal.financial_years_label(cal.FinancialYear(2015), 1) == "2015/16"
    with pytest.raises(ValueError):
        cal.financial_years_label(cal.FinancialYear(2015), 0)
