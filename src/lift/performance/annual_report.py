"""Performance's section of the annual report: the headlines, each indicator's first and
latest values of the year. Registered with `lift.reports.registry` from the app's
`ready()`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from lift.core.documents import Block, DocTable, Para
from lift.reports.registry import register_annual_section

from .models import Indicator, IndicatorValue


def performance_section(partnership: Any, start: dt.date, end: dt.date) -> list[Block] | None:
    # The year's values as plain tuples in period order (a partnership has tens of thousands
    # of values: made into model instances they took half a second), then the indicators.
    values = (
        IndicatorValue.objects.filter(
            partnership=partnership, period_start__gte=start, period_start__lte=end
        )
        .order_by("indicator_id", "period_start", "pk")
        .values_list("indicator_id", "value")
    )
    latest: dict[int, Any] = {}
    first: dict[int, Any] = {}
    for indicator_id, value in values:
        first.setdefault(indicator_id, value)
        latest[indicator_id] = value
    if not latest:
        return None
    rows = [
        [
            ind.title,
            ind.owner_agency.name,
            float(first[ind.pk]),
            float(latest[ind.pk]),
            "" if ind.target is None else float(ind.target),
        ]
        for ind in Indicator.objects.filter(pk__in=list(latest))
        .select_related("owner_agency")
        .order_by("title", "pk")
    ]
    return [
        Para("The year's headline figures from the multi-agency dataset."),
        DocTable(
            "Performance headlines: first and latest figures of the year",
            ["Indicator", "Agency", "First", "Latest", "Target"],
            rows,
            numeric=(2, 3, 4),
        ),
    ]


def register() -> None:
    register_annual_section("performance", "Performance headlines", 50, performance_section)
