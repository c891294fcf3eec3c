"""Background tasks: sending e-mail and the periodic tick.

The tick refreshes every clock's state and sends the reminders that follow from it. It
runs from the worker (`tick_task.enqueue()`, or `lift tick --enqueue`) or straight from
cron (`lift tick`). Every step is idempotent: reminders are keyed, so running the tick
twice sends nothing new.

Every LIFT task is safe to run again (a task whose worker died is queued again by the
`task_recovery` step, see `stale_tasks_requeue`): `tick_task` (every step idempotent),
`send_email_task` and the training area's `send_booking_email_task` (the row is locked and
sent only if not yet sent), and `build_document` (a ready document is left alone; a
half-built one starts again). A new task must be the same.

Other apps add their own reminders without editing this file, from their AppConfig.ready:

    from lift.core.tasks import register_tick_step

    def training_follow_ups(today: date) -> int:   # returns how many it queued
        ...

    register_tick_step(training_follow_ups)
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Callable, Iterator
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone
from django_tasks import TaskResultStatus, task
from django_tasks_db.models import DBTaskResult

from . import roles as r
from .clocks import clocks_refresh
from .history import acting
from .models import Clock, ClockState, Notification, RoleAssignment
from .notify import notify, outbound_retry_unsent, send_outbound

log = logging.getLogger(__name__)

TickStep = Callable[[dt.date], int]
_steps: dict[str, TickStep] = {}
DIGESTS = "digests"  # the daily digest step, run last


def register_tick_step(step: TickStep, *, name: str | None = None) -> TickStep:
    """Run `step(today)` on every tick, after the steps registered before it.

    The step returns how many things it did (for the log) and must be idempotent. Steps
    are keyed by name (default: module and function name), so registering again replaces.
    Usable as a decorator.
    """
    _steps[name or f"{step.__module__}.{step.__qualname__}"] = step
    return step


def tick_steps() -> dict[str, TickStep]:
    return dict(_steps)


def tick(today: dt.date | None = None, *, source: str = "task") -> dict[str, int]:
    """Run every tick step for `today`; returns what each step did, by name.

    A failing step is logged and the others still run; the first failure is raised at the
    end so the task is recorded as failed.
    """
    today = today or timezone.localdate()
    results: dict[str, int] = {}
    failure: Exception | None = None
    with acting(source=source, reason="Scheduled tick"):
        for name, step in sorted(_steps.items(), key=lambda kv: kv[0] == DIGESTS):
            try:
                results[name] = step(today)
            except Exception as exc:  # keep the other steps running
                log.exception("Tick step %s failed", name)
                failure = failure or exc
    if failure is not None:
        raise failure
    return results


@task()
def tick_task() -> dict[str, int]:
    """The tick, run by the task worker."""
    return tick()


@task()
def send_email_task(outbound_id: int) -> bool:
    """Send one queued e-mail (at most once, however often the task runs)."""
    with acting(source="task"):
        return send_outbound(outbound_id)


# --- tasks whose worker died -----------------------------------------------------------

# A task that has lost this many workers is given up (it may be what kills them).
MAX_WORKER_LOSSES = 3


class WorkerLost(Exception):
    """Recorded on a task given up after its workers died MAX_WORKER_LOSSES times."""


def stale_tasks_requeue(*, stale_seconds: int | None = None) -> int:
    """Queue again every LIFT task the database worker left "running" for longer than
    `stale_seconds` (default: the LIFT_TASK_STALE_SECONDS setting); returns how many.

    django-tasks' database worker marks a task RUNNING when it claims it and never looks
    at it again: if the worker is killed (SIGKILL, out of memory, a restart) the row stays
    RUNNING and the task never finishes. Such a row is set back to READY, keeping its id,
    arguments and the list of workers that tried it, and the next worker runs it again.
    This is safe because every LIFT task is idempotent (see the module doc); tasks of
    other packages are left alone. A task that has lost MAX_WORKER_LOSSES workers is marked
    failed instead (a document it was building is marked failed too).

    Idempotent: each row changes only if it is still RUNNING with the same start, so a
    second tick, or two ticks at once, requeue a task once.
    """
    seconds = settings.LIFT_TASK_STALE_SECONDS if stale_seconds is None else stale_seconds
    now = timezone.now()
    stale = DBTaskResult.objects.filter(
        status=TaskResultStatus.RUNNING, started_at__lt=now - dt.timedelta(seconds=seconds)
    ).order_by("started_at")
    requeued = 0
    for row in stale.only("id", "task_path", "args_kwargs", "started_at", "worker_ids"):
        if not row.task_path.startswith("lift."):
            log.warning(
                "Task %s (%s) has been running since %s; not a LIFT task, left alone",
                row.pk,
                row.task_path,
                row.started_at,
            )
            continue
        same = DBTaskResult.objects.filter(
            pk=row.pk, status=TaskResultStatus.RUNNING, started_at=row.started_at
        )
        lost = len(row.worker_ids or [])
        args = row.args_kwargs.get("args", [])
        if lost >= MAX_WORKER_LOSSES:
            message = (
                f"{WorkerLost.__module__}.{WorkerLost.__qualname__}: the worker running this "
                f"task stopped {lost} times without finishing it (workers {row.worker_ids})."
            )
            if same.update(
                status=TaskResultStatus.FAILED,
                finished_at=now,
                exception_class_path=f"{WorkerLost.__module__}.{WorkerLost.__qualname__}",
                traceback=message,
                return_value=None,
            ):
                log.error(
                    "Task %s (%s, args %s) given up: its worker died %s times",
                    row.pk,
                    row.task_path,
                    args,
                    lost,
                )
                _task_given_up(row.task_path, args)
            continue
        if same.update(status=TaskResultStatus.READY):
            requeued += 1
            log.warning(
                "Task %s (%s, args %s) requeued: running since %s, its worker %s is gone",
                row.pk,
                row.task_path,
                args,
                row.started_at.isoformat() if row.started_at else "?",
                (row.worker_ids or ["?"])[-1],
            )
    return requeued


def _task_given_up(task_path: str, args: list[Any]) -> None:
    from .documents import build_document, document_build_given_up

    if task_path == build_document.module_path and args:
        document_build_given_up(generated_id=int(args[0]))


# --- the core steps ---------------------------------------------------------------------


def _date(d: dt.date) -> str:
    return f"{d:%-d %B %Y}"


def _url(clock: Clock) -> str:
    subject = clock.subject
    get_url = getattr(subject, "get_absolute_url", None)
    try:
        return str(get_url()) if get_url else ""
    except Exception:  # a subject without a page of its own
        return ""


Reminder = tuple[str, Any, str, str, Clock]  # key, person, title, body, clock


def _reminders(clocks: QuerySet[Clock], today: dt.date) -> Iterator[Reminder]:
    """The reminders the open clocks call for today. Titles and bodies carry only the rule's
    label, dates and professionals' names, never details of a child."""
    chairs: dict[int, list[Any]] = defaultdict(list)
    leads: dict[int, list[Any]] = defaultdict(list)
    overdue = clocks.filter(state=ClockState.OVERDUE).order_by()
    partnership_ids = set(overdue.values_list("partnership_id", flat=True))
    agency_ids = set(overdue.exclude(agency=None).values_list("agency_id", flat=True))
    if partnership_ids:
        current = RoleAssignment.objects.current().select_related("person")
        for a in current.filter(
            role=r.R.CHAIR, partnership_id__in=partnership_ids, case_type__isnull=True
        ):
            chairs[a.partnership_id].append(a.person)
        # The agency's safeguarding lead: its named lead and whoever holds the role for it.
        for a in current.filter(role=r.R.SAFEGUARDING_LEAD, agency_id__in=agency_ids):
            leads[a.agency_id].append(a.person)

    for clock in clocks.iterator(chunk_size=500):
        due = _date(clock.due_on)
        base = f"clock:{clock.pk}:{clock.state}:{clock.due_on.isoformat()}"
        recipients: dict[int, Any] = {}
        if clock.owner is not None:
            recipients[clock.owner.pk] = clock.owner
        if clock.state == ClockState.DUE_SOON:
            for person in recipients.values():
                yield (
                    f"{base}:to:{person.pk}",
                    person,
                    f"Due soon: {clock.label}",
                    f"{clock.label} is due by {due}.",
                    clock,
                )
            continue
        if clock.agency is not None:
            named = clock.agency.safeguarding_lead
            for lead in [named] if named is not None else []:
                recipients.setdefault(lead.pk, lead)
            for lead in leads.get(clock.agency.pk, []):
                recipients.setdefault(lead.pk, lead)
        for person in recipients.values():
            yield (
                f"{base}:to:{person.pk}",
                person,
                f"Overdue: {clock.label}",
                f"{clock.label} was due by {due} and has not been recorded as done.",
                clock,
            )
        days_late = (today - clock.due_on).days
        if days_late > clock.partnership.escalation_days:
            who = []
            if clock.agency is not None:
                who.append(f"Agency: {clock.agency.name}.")
            if clock.owner is not None:
                who.append(f"Owner: {clock.owner}.")
            for chair in chairs.get(clock.partnership_id, []):
                yield (
                    f"clock:{clock.pk}:escalated:{clock.due_on.isoformat()}:to:{chair.pk}",
                    chair,
                    f"Overdue by more than {clock.partnership.escalation_days} days: {clock.label}",
                    " ".join([f"{clock.label} was due by {due}.", *who]),
                    clock,
                )


