"""Reminders on the tick: due soon, overdue, escalation to the Chair; each sent once."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from lift.core.models import Notification, OutboundEmail
from lift.core.tasks import tick, tick_steps
from lift.learning import services
from lift.learning.choices import ActionStatus
from tests.factories import immediate_emails

pytestmark = pytest.mark.django_db


@pytest.fixture
def later():
    """A day two months from now (roles created today are current then), frozen."""
    day = timezone.localdate() + dt.timedelta(days=60)
    with time_machine.travel(dt.datetime(day.year, day.month, day.day, 7, 0), tick=False):
        yield day


def test_step_is_registered():
    assert "learning_action_reminders" in tick_steps()


def test_due_soon_overdue_and_escalated_sent_once(
    make_action, agency, lead, chair, police_lead, later, django_capture_on_commit_callbacks
):
    partnership = agency.partnership
    agency.safeguarding_lead = lead
    agency.save()
    owner = police_lead  # owned by someone else, so the lead is told as well
    immediate_emails(owner, lead, chair)  # this test counts the reminders' own e-mails
    soon = make_action(title="Soon", owner=owner, due_on=later + dt.timedelta(days=3))
    late = make_action(title="Late", owner=owner, due_on=later - dt.timedelta(days=2))
    very_late = make_action(
        title="Very late",
        owner=owner,
        due_on=later - dt.timedelta(days=partnership.escalation_days + 1),
    )
    make_action(title="Far off", owner=owner, due_on=later + dt.timedelta(days=60))
    done = make_action(title="Done", owner=owner, due_on=later - dt.timedelta(days=40))
    services.action_update_add(action=done, by=owner, text="Done", status=ActionStatus.COMPLETED)

    with django_capture_on_commit_callbacks(execute=True):
        tick(later)
    keys = set(Notification.objects.values_list("key", flat=True))
    for action, kind in ((soon, "due_soon"), (late, "overdue"), (very_late, "overdue")):
        for person in (owner, lead):
            assert f"action:{action.pk}:{kind}:{action.due_on.isoformat()}:to:{person.pk}" in keys
    assert f"action:{very_late.pk}:escalated:{very_late.due_on.isoformat()}:to:{chair.pk}" in keys
    assert not any(f"action:{late.pk}:escalated" in k for k in keys)
    assert not any(f"action:{done.pk}:" in k for k in keys)
    very_late.refresh_from_db()
    late.refresh_from_db()
    assert very_late.escalated_on == later and late.escalated_on is None

    first_notes, first_mails = Notification.objects.count(), len(mail.outbox)
    assert first_notes == 7 and OutboundEmail.objects.count() == 7
    with django_capture_on_commit_callbacks(execute=True):
        tick(later)
    assert Notification.objects.count() == first_notes
    assert len(mail.outbox) == first_mails and OutboundEmail.objects.count() == 7


def test_an_escalation_reaches_a_chair_on_the_daily_digest_at_once(
    make_action, agency, chair, police_lead, later, django_capture_on_commit_callbacks
):
    """The Chair keeps the default choice (a daily digest): the reminders to the owner
    wait for the digest, the escalation to the Chair goes now."""
    partnership = agency.partnership
    very_late = make_action(
        title="Very late",
        owner=police_lead,
        due_on=later - dt.timedelta(days=partnership.escalation_days + 1),
    )
    with django_capture_on_commit_callbacks(execute=True):
        tick(later)
    escalations = [m for m in mail.outbox if m.to == [chair.email] and "Very late" in m.subject]
    assert len(escalations) == 1
    key = f"action:{very_late.pk}:overdue:{very_late.due_on.isoformat()}:to:{police_lead.pk}"
    assert Notification.objects.filter(key=key).exists()
    assert not OutboundEmail.objects.filter(key=key).exists()  # waits for the digest


def test_moving_the_due_date_starts_reminders_afresh(make_action, lead, later):
    action = make_action(due_on=later - dt.timedelta(days=1))
    tick(later)
    assert Notification.objects.filter(key__contains="overdue").count() == 1
    services.action_due_change(
        action=action, by=lead, due_on=later + dt.timedelta(days=2), reason="Agreed extension"
    )
    tick(later)
    assert Notification.objects.filter(key__contains="due_soon").count() == 1


def test_messages_name_no_child(make_action, later):
    make_action(title="Refresh training", due_on=later - dt.timedelta(days=1))
    tick(later)
    note = Notification.objects.get()
    assert note.title == "Action overdue: Refresh training"
    assert note.url.startswith("/actions/")
