"""The daily digest: one e-mail each working day to each person who chose it.

It lists, for each partnership where the person holds a role, their to-do list soonest
due first (`todo.items_for`), and the notifications they got since their last digest that
were waiting for it (`Notification.email_pending`, set by `notify` for people on the
digest), leaving out those already read and those linking to a step or record on the
list. Nothing is sent to someone with nothing to say.

Sent with the first tick from 7am on each working day (SEND_FROM), at most once a person
a day: the e-mail is an OutboundEmail keyed
`digest:<person id>:<yyyy-mm-dd>`, made in the same transaction that takes the waiting
notifications off the queue, and sent by `send_email_task` (which locks the row and sends
only if not yet sent). So a second tick, two ticks at once, a tick whose worker died and
was run again, or a retried send task, all send the one e-mail. Only on working days in
England and Wales (no digest on a Saturday, a Sunday or a bank holiday; what was waiting
goes in the next working day's digest).

Like every LIFT e-mail, the digest carries no child-identifying data: to-do titles name
the step and the record by its label or pseudonym, notification titles are written for
e-mail (see lift.core.notify), and each line links to LIFT for the rest.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Iterable, Sequence

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from . import todo
from .calendar import is_working_day
from .models import ClockState, Notification, OutboundEmail, Partnership, Person, RoleAssignment
from .models.people import EmailChoice
from .notify import _absolute, _enqueue

log = logging.getLogger(__name__)

# The tick runs every 15 minutes: the day's digest goes with the first tick from 7am (a
# tick for a past day, e.g. `lift tick` run late, sends that day's at once).
SEND_FROM = dt.time(7, 0)
# Lines listed per partnership in one digest; the rest are on the to-do list.
MAX_ITEMS = 40
MAX_NOTIFICATIONS = 40
BATCH = 500


def digest_key(person_id: int, day: dt.date) -> str:
    return f"digest:{person_id}:{day.isoformat()}"


def _day(d: dt.date) -> str:
    return f"{d:%A %-d %B %Y}"


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _item_line(item: todo.ToDo, day: dt.date) -> list[str]:
    parts = [item.title]
    if item.due_on is not None:
        parts.append(f"due {item.due_on:%-d %B %Y}")
    state = item.state(day)
    if state in (ClockState.OVERDUE, ClockState.DUE_SOON):
        parts.append(str(ClockState(state).label).lower())
    lines = [f"- {', '.join(parts)}"]
    if item.url:
        lines.append(f"  {_absolute(item.url)}")
    return lines


def _notification_line(n: Notification) -> list[str]:
    lines = [f"- {n.title}"]
    if n.url:
        lines.append(f"  {_absolute(n.url)}")
    return lines


def digest_body(
    *,
    day: dt.date,
    sections: Sequence[tuple[Partnership | None, list[todo.ToDo], list[Notification]]],
) -> str:
    """The digest's text: per partnership, the to-do list then the new notifications."""
    out = [f"Your LIFT summary for {_day(day)}", ""]
    for partnership, items, notes in sections:
        out += [partnership.name if partnership is not None else "LIFT", ""]
        if items:
            out.append(f"Your to-do list, soonest due first ({len(items)}):")
            for item in items[:MAX_ITEMS]:
                out += _item_line(item, day)
            if len(items) > MAX_ITEMS:
                more = len(items) - MAX_ITEMS
                out.append(f"- and {_plural(more, 'more step', 'more steps')}")
            out.append(f"Your whole to-do list: {_absolute(reverse('core:todo_list'))}")
            out.append("")
        if notes:
            out.append(f"New notifications ({len(notes)}):")
            for n in notes[:MAX_NOTIFICATIONS]:
                out += _notification_line(n)
            if len(notes) > MAX_NOTIFICATIONS:
                more = len(notes) - MAX_NOTIFICATIONS
                out.append(f"- and {_plural(more, 'more notification', 'more notifications')}")
            out.append("")
    out += [
        f"All your notifications: {_absolute(reverse('core:notification_list'))}",
        "You get this e-mail because you chose a daily summary. To change how LIFT e-mails "
        f"you: {_absolute(reverse('accounts:email_choice'))}",
        "",
        "This message was sent by LIFT. Do not reply to it.",
    ]
    return "\n".join(out)


