"""Statutory clocks: start, meet, stop and restart them, and keep their states current.

A clock applies one deadline rule from the partnership's regime file (reference/) to one
object. The clock rules, which the services below enforce:

- **Due date.** Computed once, by `calendar.due_date`, from the rule and the date of its
  start event: working days in England and Wales with the trigger as day 0; calendar
  periods as they fall. Nothing else does deadline arithmetic.
- **Rule identity.** A clock stores its rule's URN, so it keeps its meaning if the
  partnership later changes regime; the label and start event are copied onto it.
- **Notice rules** ("send the report at least 7 working days before publication") start
  from the later event: the clock opens on `opened_on` (today by default) and is due that
  period before the event. A notice already impossible to give is refused.
- **Minimum rules** ("published for at least 12 months") are met by the passage of time:
  the clock is met on its due date unless it was stopped first.
- **State.** `stopped` if stopped; `met` / `met late` once met (on or before / after the
  due date); otherwise `overdue` the day after the due date, `due soon` from
  `due_soon_days` working days before it (the rule's figure, or the partnership's
  `reminder_days` where the rule gives none), and `running` before that.
- **Reasons.** Stopping or restarting a clock needs a reason, kept in the change history.
- **Corrected dates.** A service that corrects the date a clock counts from restarts it
  (`clocks_restart_from`: the due date and state follow); one that corrects the date it
  was done corrects the met date (`clock_meet_correct`). A clock never keeps a due date
  worked out from a date that has since been corrected.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F, Q
from django.utils import timezone

from . import calendar
from .history import change_reason, current
from .models import Agency, ChangeLog, Clock, ClockState, Partnership
from .models.clocks import OPEN_STATES
from .reference import DeadlineRule, regime, regimes, rule_by_urn

# Changed rows are updated in slices of this size (SQLite limits query parameters).
_CHUNK = 500


def rule_for(clock: Clock) -> DeadlineRule | None:
    """The rule the clock applies, or None if no reference file defines its URN any more."""
    return rule_by_urn(clock.rule)


def due_soon_window(clock: Clock, rule: DeadlineRule | None = None) -> int:
    """Working days before the due date that the clock counts as due soon."""
    rule = rule or rule_for(clock)
    if rule is not None and rule.due_soon_days is not None:
        return rule.due_soon_days
    return int(clock.partnership.reminder_days)


def clock_state(clock: Clock, today: dt.date, *, due_soon_days: int | None = None) -> str:
    """The state the clock is in on `today` (pure: reads the clock and the reference data)."""
    if clock.state == ClockState.STOPPED:
        return ClockState.STOPPED
    if clock.met_on is not None:
        return ClockState.MET if clock.met_on <= clock.due_on else ClockState.MET_LATE
    rule = rule_for(clock)
    if rule is not None and rule.kind == "minimum":
        return ClockState.MET if today >= clock.due_on else ClockState.RUNNING
    if today > clock.due_on:
        return ClockState.OVERDUE
    window = due_soon_days if due_soon_days is not None else due_soon_window(clock, rule)
    if calendar.working_days_between(today, clock.due_on) <= window:
        return ClockState.DUE_SOON
    return ClockState.RUNNING


def _partnership_of(subject: models.Model) -> Partnership:
    if isinstance(subject, Partnership):
        return subject
    partnership = getattr(subject, "partnership", None)
    if not isinstance(partnership, Partnership):
        raise ValueError(f"{subject!r} has no partnership: pass partnership= explicitly.")
    return partnership


def _subject_filter(subject: models.Model) -> Q:
    return Q(
        content_type=ContentType.objects.get_for_model(subject.__class__), object_id=subject.pk
    )


def _rule_urns(key: str) -> set[str]:
    if key.startswith("urn:"):
        return {key}
    return {r.urn for reg in regimes().values() for k, r in reg.deadlines.items() if k == key}


@transaction.atomic
def clock_start(
    *,
    subject: models.Model,
    rule: str,
    started_on: dt.date,
    partnership: Partnership | None = None,
    owner: Any = None,
    agency: Agency | None = None,
    label: str | None = None,
    opened_on: dt.date | None = None,
) -> Clock:
    """Start the clock for deadline `rule` (a key in the partnership's regime) on `subject`.

    `started_on` is the date of the rule's start event (for a notice rule, the later event,
    e.g. the planned publication date). Calling it again for a clock already open on the
    same subject, rule and start date returns that clock; a different start date is
    refused (use `clock_restart`). Raises UnknownReference (a KeyError) for a rule the
    regime does not have.
    """
    if subject.pk is None:
        raise ValueError("Save the subject before starting a clock on it.")
    partnership = partnership or _partnership_of(subject)
    deadline = regime(partnership.regime).deadline(rule)
    today = timezone.localdate()
    due_on = calendar.due_date(deadline, started_on)
    start_event = deadline.start_event.label
    clock_opens = started_on
    if deadline.kind == "notice":
        clock_opens = opened_on or today
        start_event = f"{start_event}: {started_on:%-d %B %Y}"[:200]
        if due_on < clock_opens:
            earliest = calendar.notice_earliest(deadline, clock_opens)
            raise ValidationError(
                f"{deadline.label} must be done at least {deadline.period} before "
                f"{started_on:%-d %B %Y}, so by {due_on:%-d %B %Y}, which is before "
                f"{clock_opens:%-d %B %Y}. The earliest date that allows it is "
                f"{earliest:%-d %B %Y}."
            )
    if agency is not None and agency.partnership_id != partnership.pk:
        raise ValidationError({"agency": "The agency must belong to the same partnership."})

    existing = (
        Clock.objects.select_for_update()
        .filter(_subject_filter(subject), rule=deadline.urn, state__in=OPEN_STATES)
        .first()
    )
    if existing is not None:
        if existing.due_on == due_on:
            return existing
        raise ValidationError(
            f"The clock '{existing.label}' is already running on this record "
            f"(due {existing.due_on:%-d %B %Y}): restart it to change its start date."
        )

    clock = Clock(
        partnership=partnership,
        content_type=ContentType.objects.get_for_model(subject.__class__),
        object_id=subject.pk,
        rule=deadline.urn,
        label=(label or deadline.label)[:200],
        start_event=start_event[:200],
        started_on=clock_opens,
        due_on=due_on,
        owner=owner,
        agency=agency,
    )
    clock.state = clock_state(clock, today)
    if clock.state == ClockState.MET and deadline.kind == "minimum":
        clock.met_on = clock.due_on
    clock.full_clean()
    clock.save()
    return clock


def _locked(clock: Clock) -> Clock:
    return Clock.objects.select_for_update().select_related("partnership").get(pk=clock.pk)


@transaction.atomic
def clock_meet(*, clock: Clock, on: dt.date) -> Clock:
    """Record that what the clock measures was done on `on`: met, or met late after the due
    date. Returns the updated clock."""
    clock = _locked(clock)
    if not clock.is_open:
        raise ValidationError(f"The clock '{clock.label}' is already {clock.get_state_display()}.")
    _set_met(clock, on)
    clock.save()
    return clock


def _set_met(clock: Clock, on: dt.date) -> None:
    if on > timezone.localdate():
        raise ValidationError({"met_on": "The date it was done cannot be in the future."})
    rule = rule_for(clock)
    if on < clock.started_on and (rule is None or rule.kind != "notice"):
        raise ValidationError(
            {
                "met_on": f"The date it was done cannot be before the clock started "
                f"({clock.started_on:%-d %B %Y})."
            }
        )
    clock.met_on = on
    clock.state = ClockState.MET if on <= clock.due_on else ClockState.MET_LATE
    clock.full_clean()


@transaction.atomic
def clock_meet_correct(*, clock: Clock, on: dt.date, reason: str) -> Clock:
    """Correct the day a met clock was met (the date it was done was recorded wrongly), or
    meet an open one on `on`; met or met late follows the corrected day. The reason is kept
    in the clock's history."""
    if not reason.strip():
        raise ValidationError("Give the reason the date is corrected.")
    clock = _locked(clock)
    if clock.state == ClockState.STOPPED:
        raise ValidationError(f"The clock '{clock.label}' is stopped.")
    if clock.met_on == on:
        return clock
    _set_met(clock, on)
    with change_reason(reason.strip()):
        clock.save()
    return clock


