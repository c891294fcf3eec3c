"""Action reminders, run on every tick (lift.core.tasks.register_tick_step).

- Due soon (within the partnership's reminder_days): the owner and the agency's
  safeguarding lead.
- Overdue: the owner and the agency's safeguarding lead.
- Overdue by more than the partnership's escalation_days: every Chair of the partnership,
  and the action is marked escalated (escalated_on) for the Chair's list.

Every reminder has a key naming the action, the kind and the due date, so running the tick
again sends nothing new, and moving the due date starts the reminders afresh. Titles and
bodies name the action and agency only, never a child.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet

from lift.core.models import Notification, Partnership, RoleAssignment
from lift.core.notify import notify
from lift.core.roles import R

from . import services
from .choices import LIVE_STATUSES
from .models import Action

BATCH = 500
Reminder = tuple[str, Any, str, str, Action]


def _date(d: dt.date) -> str:
    return f"{d:%-d %B %Y}"


def _recipients(action: Action) -> dict[int, Any]:
    people: dict[int, Any] = {}
    if action.owner is not None:
        people[action.owner.pk] = action.owner
    lead = action.owner_agency.safeguarding_lead
    if lead is not None:
        people.setdefault(lead.pk, lead)
    return people


def _live(partnership: Partnership) -> QuerySet[Action]:
    return (
        Action.objects.filter(partnership=partnership, status__in=LIVE_STATUSES)
        .select_related("owner", "owner_agency__safeguarding_lead", "partnership")
        .order_by("pk")
    )


def _reminders(partnership: Partnership, today: dt.date) -> Iterator[Reminder]:
    soon_until = today + dt.timedelta(days=partnership.reminder_days)
    for action in (
        _live(partnership)
        .filter(due_on__gte=today, due_on__lte=soon_until)
        .iterator(chunk_size=BATCH)
    ):
        base = f"action:{action.pk}:due_soon:{action.due_on.isoformat()}"
        for person in _recipients(action).values():
            yield (
                f"{base}:to:{person.pk}",
                person,
                f"Action due soon: {action.title}",
                f"{action.owner_agency.name}'s action is due by {_date(action.due_on)}.",
                action,
            )

    chairs = [
        a.person
        for a in RoleAssignment.objects.current()
        .filter(role=R.CHAIR, partnership=partnership, case_type__isnull=True)
        .select_related("person")
    ]
    escalate_before = today - dt.timedelta(days=partnership.escalation_days)
    for action in _live(partnership).filter(due_on__lt=today).iterator(chunk_size=BATCH):
        base = f"action:{action.pk}:overdue:{action.due_on.isoformat()}"
        for person in _recipients(action).values():
            yield (
                f"{base}:to:{person.pk}",
                person,
                f"Action overdue: {action.title}",
                f"{action.owner_agency.name}'s action was due by {_date(action.due_on)} and "
                "is not recorded as completed.",
                action,
            )
        if action.due_on < escalate_before:
            if action.escalated_on is None:
                services.action_escalate(
                    action=action,
                    today=today,
                    reason=f"Overdue by more than {partnership.escalation_days} days.",
                )
            owner = f" Owner: {action.owner}." if action.owner else ""
            for chair in chairs:
                yield (
                    f"action:{action.pk}:escalated:{action.due_on.isoformat()}:to:{chair.pk}",
                    chair,
                    f"Action overdue by more than {partnership.escalation_days} days: "
                    f"{action.title}",
                    f"Due by {_date(action.due_on)}. Agency: {action.owner_agency.name}.{owner}",
                    action,
                )


def action_reminders(today: dt.date) -> int:
    """Send the day's due-soon, overdue and escalation reminders; returns how many were
    new."""
    sent = 0
    batch: list[Reminder] = []

    def flush() -> int:
        keys = [b[0] for b in batch]
        seen = set(Notification.objects.filter(key__in=keys).values_list("key", flat=True))
        made = 0
        for key, person, title, body, action in batch:
            if key in seen or not person.is_active:
                continue
            notify(
                person=person,
                key=key,
                title=title,
                body=body,
                url=action.get_absolute_url(),
                partnership=action.partnership,
                immediate=":escalated:" in key,  # an escalation does not wait for a digest
            )
            made += 1
        batch.clear()
        return made

    for partnership in Partnership.objects.order_by("pk"):
        for reminder in _reminders(partnership, today):
            batch.append(reminder)
            if len(batch) >= BATCH:
                sent += flush()
    if batch:
        sent += flush()
    return sent
