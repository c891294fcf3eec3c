"""The Section 11 bench generator, and the Section 11 key pages' query counts on its data:
at most 20 queries, and the same number whatever the number of returns."""

from __future__ import annotations

import dataclasses

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lift.core.bench.data import BENCH_PEOPLE, SCALES, generate
from lift.core.models import Person
from lift.learning.models import Action
from lift.section11.models import (
    Answer,
    ChallengeQuestion,
    Cycle,
    OverviewReport,
    PanelMember,
    Section11Return,
)

pytestmark = pytest.mark.django_db

MAX_QUERIES = 20


def _quiet(line: str) -> None:
    pass


def _queries(returns: int) -> dict[str, int]:
    smoke = SCALES["smoke"]
    scale = dataclasses.replace(
        smoke, per_partnership={**smoke.per_partnership, "section11_returns": returns}
    )
    counts: dict[str, int] = {}
    with transaction.atomic():
        ctx = generate(scale=scale, seed=3, out=_quiet, only=["section11"])
        assert "section11" not in ctx.skipped, ctx.skipped
        # Two cycles (current and previous) per partnership, each with `returns` returns of
        # 120 answer rows.
        assert Section11Return.objects.count() == 2 * returns * smoke.partnerships
        assert Answer.objects.count() == 120 * Section11Return.objects.count()
        current = Cycle.objects.filter(partnership__slug="bench-001").order_by("pk").first()
        assert current is not None and current.previous is not None
        assert OverviewReport.objects.filter(cycle=current.previous).exists()
        assert PanelMember.objects.filter(panel__cycle=current).exists()
        assert ChallengeQuestion.objects.filter(agency_return__cycle=current).exists()
        assert Action.objects.filter(source_id__in=current.returns.values("pk")).exists()
        first = Section11Return.objects.filter(partnership__slug="bench-001").order_by("pk")[0]
        assert first.cycle_id == current.pk and first.status == "under_challenge"
        client = Client()
        client.force_login(Person.objects.get(email=BENCH_PEOPLE["bu"][0]))
        pages = [
            ("Section 11 cycles", reverse("section11:cycle_list")),
            ("Cycle", reverse("section11:cycle_detail", args=[current.pk])),
            ("Overview", reverse("section11:cycle_report", args=[current.pk])),
            ("A return", reverse("section11:return_detail", args=[first.pk])),
            ("Peer challenge", reverse("section11:return_challenge", args=[first.pk])),
        ]
        for label, url in pages:
            client.get(url)  # warm caches (content types, the report's drawing)
            with CaptureQueriesContext(connection) as captured:
                response = client.get(url)
            assert response.status_code == 200, (label, response.status_code)
            counts[label] = len(captured.captured_queries)
        report = client.get(pages[2][1]).content.decode()
        assert "Heat map" in report and current.previous.name in report
        page = client.get(pages[3][1]).content.decode()
        assert page.count('class="govuk-summary-list__row" id="answer-') == 120
        transaction.set_rollback(True)
    return counts


def test_generator_fills_the_pages_in_a_fixed_number_of_queries() -> None:
    few, many = _queries(2), _queries(6)
    for label, count in many.items():
        assert count <= MAX_QUERIES, (label, count)
    assert few == many


def test_report_body_is_redrawn_when_an_answer_changes(
    make_framework: object, make_cycle: object, agency: object, business_unit: object
) -> None:
    from django.core.cache import cache

    from lift.section11 import services

    cycle = make_cycle(make_framework(), [agency])  # type: ignore[operator]
    client = Client()
    client.force_login(business_unit)  # type: ignore[arg-type]
    url = reverse("section11:cycle_report", args=[cycle.pk])
    cache.clear()
    with CaptureQueriesContext(connection) as cold:
        before = client.get(url).content.decode()
    assert len(cold.captured_queries) <= MAX_QUERIES  # drawing it costs no more
    assert "Not rated" in before
    answer = Answer.objects.filter(agency_return__cycle=cycle).first()
    services.answer_save(answer=answer, by=None, self_rating="not-met")
    after = client.get(url).content.decode()
    assert after != before and "govuk-tag--red" in after