@transaction.atomic
def clock_stop(*, clock: Clock, reason: str) -> Clock:
    """Stop an open clock that no longer applies (e.g. the review was not held)."""
    if not reason.strip():
        raise ValidationError({"stopped_reason": "Give the reason the clock is stopped."})
    clock = _locked(clock)
    if not clock.is_open:
        raise ValidationError(f"The clock '{clock.label}' is already {clock.get_state_display()}.")
    clock.state = ClockState.STOPPED
    clock.stopped_reason = reason.strip()
    clock.full_clean()
    with change_reason(reason.strip()):
        clock.save()
    return clock


@transaction.atomic
def clock_restart(*, clock: Clock, started_on: dt.date, reason: str) -> Clock:
    """Start the clock again from a corrected start date (reopening it if met or stopped),
    with the same rule. The due date and state are recomputed."""
    if not reason.strip():
        raise ValidationError("Give the reason the clock is restarted.")
    clock = _locked(clock)
    rule = rule_for(clock)
    if rule is None:
        raise ValidationError(f"The rule {clock.rule} is no longer in the reference files.")
    today = timezone.localdate()
    due_on = calendar.due_date(rule, started_on)
    opens = started_on
    if rule.kind == "notice":
        # The clock keeps the day it opened; the event it gives notice of moves.
        opens = clock.started_on
        if due_on < opens:
            raise ValidationError(
                f"{rule.label} must be done at least {rule.period} before "
                f"{started_on:%-d %B %Y}, so by {due_on:%-d %B %Y}, which is before the "
                f"clock started ({opens:%-d %B %Y})."
            )
        clock.start_event = f"{rule.start_event.label}: {started_on:%-d %B %Y}"[:200]
    clock.started_on = opens
    clock.due_on = due_on
    clock.met_on = None
    clock.stopped_reason = ""
    clock.state = ClockState.RUNNING  # so clock_state does not read it as stopped
    clock.state = clock_state(clock, today)
    if clock.state == ClockState.MET and rule.kind == "minimum":
        clock.met_on = clock.due_on
    clock.full_clean()
    with change_reason(reason.strip()):
        clock.save()
    return clock


