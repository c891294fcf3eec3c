"""Helpers the review services share: today, the regime's rules, clocks and references."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import models
from django.utils import timezone

from lift.core.clocks import (
    clock_meet,
    clock_start,
    clocks_for,
)
from lift.core.models import Clock, Partnership
from lift.core.reference import regime

from ..models import (
    Decision,
    Incident,
)


def _today() -> dt.date:
    return timezone.localdate()


def _has_rule(partnership: Partnership, key: str) -> bool:
    return key in regime(partnership.regime).deadlines


def _open_clock(subject: models.Model, key: str) -> Clock | None:
    return next((c for c in clocks_for(subject, rule=key) if c.is_open), None)


def _meet(subject: models.Model, key: str, on: dt.date) -> None:
    clock = _open_clock(subject, key)
    if clock is not None:
        clock_meet(clock=clock, on=min(on, _today()))


def _start(
    subject: models.Model,
    key: str,
    started_on: dt.date | None,
    owner: Any,
    opened_on: dt.date | None = None,
) -> Clock | None:
    partnership = subject.partnership  # type: ignore[attr-defined]
    if started_on is None or not _has_rule(partnership, key):
        return None
    return clock_start(
        subject=subject, rule=key, started_on=started_on, owner=owner, opened_on=opened_on
    )


def start_event_date(incident: Incident, event: str) -> dt.date | None:
    """The date of a regime rule's start event for this incident (None if not yet)."""
    if event == "became-aware":
        return incident.became_aware_on
    if event == "notification":
        return incident.notified_on
    if event == "decision":
        decision = Decision.objects.filter(incident=incident).first()
        return decision.decided_on if decision else None
    return None


def _start_incident_clock(incident: Incident, key: str) -> None:
    if not _has_rule(incident.partnership, key):
        return
    rule = regime(incident.partnership.regime).deadline(key)
    started = start_event_date(incident, rule.start_event.key)
    _start(incident, key, started, incident.owner or incident.recorded_by)


def _next_reference(
    partnership: Partnership, model: type[models.Model], prefix: str, year: int
) -> str:
    stem = f"{prefix}-{year}-"
    taken = model._default_manager.filter(
        partnership=partnership, reference__startswith=stem
    ).count()
    n = taken + 1
    while model._default_manager.filter(
        partnership=partnership, reference=f"{stem}{n:03d}"
    ).exists():
        n += 1
    return f"{stem}{n:03d}"


def _corrected(what: str, was: dt.date, now: dt.date) -> str:
    return f"The date {what} was corrected from {was:%-d %B %Y} to {now:%-d %B %Y}."


def _latest_clock(subject: models.Model, key: str) -> Clock | None:
    return clocks_for(subject, rule=key).order_by("-pk").first()


def _date(d: dt.date | None) -> str:
    return f"{d:%-d %B %Y}" if d else "(not recorded)"
