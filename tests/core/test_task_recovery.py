"""Tasks whose worker died: the tick's task_recovery step queues them again (django-tasks'
database worker leaves them "running" for ever)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any
from unittest import mock

import pytest
from django.db import models
from django.utils import timezone
from django_tasks import TaskResultStatus, task_backends
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from lift.core import documents as d
from lift.core import tasks
from lift.core.models import Agency, GeneratedDocument, Person
from lift.core.models.documents import DocumentStatus

pytestmark = pytest.mark.django_db

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def agency_report(subject: models.Model, progress: Callable[[int], None]) -> d.Doc:
    progress(50)
    assert isinstance(subject, Agency)
    return d.Doc(title=f"Report on {subject.name}", sections=[d.Para("Fictional.")])


@pytest.fixture
def db_tasks(settings: Any) -> Iterator[None]:
    """The database task backend (as in production) instead of the immediate one."""
    settings.TASKS = DATABASE_TASKS
    settings.LIFT_TASK_STALE_SECONDS = 600
    saved = d.document_builders()
    d.register_document("test_recovery_report", agency_report)
    yield
    d._builders.clear()
    d._builders.update(saved)


def run_worker() -> None:
    """What `lift db_worker --batch` does: run every ready task, then stop. The worker closes
    "old" connections between tasks; inside the test's transaction that would close the
    test's own connection on PostgreSQL (SQLite's in-memory one ignores it), so not here."""
    with mock.patch(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    ):
        _worker().run()


def _worker() -> Worker:
    return Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker-2",
        excluded_queue_names=[],
    )


def killed_build(
    agency: Agency, person: Person, django_capture_on_commit_callbacks: Any, *, minutes: int
) -> tuple[GeneratedDocument, DBTaskResult]:
    """A document build claimed by a worker `minutes` ago that died part-way through."""
    with django_capture_on_commit_callbacks(execute=True):
        generated = d.document_request(
            kind="test_recovery_report", subject=agency, fmt="html", user=person
        )
    row = DBTaskResult.objects.get()
    assert row.task_path == d.build_document.module_path
    assert row.status == TaskResultStatus.READY
    row.claim("test-worker-1")
    DBTaskResult.objects.filter(pk=row.pk).update(
        started_at=timezone.now() - dt.timedelta(minutes=minutes)
    )
    GeneratedDocument.objects.filter(pk=generated.pk).update(
        status=DocumentStatus.BUILDING, progress=40
    )
    row.refresh_from_db()
    return generated, row


def test_the_database_backend_is_in_use(db_tasks: None) -> None:
    assert isinstance(task_backends["default"], DatabaseBackend)


def test_a_stale_running_task_is_requeued_and_finishes(
    db_tasks: None,
    agency: Agency,
    business_unit: Person,
    django_capture_on_commit_callbacks: Any,
    caplog: pytest.LogCaptureFixture,
) -> None:
    generated, row = killed_build(
        agency, business_unit, django_capture_on_commit_callbacks, minutes=11
    )
    # A worker alone never picks it up again: this is the bug being recovered from.
    run_worker()
    row.refresh_from_db()
    assert row.status == TaskResultStatus.RUNNING

    results = tasks.tick()
    assert results["task_recovery"] == 1
    row.refresh_from_db()
    assert row.status == TaskResultStatus.READY
    assert f"Task {row.pk} ({d.build_document.module_path}, args [{generated.pk}]) requeued" in (
        caplog.text
    )

    run_worker()
    row.refresh_from_db()
    assert row.status == TaskResultStatus.SUCCESSFUL
    assert row.worker_ids == ["test-worker-1", "test-worker-2"]
    assert row.return_value == "ready"
    generated.refresh_from_db()
    assert generated.status == DocumentStatus.READY
    assert generated.progress == 100
    with generated.file.open("rb") as f:
        assert b"Report on" in f.read()


def test_a_recent_running_task_is_left_alone(
    db_tasks: None,
    agency: Agency,
    business_unit: Person,
    django_capture_on_commit_callbacks: Any,
) -> None:
    generated, row = killed_build(
        agency, business_unit, django_capture_on_commit_callbacks, minutes=9
    )
    assert tasks.stale_tasks_requeue() == 0
    row.refresh_from_db()
    assert row.status == TaskResultStatus.RUNNING
    generated.refresh_from_db()
    assert generated.status == DocumentStatus.BUILDING
    # The threshold is the setting's.
    assert tasks.stale_tasks_requeue(stale_seconds=8 * 60) == 1


def test_two_ticks_requeue_once(
    db_tasks: None,
    agency: Agency,
    business_unit: Person,
    django_capture_on_commit_callbacks: Any,
) -> None:
    _, row = killed_build(agency, business_unit, django_capture_on_commit_callbacks, minutes=30)
    assert tasks.tick()["task_recovery"] == 1
    assert tasks.tick()["task_recovery"] == 0
    row.refresh_from_db()
    assert row.status == TaskResultStatus.READY
    assert DBTaskResult.objects.count() == 1


def test_other_packages_tasks_are_left_alone(db_tasks: None) -> None:
    row = DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {}},
        task_path="someone_else.tasks.not_idempotent",
        backend_name="default",
        run_after=timezone.now(),
        status=TaskResultStatus.RUNNING,
        started_at=timezone.now() - dt.timedelta(days=1),
        worker_ids=["gone"],
    )
    assert tasks.stale_tasks_requeue() == 0
    row.refresh_from_db()
    assert row.status == TaskResultStatus.RUNNING


def test_a_task_that_keeps_losing_its_worker_is_given_up(
    db_tasks: None,
    agency: Agency,
    business_unit: Person,
    django_capture_on_commit_callbacks: Any,
) -> None:
    generated, row = killed_build(
        agency, business_unit, django_capture_on_commit_callbacks, minutes=30
    )
    DBTaskResult.objects.filter(pk=row.pk).update(
        worker_ids=[f"worker-{i}" for i in range(tasks.MAX_WORKER_LOSSES)]
    )
    assert tasks.stale_tasks_requeue() == 0
    row.refresh_from_db()
    assert row.status == TaskResultStatus.FAILED
    assert row.exception_class_path == "lift.core.tasks.WorkerLost"
    generated.refresh_from_db()
    assert generated.status == DocumentStatus.FAILED
    assert generated.error.startswith("The build stopped part-way")
    # Given up once: nothing changes on the next tick.
    assert tasks.stale_tasks_requeue() == 0
    assert not d.document_build_given_up(generated_id=generated.pk)
