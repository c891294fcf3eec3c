"""The reviews bench generator, and the review pages' query counts on its data: at most 20
queries, and the same number whatever the number of incidents and reviews."""

from __future__ import annotations

import dataclasses

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lift.core.bench.data import BENCH_PEOPLE, SCALES, generate
from lift.core.models import Person
from lift.reviews.models import AgencyRequest, ChildIdentity, Decision, Incident, Review

pytestmark = pytest.mark.django_db

MAX_QUERIES = 20


def _quiet(line: str) -> None:
    pass


def _pages() -> list[tuple[str, str]]:
    review = Review.objects.filter(partnership__slug="bench-001").order_by("pk").first()
    assert review is not None
    return [
        ("Review dashboard", reverse("reviews:dashboard")),
        ("Reviews", reverse("reviews:review_list")),
        ("A review", reverse("reviews:review_detail", args=[review.pk])),
        ("Incidents", reverse("reviews:incident_list")),
        ("Public: published reviews", reverse("reviews:public_list")),
    ]


def _queries(per_partnership: int) -> dict[str, int]:
    smoke = SCALES["smoke"]
    scale = dataclasses.replace(
        smoke, per_partnership={**smoke.per_partnership, "reviews": per_partnership}
    )
    counts: dict[str, int] = {}
    with transaction.atomic():
        ctx = generate(scale=scale, seed=3, out=_quiet, only=["reviews"])
        assert "reviews" not in ctx.skipped, ctx.skipped
        assert Incident.objects.count() == per_partnership * smoke.partnerships
        assert ChildIdentity.objects.count() == Incident.objects.count()
        assert Decision.objects.exists() and Review.objects.exists()
        assert AgencyRequest.objects.exists()
        client = Client()
        client.force_login(Person.objects.get(email=BENCH_PEOPLE["bu"][0]))
        for label, url in _pages():
            client.get(url)  # warm caches (content types, regimes)
            with CaptureQueriesContext(connection) as captured:
                response = client.get(url)
            assert response.status_code == 200, (label, response.status_code)
            assert b"Benchley" not in response.content  # restricted names never shown
            counts[label] = len(captured.captured_queries)
        transaction.set_rollback(True)
    return counts


def test_generator_rows_and_pages_within_query_budget() -> None:
    small = _queries(6)
    large = _queries(30)
    for label, n in large.items():
        assert n <= MAX_QUERIES, f"{label}: {n} queries"
        assert n == small[label], f"{label}: {small[label]} queries grew to {n} with the data"
