"""The daily digest: working days only, the to-do list by due date and the waiting
notifications, once a person a day however often the tick or the send task runs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.core import mail

from lift.core import tasks, todo
from lift.core.digest import digest_key, digests_send
from lift.core.models import Notification, OutboundEmail, Person, RoleAssignment
from lift.core.models.people import EmailChoice
from lift.core.notify import notify, send_outbound
from lift.core.tasks import send_email_task

D = dt.date
pytestmark = pytest.mark.django_db

MONDAY = D(2025, 3, 10)
SATURDAY = D(2025, 3, 15)
BANK_HOLIDAY = D(2025, 8, 25)  # Summer bank holiday (England), a Monday
CHILD_NAME = "Jayden Smith-Okafor"


def at(day: dt.date, hour: int = 8) -> Any:
    """`hour` o'clock in London on `day` (a March day: GMT)."""
    return time_machine.travel(
        dt.datetime(day.year, day.month, day.day, hour, tzinfo=dt.UTC), tick=False
    )


@pytest.fixture
def steps(monkeypatch: pytest.MonkeyPatch) -> dict[int, list[todo.ToDo]]:
    """A kind of to-do whose items the test sets per person (only it is registered)."""
    by_person: dict[int, list[todo.ToDo]] = {}

    def provider(person: Any, partnership: Any) -> Iterator[todo.ToDo]:
        yield from by_person.get(person.pk, [])

    monkeypatch.setattr(todo, "_kinds", {})
    todo.register(todo.Kind(key="test.step", label="Test step", provider=provider))
    return by_person


@pytest.fixture
def lead_steps(lead: Person, steps: dict[int, list[todo.ToDo]]) -> list[todo.ToDo]:
    items = [
        todo.ToDo(
            kind="test.step",
            title="Quality assure the IMR for Child B",
            url="/b/",
            due_on=D(2025, 3, 20),
        ),
        todo.ToDo(
            kind="test.step",
            title="Send the return for Child A",
            url="/a/",
            due_on=D(2025, 3, 7),
            hint=CHILD_NAME,
        ),
        todo.ToDo(kind="test.step", title="Verify impact", url="/c/"),
    ]
    steps[lead.pk] = items
    RoleAssignment.objects.update(starts_on=D(2015, 1, 1))
    return items


def run(day: dt.date, capture: Any, hour: int = 8) -> dict[str, int]:
    with at(day, hour), capture(execute=True):
        return tasks.tick(day)


def digests() -> list[Any]:
    return [m for m in mail.outbox if "LIFT summary" in m.body]


