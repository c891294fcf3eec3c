"""The audits bench generator, and the audit pages' query counts on its data: the same
number whatever the number of audits, returns and answers."""

from __future__ import annotations

import dataclasses

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lift.audits.models import Assignment, Audit, AuditReturn, ReturnAnswer, ReturnGrade
from lift.core.bench.data import BENCH_PEOPLE, SCALES, generate
from lift.core.models import Person

pytestmark = pytest.mark.django_db

# The audit overview page: the case sample, returns, assignments, the template, views,
# workshops and the learning chain it led to, none of them per row.
MAX_OVERVIEW_QUERIES = 27
MAX_LIST_QUERIES = 20


def _quiet(line: str) -> None:
    pass


def _queries(audits: int) -> dict[str, int]:
    smoke = SCALES["smoke"]
    scale = dataclasses.replace(smoke, per_partnership={**smoke.per_partnership, "audits": audits})
    counts: dict[str, int] = {}
    with transaction.atomic():
        ctx = generate(scale=scale, seed=5, out=_quiet, only=["audits"])
        assert "audits" not in ctx.skipped, ctx.skipped
        assert Audit.objects.count() == audits * smoke.partnerships
        assert AuditReturn.objects.exists()
        assert ReturnAnswer.objects.exists() and ReturnGrade.objects.exists()
        assert Assignment.objects.filter(auditor__email=BENCH_PEOPLE["auditor"][0]).exists()
        assert all(
            t.startswith("Bench audit") for t in Audit.objects.values_list("title", flat=True)
        )
        audit = (
            Audit.objects.filter(partnership__slug="bench-001", cases__isnull=False)
            .order_by("pk")
            .first()
        )
        assert audit is not None
        pages = [
            ("bu", "Audits", reverse("audits:audit_list")),
            ("bu", "An audit overview", reverse("audits:audit_detail", args=[audit.pk])),
            ("auditor", "My work", reverse("core:home")),
        ]
        for role, label, url in pages:
            client = Client()
            client.force_login(Person.objects.get(email=BENCH_PEOPLE[role][0]))
            client.get(url)  # warm caches (content types)
            with CaptureQueriesContext(connection) as captured:
                response = client.get(url)
            assert response.status_code == 200, (label, response.status_code)
            counts[label] = len(captured.captured_queries)
        transaction.set_rollback(True)
    return counts


def test_generator_fills_the_pages_in_a_fixed_number_of_queries() -> None:
    few, many = _queries(2), _queries(5)
    assert many["An audit overview"] <= MAX_OVERVIEW_QUERIES, many
    assert many["Audits"] <= MAX_LIST_QUERIES, many
    assert few == many
