"""The CDOP benchmark generator and the trends page's cost (the key page of the area)."""

from __future__ import annotations

from unittest import mock

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from lift.cdop import stats
from lift.cdop.models import Analysis, AnalysisFactor, Campaign, ChildDeath, ChildDeathIdentity
from lift.core.bench.data import SCALES, generate
from lift.core.models import Partnership, Person

pytestmark = pytest.mark.django_db

TRENDS_QUERIES = 20


def _quiet(line: str) -> None:
    pass


@pytest.fixture
def bench():
    ctx = generate(scale="smoke", seed=1, out=_quiet, only=["cdop"])
    cache.clear()
    return ctx


def _coordinator_client(ctx) -> Client:
    client = Client()
    client.force_login(Person.objects.get(pk=ctx.people["cdop"]))
    return client


def test_generator_makes_cases_analyses_and_campaigns(bench):
    smoke = SCALES["smoke"]
    per = smoke.count("child_death_reviews")
    for bp in bench.partnerships:
        assert ChildDeath.objects.filter(partnership_id=bp.pk).count() == per
    assert Analysis.objects.count() == bench.counts["cdop.Analysis"] > 0
    assert bench.counts["cdop.ChildDeath"] == smoke.partnerships * per
    assert Campaign.objects.filter(published=True).count() == smoke.partnerships
    assert not ChildDeathIdentity.objects.exists()  # case numbers only, no identities
    codes = set(AnalysisFactor.objects.values_list("code", flat=True))
    from lift.cdop.reference import cdop_reference

    assert codes <= {f.code for f in cdop_reference().factors}


def test_same_seed_same_cases():
    from django.db import transaction

    runs = []
    for _ in range(2):
        with transaction.atomic():
            generate(scale="smoke", seed=5, out=_quiet, only=["cdop"])
            runs.append(
                list(
                    ChildDeath.objects.order_by("partnership__slug", "reference").values_list(
                        "reference", "age_band", "expected", "status"
                    )
                )
            )
            transaction.set_rollback(True)
    assert runs[0] == runs[1]


def test_key_pages_render_on_bench_data(bench, django_assert_max_num_queries):
    client = _coordinator_client(bench)
    with django_assert_max_num_queries(TRENDS_QUERIES):
        response = client.get(reverse("cdop:trends"))
    assert response.status_code == 200
    assert b"Child deaths notified" in response.content
    public = Client().get(reverse("reports:public_campaigns"), {"partnership": _slug(bench)})
    assert public.status_code == 200 and b"Bench campaign 1" in public.content
    assert b"Bench campaign 2" not in public.content


def test_trends_query_count_does_not_grow_with_the_cases():
    import dataclasses

    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    smoke = SCALES["smoke"]
    bigger = dataclasses.replace(
        smoke, per_partnership={**smoke.per_partnership, "child_death_reviews": 60}
    )
    counts = []
    for scale in (smoke, bigger):
        with transaction.atomic():
            ctx = generate(scale=scale, seed=1, out=_quiet, only=["cdop"])
            client = _coordinator_client(ctx)
            client.get(reverse("cdop:trends"))  # the session and the settings row
            with CaptureQueriesContext(connection) as queries:
                assert client.get(reverse("cdop:trends")).status_code == 200
            counts.append(len(queries.captured_queries))
            transaction.set_rollback(True)
    assert counts[0] == counts[1] <= TRENDS_QUERIES


def test_charts_are_drawn_once_per_set_of_figures(bench):
    partnership = Partnership.objects.get(pk=bench.partnerships[0].pk)
    years = sorted(set(ChildDeath.objects.values_list("year_of_death", flat=True)))[-3:]
    cache.clear()
    with mock.patch("lift.cdop.stats.render_html", wraps=stats.render_html) as drawn:
        first = stats.trends_html(stats.trends(partnership, years))
        again = stats.trends_html(stats.trends(partnership, years))
        assert drawn.call_count == 1 and first == again
        case = ChildDeath.objects.filter(partnership=partnership, year_of_death=years[-1]).first()
        case.year_of_death = years[0]
        case.save()
        stats.trends_html(stats.trends(partnership, years))
        assert drawn.call_count == 2  # a changed figure is drawn afresh, never served stale


def _slug(ctx) -> str:
    return Partnership.objects.get(pk=ctx.partnerships[0].pk).slug