def test_lists_the_to_do_list_by_due_date_and_the_waiting_notifications(
    lead: Person,
    lead_steps: list[todo.ToDo],
    partnership: Any,
    settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.LIFT_BASE_URL = "https://lift.example.test"
    with at(D(2025, 3, 7)), django_capture_on_commit_callbacks(execute=True):
        notify(
            person=lead,
            key="t:1",
            title="Decision needed: Child A",
            url="/x/",
            partnership=partnership,
        )
        notify(person=lead, key="t:2", title="Read already", partnership=partnership)
        notify(person=lead, key="t:7", title="Return awaited", url="/a/", partnership=partnership)
    Notification.objects.filter(key="t:2").update(read_at=dt.datetime(2025, 3, 7, tzinfo=dt.UTC))
    assert mail.outbox == []  # on the digest: nothing sent when notified

    result = run(MONDAY, django_capture_on_commit_callbacks)
    assert result["digests"] == 1
    [message] = mail.outbox
    assert message.to == [lead.email]
    assert message.subject == "LIFT: 3 things to do and 1 new notification"
    body = message.body
    assert "Your LIFT summary for Monday 10 March 2025" in body
    assert partnership.name in body
    # Soonest due first, undated last; overdue said so.
    first = body.index("Send the return for Child A, due 7 March 2025, overdue")
    second = body.index("Quality assure the IMR for Child B, due 20 March 2025")
    third = body.index("- Verify impact")
    assert first < second < third
    assert "https://lift.example.test/a/" in body
    assert "Decision needed: Child A" in body and "https://lift.example.test/x/" in body
    assert "Read already" not in body
    assert "Return awaited" not in body  # its step is on the list already
    assert CHILD_NAME not in body  # an item's hint is not e-mailed
    assert "https://lift.example.test/accounts/emails/" in body
    assert not Notification.objects.filter(email_pending=True).exists()
    outbound = OutboundEmail.objects.get(key=digest_key(lead.pk, MONDAY))
    assert outbound.sent_at is not None


def test_the_tick_run_twice_sends_one_digest(
    lead: Person, lead_steps: list[todo.ToDo], django_capture_on_commit_callbacks: Any
) -> None:
    assert run(MONDAY, django_capture_on_commit_callbacks)["digests"] == 1
    assert run(MONDAY, django_capture_on_commit_callbacks, hour=9)["digests"] == 0
    assert len(digests()) == 1
    # The next working day's comes the next day; its notifications were in the first one.
    run(D(2025, 3, 11), django_capture_on_commit_callbacks)
    assert len(digests()) == 2
    assert OutboundEmail.objects.filter(key__startswith="digest:").count() == 2


def test_a_retried_send_task_sends_once(
    lead: Person, lead_steps: list[todo.ToDo], django_capture_on_commit_callbacks: Any
) -> None:
    run(MONDAY, django_capture_on_commit_callbacks)
    outbound = OutboundEmail.objects.get(key=digest_key(lead.pk, MONDAY))
    send_email_task.enqueue(outbound.pk)
    assert send_outbound(outbound.pk) is False
    assert len(digests()) == 1


def test_a_worker_killed_before_sending_sends_once_later(
    lead: Person, lead_steps: list[todo.ToDo], django_capture_on_commit_callbacks: Any
) -> None:
    """The digest was queued but its send task never ran (the worker died): the next tick
    does not queue another, and the e-mail retry step sends the one queued, once."""
    with at(MONDAY):
        assert digests_send(MONDAY) == 1  # on-commit callbacks not run: nothing sent
    assert mail.outbox == []
    half_an_hour_later = dt.datetime(2025, 3, 10, 8, 30, tzinfo=dt.UTC)
    with (
        time_machine.travel(half_an_hour_later, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        result = tasks.tick(MONDAY)
    assert result["digests"] == 0 and result["email_retry"] == 1
    run(MONDAY, django_capture_on_commit_callbacks, hour=10)
    assert len(digests()) == 1


@pytest.mark.parametrize("day", [SATURDAY, BANK_HOLIDAY], ids=["saturday", "bank-holiday"])
def test_no_digest_on_a_day_that_is_not_a_working_day(
    day: dt.date,
    lead: Person,
    lead_steps: list[todo.ToDo],
    partnership: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with at(day), django_capture_on_commit_callbacks(execute=True):
        notify(person=lead, key="t:3", title="Waits", partnership=partnership)
    assert run(day, django_capture_on_commit_callbacks)["digests"] == 0
    assert mail.outbox == []
    # What waited goes in the next working day's digest.
    next_day = day + dt.timedelta(days=2 if day == SATURDAY else 1)
    run(next_day, django_capture_on_commit_callbacks)
    [message] = digests()
    assert "Waits" in message.body


def test_not_before_seven_in_the_morning(
    lead: Person, lead_steps: list[todo.ToDo], django_capture_on_commit_callbacks: Any
) -> None:
    assert run(MONDAY, django_capture_on_commit_callbacks, hour=6)["digests"] == 0
    assert mail.outbox == []
    assert run(MONDAY, django_capture_on_commit_callbacks, hour=7)["digests"] == 1


def test_nothing_to_say_sends_nothing(
    lead: Person, steps: dict[int, list[todo.ToDo]], django_capture_on_commit_callbacks: Any
) -> None:
    assert run(MONDAY, django_capture_on_commit_callbacks)["digests"] == 0
    assert mail.outbox == [] and not OutboundEmail.objects.exists()


@pytest.mark.parametrize("choice", [EmailChoice.IMMEDIATE, EmailChoice.NONE])
def test_only_people_who_chose_the_digest_get_one(
    choice: str,
    lead: Person,
    lead_steps: list[todo.ToDo],
    partnership: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    Person.objects.filter(pk=lead.pk).update(email_choice=choice)
    lead.refresh_from_db()
    with at(D(2025, 3, 7)), django_capture_on_commit_callbacks(execute=True):
        notify(person=lead, key="t:4", title="Hello", partnership=partnership)
    sent_now = len(mail.outbox)
    assert sent_now == (1 if choice == EmailChoice.IMMEDIATE else 0)
    assert run(MONDAY, django_capture_on_commit_callbacks)["digests"] == 0
    assert len(mail.outbox) == sent_now


def test_an_email_already_sent_is_not_in_the_digest(
    lead: Person,
    steps: dict[int, list[todo.ToDo]],
    partnership: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with at(D(2025, 3, 7)), django_capture_on_commit_callbacks(execute=True):
        notify(person=lead, key="t:5", title="Chased", partnership=partnership, immediate=True)
        notify(person=lead, key="t:6", title="Waiting", partnership=partnership)
    run(MONDAY, django_capture_on_commit_callbacks)
    [chase, digest] = mail.outbox
    assert chase.subject == "Chased"
    assert "Waiting" in digest.body and "Chased" not in digest.body


def test_someone_deactivated_gets_no_digest(
    lead: Person, lead_steps: list[todo.ToDo], django_capture_on_commit_callbacks: Any
) -> None:
    Person.objects.filter(pk=lead.pk).update(is_active=False)
    assert run(MONDAY, django_capture_on_commit_callbacks)["digests"] == 0
    assert mail.outbox == []