def clock_reminders(today: dt.date) -> int:
    """Remind owners of clocks due soon; owners and the agency's safeguarding lead (its
    named lead and anyone holding the role for it) of overdue clocks; and the
    partnership's chairs of clocks overdue for more than its escalation_days.
    Returns how many reminders were new."""
    clocks = (
        Clock.objects.filter(state__in=[ClockState.DUE_SOON, ClockState.OVERDUE])
        .select_related("owner", "agency__safeguarding_lead", "partnership")
        .order_by("pk")
    )
    sent = 0
    batch: list[Reminder] = []

    def flush() -> int:
        keys = [b[0] for b in batch]
        seen = set(Notification.objects.filter(key__in=keys).values_list("key", flat=True))
        made = 0
        for key, person, title, body, clock in batch:
            if key in seen or not person.is_active:
                continue
            notify(
                person=person,
                key=key,
                title=title,
                body=body,
                url=_url(clock),
                partnership=clock.partnership,
                immediate=":escalated:" in key,  # an escalation does not wait for a digest
            )
            made += 1
        batch.clear()
        return made

    for reminder in _reminders(clocks, today):
        batch.append(reminder)
        if len(batch) >= 500:
            sent += flush()
    if batch:
        sent += flush()
    return sent


def _refresh(today: dt.date) -> int:
    return clocks_refresh(today)


def _retry_email(today: dt.date) -> int:
    return outbound_retry_unsent()


def _recover_tasks(today: dt.date) -> int:
    return stale_tasks_requeue()


def _digests(today: dt.date) -> int:
    from .digest import digests_send

    return digests_send(today)


def _forget_form_tokens(today: dt.date) -> int:
    from .idempotency import forget_old

    return forget_old()


register_tick_step(_recover_tasks, name="task_recovery")
register_tick_step(_refresh, name="clocks")
register_tick_step(clock_reminders, name="clock_reminders")
register_tick_step(_retry_email, name="email_retry")
register_tick_step(_forget_form_tokens, name="form_tokens")
# Runs after every other step (tick() puts it last), so the reminders of the day are in it.
register_tick_step(_digests, name=DIGESTS)
