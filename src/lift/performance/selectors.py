"""Reads of the dataset, in a bounded number of queries whatever its size."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, QuerySet
from django.utils import timezone

from lift.core.models import Partnership

from . import periods
from .choices import Direction, Rag
from .models import Indicator, IndicatorValue


def indicators_visible(user: Any, partnership: Partnership | int) -> QuerySet[Indicator]:
    return Indicator.objects.restrict(user, "view").filter(partnership=partnership)


def with_latest(qs: QuerySet[Indicator]) -> QuerySet[Indicator]:
    """The indicators with what their rows need (the summary is stored on the indicator by
    `services.indicator_refresh`, so this adds no subqueries)."""
    return qs.select_related("owner_agency")


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


def row_for(ind: Indicator) -> DatasetRow:
    """A dataset row from the indicator's stored summary (no query)."""
    start = ind.latest_period_start
    return DatasetRow(
        indicator=ind,
        value=ind.latest_value,
        period=periods.label(ind.frequency, start) if start else "",
        rag=Rag(ind.latest_rag),
        direction=Direction(ind.latest_direction),
        suppressed=ind.latest_suppressed,
        national=ind.latest_national,
        regional=ind.latest_regional,
        neighbours=ind.latest_neighbours,
        spark=list(ind.spark or []),
    )


def dataset_queryset(
    user: Any,
    partnership: Partnership | int,
    *,
    agency: Any = None,
    theme: Any = None,
    rag: str = "",
    include_inactive: bool = False,
) -> QuerySet[Indicator]:
    """The indicators of the dataset page, filtered, in code order."""
    qs = indicators_visible(user, partnership)
    if not include_inactive:
        qs = qs.filter(is_active=True)
    if agency:
        qs = qs.filter(owner_agency=agency)
    if theme:
        qs = qs.filter(themes=theme)
    if rag:
        qs = qs.filter(latest_rag=rag)
    return with_latest(qs).order_by("code")


def rag_counts(qs: QuerySet[Indicator]) -> dict[str, int]:
    """How many indicators of `qs` are red, amber, green and not rated (one query)."""
    counts = {r.value: 0 for r in Rag}
    for value, n in qs.order_by().values_list("latest_rag").annotate(n=Count("pk")):
        counts[value] = n
    return counts


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
    comparators and sparkline: one query whatever the number of indicators and values."""
    qs = dataset_queryset(
        user, partnership, agency=agency, theme=theme, rag=rag, include_inactive=include_inactive
    )
    return [row_for(ind) for ind in qs]


def exceptions(user: Any, partnership: Partnership | int) -> list[DatasetRow]:
    """Red indicators, for the Board pack."""
    return dataset(user, partnership, rag=Rag.RED)


def series(indicator: Indicator) -> list[IndicatorValue]:
    """Every value of the indicator, oldest first (one query)."""
    values = list(IndicatorValue.objects.filter(indicator=indicator).order_by("period_start"))
    for v in values:
        v.indicator = indicator  # the same row, not one copy per value
    return values


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
