"""Prometheus metrics, served at /metrics to a scraper holding LIFT_METRICS_TOKEN.

Two kinds:

- **Per process**, counted by `RequestMiddleware`: `lift_http_requests_total` (by view,
  method and status) and `lift_http_request_duration_seconds` (a histogram, by view and
  method), with prometheus-client's process metrics. Each gunicorn worker keeps its own, so
  a scrape reads the worker that answered it; set `PROMETHEUS_MULTIPROC_DIR` (an empty
  directory, emptied at each start) before gunicorn starts to add up every worker's
  (prometheus-client's multiprocess mode).
- **Read from the database at each scrape** (`DatabaseCollector`), so the same on every
  server and process: the task queue (`lift_task_queue_length`,
  `lift_task_queue_oldest_seconds`), task rows by status and failed tasks by task
  (`lift_tasks`, `lift_tasks_failed`), the workers' last heartbeat
  (`lift_worker_last_seen_seconds`) and the clocks overdue by partnership
  (`lift_clocks_overdue`). Counts only: no name, no record.
"""

from __future__ import annotations

import hmac
import logging
import os
from collections.abc import Iterator

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily, Metric

log = logging.getLogger(__name__)

METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}

REQUESTS = Counter(
    "lift_http_requests_total",
    "HTTP requests answered, by view (URL name), method and status.",
    ["view", "method", "status"],
)
LATENCY = Histogram(
    "lift_http_request_duration_seconds",
    "Time to answer an HTTP request, by view (URL name) and method.",
    ["view", "method"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)


def observe_request(view: str, method: str, status: int, seconds: float) -> None:
    method = method if method in METHODS else "other"
    REQUESTS.labels(view=view, method=method, status=str(status)).inc()
    LATENCY.labels(view=view, method=method).observe(seconds)


class DatabaseCollector:
    """Figures read from the database when scraped (a few aggregate queries)."""

    def describe(self) -> list[Metric]:
        return []  # nothing at registration: the database is read only when scraped

    def collect(self) -> Iterator[Metric]:
        from django.db.models import Count, Max, Min
        from django.utils import timezone
        from django_tasks import TaskResultStatus
        from django_tasks_db.models import DBTaskResult

        from ..models import Clock, ClockState, WorkerHeartbeat

        now = timezone.now()
        ready = DBTaskResult.objects.ready().aggregate(n=Count("pk"), oldest=Min("enqueued_at"))
        yield GaugeMetricFamily(
            "lift_task_queue_length",
            "Tasks ready to run that no worker has started.",
            value=ready["n"],
        )
        oldest = ready["oldest"]
        yield GaugeMetricFamily(
            "lift_task_queue_oldest_seconds",
            "How long the oldest ready task has waited (0 when none waits).",
            value=max(0.0, (now - oldest).total_seconds()) if oldest else 0.0,
        )
        by_status = GaugeMetricFamily(
            "lift_tasks", "Task rows in the queue's table, by status.", labels=["status"]
        )
        counts = dict(
            DBTaskResult.objects.order_by()
            .values_list("status")
            .annotate(n=Count("pk"))
            .values_list("status", "n")
        )
        for status in TaskResultStatus:
            by_status.add_metric([status.value], counts.get(status.value, 0))
        yield by_status
        failed = GaugeMetricFamily(
            "lift_tasks_failed",
            "Failed task rows kept in the queue's table, by task (alert on an increase).",
            labels=["task"],
        )
        for path, n in (
            DBTaskResult.objects.filter(status=TaskResultStatus.FAILED)
            .order_by()
            .values_list("task_path")
            .annotate(n=Count("pk"))
            .values_list("task_path", "n")
        ):
            failed.add_metric([path], n)
        yield failed
        seen = WorkerHeartbeat.objects.aggregate(last=Max("seen_at"))["last"]
        yield GaugeMetricFamily(
            "lift_worker_last_seen_seconds",
            "Seconds since any task worker's last heartbeat (-1: none ever seen).",
            value=(now - seen).total_seconds() if seen else -1.0,
        )
        overdue = GaugeMetricFamily(
            "lift_clocks_overdue",
            "Clocks overdue (as of the last tick), by partnership.",
            labels=["partnership"],
        )
        for slug, n in (
            Clock.objects.filter(state=ClockState.OVERDUE)
            .order_by()
            .values_list("partnership__slug")
            .annotate(n=Count("pk"))
            .values_list("partnership__slug", "n")
        ):
            overdue.add_metric([slug], n)
        yield overdue
        yield GaugeMetricFamily(
            "lift_metrics_scrape_timestamp_seconds",
            "When these database figures were read.",
            value=now.timestamp(),
        )


_database = CollectorRegistry(auto_describe=False)
_database.register(DatabaseCollector())  # type: ignore[arg-type]


def exposition() -> bytes:
    """The text exposition: this process's (or, in multiprocess mode, every process's)
    counters, then the database's figures."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        own = generate_latest(registry)
    else:
        own = generate_latest(REGISTRY)
    return own + generate_latest(_database)


def token_ok(request: HttpRequest, token: str) -> bool:
    header = request.headers.get("Authorization", "")
    scheme, _, given = header.partition(" ")
    if scheme.lower() != "bearer" or not given:
        return False
    return hmac.compare_digest(given.strip().encode(), token.encode())


@never_cache
@login_not_required
def metrics_view(request: HttpRequest) -> HttpResponse:
    """404 when no token is configured (the endpoint is off); 403 without the right
    `Authorization: Bearer <token>`."""
    token: str = getattr(settings, "LIFT_METRICS_TOKEN", "") or ""
    if not token:
        raise Http404("Metrics are not enabled.")
    if not token_ok(request, token):
        log.warning("Metrics refused: missing or wrong token")
        response = HttpResponse("A valid metrics token is needed.\n", status=403)
        response["Content-Type"] = "text/plain; charset=utf-8"
        return response
    return HttpResponse(exposition(), content_type=CONTENT_TYPE_LATEST)


metrics_view.public = True  # type: ignore[attr-defined]