@transaction.atomic
def clocks_restart_from(
    *, subject: models.Model, event: str, started_on: dt.date, reason: str
) -> list[Clock]:
    """The date of start event `event` (a rule's `start_event` key, e.g. "became-aware")
    on `subject` was corrected to `started_on`: restart every clock on the subject that
    counts from that event, so its due date and state follow the corrected date. A clock
    already met stays met on the day it was met (met late if that is now after the due
    date); a stopped clock stays stopped; a clock already due from that date is left.
    Each restart is in the clock's history with `reason`. Returns the clocks restarted."""
    restarted = []
    clocks = Clock.objects.filter(_subject_filter(subject)).exclude(state=ClockState.STOPPED)
    for clock in clocks.order_by("pk"):
        rule = rule_for(clock)
        if rule is None or rule.start_event.key != event:
            continue
        if calendar.due_date(rule, started_on) == clock.due_on:
            continue
        met_on = clock.met_on if rule.kind != "minimum" else None
        clock = clock_restart(clock=clock, started_on=started_on, reason=reason)
        if met_on is not None:
            clock = clock_meet_correct(clock=clock, on=met_on, reason=reason)
        restarted.append(clock)
    return restarted


def clocks_for(
    subject: models.Model, *, rule: str | None = None, user: Any = None
) -> models.QuerySet[Clock]:
    """The clocks on `subject`, by due date; only `rule` (a key or URN) if given, and only
    those `user` may see if given."""
    qs = Clock.objects.filter(_subject_filter(subject))
    if user is not None:
        qs = qs.restrict(user, "view")  # type: ignore[attr-defined]
    if rule is not None:
        qs = qs.filter(rule__in=_rule_urns(rule))
    return qs.order_by("due_on", "pk")


