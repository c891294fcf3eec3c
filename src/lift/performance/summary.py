"""The stored summary of an indicator: its latest figure, rating, direction of travel,
comparators and recent trend, computed once when a value (or the indicator) changes rather
than on every page view. The bench generator uses the same function on its own rows."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any, Protocol

from . import rules
from .choices import Direction, Rag

SPARK_POINTS = 12
# Enough of the newest values for the sparkline even if some are suppressed.
RECENT_VALUES = 24


class ValueLike(Protocol):
    period_start: Any
    value: Decimal
    numerator: Decimal | None
    denominator: Decimal | None
    national: Decimal | None
    regional: Decimal | None
    neighbours: Decimal | None


def _suppressed(indicator: Any, v: ValueLike) -> bool:
    return rules.suppressed(
        indicator.suppress_below,
        value=v.value,
        numerator=v.numerator,
        denominator=v.denominator,
        unit=indicator.unit,
    )


def summarise(indicator: Any, newest_first: Sequence[ValueLike]) -> dict[str, Any]:
    """The summary fields of `indicator` from its newest values (newest first; at least
    the newest RECENT_VALUES, or all of them)."""
    if not newest_first:
        return {
            "latest_period_start": None,
            "latest_value": None,
            "latest_suppressed": False,
            "latest_rag": Rag.NONE.value,
            "latest_direction": Direction.UNKNOWN.value,
            "latest_national": None,
            "latest_regional": None,
            "latest_neighbours": None,
            "spark": [],
        }
    latest = newest_first[0]
    previous = newest_first[1] if len(newest_first) > 1 else None
    hidden = _suppressed(indicator, latest)
    previous_hidden = previous is not None and _suppressed(indicator, previous)
    rag = rules.rag(
        None if hidden else latest.value, indicator.target, indicator.tolerance, indicator.polarity
    )
    if hidden or previous_hidden or previous is None:
        direction = Direction.UNKNOWN
    else:
        direction = rules.direction(latest.value, previous.value, indicator.polarity)
    spark = [
        float(v.value)
        for v in reversed(newest_first[:SPARK_POINTS])
        if not _suppressed(indicator, v)
    ]
    return {
        "latest_period_start": latest.period_start,
        "latest_value": latest.value,
        "latest_suppressed": hidden,
        "latest_rag": Rag(rag).value,
        "latest_direction": Direction(direction).value,
        "latest_national": latest.national,
        "latest_regional": latest.regional,
        "latest_neighbours": latest.neighbours,
        "spark": spark,
    }
