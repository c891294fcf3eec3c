"""The audit overview page stays within the 20-query budget however much the audit holds:
the template's lines of enquiry come from the cache per template version, and the edit and
delete links from the roles already loaded."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from lift.audits import selectors, services
from lift.audits.models import TemplateSection

from .conftest import World, cleared_assignment


def _fill(w: World, n: int, first: int = 0) -> None:
    """`n` more sampled cases, each with assignments, plus views, workshops, findings,
    recommendations and re-audits."""
    for i in range(first, first + n):
        case = services.sample_case_add(
            audit=w.audit, reference=f"Case MQ-{i:02}", by=w.bu, full_name=f"Child {i} Quarry"
        )
        cleared_assignment(w, case, w.police, w.auditor_police)
        services.assignment_create(case=case, agency=w.health, auditor=w.auditor_health, by=w.bu)
        services.views_record(
            audit=w.audit,
            by=w.bu,
            group_description=f"Youth group {i}",
            held_on=dt.date(2015, 10, 1),
            how_gathered="focus_group",
            what_they_said="They want to be listened to.",
        )
        services.workshop_record(
            audit=w.audit, by=w.bu, held_on=dt.date(2015, 11, 2), attendees=f"Panel {i}"
        )
        finding = services.audit_finding_add(
            audit=w.audit, by=w.bu, title=f"Finding {i}", text="Plans drift.", kind="improvement"
        )
        services.audit_recommendation_add(
            audit=w.audit,
            by=w.bu,
            reference=f"R{i}",
            text="Review plans monthly.",
            findings=[finding],
            addressee="agencies",
            agencies=[w.police],
        )
        services.audit_create(
            programme=w.programme,
            title=f"Re-audit {i}",
            by=w.bu,
            previous_audit=w.audit,
            themes=["neglect"],
        )


def _queries(client: Client, path: str) -> int:
    with CaptureQueriesContext(connection) as q:
        assert client.get(path).status_code == 200
    return len(q)


def test_audit_overview_within_budget_and_flat(
    world: World, django_assert_max_num_queries: Any
) -> None:
    w = world
    c = Client()
    c.force_login(w.bu)
    path = w.audit.get_absolute_url()
    _fill(w, 2)
    c.get(path)  # the template's outline goes into the cache
    few = _queries(c, path)
    _fill(w, 6, first=2)
    with django_assert_max_num_queries(20):
        response = c.get(path)
    assert response.status_code == 200
    assert _queries(c, path) == few
    page = response.content.decode()
    assert "Youth group 7" in page and "Re-audit 7" in page
    first = TemplateSection.objects.filter(template=w.template).order_by("order").first()
    assert first is not None and first.title in page


def test_template_outline_counts_questions_and_is_cached(world: World) -> None:
    template = world.template
    expected = [
        (s.title, s.questions.count())
        for s in TemplateSection.objects.filter(template=template).order_by("order")
    ]
    cache.clear()
    with CaptureQueriesContext(connection) as cold:
        outline = selectors.template_outline(template)
    assert [(s.title, s.questions) for s in outline] == expected
    assert len(cold) == 1
    with CaptureQueriesContext(connection) as warm:
        assert selectors.template_outline(template) == outline
    assert len(warm) == 0
