"""Query-count guards: the dataset page and an indicator page run a fixed number of queries
(at most 20) whatever the number of indicators, values, definitions, focus areas, findings,
actions and impact checks; and the stored summary they read is kept up to date."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from lift.core.models import Agency, Partnership, Person
from lift.governance import services as gov
from lift.governance.choices import GroupKind
from lift.learning.choices import ActionStatus
from lift.learning.services import action_create, action_update_add, finding_create
from lift.performance import services
from lift.performance.models import Indicator, IndicatorValue

from .conftest import make_indicator

pytestmark = pytest.mark.django_db

MAX_QUERIES = 20


def _months(n: int) -> list[dt.date]:
    return [dt.date(2010 + (3 + m) // 12, (3 + m) % 12 + 1, 1) for m in range(n)]


def _indicator_with(
    partnership: Partnership, agency: Agency, by: Person, *, size: int, code: str
) -> Indicator:
    """An indicator with `size` x 12 monthly values, `size` definitions, `size` focus areas
    (each on its own Board's meeting), `size` findings and actions linked to it and to its
    focus areas, and `size` actions citing it as impact evidence."""
    ind = make_indicator(partnership, agency, code=code, effective_from=dt.date(2010, 4, 1))
    months = _months(12 * size)
    version = ind.versions.get()
    IndicatorValue.objects.bulk_create(
        IndicatorValue(
            partnership=partnership,
            indicator=ind,
            version=version,
            period_start=m,
            value=Decimal(80 + i % 9),
            national=Decimal(85),
            regional=Decimal(84),
            neighbours=Decimal(83),
            commentary=f"Commentary {i}",
        )
        for i, m in enumerate(months)
    )
    for k in range(1, size):
        services.indicator_redefine(
            indicator=ind,
            definition=f"Definition {k + 1}",
            effective_from=months[12 * k],
            reason=f"Change {k}",
        )
    services.indicator_refresh(indicator=ind)
    for k in range(size):
        board = gov.board_create(
            partnership=partnership, kind=GroupKind.BOARD, name=f"{code} board {k}", by=by
        )
        starts = timezone.make_aware(dt.datetime(2030, 1, 1 + k, 10))
        meeting = gov.meeting_create(board=board, starts_at=starts, by=by)
        focus = services.focus_create(
            meeting=meeting, title=f"Focus {code} {k}", question="Why?", indicators=[ind]
        )
        services.focus_finding(focus=focus, title=f"Focus finding {k}", text="Seen", by=by)
        services.focus_action(
            focus=focus,
            title=f"Focus action {k}",
            owner_agency=agency,
            due_on=dt.date(2031, 1, 1),
            success_measure="Better",
        )
        finding_create(source=ind, title=f"Indicator finding {k}", text="Seen", recorded_by=by)
        action = action_create(
            source=ind,
            title=f"Indicator action {k}",
            owner_agency=agency,
            due_on=dt.date(2030, 1, 1),
            success_measure="Better",
            status=ActionStatus.IN_PROGRESS,
        )
        action_update_add(action=action, by=by, text="Done", status=ActionStatus.COMPLETED)
        services.impact_check_from_indicator(
            action=action, indicator=ind, period_from=months[0], period_to=months[1], by=by
        )
    return ind


def _count(client: Any, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


def test_indicator_page_queries_are_few_and_do_not_grow(
    partnership: Partnership, agency: Agency, business_unit: Person, client_for: Any
) -> None:
    small = _indicator_with(partnership, agency, business_unit, size=1, code="small")
    large = _indicator_with(partnership, agency, business_unit, size=4, code="large")
    client = client_for(business_unit)
    client.get(small.get_absolute_url())  # warm the per-process caches (content types)
    n_small, _ = _count(client, small.get_absolute_url())
    n_large, html = _count(client, large.get_absolute_url())
    assert n_large <= MAX_QUERIES
    assert n_large == n_small, "the indicator page's queries grow with its data"
    # Everything the page lists is there: definitions, focus areas, findings, actions.
    for text in ("Definition 4", "Focus large 3", "Focus finding 3", "Indicator action 3"):
        assert text in html
    assert "Actions claiming an effect" in html and "Indicator action 0" in html


def test_indicator_chart_is_cached_until_the_data_changes(
    partnership: Partnership, agency: Agency, business_unit: Person, client_for: Any
) -> None:
    ind = _indicator_with(partnership, agency, business_unit, size=1, code="cached")
    client = client_for(business_unit)
    first = client.get(ind.get_absolute_url()).content.decode()
    assert first.count("<svg") >= 1
    services.value_enter(
        indicator=ind, period_start=dt.date(2011, 4, 1), value=Decimal("99.5"), by=None
    )
    after = client.get(ind.get_absolute_url()).content.decode()
    assert "99.5" in after.split("Time series", 1)[1]  # the chart's table has the new value


def _add_indicators(partnership: Partnership, agency: Agency, first: int, n: int) -> None:
    for i in range(first, first + n):
        ind = make_indicator(partnership, agency, code=f"d{i}", title=f"Indicator {i}")
        version = ind.versions.get()
        IndicatorValue.objects.bulk_create(
            IndicatorValue(
                partnership=partnership,
                indicator=ind,
                version=version,
                period_start=m,
                value=Decimal(80 + j % 7),
            )
            for j, m in enumerate(_months(24))
        )
        services.indicator_refresh(indicator=ind)


def test_dataset_page_queries_are_few_and_do_not_grow(
    partnership: Partnership, agency: Agency, business_unit: Person, client_for: Any
) -> None:
    url = reverse("performance:dataset")
    client = client_for(business_unit)
    _add_indicators(partnership, agency, 0, 3)
    client.get(url)
    n_small, html = _count(client, url)
    assert html.count("lift-sparkline") == 3
    _add_indicators(partnership, agency, 3, 57)
    n_large, html = _count(client, url)
    assert html.count("lift-sparkline") == 50  # a page of 50
    assert n_large <= MAX_QUERIES
    assert n_large == n_small, "the dataset page's queries grow with the number of indicators"
    n_filtered, _ = _count(client, f"{url}?agency={agency.pk}&rag=green&page=2")
    assert n_filtered <= MAX_QUERIES


def test_summary_follows_entry_revision_and_settings(
    indicator: Indicator, business_unit: Person
) -> None:
    assert indicator.latest_value is None and indicator.latest_rag == "none"
    services.value_enter(
        indicator=indicator, period_start=dt.date(2014, 4, 1), value=Decimal(88), by=None
    )
    row = services.value_enter(
        indicator=indicator, period_start=dt.date(2014, 5, 1), value=Decimal(70), by=None
    )
    indicator.refresh_from_db()
    assert (indicator.latest_value, indicator.latest_rag) == (Decimal(70), "red")
    assert indicator.latest_direction == "worse" and indicator.spark == [88.0, 70.0]
    version = indicator.data_version
    services.value_revise(row=row, by=None, reason="Late returns", value=Decimal(89))
    indicator.refresh_from_db()
    assert (indicator.latest_rag, indicator.latest_direction) == ("amber", "better")
    assert indicator.data_version > version
    services.indicator_update(indicator=indicator, target=Decimal(80), reason="New target")
    indicator.refresh_from_db()
    assert indicator.latest_rag == "green"
