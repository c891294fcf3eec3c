"""Background work is visible (issue 19 item 6): a document waiting with no live task worker
says so and names the command that starts one; a failed build gives its reason and can be
tried again; the business unit sees the worker's heartbeat and the queue."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any
from unittest import mock

import pytest
from django.db import models
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from lift.core import documents as d
from lift.core import workers
from lift.core.management.commands.worker import HeartbeatWorker
from lift.core.models import Agency, GeneratedDocument, OutboundEmail, Person, WorkerHeartbeat
from lift.core.models.documents import DocumentStatus

pytestmark = pytest.mark.django_db

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
WARNING = b"Nothing is running background work, so this document has not started."


def agency_report(subject: models.Model, progress: Callable[[int], None]) -> d.Doc:
    assert isinstance(subject, Agency)
    return d.Doc(title=f"Report on {subject.name}", sections=[d.Para("Fictional.")])


def broken_report(subject: models.Model, progress: Callable[[int], None]) -> d.Doc:
    raise RuntimeError("The figures for this year are missing.")


@pytest.fixture
def db_tasks(settings: Any) -> Iterator[None]:
    """The database task backend (as in production) instead of the immediate one."""
    settings.TASKS = DATABASE_TASKS
    settings.LIFT_WORKER_WAIT_SECONDS = 60
    saved = d.document_builders()
    d.register_document("test_worker_report", agency_report)
    d.register_document("test_worker_broken", broken_report)
    yield
    d._builders.clear()
    d._builders.update(saved)


def queued(
    agency: Agency, person: Person, capture: Any, *, minutes_ago: float
) -> GeneratedDocument:
    """A document asked for `minutes_ago`, its build task still waiting in the queue."""
    with capture(execute=True):
        generated = d.document_request(
            kind="test_worker_report", subject=agency, fmt="html", user=person
        )
    then = timezone.now() - dt.timedelta(minutes=minutes_ago)
    GeneratedDocument.objects.filter(pk=generated.pk).update(created_at=then, updated_at=then)
    DBTaskResult.objects.filter(status=TaskResultStatus.READY).update(enqueued_at=then)
    generated.refresh_from_db()
    return generated


def run_worker(worker_id: str = "test-heartbeat-worker") -> None:
    """`lift worker --batch`: its heartbeat, then every ready task (see test_task_recovery
    for why old connections are not closed here)."""
    with mock.patch(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    ):
        HeartbeatWorker(
            queue_names=["default"],
            interval=0,
            batch=True,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id=worker_id,
            excluded_queue_names=[],
        ).run()


def page(client_for: Callable[[Person], Client], person: Person, doc: GeneratedDocument) -> Any:
    return client_for(person).get(reverse("core:document_status", args=[doc.pk]))


def test_a_document_waiting_with_no_worker_says_so_and_names_the_command(
    db_tasks: None,
    agency: Agency,
    business_unit: Person,
    client_for: Callable[[Person], Client],
    django_capture_on_commit_callbacks: Any,
) -> None:
    doc = queued(agency, business_unit, django_capture_on_commit_callbacks, minutes_ago=2)
    assert DBTaskResult.objects.ready().count() == 1
    response = page(client_for, business_unit, doc)
    assert response.status_code == 200
    assert WARNING in response.content
    assert b"<code>lift worker</code>" in response.content
    assert b"<code>make worker</code>" in response.content
    assert b"govuk-warning-text" in response.content
    # The page still refreshes itself (a meta refresh: no script, which the CSP forbids).
    assert b'<meta http-equiv="refresh" content="3">' in response.content
    assert b"<script>" not in response.content


def test_no_warning_with_a_fresh_heartbeat_or_before_the_wait_is_up(
    db_tasks: None,
    agency: Agency,
    business_unit: Person,
    client_for: Callable[[Person], Client],
    django_capture_on_commit_callbacks: Any,
) -> None:
    doc = queued(agency, business_unit, django_capture_on_commit_callbacks, minutes_ago=2)
    workers.heartbeat("fresh-worker")
    assert workers.worker_status().alive
    assert WARNING not in page(client_for, business_unit, doc).content

    # A heartbeat older than 30 seconds is a worker gone.
    WorkerHeartbeat.objects.update(seen_at=timezone.now() - dt.timedelta(seconds=45))
    assert not workers.worker_status().alive
    assert WARNING in page(client_for, business_unit, doc).content

    # Asked for 30 seconds ago: not waited long enough to say anything.
    recent = timezone.now() - dt.timedelta(seconds=30)
    GeneratedDocument.objects.filter(pk=doc.pk).update(created_at=recent, updated_at=recent)
    assert WARNING not in page(client_for, business_unit, doc).content


def test_no_warning_when_tasks_run_at_once(
    agency: Agency,
    business_unit: Person,
    client_for: Callable[[Person], Client],
) -> None:
    """The immediate backend (the test settings) needs no worker: nothing to warn about."""
    doc = GeneratedDocument.objects.create(
        partnership=agency.partnership,
        kind="test_worker_report",
        subject=agency,
        format="html",
        requested_by=business_unit,
    )
    GeneratedDocument.objects.filter(pk=doc.pk).update(
        updated_at=timezone.now() - dt.timedelta(minutes=5)
    )
    assert not workers.uses_worker()
    assert WARNING not in page(client_for, business_unit, doc).content


def test_the_worker_command_writes_a_heartbeat_and_runs_the_queue(
    db_tasks: None,
    agency: Agency,
    business_unit: Person,
    django_capture_on_commit_callbacks: Any,
) -> None:
    doc = queued(agency, business_unit, django_capture_on_commit_callbacks, minutes_ago=2)
    WorkerHeartbeat.objects.create(
        worker_id="long-gone", seen_at=timezone.now() - dt.timedelta(days=8)
    )
    before = workers.worker_status()
    assert not before.alive
    assert before.queue_length == 1
    assert before.oldest_waiting_seconds is not None and before.oldest_waiting_seconds >= 110

    run_worker()

    beat = WorkerHeartbeat.objects.get()  # the week-old one was forgotten
    assert beat.worker_id == "test-heartbeat-worker"
    assert beat.pid > 0 and beat.host
    after = workers.worker_status()
    assert after.alive and after.queue_length == 0 and after.oldest_waiting_seconds is None
    doc.refresh_from_db()
    assert doc.status == DocumentStatus.READY


def test_the_heartbeat_thread_beats_until_stopped() -> None:
    beats: list[str] = []
    with (
        mock.patch.object(workers, "heartbeat", lambda worker_id: beats.append(worker_id)),
        mock.patch.object(workers, "schedule_tick", lambda worker_id: False),
    ):
        thread = workers.HeartbeatThread("thread-worker", interval=0.01)
        thread.start()
        for _ in range(200):
            if len(beats) >= 2:
                break
            thread.join(0.01)
        thread.stop()
        thread.join(2)
    assert not thread.is_alive()
    assert beats[:2] == ["thread-worker", "thread-worker"]


def test_a_failed_document_shows_its_reason_and_can_be_tried_again(
    db_tasks: None,
    agency: Agency,
    business_unit: Person,
    client_for: Callable[[Person], Client],
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        doc = d.document_request(
            kind="test_worker_broken", subject=agency, fmt="pdf", user=business_unit
        )
    run_worker()
    doc.refresh_from_db()
    assert doc.status == DocumentStatus.FAILED
    response = page(client_for, business_unit, doc)
    assert b"The figures for this year are missing." in response.content
    assert b"Traceback" not in response.content
    retry_url = reverse("core:document_retry", args=[doc.pk])
    assert retry_url.encode() in response.content
    assert b"Try again" in response.content
    assert b"http-equiv" not in response.content

    tasks_before = DBTaskResult.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        retried = client_for(business_unit).post(retry_url)
    assert retried.status_code == 302
    assert retried["Location"] == doc.get_absolute_url()
    doc.refresh_from_db()
    assert doc.status == DocumentStatus.QUEUED
    assert doc.error == "" and doc.progress == 0 and doc.finished_at is None
    assert DBTaskResult.objects.count() == tasks_before + 1
    assert DBTaskResult.objects.ready().get().args_kwargs["args"] == [doc.pk]
    # Waiting again, so the page shows progress (and no warning: it was just queued).
    again = page(client_for, business_unit, doc)
    assert b"Waiting to start" in again.content
    assert WARNING not in again.content

    # Trying again a document that has not failed does nothing.
    with django_capture_on_commit_callbacks(execute=True):
        client_for(business_unit).post(retry_url)
    assert DBTaskResult.objects.count() == tasks_before + 1


def test_trying_again_is_refused_to_those_who_may_not_see_the_document(
    db_tasks: None,
    agency: Agency,
    business_unit: Person,
    chair: Person,
    learner: Person,
    outsider: Person,
    client_for: Callable[[Person | None], Client],
) -> None:
    doc = GeneratedDocument.objects.create(
        partnership=agency.partnership,
        kind="test_worker_broken",
        subject=agency,
        format="pdf",
        requested_by=business_unit,
        status=DocumentStatus.FAILED,
        error="The figures for this year are missing.",
    )
    url = reverse("core:document_retry", args=[doc.pk])
    for person in (learner, outsider):
        assert client_for(person).post(url).status_code in (403, 404)
    assert client_for(None).post(url).status_code == 302  # to sign in
    doc.refresh_from_db()
    assert doc.status == DocumentStatus.FAILED
    assert not DBTaskResult.objects.exists()
    # Anyone who may see it may try again (not only who asked for it); GET changes nothing.
    assert client_for(chair).get(url).status_code == 405
    assert client_for(chair).post(url).status_code == 302
    doc.refresh_from_db()
    assert doc.status == DocumentStatus.QUEUED


def test_the_business_unit_sees_the_heartbeat_and_the_queue(
    db_tasks: None,
    agency: Agency,
    business_unit: Person,
    client_for: Callable[[Person], Client],
    django_capture_on_commit_callbacks: Any,
) -> None:
    queued(agency, business_unit, django_capture_on_commit_callbacks, minutes_ago=2)
    for n in range(3):
        OutboundEmail.objects.create(
            key=f"test:worker:{n}", to="a@example.test", subject="S", body="B"
        )
    OutboundEmail.objects.update(created_at=timezone.now() - dt.timedelta(minutes=5))

    home = client_for(business_unit).get(reverse("core:home")).content.decode()
    assert "Background work" in home
    assert "No worker has been seen" in home
    assert "Not running" in home
    assert "Start one with lift worker (or make worker)." in home
    assert "1 task waiting" in home
    assert "The oldest was queued 2 minutes ago." in home
    assert "3 e-mails waiting" in home

    WorkerHeartbeat.objects.create(
        worker_id="w1", host="worker-1", pid=42, seen_at=timezone.now() - dt.timedelta(seconds=12)
    )
    home = client_for(business_unit).get(reverse("core:home")).content.decode()
    assert "Worker last seen 12 seconds ago" in home or "Worker last seen 13 seconds ago" in home
    assert "Running" in home and "Not running" not in home


def test_a_learner_does_not_see_the_panel(
    db_tasks: None, learner: Person, chair: Person, client_for: Callable[[Person], Client]
) -> None:
    workers.heartbeat("w1")
    for person in (learner, chair):
        home = client_for(person).get(reverse("core:home"))
        assert home.status_code == 200
        assert b"Background work" not in home.content
