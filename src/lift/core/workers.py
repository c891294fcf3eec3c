"""Is background work running? The task workers' heartbeats and the queue behind them.

Documents, e-mails and the tick run through django-tasks' database queue, which needs a
worker process. django-tasks-db records no sign of life for its workers, so `lift worker`
(the `db_worker` command with a heartbeat: see `lift.core.management.commands.worker`)
writes a `WorkerHeartbeat` row when it starts and every HEARTBEAT_SECONDS after, from a
thread of its own. `worker_status()` reads it back:

    status = worker_status()
    status.alive            # a heartbeat within ALIVE_SECONDS
    status.queue_length     # tasks ready to run that no worker has started
    worker_missing(since=document.created_at)   # waited long enough to say so?

A plain `lift db_worker` still runs tasks but writes no heartbeat, so it looks like no
worker at all: start workers with `lift worker`.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import threading
from dataclasses import dataclass

from django.conf import settings
from django.db import connections, models
from django.db.models import Count, Min
from django.utils import timezone
from django_tasks import task_backends
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from .models import OutboundEmail, ScheduledRun, WorkerHeartbeat
from .notify import MAX_ATTEMPTS

log = logging.getLogger(__name__)

# How often a worker says it is alive, and how long without a word before it is not.
HEARTBEAT_SECONDS = 10
ALIVE_SECONDS = 30
# Heartbeats of workers gone for longer than this are deleted when a worker starts.
FORGET_AFTER = dt.timedelta(days=7)

# What to tell people to run (docs/operations.md says the same).
WORKER_COMMAND = "lift worker"
MAKE_COMMAND = "make worker"


def wait_seconds() -> int:
    """How long something may wait for a worker before the page says none is running
    (the LIFT_WORKER_WAIT_SECONDS setting, default 60)."""
    return int(getattr(settings, "LIFT_WORKER_WAIT_SECONDS", 60))


# --- writing ----------------------------------------------------------------------------


def heartbeat(worker_id: str, *, now: dt.datetime | None = None) -> WorkerHeartbeat:
    """Record that worker `worker_id` (this process) is alive now."""
    beat, _ = WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id[:64],
        defaults={
            "host": socket.gethostname()[:255],
            "pid": os.getpid(),
            "seen_at": now or timezone.now(),
        },
    )
    return beat


def heartbeats_forget(*, older_than: dt.timedelta = FORGET_AFTER) -> int:
    """Delete the heartbeats of workers not seen for `older_than`; returns how many."""
    deleted, _ = WorkerHeartbeat.objects.filter(seen_at__lt=timezone.now() - older_than).delete()
    return deleted


def tick_minutes() -> int:
    """How often the workers queue the periodic tick (LIFT_TICK_MINUTES, default 15; 0: the
    workers never do, for a deployment that runs `lift tick` from cron instead)."""
    return int(getattr(settings, "LIFT_TICK_MINUTES", 15))


def schedule_tick(worker_id: str, *, now: dt.datetime | None = None) -> bool:
    """Queue the tick if it is due, claiming the run for this worker first: one conditional
    UPDATE on the `ScheduledRun` row, which only one worker can win however many ask at
    once (PostgreSQL and SQLite alike). Returns whether this worker queued it."""
    minutes = tick_minutes()
    if minutes <= 0:
        return False
    now = now or timezone.now()
    ScheduledRun.objects.get_or_create(name="tick")
    due = models.Q(last_queued_at__isnull=True) | models.Q(
        last_queued_at__lte=now - dt.timedelta(minutes=minutes)
    )
    claimed = ScheduledRun.objects.filter(due, name="tick").update(
        last_queued_at=now, queued_by=worker_id[:64]
    )
    if not claimed:
        return False
    from .tasks import tick_task

    tick_task.enqueue()
    log.info("Worker %s queued the periodic tick", worker_id)
    return True


class HeartbeatThread(threading.Thread):
    """Writes `heartbeat(worker_id)` every `interval` seconds until `stop()`. A daemon: it
    never keeps a stopping worker alive. A failed write (a locked SQLite file, a database
    restart) is logged and tried again next time."""

    def __init__(self, worker_id: str, *, interval: float = HEARTBEAT_SECONDS) -> None:
        super().__init__(name=f"lift-heartbeat-{worker_id[:8]}", daemon=True)
        self.worker_id = worker_id
        self.interval = interval
        self._stopped = threading.Event()

    def run(self) -> None:
        while not self._stopped.wait(self.interval):
            try:
                heartbeat(self.worker_id)
                schedule_tick(self.worker_id)
            except Exception:
                log.warning(
                    "Worker %s: heartbeat or tick schedule not written",
                    self.worker_id,
                    exc_info=True,
                )
            finally:
                # This thread's own connection: not held open between beats.
                connections.close_all()

    def stop(self) -> None:
        self._stopped.set()


# --- reading ----------------------------------------------------------------------------


@dataclass(frozen=True)
class WorkerStatus:
    uses_worker: bool  # tasks go through the database queue (else they run at once)
    alive: bool  # a heartbeat within ALIVE_SECONDS
    last_seen: dt.datetime | None  # the latest heartbeat of any worker
    seconds_since_seen: int | None
    queue_length: int  # tasks ready to run that no worker has started
    oldest_waiting_seconds: int | None  # how long the oldest of them has waited
    emails_waiting: int  # e-mails unsent for at least wait_seconds(), with attempts left


def uses_worker() -> bool:
    """Do tasks wait in the database for a worker (production), rather than run at once
    (the test settings' immediate backend)?"""
    try:
        return isinstance(task_backends["default"], DatabaseBackend)
    except Exception:  # no task backend configured
        return False


def _seconds(delta: dt.timedelta) -> int:
    return max(0, int(delta.total_seconds()))


def worker_status(*, now: dt.datetime | None = None) -> WorkerStatus:
    """The workers' heartbeat and the queue behind them (three small queries)."""
    now = now or timezone.now()
    last_seen = WorkerHeartbeat.objects.order_by("-seen_at").values_list("seen_at", flat=True)
    seen = last_seen.first()
    waiting = DBTaskResult.objects.ready().aggregate(count=Count("pk"), oldest=Min("enqueued_at"))
    oldest = waiting["oldest"]
    emails = OutboundEmail.objects.filter(
        sent_at__isnull=True,
        attempts__lt=MAX_ATTEMPTS,
        created_at__lte=now - dt.timedelta(seconds=wait_seconds()),
    ).count()
    return WorkerStatus(
        uses_worker=uses_worker(),
        alive=seen is not None and seen >= now - dt.timedelta(seconds=ALIVE_SECONDS),
        last_seen=seen,
        seconds_since_seen=_seconds(now - seen) if seen is not None else None,
        queue_length=waiting["count"],
        oldest_waiting_seconds=_seconds(now - oldest) if oldest is not None else None,
        emails_waiting=emails,
    )


def worker_missing(*, since: dt.datetime, now: dt.datetime | None = None) -> bool:
    """Has something queued at `since` waited wait_seconds() or more with no live worker
    to run it? (Never, when tasks do not go through the database queue.)"""
    now = now or timezone.now()
    if now - since < dt.timedelta(seconds=wait_seconds()) or not uses_worker():
        return False
    cutoff = now - dt.timedelta(seconds=ALIVE_SECONDS)
    return not WorkerHeartbeat.objects.filter(seen_at__gte=cutoff).exists()
