"""Tasks carry the id of the request that queued them.

`DatabaseBackend` (the TASKS backend in the base settings) is django-tasks-db's, storing the
current request id beside the task's arguments (`args_kwargs["lift_request_id"]`: the task
is still called with its own arguments only). The worker (`lift worker`) runs each task
inside `task_context(row)`, so the lines it logs for that task carry the same request id as
the request's lines, and the task's name and id.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django_tasks_db import backend
from django_tasks_db.compat import normalize_json

from .context import OpsContext, current_request_id, opened

KEY = "lift_request_id"


class DatabaseBackend(backend.DatabaseBackend):
    """django-tasks-db's backend; the row it writes also holds the current request id (as
    upstream's `_task_to_db_task`, with one more key: one INSERT, no second write)."""

    def _row(self, task: Any, args: Any, kwargs: Any) -> dict[str, Any]:
        payload: dict[str, Any] = normalize_json({"args": args, "kwargs": kwargs})  # type: ignore[assignment]
        request_id = current_request_id()
        if request_id:
            payload[KEY] = request_id
        return {
            "id": self._get_id(),
            "args_kwargs": payload,
            "priority": task.priority,
            "task_path": task.module_path,
            "queue_name": task.queue_name,
            "run_after": task.run_after,
            "backend_name": self.alias,
        }

    def _task_to_db_task(self, task: Any, args: Any, kwargs: Any) -> Any:
        from django_tasks_db.models import DBTaskResult

        return DBTaskResult.objects.create(**self._row(task, args, kwargs))

    async def _atask_to_db_task(self, task: Any, args: Any, kwargs: Any) -> Any:
        from django_tasks_db.models import DBTaskResult

        return await DBTaskResult.objects.acreate(**self._row(task, args, kwargs))


@contextmanager
def task_context(row: Any) -> Iterator[OpsContext]:
    """The logging context for running the task in `row` (a DBTaskResult)."""
    args_kwargs = row.args_kwargs if isinstance(row.args_kwargs, dict) else {}
    with opened(args_kwargs.get(KEY), task=row.task_path, task_id=str(row.pk)) as ctx:
        yield ctx
