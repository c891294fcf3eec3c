"""One test (or more) per rule in lift.performance.rules."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from lift.performance import periods, rules
from lift.performance.choices import Direction, Rag


@pytest.mark.parametrize(
    ("value", "polarity", "expected"),
    [
        (92, "higher", Rag.GREEN),
        (90, "higher", Rag.GREEN),
        (86, "higher", Rag.AMBER),
        (84, "higher", Rag.RED),
        (88, "lower", Rag.GREEN),
        (94, "lower", Rag.AMBER),
        (96, "lower", Rag.RED),
        (10, "neither", Rag.NONE),
    ],
)
def test_rag_uses_target_tolerance_and_polarity(value: int, polarity: str, expected: Rag) -> None:
    assert rules.rag(value, 90, 5, polarity) == expected


def test_rag_without_target_or_value_is_not_rated() -> None:
    assert rules.rag(50, None, 5, "higher") == Rag.NONE
    assert rules.rag(None, 90, 5, "higher") == Rag.NONE


@pytest.mark.parametrize(
    ("current", "previous", "polarity", "expected"),
    [
        (10, 8, "higher", Direction.BETTER),
        (8, 10, "higher", Direction.WORSE),
        (10, 8, "lower", Direction.WORSE),
        (8, 10, "lower", Direction.BETTER),
        (10, 8, "neither", Direction.UP),
        (8, 10, "neither", Direction.DOWN),
        (8, 8, "higher", Direction.SAME),
        (8, None, "higher", Direction.UNKNOWN),
    ],
)
def test_direction_of_travel(
    current: int, previous: int | None, polarity: str, expected: Direction
) -> None:
    assert rules.direction(current, previous, polarity) == expected


def test_spc_limits_need_eight_baseline_points() -> None:
    assert rules.spc_limits([1, 2, 3, 4, 5, 6, 7]) is None
    limits = rules.spc_limits([10, 12, 10, 12, 10, 12, 10, 12])
    assert limits is not None
    assert limits.mean == pytest.approx(11)
    assert limits.sigma == pytest.approx(2 / 1.128)
    assert limits.upper == pytest.approx(11 + 3 * 2 / 1.128)


def test_spc_point_outside_limits_is_a_signal() -> None:
    values = [10, 12, 10, 12, 10, 12, 10, 12, 30]
    limits = rules.spc_limits(values)
    assert limits is not None
    assert rules.OutsideLimits.points(values, limits) == {8}
    assert rules.spc_signals(values, limits)[8] == [rules.OutsideLimits.name]


def test_spc_run_of_eight_on_one_side_is_a_signal() -> None:
    baseline = [12, 10, 12, 10, 12, 10, 12, 10]  # ends below the mean
    values = baseline + [11.5] * 7
    limits = rules.spc_limits(values)
    assert limits is not None
    assert rules.RunOfEight.points(values, limits) == set()  # seven is noise
    values.append(11.6)
    assert rules.RunOfEight.points(values, limits) == set(range(8, 16))


def test_small_numbers_are_suppressed_only_where_the_indicator_says() -> None:
    kw = {"value": Decimal(50), "numerator": Decimal(3), "denominator": Decimal(6)}
    assert rules.suppressed(5, unit="percent", **kw)
    assert not rules.suppressed(None, unit="percent", **kw)
    assert not rules.suppressed(5, value=Decimal(0), numerator=0, denominator=None, unit="count")
    assert rules.suppressed(5, value=Decimal(4), numerator=None, denominator=None, unit="count")


def test_period_must_fit_the_frequency() -> None:
    rules.PeriodFitsFrequency.check("quarterly", dt.date(2015, 7, 1))
    with pytest.raises(ValidationError):
        rules.PeriodFitsFrequency.check("quarterly", dt.date(2015, 5, 1))
    with pytest.raises(ValidationError):
        rules.PeriodFitsFrequency.check("annual", dt.date(2015, 1, 1))
    with pytest.raises(ValidationError):
        rules.PeriodFitsFrequency.check("monthly", dt.date(2015, 1, 2))


def test_value_in_valid_range() -> None:
    rules.ValueInValidRange.check(Decimal(100), "percent", None, None)
    with pytest.raises(ValidationError, match="outside the valid range"):
        rules.ValueInValidRange.check(Decimal("100.5"), "percent", None, None)
    with pytest.raises(ValidationError):
        rules.ValueInValidRange.check(Decimal(-1), "count", None, None)
    with pytest.raises(ValidationError):
        rules.ValueInValidRange.check(Decimal(40), "days", None, Decimal(30))


def test_value_matches_unit() -> None:
    rules.ValueMatchesUnit.check(Decimal(85), "percent", Decimal(85), Decimal(100))
    with pytest.raises(ValidationError, match="check the unit"):
        rules.ValueMatchesUnit.check(Decimal("0.85"), "percent", Decimal(85), Decimal(100))
    with pytest.raises(ValidationError, match="whole number"):
        rules.ValueMatchesUnit.check(Decimal("3.5"), "count", None, None)
    rules.ValueMatchesUnit.check(Decimal(25), "rate_10k", Decimal(5), Decimal(2000))


def test_periods_parse_and_label() -> None:
    assert periods.parse("quarterly", "2015/16 Q2") == dt.date(2015, 7, 1)
    assert periods.parse("annual", "2015/16") == dt.date(2015, 4, 1)
    assert periods.parse("monthly", "2015-04") == dt.date(2015, 4, 1)
    assert periods.label("quarterly", dt.date(2016, 1, 1)) == "2015/16 Q4"
    assert periods.label("annual", dt.date(2015, 4, 1)) == "2015/16"
    with pytest.raises(ValueError, match="quarter"):
        periods.parse("monthly", "2015/16 Q1")
    with pytest.raises(ValueError):
        periods.parse("quarterly", "2015-05")
    with pytest.raises(ValueError, match="not a period"):
        periods.parse("monthly", "last month")