def _subject(items: int, notes: int) -> str:
    parts = []
    if items:
        parts.append(_plural(items, "thing to do", "things to do"))
    if notes:
        parts.append(_plural(notes, "new notification", "new notifications"))
    return f"LIFT: {' and '.join(parts)}"


def _sections(
    person: Person, partnerships: dict[int, Partnership], pending: Iterable[Notification]
) -> list[tuple[Partnership | None, list[todo.ToDo], list[Notification]]]:
    from .access import assignments_for

    notes_by: dict[int | None, list[Notification]] = defaultdict(list)
    for n in pending:
        if n.read_at is None:  # already read in LIFT: nothing new to tell
            notes_by[n.partnership_id].append(n)
    ids = {a.partnership_id for a in assignments_for(person)} | set(notes_by)
    found = [(partnerships.get(pid) if pid is not None else None, pid) for pid in ids]
    found.sort(key=lambda f: (f[0] is None, f[0].name if f[0] is not None else ""))
    out = []
    for partnership, pid in found:
        if pid is not None and partnership is None:
            continue
        items = todo.items_for(person, partnership) if partnership is not None else []
        # A notification asking for a step listed above ("Decision needed") says it twice.
        listed = {item.url for item in items} | {item.subject_url for item in items}
        notes = [n for n in notes_by.get(pid, []) if not n.url or n.url not in listed]
        if items or notes:
            out.append((partnership, items, notes))
    return out


def digest_queue(person: Person, day: dt.date, partnerships: dict[int, Partnership]) -> bool:
    """Queue `person`'s digest for `day` unless it is queued already or there is nothing
    to say; True if this call queued it. The waiting notifications are taken off the queue
    in the same transaction, so they are in one digest only."""
    key = digest_key(person.pk, day)
    with transaction.atomic():
        if OutboundEmail.objects.filter(key=key).exists():
            return False
        pending = list(
            Notification.objects.select_for_update()
            .filter(person=person, email_pending=True)
            .order_by("created_at", "pk")
        )
        sections = _sections(person, partnerships, pending)
        if sections:
            items = sum(len(s[1]) for s in sections)
            notes = sum(len(s[2]) for s in sections)
            outbound, queued = OutboundEmail.objects.get_or_create(
                key=key,
                defaults={
                    "to": person.email,
                    "subject": _subject(items, notes),
                    "body": digest_body(day=day, sections=sections),
                },
            )
            if not queued:
                return False  # another tick queued it first
            transaction.on_commit(lambda: _enqueue(outbound.pk))
        if pending:
            Notification.objects.filter(pk__in=[n.pk for n in pending]).update(email_pending=False)
        return bool(sections)


def digests_send(day: dt.date) -> int:
    """Queue the day's digest of everyone on the daily digest (a tick step); returns how
    many were queued. Nothing on a day that is not a working day, nor before SEND_FROM."""
    if not is_working_day(day):
        return 0
    now = timezone.localtime()
    if day >= now.date() and now.time() < SEND_FROM:
        return 0
    with_role = RoleAssignment.objects.current().values("person_id")
    waiting = Notification.objects.filter(email_pending=True).values("person_id")
    people = (
        Person.objects.filter(is_active=True, email_choice=EmailChoice.DIGEST)
        .exclude(email="")
        .filter(Q(pk__in=with_role) | Q(pk__in=waiting))
        .order_by("pk")
    )
    ids = list(people.values_list("pk", flat=True))
    partnerships = Partnership.objects.in_bulk()
    queued = 0
    failure: Exception | None = None
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        done = set(
            OutboundEmail.objects.filter(key__in=[digest_key(pk, day) for pk in chunk]).values_list(
                "key", flat=True
            )
        )
        for person in Person.objects.filter(pk__in=chunk).order_by("pk"):
            if digest_key(person.pk, day) in done:
                continue
            try:
                queued += digest_queue(person, day, partnerships)
            except Exception as exc:  # one person's failure must not stop the others'
                log.exception("Digest for person %s not queued", person.pk)
                failure = failure or exc
    if failure is not None:
        raise failure
    return queued