# --- refreshing states in bulk ---------------------------------------------------------------


def _window_groups() -> list[tuple[Q, int | None]]:
    """Open clocks grouped by due-soon window: (filter, working days), None meaning the
    partnership's reminder_days."""
    by_window: dict[int, set[str]] = defaultdict(set)
    explicit: set[str] = set()
    for reg in regimes().values():
        for r in reg.deadlines.values():
            if r.due_soon_days is not None and r.kind != "minimum":
                by_window[r.due_soon_days].add(r.urn)
                explicit.add(r.urn)
    groups: list[tuple[Q, int | None]] = [
        (Q(rule__in=sorted(urns)), window) for window, urns in sorted(by_window.items())
    ]
    groups.append((~Q(rule__in=sorted(explicit)), None))
    return groups


def _minimum_urns() -> list[str]:
    return sorted(
        r.urn for reg in regimes().values() for r in reg.deadlines.values() if r.kind == "minimum"
    )


def _transition(qs: models.QuerySet[Clock], target: str, **extra: Any) -> int:
    """Move the clocks in `qs` (not already in `target`) to `target`, logging each change."""
    rows = list(
        qs.exclude(state=target).values_list("pk", "partnership_id", "state", "label", "due_on")
    )
    if not rows:
        return 0
    now = timezone.now()
    ctx = current()
    actor = ctx.actor if getattr(ctx.actor, "pk", None) else None
    content_type = ContentType.objects.get_for_model(Clock)
    changed = 0
    for i in range(0, len(rows), _CHUNK):
        chunk = rows[i : i + _CHUNK]
        changed += (
            Clock.objects.filter(pk__in=[r[0] for r in chunk], state__in=OPEN_STATES)
            .exclude(state=target)
            .update(state=target, updated_at=now, **extra)
        )
        ChangeLog.objects.bulk_create(
            ChangeLog(
                partnership_id=partnership_id,
                content_type=content_type,
                object_id=str(pk),
                object_repr=f"{label}: due {due_on:%d %b %Y}"[:300],
                action=ChangeLog.Action.UPDATE,
                actor=actor,
                actor_repr=str(actor)[:300] if actor else "",
                source=ctx.source,
                reason=ctx.reason or "Clock states refreshed",
                changes={"state": [state, target]},
            )
            for pk, partnership_id, state, label, due_on in chunk
        )
    return changed


@transaction.atomic
def clocks_refresh(today: dt.date | None = None) -> int:
    """Bring every open clock's state up to date for `today`; returns how many changed.

    Works in a handful of UPDATE statements (one per state and due-soon window), touching
    only the rows whose state changes, and logs each change.
    """
    today = today or timezone.localdate()
    open_clocks = Clock.objects.filter(state__in=OPEN_STATES)
    minimum = _minimum_urns()
    changed = _transition(
        open_clocks.filter(rule__in=minimum, due_on__lte=today), ClockState.MET, met_on=F("due_on")
    )
    changed += _transition(
        open_clocks.filter(rule__in=minimum, due_on__gt=today), ClockState.RUNNING
    )
    deadlines = open_clocks.exclude(rule__in=minimum)
    changed += _transition(deadlines.filter(due_on__lt=today), ClockState.OVERDUE)
    for group, window in _window_groups():
        in_group = deadlines.filter(group, due_on__gte=today)
        if window is not None:
            changed += _by_window(in_group, today, window)
            continue
        reminder_days = (
            in_group.values_list("partnership__reminder_days", flat=True).distinct().order_by()
        )
        for days in list(reminder_days):
            changed += _by_window(in_group.filter(partnership__reminder_days=days), today, days)
    return changed


def _by_window(qs: models.QuerySet[Clock], today: dt.date, window: int) -> int:
    # working_days_between(today, due_on) <= window  <=>  due_on < the (window+1)th working day.
    threshold = calendar.add_working_days(today, window + 1)
    return _transition(qs.filter(due_on__lt=threshold), ClockState.DUE_SOON) + _transition(
        qs.filter(due_on__gte=threshold), ClockState.RUNNING
    )
