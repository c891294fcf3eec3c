"""The background task workers' heartbeats: which workers are alive, and when each was
last seen (`lift worker` writes one; see lift.core.workers)."""

from __future__ import annotations

from django.db import models


class WorkerHeartbeat(models.Model):
    """One task worker process, and the last time it said it was alive. Not about any
    partnership: one worker serves them all."""

    worker_id = models.CharField(max_length=64, unique=True)
    host = models.CharField(max_length=255, blank=True)
    pid = models.PositiveIntegerField(default=0)
    seen_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-seen_at"]

    def __str__(self) -> str:
        return f"Worker {self.worker_id} on {self.host or '?'} (pid {self.pid})"


class ScheduledRun(models.Model):
    """When a periodic job (the tick) was last queued, and by which worker: the workers
    claim each run with one conditional UPDATE, so exactly one of them queues it however
    many run (lift.core.workers.schedule_tick)."""

    name = models.CharField(max_length=40, unique=True)
    last_queued_at = models.DateTimeField(null=True, blank=True)
    queued_by = models.CharField(max_length=64, blank=True)

    def __str__(self) -> str:
        return f"{self.name}: last queued {self.last_queued_at or 'never'}"
