"""/metrics: a token, the request counters and the database's figures (issue 23, 5)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django_tasks_db.models import DBTaskResult
from prometheus_client.parser import text_string_to_metric_families

from lift.core.models import Clock, ClockState, Partnership

from .test_ops_tasks import QUEUED, ops_failing_task, ops_probe_task, worker

TOKEN = "metrics-token-for-tests-0123456789"


def scrape(client: Client, token: str | None = TOKEN) -> Any:
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token is not None else {}
    return client.get("/metrics", **headers)


def samples(body: bytes) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    out = {}
    for family in text_string_to_metric_families(body.decode()):
        for s in family.samples:
            out[(s.name, tuple(sorted(s.labels.items())))] = s.value
    return out


@pytest.mark.django_db
def test_no_token_configured_means_no_endpoint(client: Client, settings: Any) -> None:
    settings.LIFT_METRICS_TOKEN = ""
    assert scrape(client).status_code == 404
    assert scrape(client, None).status_code == 404


@pytest.mark.django_db
def test_the_token_is_required(client: Client, settings: Any) -> None:
    settings.LIFT_METRICS_TOKEN = TOKEN
    assert scrape(client, None).status_code == 403
    assert scrape(client, "wrong").status_code == 403
    assert client.get("/metrics", HTTP_AUTHORIZATION=f"Basic {TOKEN}").status_code == 403
    response = scrape(client)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


@pytest.mark.django_db
def test_requests_and_latency_by_view(client: Client, settings: Any) -> None:
    settings.LIFT_METRICS_TOKEN = TOKEN
    before = samples(scrape(client).content)
    key = (
        "lift_http_requests_total",
        (("method", "GET"), ("status", "200"), ("view", "core:healthz")),
    )
    for _ in range(3):
        client.get("/healthz")
    client.get("/no-such-page/")
    after = samples(scrape(client).content)
    assert after[key] - before.get(key, 0) == 3
    missing = (
        "lift_http_requests_total",
        (("method", "GET"), ("status", "404"), ("view", "unmatched")),
    )
    assert after[missing] - before.get(missing, 0) == 1
    count = (
        "lift_http_request_duration_seconds_count",
        (("method", "GET"), ("view", "core:healthz")),
    )
    assert after[count] - before.get(count, 0) == 3
    # No path, id or name is ever a label: only URL names.
    views = {
        dict(labels).get("view") for (name, labels) in after if name == "lift_http_requests_total"
    }
    assert all("/" not in (v or "") for v in views)


@pytest.mark.django_db
def test_queue_failures_and_overdue_clocks_come_from_the_database(
    client: Client, settings: Any, partnership: Partnership, other_partnership: Partnership
) -> None:
    settings.LIFT_METRICS_TOKEN = TOKEN
    settings.TASKS = QUEUED
    ops_probe_task.enqueue(1)
    ops_probe_task.enqueue(2)
    failing = ops_failing_task.enqueue()
    worker().run_task(DBTaskResult.objects.get(pk=failing.id))
    day = dt.date(2026, 1, 5)
    for i, (p, state) in enumerate(
        [
            (partnership, ClockState.OVERDUE),
            (partnership, ClockState.OVERDUE),
            (partnership, ClockState.RUNNING),
            (other_partnership, ClockState.OVERDUE),
        ]
    ):
        Clock.objects.create(
            partnership=p,
            content_type_id=1,
            object_id=i + 1,
            rule="r",
            label="A clock",
            start_event="e",
            started_on=day,
            due_on=day,
            state=state,
        )
    got = samples(scrape(client).content)
    assert got[("lift_task_queue_length", ())] == 2
    assert got[("lift_task_queue_oldest_seconds", ())] >= 0
    assert got[("lift_tasks", (("status", "READY"),))] == 2
    assert got[("lift_tasks", (("status", "FAILED"),))] == 1
    assert got[("lift_tasks_failed", (("task", ops_failing_task.module_path),))] == 1
    assert got[("lift_clocks_overdue", (("partnership", partnership.slug),))] == 2
    assert got[("lift_clocks_overdue", (("partnership", other_partnership.slug),))] == 1
    assert got[("lift_worker_last_seen_seconds", ())] == -1  # no heartbeat yet


def test_metrics_path_needs_no_sign_in_nor_second_factor() -> None:
    from lift.core.middleware import MfaRequiredMiddleware

    assert "/metrics" in MfaRequiredMiddleware.OPEN_PREFIXES
