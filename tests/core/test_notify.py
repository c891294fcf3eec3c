"""Notifications and outgoing e-mail: each key is notified and sent at most once."""

from __future__ import annotations

import datetime as dt
from typing import Any
from unittest import mock

import pytest
import time_machine
from django.core import mail

from lift.core import notify as svc
from lift.core.models import Notification, OutboundEmail, Partnership
from lift.core.tasks import send_email_task
from tests.factories import immediate_emails

pytestmark = pytest.mark.django_db


def test_notify_creates_notification_and_sends_email_on_commit(
    business_unit: Any,
    partnership: Partnership,
    settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.LIFT_BASE_URL = "https://lift.example.test"
    immediate_emails(business_unit)
    with django_capture_on_commit_callbacks(execute=True):
        note = svc.notify(
            person=business_unit,
            key="test:1",
            title="Action due",
            body="Due on 3 March.",
            url="/actions/7/",
            partnership=partnership,
        )
        assert mail.outbox == []  # nothing leaves before the transaction commits
    assert (note.person, note.title, note.url) == (business_unit, "Action due", "/actions/7/")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [business_unit.email]
    assert message.subject == "Action due"
    assert "Due on 3 March." in message.body
    assert "https://lift.example.test/actions/7/" in message.body
    assert partnership.name in message.body
    outbound = OutboundEmail.objects.get(key="test:1")
    assert outbound.sent_at is not None and outbound.attempts == 1


def test_notify_twice_with_one_key_does_nothing_more(
    business_unit: Any, django_capture_on_commit_callbacks: Any
) -> None:
    immediate_emails(business_unit)
    with django_capture_on_commit_callbacks(execute=True):
        first = svc.notify(person=business_unit, key="test:2", title="First")
        second = svc.notify(person=business_unit, key="test:2", title="Second")
    assert second.pk == first.pk and second.title == "First"
    assert Notification.objects.count() == 1
    assert OutboundEmail.objects.count() == 1
    assert len(mail.outbox) == 1


def test_notify_without_email(business_unit: Any, django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        svc.notify(person=business_unit, key="test:3", title="In the product only", email=False)
    assert Notification.objects.filter(key="test:3").exists()
    assert not OutboundEmail.objects.exists()
    assert mail.outbox == []


def test_no_email_to_an_inactive_person(
    business_unit: Any, django_capture_on_commit_callbacks: Any
) -> None:
    business_unit.is_active = False
    business_unit.save()
    with django_capture_on_commit_callbacks(execute=True):
        svc.notify(person=business_unit, key="test:4", title="Hello")
    assert not OutboundEmail.objects.exists()


def _outbound(key: str = "mail:1", **kw: Any) -> OutboundEmail:
    return OutboundEmail.objects.create(
        key=key, to="someone@example.test", subject="Subject", body="Body", **kw
    )


def test_send_outbound_sends_once() -> None:
    outbound = _outbound()
    assert svc.send_outbound(outbound.pk) is True
    assert svc.send_outbound(outbound.pk) is False
    assert len(mail.outbox) == 1
    outbound.refresh_from_db()
    assert outbound.attempts == 1 and outbound.sent_at is not None


def test_send_outbound_of_a_missing_row_does_nothing() -> None:
    assert svc.send_outbound(999_999) is False


def test_failure_is_recorded_and_a_retry_sends_once() -> None:
    outbound = _outbound()
    with (
        mock.patch("lift.core.notify.send_mail", side_effect=OSError("mail server down")),
        pytest.raises(OSError),
    ):
        svc.send_outbound(outbound.pk)
    outbound.refresh_from_db()
    assert (outbound.attempts, outbound.sent_at) == (1, None)
    assert outbound.last_error == "OSError: mail server down"
    assert svc.send_outbound(outbound.pk) is True
    assert svc.send_outbound(outbound.pk) is False
    outbound.refresh_from_db()
    assert outbound.attempts == 2 and outbound.last_error == ""
    assert len(mail.outbox) == 1


def test_gives_up_after_max_attempts() -> None:
    outbound = _outbound(attempts=svc.MAX_ATTEMPTS)
    assert svc.send_outbound(outbound.pk) is False
    assert mail.outbox == []


def test_send_email_task_runs_through_the_task_backend() -> None:
    outbound = _outbound()
    result = send_email_task.enqueue(outbound.pk)
    assert result.return_value is True
    send_email_task.enqueue(outbound.pk)
    assert len(mail.outbox) == 1


def test_retry_unsent_requeues_only_old_unsent_mail() -> None:
    with time_machine.travel(dt.datetime(2025, 1, 6, 9, tzinfo=dt.UTC), tick=False):
        old = _outbound("mail:old")
        sent = _outbound("mail:sent", sent_at=dt.datetime(2025, 1, 6, 9, 1, tzinfo=dt.UTC))
        dead = _outbound("mail:dead", attempts=svc.MAX_ATTEMPTS)
    with time_machine.travel(dt.datetime(2025, 1, 6, 10, tzinfo=dt.UTC), tick=False):
        _outbound("mail:new")
        assert svc.outbound_retry_unsent() == 1
    old.refresh_from_db()
    assert old.sent_at is not None
    assert len(mail.outbox) == 1
    dead.refresh_from_db()
    assert (dead.attempts, dead.sent_at) == (svc.MAX_ATTEMPTS, None)
    assert OutboundEmail.objects.get(pk=sent.pk).attempts == 0


def test_email_body_without_url_or_partnership() -> None:
    body = svc.email_body(title="T", body="", url="", partnership=None)
    assert body == "T\n\nThis message was sent by LIFT. Do not reply to it."
