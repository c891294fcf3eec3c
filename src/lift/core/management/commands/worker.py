"""`lift worker`: the background task worker (django-tasks-db's `db_worker`, with the same
options) that also says it is alive.

It writes a heartbeat (lift.core.workers) when it starts and every few seconds after, from
a thread, so the business unit's home page shows when a worker was last seen, and a
document waiting with no worker says so. Run one or more in production; `make worker` runs
one in the foreground.
"""

from __future__ import annotations

import os
from typing import Any

from django.core.management.base import CommandError
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.management.commands import db_worker

from lift.core.ops.tasks import task_context
from lift.core.workers import HeartbeatThread, heartbeat, heartbeats_forget


class HeartbeatWorker(db_worker.Worker):
    """django-tasks-db's worker loop, with a heartbeat for as long as it runs (in the
    reloader's child process when --reload is on, so a dead child is not reported alive)."""

    def run(self) -> None:
        heartbeats_forget()
        heartbeat(self.worker_id)
        beat = HeartbeatThread(self.worker_id)
        beat.start()
        try:
            super().run()
        finally:
            beat.stop()

    def run_task(self, db_task_result: Any) -> None:
        # The task's log lines carry the request id of the request that queued it.
        with task_context(db_task_result):
            super().run_task(db_task_result)


class Command(db_worker.Command):
    help = (
        "Run a background task worker (documents, e-mail, the tick) that records a heartbeat "
        "every few seconds. Takes the options of db_worker."
    )

    def handle(  # type: ignore[override]
        self,
        *,
        verbosity: int,
        queue_name: str,
        interval: float,
        batch: bool,
        backend_name: str,
        startup_delay: bool,
        reload: bool,
        max_tasks: int | None,
        worker_id: str,
        exclude_queues: str,
        **options: Any,
    ) -> None:
        # As db_worker's handle, with HeartbeatWorker for its Worker.
        self.configure_logging(verbosity)
        if reload and batch:
            db_worker.logger.warning(
                "Warning: --reload and --batch cannot be specified together. Disabling autoreload."
            )
            reload = False
        queue_names = queue_name.split(",")
        excluded = exclude_queues.split(",") if exclude_queues else []
        if excluded and "*" not in queue_names:
            raise CommandError("--exclude-queues can only be used with --queue-name=*")
        worker = HeartbeatWorker(
            queue_names=queue_names,
            interval=interval,
            batch=batch,
            backend_name=backend_name,
            startup_delay=startup_delay,
            max_tasks=max_tasks,
            worker_id=worker_id,
            excluded_queue_names=excluded,
        )
        if reload:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()  # only the child handles the signals
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()
