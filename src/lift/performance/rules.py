"""The dataset's rules: how a value is judged (RAG, direction of travel, SPC signals), which
values are accepted and which are shown. One test each in tests/performance/test_rules.py.

Each rule class has a docstring that is its message and a `check(...)` that raises
ValidationError; judgement rules are plain functions with docstrings.
"""

from __future__ import annotations

import itertools
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError

from . import periods
from .choices import Direction, Polarity, Rag, Unit

Number = Decimal | float | int

# Values of these units are a share of a denominator: numerator / denominator x scale.
SCALE = {Unit.PERCENT: Decimal(100), Unit.RATE_10K: Decimal(10000)}
# XmR charts estimate sigma from the mean moving range divided by d2 (1.128 for n = 2).
D2 = 1.128
BASELINE_POINTS = 12
MIN_BASELINE_POINTS = 8
RUN_LENGTH = 8


def rag(value: Number | None, target: Number | None, tolerance: Number, polarity: str) -> Rag:
    """RAG against target: green when the target is met; amber when missed by no more than
    the tolerance; red otherwise. An indicator with no target, or whose polarity is
    "neither", is not rated."""
    if value is None or target is None or polarity == Polarity.NEITHER:
        return Rag.NONE
    v, t, tol = Decimal(str(value)), Decimal(str(target)), abs(Decimal(str(tolerance or 0)))
    gap = (t - v) if polarity == Polarity.HIGHER else (v - t)
    if gap <= 0:
        return Rag.GREEN
    if gap <= tol:
        return Rag.AMBER
    return Rag.RED


def direction(current: Number | None, previous: Number | None, polarity: str) -> Direction:
    """Direction of travel from the previous period: better or worse where the polarity
    says which way is good, up or down where it does not."""
    if current is None or previous is None:
        return Direction.UNKNOWN
    c, p = Decimal(str(current)), Decimal(str(previous))
    if c == p:
        return Direction.SAME
    up = c > p
    if polarity == Polarity.HIGHER:
        return Direction.BETTER if up else Direction.WORSE
    if polarity == Polarity.LOWER:
        return Direction.WORSE if up else Direction.BETTER
    return Direction.UP if up else Direction.DOWN


@dataclass(frozen=True)
class Limits:
    mean: float
    sigma: float
    baseline: int  # how many points the limits were computed from

    @property
    def upper(self) -> float:
        return self.mean + 3 * self.sigma

    @property
    def lower(self) -> float:
        return self.mean - 3 * self.sigma


def spc_limits(values: Sequence[Number], baseline: int = BASELINE_POINTS) -> Limits | None:
    """Statistical process control limits (an XmR chart): the mean of the first `baseline`
    points plus and minus three sigma, sigma estimated from their mean moving range / 1.128.
    Fewer than eight baseline points give no limits: too few to tell signal from noise."""
    points = [float(v) for v in values[:baseline]]
    if len(points) < MIN_BASELINE_POINTS:
        return None
    ranges = [abs(b - a) for a, b in itertools.pairwise(points)]
    return Limits(
        mean=statistics.fmean(points),
        sigma=statistics.fmean(ranges) / D2,
        baseline=len(points),
    )


class OutsideLimits:
    """A point outside the control limits: a special-cause signal, not noise."""

    name = "Outside the control limits"

    @staticmethod
    def points(values: Sequence[Number], limits: Limits) -> set[int]:
        return {
            i for i, v in enumerate(values) if float(v) > limits.upper or float(v) < limits.lower
        }


class RunOfEight:
    """Eight or more points in a row on one side of the mean: a shift, not noise."""

    name = "A run of eight on one side of the mean"

    @staticmethod
    def points(values: Sequence[Number], limits: Limits) -> set[int]:
        flagged: set[int] = set()
        run: list[int] = []
        side = 0
        for i, v in enumerate(values):
            s = (float(v) > limits.mean) - (float(v) < limits.mean)
            if s != 0 and s == side:
                run.append(i)
            else:
                run, side = ([i], s) if s != 0 else ([], 0)
            if len(run) >= RUN_LENGTH:
                flagged.update(run)
        return flagged


SPC_RULES = (OutsideLimits, RunOfEight)


def spc_signals(values: Sequence[Number], limits: Limits | None) -> dict[int, list[str]]:
    """Each flagged point (by position) with the names of the rules it breaks."""
    out: dict[int, list[str]] = {}
    if limits is None:
        return out
    for rule in SPC_RULES:
        for i in rule.points(values, limits):
            out.setdefault(i, []).append(rule.name)
    return out


def suppressed(
    threshold: int | None,
    *,
    value: Number | None,
    numerator: Number | None,
    denominator: Number | None,
    unit: str,
) -> bool:
    """Small numbers are suppressed where the indicator sets a threshold: a numerator,
    denominator (or, for a count, the value) from 1 to threshold - 1 is not shown, so no
    child can be recognised from it. Zero is shown."""
    if not threshold:
        return False
    counts = [numerator, denominator]
    if unit == Unit.COUNT:
        counts.append(value)
    return any(c is not None and 0 < Decimal(str(c)) < threshold for c in counts)


class PeriodFitsFrequency:
    """The period must start a period of the indicator's frequency (a month; a quarter
    starting in January, April, July or October; a year starting in April)."""

    @classmethod
    def check(cls, frequency: str, start: object) -> None:
        import datetime as dt

        if not isinstance(start, dt.date) or not periods.fits(frequency, start):
            raise ValidationError(
                {
                    "period_start": "The period must start a month, a quarter (January, April, "
                    f"July or October) or a year (April). This indicator is {frequency}."
                }
            )


class ValueInValidRange:
    """The value is outside the indicator's valid range (a percentage is 0 to 100; counts,
    rates and days are not negative)."""

    @classmethod
    def check(
        cls, value: Decimal, unit: str, valid_min: Decimal | None, valid_max: Decimal | None
    ) -> None:
        low = Decimal(0) if valid_min is None else valid_min
        high = valid_max
        if unit == Unit.PERCENT:
            high = Decimal(100) if high is None else min(high, Decimal(100))
            low = max(low, Decimal(0))
        if value < low or (high is not None and value > high):
            bounds = f"{low} to {high}" if high is not None else f"at least {low}"
            raise ValidationError(
                {"value": f"The value {value} is outside the valid range ({bounds})."}
            )


class ValueMatchesUnit:
    """The value is not in the indicator's unit: a count is a whole number, and a percentage
    or rate given with its numerator and denominator must equal numerator / denominator x 100
    (or x 10,000)."""

    @classmethod
    def check(
        cls, value: Decimal, unit: str, numerator: Decimal | None, denominator: Decimal | None
    ) -> None:
        if unit == Unit.COUNT and value != value.to_integral_value():
            raise ValidationError({"value": "A count is a whole number."})
        scale = SCALE.get(Unit(unit))
        if scale is None or numerator is None or denominator is None:
            return
        if denominator <= 0:
            raise ValidationError({"denominator": "The denominator must be more than zero."})
        if numerator > denominator and unit == Unit.PERCENT:
            raise ValidationError({"numerator": "The numerator cannot exceed the denominator."})
        expected = numerator / denominator * scale
        if abs(expected - value) > max(Decimal("0.1"), abs(expected) * Decimal("0.001")):
            raise ValidationError(
                {
                    "value": f"The value {value} does not match the numerator and denominator "
                    f"({expected.quantize(Decimal('0.1'))} {Unit(unit).label.lower()}): "
                    "check the unit."
                }
            )
