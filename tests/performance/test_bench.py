"""The performance bench generator at smoke scale: it makes indicators with values,
definition breaks and focus areas, its stored summaries match what the services compute,
and the key pages and the Board pack work on its data."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from lift.core.bench.data import SCALES, generate
from lift.core.models import Person
from lift.governance.models import Meeting
from lift.performance import boardpack, services
from lift.performance.models import Indicator, IndicatorValue, IndicatorVersion, ScrutinyFocus

pytestmark = pytest.mark.django_db


def _quiet(line: str) -> None:
    pass


def test_generator_makes_a_dataset_the_pages_can_show(client: Any) -> None:
    ctx = generate(
        scale="smoke", seed=3, out=_quiet, only=["learning", "governance", "performance"]
    )
    assert "performance" not in ctx.skipped, ctx.skipped
    smoke = SCALES["smoke"]
    values = IndicatorValue.objects.count()
    assert 0 < values <= smoke.partnerships * smoke.count("dataset_values")
    assert Indicator.objects.count() >= smoke.partnerships * 4
    assert IndicatorVersion.objects.filter(number=2).exists()  # a definition break
    assert ScrutinyFocus.objects.filter(requests__isnull=False).exists()
    # The summaries written in bulk are the ones the services would store.
    for ind in Indicator.objects.order_by("pk")[:4]:
        stored = (ind.latest_value, ind.latest_rag, ind.latest_direction, ind.spark)
        services.indicator_refresh(indicator=ind)
        ind.refresh_from_db()
        assert stored == (ind.latest_value, ind.latest_rag, ind.latest_direction, ind.spark)
    client.force_login(Person.objects.get(pk=ctx.people["bu"]))
    first = Indicator.objects.filter(partnership__slug="bench-001").order_by("pk").first()
    assert first is not None
    response = client.get(reverse("performance:dataset"))
    assert response.status_code == 200 and first.title in response.content.decode()
    response = client.get(first.get_absolute_url())
    assert response.status_code == 200 and "Time series" in response.content.decode()
    meeting = Meeting.objects.filter(
        partnership__slug="bench-001", board__kind="board", scrutiny_focus__isnull=False
    ).first()
    assert meeting is not None
    doc = boardpack.build_board_pack(meeting, lambda percent: None)
    assert doc.title.startswith("Board pack")
