"""The periodic tick without cron (issue 23 item 4): the task workers queue it every
LIFT_TICK_MINUTES, and exactly one worker queues each run however many are running."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any
from unittest import mock

import pytest
from django.db import connection, connections
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from lift.core import workers
from lift.core.models import ScheduledRun

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def _ticks_queued() -> int:
    return DBTaskResult.objects.filter(task_path__endswith="tick_task").count()


@pytest.mark.django_db
def test_one_worker_queues_each_tick_and_the_next_only_when_due(settings: Any) -> None:
    settings.TASKS = DATABASE_TASKS
    settings.LIFT_TICK_MINUTES = 15
    now = timezone.now()
    assert workers.schedule_tick("worker-a", now=now)  # the first run: due at once
    assert not workers.schedule_tick("worker-b", now=now)  # the same run: claimed already
    assert not workers.schedule_tick("worker-a", now=now + dt.timedelta(minutes=14))
    assert _ticks_queued() == 1
    later = now + dt.timedelta(minutes=15)
    assert workers.schedule_tick("worker-b", now=later)
    assert not workers.schedule_tick("worker-a", now=later)
    assert _ticks_queued() == 2
    run = ScheduledRun.objects.get(name="tick")
    assert run.queued_by == "worker-b" and run.last_queued_at == later


@pytest.mark.django_db
def test_no_tick_is_queued_when_cron_runs_it(settings: Any) -> None:
    settings.TASKS = DATABASE_TASKS
    settings.LIFT_TICK_MINUTES = 0
    assert not workers.schedule_tick("worker-a")
    assert _ticks_queued() == 0 and not ScheduledRun.objects.exists()


def test_the_heartbeat_thread_also_schedules_the_tick() -> None:
    asked: list[str] = []
    with (
        mock.patch.object(workers, "heartbeat", lambda worker_id: None),
        mock.patch.object(workers, "schedule_tick", lambda worker_id: asked.append(worker_id)),
    ):
        thread = workers.HeartbeatThread("thread-worker", interval=0.01)
        thread.start()
        for _ in range(200):
            if asked:
                break
            thread.join(0.01)
        thread.stop()
        thread.join(2)
    assert asked and asked[0] == "thread-worker"


@pytest.mark.django_db(transaction=True)
def test_workers_asking_at_the_same_moment_queue_one_tick(settings: Any) -> None:
    """Eight workers (threads, each with its own database connection) ask at once."""
    if connection.vendor != "postgresql":
        pytest.skip("concurrent connections need PostgreSQL (the suite's SQLite is in memory)")
    settings.TASKS = DATABASE_TASKS
    settings.LIFT_TICK_MINUTES = 15
    now = timezone.now()
    start = threading.Barrier(8)
    won: list[bool] = []

    def ask(n: int) -> None:
        try:
            start.wait()
            won.append(workers.schedule_tick(f"worker-{n}", now=now))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=ask, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(won) == [False] * 7 + [True]
    assert _ticks_queued() == 1
