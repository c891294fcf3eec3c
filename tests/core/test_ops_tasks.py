"""Tasks carry the request id of the request that queued them (issue 23, 5)."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from django_tasks import TaskResultStatus, task
from django_tasks_db.models import DBTaskResult

from lift.core.management.commands.worker import HeartbeatWorker
from lift.core.ops import context
from lift.core.ops.tasks import KEY

from .ops_capture import captured_log

task_log = logging.getLogger("lift.tests.task")

QUEUED = {"default": {"BACKEND": "lift.core.ops.tasks.DatabaseBackend", "QUEUES": ["default"]}}


@task()
def ops_probe_task(n: int) -> int:
    task_log.info("probe task ran with %s", n)
    return n * 2


@task()
def ops_failing_task() -> None:
    raise RuntimeError("this task fails on purpose")


def worker() -> HeartbeatWorker:
    return HeartbeatWorker(
        queue_names=["default"],
        interval=0.1,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="ops-test-worker",
        excluded_queue_names=[],
    )


@pytest.fixture
def queued(settings: Any) -> None:
    settings.TASKS = QUEUED


@pytest.mark.django_db
def test_the_request_id_goes_with_the_task_and_onto_the_workers_lines(queued: None) -> None:
    with context.opened("req-task-1"):
        result = ops_probe_task.enqueue(5)
    row = DBTaskResult.objects.get(pk=result.id)
    assert row.args_kwargs[KEY] == "req-task-1"
    assert row.task_result.args == [5] and row.task_result.kwargs == {}

    with captured_log() as out:
        worker().run_task(row)
    row.refresh_from_db()
    assert row.status == TaskResultStatus.SUCCESSFUL
    assert row.return_value == 10  # called with its own arguments only
    task_lines = [line for line in out.lines if line["logger"] == "lift.tests.task"]
    assert [line["message"] for line in task_lines] == ["probe task ran with 5"]
    assert task_lines[0]["request_id"] == "req-task-1"
    assert task_lines[0]["task"].endswith("ops_probe_task")
    assert task_lines[0]["task_id"] == str(row.pk)
    # django-tasks' own "Task id=... state=..." lines carry it too.
    tasks_lines = [line for line in out.lines if line["logger"] == "django_tasks"]
    assert tasks_lines and {line["request_id"] for line in tasks_lines} == {"req-task-1"}


@pytest.mark.django_db
def test_a_task_queued_outside_a_request_gets_an_id_of_its_own(queued: None) -> None:
    result = ops_probe_task.enqueue(1)
    row = DBTaskResult.objects.get(pk=result.id)
    assert KEY not in row.args_kwargs
    with captured_log() as out:
        worker().run_task(row)
    (line,) = [line for line in out.lines if line["logger"] == "lift.tests.task"]
    assert context.valid_request_id(line["request_id"])


@pytest.mark.django_db
def test_a_request_that_queues_a_task_passes_its_id(
    queued: None, client_for: Any, business_unit: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Through the middleware: the id in the request's header is on the queued row."""
    from lift.core.views import pages

    def home(self: Any, request: Any, *args: Any, **kwargs: Any) -> Any:
        from django.http import HttpResponse

        ops_probe_task.enqueue(3)
        return HttpResponse("queued")

    monkeypatch.setattr(pages.HomeView, "get", home)
    response = client_for(business_unit).get("/", HTTP_X_REQUEST_ID="from-the-balancer-7")
    assert response.status_code == 200
    row = DBTaskResult.objects.get()
    assert row.args_kwargs[KEY] == "from-the-balancer-7"


@pytest.mark.django_db
def test_a_failed_task_is_logged_with_its_request_id(queued: None) -> None:
    with context.opened("req-fail-1"):
        result = ops_failing_task.enqueue()
    row = DBTaskResult.objects.get(pk=result.id)
    with captured_log() as out:
        worker().run_task(row)
    row.refresh_from_db()
    assert row.status == TaskResultStatus.FAILED
    failed = [line for line in out.lines if line["level"] == "ERROR"]
    assert failed and failed[0]["request_id"] == "req-fail-1"
    assert "RuntimeError" in failed[0]["exc"]
