"""Reads of the dataset, in a bounded number of queries whatever its size."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import F, OuterRef, QuerySet, Subquery, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from lift.core.models import Partnership

from . import periods, rules
from .choices import Direction, Rag
from .models import Indicator, IndicatorValue

SPARK_POINTS = 12
LATEST_FIELDS = (
    "value",
    "period_start",
    "numerator",
    "denominator",
    "national",
    "regional",
    "neighbours",
)


def indicators_visible(user: Any, partnership: Partnership | int) -> QuerySet[Indicator]:
    return Indicator.objects.restrict(user, "view").filter(partnership=partnership)


def with_latest(qs: QuerySet[Indicator]) -> QuerySet[Indicator]:
    """Annotate each indicator with its latest and previous values (two subqueries per
    field, one SQL statement)."""
    newest = IndicatorValue.objects.filter(indicator=OuterRef("pk")).order_by("-period_start")
    annotations: dict[str, Any] = {
        f"latest_{name}": Subquery(newest.values(name)[:1]) for name in LATEST_FIELDS
    }
    annotations["previous_value"] = Subquery(newest.values("value")[1:2])
    annotations["previous_numerator"] = Subquery(newest.values("numerator")[1:2])
    annotations["previous_denominator"] = Subquery(newest.values("denominator")[1:2])
    return qs.select_related("owner_agency").annotate(**annotations)


@dataclass
class DatasetRow:
    indicator: Indicator
    value: Decimal | None
    period: str
    rag: Rag
    direction: Direction
    suppressed: bool
    national: Decimal | None = None
    regional: Decimal | None = None
    neighbours: Decimal | None = None
    spark: list[float] = field(default_factory=list)

    @property
    def shown_value(self) -> str:
        if self.value is None:
            return "No value yet"
        if self.suppressed:
            return "Suppressed (small number)"
        return format_value(self.value, self.indicator.unit)


def format_value(value: Decimal | float | None, unit: str) -> str:
    if value is None:
        return ""
    d = Decimal(str(value)).normalize()
    text = f"{d:f}"
    return f"{text}%" if unit == "percent" else text


def row_for(ind: Any) -> DatasetRow:
    value = getattr(ind, "latest_value", None)
    start = getattr(ind, "latest_period_start", None)
    unit = ind.unit
    suppressed = rules.suppressed(
        ind.suppress_below,
        value=value,
        numerator=ind.latest_numerator,
        denominator=ind.latest_denominator,
        unit=unit,
    )
    previous_suppressed = rules.suppressed(
        ind.suppress_below,
        value=ind.previous_value,
        numerator=ind.previous_numerator,
        denominator=ind.previous_denominator,
        unit=unit,
    )
    return DatasetRow(
        indicator=ind,
        value=value,
        period=periods.label(ind.frequency, start) if start else "",
        rag=rules.rag(None if suppressed else value, ind.target, ind.tolerance, ind.polarity),
        direction=(
            Direction.UNKNOWN
            if suppressed or previous_suppressed
            else rules.direction(value, ind.previous_value, ind.polarity)
        ),
        suppressed=suppressed,
        national=ind.latest_national,
        regional=ind.latest_regional,
        neighbours=ind.latest_neighbours,
    )


def sparklines(indicator_ids: list[int], points: int = SPARK_POINTS) -> dict[int, list[Any]]:
    """The last `points` values of each indicator (oldest first), in one query."""
    if not indicator_ids:
        return {}
    ranked = (
        IndicatorValue.objects.filter(indicator_id__in=indicator_ids)
        .annotate(
            rank=Window(
                RowNumber(), partition_by=[F("indicator_id")], order_by=F("period_start").desc()
            )
        )
        .filter(rank__lte=points)
        .values_list("indicator_id", "period_start", "value", "numerator", "denominator")
    )
    out: dict[int, list[Any]] = defaultdict(list)
    for row in sorted(ranked, key=lambda r: (r[0], r[1])):
        out[row[0]].append(row[1:])
    return out


def dataset(
    user: Any,
    partnership: Partnership | int,
    *,
    agency: Any = None,
    theme: Any = None,
    rag: str = "",
    include_inactive: bool = False,
) -> list[DatasetRow]:
    """Every indicator the user may see with its latest value, RAG, direction of travel,
    comparators and sparkline: three queries whatever the number of indicators."""
    qs = indicators_visible(user, partnership)
    if not include_inactive:
        qs = qs.filter(is_active=True)
    if agency:
        qs = qs.filter(owner_agency=agency)
    if theme:
        qs = qs.filter(themes=theme)
    rows = [row_for(ind) for ind in with_latest(qs).order_by("code")]
    if rag:
        rows = [r for r in rows if r.rag == rag]
    sparks = sparklines([r.indicator.pk for r in rows])
    for r in rows:
        ind = r.indicator
        r.spark = [
            float(v)
            for _, v, num, den in sparks.get(ind.pk, [])
            if not rules.suppressed(
                ind.suppress_below, value=v, numerator=num, denominator=den, unit=ind.unit
            )
        ]
    return rows


def exceptions(user: Any, partnership: Partnership | int) -> list[DatasetRow]:
    """Red indicators, for the Board pack."""
    return [r for r in dataset(user, partnership) if r.rag == Rag.RED]


def series(indicator: Indicator) -> list[IndicatorValue]:
    """Every value of the indicator, oldest first (one query)."""
    return list(
        IndicatorValue.objects.filter(indicator=indicator)
        .select_related("version", "indicator")
        .order_by("period_start")
    )


@dataclass
class Due:
    indicator: Indicator
    period_start: dt.date
    due_on: dt.date

    today: dt.date

    @property
    def label(self) -> str:
        return periods.label(self.indicator.frequency, self.period_start)

    @property
    def overdue(self) -> bool:
        return self.due_on < self.today


def values_due(
    indicators: QuerySet[Indicator], today: dt.date | None = None, window_days: int = 14
) -> list[Due]:
    """For each indicator, the last finished period if it has no value and is due within
    `window_days` (or overdue): two queries."""
    today = today or timezone.localdate()
    inds = list(indicators.filter(is_active=True))
    wanted = {
        ind.pk: periods.following(ind.frequency, periods.containing(ind.frequency, today), -1)
        for ind in inds
    }
    have = set(
        IndicatorValue.objects.filter(
            indicator_id__in=list(wanted), period_start__in=set(wanted.values())
        ).values_list("indicator_id", "period_start")
    )
    out = []
    for ind in inds:
        start = wanted[ind.pk]
        if (ind.pk, start) in have:
            continue
        due = ind.due_on(start)
        if (due - today).days <= window_days:
            out.append(Due(ind, start, due, today))
    return sorted(out, key=lambda d: (d.due_on, d.indicator.code))
