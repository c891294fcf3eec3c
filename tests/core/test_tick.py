"""The periodic tick: clock states, reminders, escalation, idempotency and the step registry."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from lift.core import tasks
from lift.core.clocks import clock_meet, clock_start
from lift.core.history import for_object
from lift.core.models import (
    Agency,
    Clock,
    ClockState,
    Notification,
    Partnership,
    RoleAssignment,
)
from tests.factories import immediate_emails, person_with_role

D = dt.date
pytestmark = pytest.mark.django_db


def at(day: dt.date) -> Any:
    return time_machine.travel(
        dt.datetime(day.year, day.month, day.day, 12, tzinfo=dt.UTC), tick=False
    )


@pytest.fixture
def clock(agency: Agency, business_unit: Any) -> Clock:
    """Notify Ofsted and the LSCB: started Friday 20 Dec 2024, due Tuesday 31 Dec. Its owner
    chose an e-mail for each notification (these tests are about the reminders' e-mails)."""
    immediate_emails(business_unit)
    with at(D(2024, 12, 20)):
        return clock_start(
            subject=agency,
            rule="notification",
            started_on=D(2024, 12, 20),
            owner=business_unit,
            agency=agency,
        )


@pytest.fixture
def run(django_capture_on_commit_callbacks: Any) -> Any:
    def run_tick(day: dt.date) -> dict[str, int]:
        # Roles are made today (real time); the tick runs in the past, when they must hold.
        RoleAssignment.objects.update(starts_on=D(2015, 1, 1))
        with at(day), django_capture_on_commit_callbacks(execute=True):
            return tasks.tick(day)

    return run_tick


def recipients() -> list[str]:
    return sorted(m.to[0] for m in mail.outbox)


def test_due_soon_reminds_the_owner_once(
    clock: Clock, business_unit: Any, lead: Any, run: Any
) -> None:
    result = run(D(2024, 12, 27))
    assert result["clocks"] == 1 and result["clock_reminders"] == 1
    assert recipients() == [business_unit.email]
    assert mail.outbox[0].subject == "Due soon: Notify Ofsted and the LSCB of the serious incident"
    assert "due by 31 December 2024" in mail.outbox[0].body
    again = run(D(2024, 12, 27))
    assert again["clocks"] == 0 and again["clock_reminders"] == 0
    assert len(mail.outbox) == 1
    note = Notification.objects.get()
    assert note.key == f"clock:{clock.pk}:due_soon:2024-12-31:to:{business_unit.pk}"


def test_overdue_reminds_owner_and_agency_lead_once(
    clock: Clock, business_unit: Any, lead: Any, chair: Any, run: Any
) -> None:
    immediate_emails(lead)
    run(D(2025, 1, 2))
    run(D(2025, 1, 2))
    run(D(2025, 1, 3))
    assert recipients() == sorted([business_unit.email, lead.email])
    assert all(m.subject.startswith("Overdue: ") for m in mail.outbox)
    clock.refresh_from_db()
    assert clock.state == ClockState.OVERDUE


def test_long_overdue_escalates_to_the_chairs_of_that_partnership_only(
    clock: Clock,
    business_unit: Any,
    lead: Any,
    chair: Any,
    partnership: Partnership,
    other_partnership: Partnership,
    run: Any,
) -> None:
    immediate_emails(lead)
    # The escalation is e-mailed straight away, whatever the Chairs chose (the daily digest).
    second_chair = person_with_role("chair", partnership, full_name="Second Chair")
    elsewhere_chair = person_with_role("chair", other_partnership, full_name="Elsewhere Chair")
    run(D(2025, 1, 14))  # 14 days overdue: not more than escalation_days (14)
    assert chair.email not in recipients()
    run(D(2025, 1, 15))
    run(D(2025, 1, 16))
    assert recipients() == sorted(
        [business_unit.email, lead.email, chair.email, second_chair.email]
    )
    assert elsewhere_chair.email not in recipients()
    escalation = next(m for m in mail.outbox if m.to == [chair.email])
    assert escalation.subject.startswith("Overdue by more than 14 days: ")
    assert f"Agency: {clock.agency.name}." in escalation.body


def test_met_and_stopped_clocks_send_nothing(clock: Clock, run: Any) -> None:
    with at(D(2024, 12, 23)):
        clock_meet(clock=clock, on=D(2024, 12, 23))
    run(D(2025, 2, 1))
    assert mail.outbox == []


def test_a_new_due_date_means_a_new_reminder(clock: Clock, business_unit: Any, run: Any) -> None:
    run(D(2024, 12, 27))
    Clock.objects.filter(pk=clock.pk).update(due_on=D(2025, 1, 7), state=ClockState.RUNNING)
    run(D(2025, 1, 6))
    assert len(mail.outbox) == 2


def test_tick_changes_are_attributed_to_the_task(clock: Clock, run: Any) -> None:
    run(D(2024, 12, 27))
    entry = for_object(clock).first()
    assert (entry.source, entry.reason) == ("task", "Scheduled tick")


def test_a_registered_step_runs_with_today(clock: Clock, run: Any) -> None:
    seen: list[dt.date] = []

    def step(today: dt.date) -> int:
        seen.append(today)
        return 7

    tasks.register_tick_step(step, name="test_step")
    try:
        assert "test_step" in tasks.tick_steps()
        result = run(D(2025, 1, 6))
        assert result["test_step"] == 7 and seen == [D(2025, 1, 6)]
        tasks.register_tick_step(lambda today: 8, name="test_step")  # replaces, not adds
        assert run(D(2025, 1, 6))["test_step"] == 8
    finally:
        tasks._steps.pop("test_step", None)


@pytest.fixture
def broken_first() -> Iterator[None]:
    """A failing step registered ahead of the core steps."""
    saved = tasks._steps

    def broken(today: dt.date) -> int:
        raise RuntimeError("step failed")

    tasks._steps = {"broken": broken, **saved}
    yield
    tasks._steps = saved


def test_a_failing_step_does_not_stop_the_others(
    clock: Clock, broken_first: None, run: Any
) -> None:
    with pytest.raises(RuntimeError, match="step failed"):
        run(D(2024, 12, 27))
    clock.refresh_from_db()
    assert clock.state == ClockState.DUE_SOON
    assert len(mail.outbox) == 1


def test_the_agencys_named_lead_is_reminded_too(
    clock: Clock, agency: Agency, business_unit: Any, run: Any
) -> None:
    named = person_with_role(
        "board_member", agency.partnership, full_name="Named Lead", immediate_emails=True
    )
    agency.safeguarding_lead = named
    agency.save()
    run(D(2025, 1, 2))
    assert recipients() == sorted([business_unit.email, named.email])


def test_tick_task_through_the_backend(
    clock: Clock, django_capture_on_commit_callbacks: Any
) -> None:
    with at(D(2024, 12, 27)), django_capture_on_commit_callbacks(execute=True):
        result = tasks.tick_task.enqueue()
    assert result.return_value["clocks"] == 1
    assert len(mail.outbox) == 1


def test_tick_command_runs_now_and_is_attributed_to_a_command(
    clock: Clock, capsys: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        call_command("tick", "--date", "2024-12-27")
    out = capsys.readouterr().out
    assert "clocks: 1" in out and "clock_reminders: 1" in out
    assert for_object(clock).first().source == "command"
    assert len(mail.outbox) == 1


def test_tick_command_can_enqueue(clock: Clock, capsys: Any) -> None:
    with at(D(2024, 12, 27)):
        call_command("tick", "--enqueue")
    assert "Tick queued" in capsys.readouterr().out
    clock.refresh_from_db()
    assert clock.state == ClockState.DUE_SOON  # the immediate backend ran it


def test_tick_command_refuses_a_bad_date() -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("tick", "--date", "27/12/2024")
