"""The learning chain's kinds of to-do, read from the records' states (one query a kind):

- verify impact: the Chair, for each impact check recorded on a completed or evidenced
  action and not yet verified (verifying closes the action, so the item goes);
- respond to a recommendation: the safeguarding lead of an agency a recommendation is
  addressed to, while it awaits its response;
- update an overdue action: the action's owner and its agency's safeguarding lead, while
  the action is live (proposed, agreed, in progress) and past its due date (completing it
  or moving its due date, with a reason, clears it).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from lift.core import todo
from lift.core.roles import R
from lift.core.todo import Kind, ToDo, register

from . import rules, selectors
from .choices import LIVE_STATUSES, ActionStatus, Addressee, Response
from .models import Action, ImpactCheck, Recommendation

VERIFY_IMPACT = "learning.verify_impact"
RESPOND = "learning.respond_recommendation"
OVERDUE_ACTION = "learning.overdue_action"
EVIDENCE_NEEDED = "learning.evidence_needed"


def _date(d: Any) -> str:
    return f"{d:%-d %B %Y}"


def _opening(text: str, words: int = 8) -> str:
    """The first words of a text, to tell two recommendations with the same reference
    apart in a list."""
    found = text.split()
    return " ".join(found[:words]) + ("…" if len(found) > words else "")


def verify_impact(person: Any, partnership: Any) -> Iterator[ToDo]:
    """Impact checks waiting for the Chair's verification."""
    if not Action.access.allows(person, rules.VERIFY, partnership):
        return
    checks = (
        ImpactCheck.objects.restrict(person, "view")
        .filter(
            partnership=partnership,
            verified_on__isnull=True,
            action__status__in=(ActionStatus.COMPLETED, ActionStatus.EVIDENCED),
        )
        .select_related("action__owner_agency")
        .annotate(evidence_count=Count("action__evidence", distinct=True))
        # A completed action needs its evidence before the Chair can verify it: until
        # then the step is its owner's (`evidence_needed`).
        .filter(Q(action__status=ActionStatus.EVIDENCED) | Q(evidence_count__gt=0))
        .order_by("checked_on", "pk")
    )
    for check in checks:
        action = check.action
        n = check.evidence_count  # type: ignore[attr-defined]
        yield ToDo(
            kind=VERIFY_IMPACT,
            title=f"Verify the impact of {action.title}",
            url=reverse("learning:impact_verify", args=[action.pk, check.pk]),
            subject=action,
            hint=(
                f"{action.owner_agency.name} recorded an impact check on "
                f"{_date(check.checked_on)}: {check.get_outcome_display().lower()}. "
                f"Evidence: {n} item{'s' if n != 1 else ''}."
            ),
        )


def respond(person: Any, partnership: Any) -> Iterator[ToDo]:
    """Recommendations addressed to an agency the person leads on safeguarding, awaiting a
    response."""
    led = selectors.led_agency_ids(person, partnership)
    if not led:
        return
    recommendations = (
        Recommendation.objects.restrict(person, "respond")
        .filter(
            partnership=partnership,
            response=Response.PENDING,
            addressee=Addressee.AGENCIES,
            agencies__in=led,
        )
        .distinct()
        .order_by("created_at", "pk")
    )
    for rec in recommendations:
        label = f" {rec.reference}" if rec.reference else ""
        yield ToDo(
            kind=RESPOND,
            title=f"Respond to recommendation{label}: {_opening(rec.text)}",
            url=reverse("learning:recommendation_respond", args=[rec.pk]),
            subject=rec,
            hint=f"Addressed to your agency on {_date(timezone.localtime(rec.created_at))}. "
            "Say whether it is accepted.",
        )


def overdue_actions(person: Any, partnership: Any) -> Iterator[ToDo]:
    """Live actions past their due date that the person owns, or that belong to an agency
    they lead on safeguarding."""
    led = selectors.led_agency_ids(person, partnership)
    today = timezone.localdate()
    actions = (
        Action.objects.restrict(person, "change")
        .filter(partnership=partnership, status__in=LIVE_STATUSES, due_on__lt=today)
        .filter(Q(owner=person) | Q(owner_agency_id__in=led))
        .select_related("owner_agency")
        .only("id", "title", "due_on", "escalated_on", "status", "owner_agency__name")
        .order_by("due_on", "pk")
    )
    for action in actions:
        escalated = (
            f" Escalated to the Chair on {_date(action.escalated_on)}."
            if action.escalated_on
            else ""
        )
        yield ToDo(
            kind=OVERDUE_ACTION,
            title=f"Update the overdue action {action.title}",
            url=action.get_absolute_url(),
            subject=action,
            due_on=action.due_on,
            hint=f"{action.owner_agency.name}. {action.get_status_display()}. Mark it "
            f"completed, or change its due date with the reason.{escalated}",
        )


def evidence_needed(person: Any, partnership: Any) -> Iterator[ToDo]:
    """Completed actions whose impact check waits for evidence (the Chair cannot verify
    impact without it), for the action's owner and the safeguarding lead of its agency."""
    led = selectors.led_agency_ids(person, partnership)
    actions = (
        Action.objects.restrict(person, "change")
        .filter(
            partnership=partnership,
            status=ActionStatus.COMPLETED,
            impact_checks__isnull=False,  # an impact check is recorded (the same join)
            impact_checks__verified_on__isnull=True,
            evidence__isnull=True,
        )
        .filter(Q(owner=person) | Q(owner_agency_id__in=led))
        .select_related("owner_agency")
        .only("id", "title", "owner_agency__name")
        .distinct()
        .order_by("pk")
    )
    for action in actions:
        yield ToDo(
            kind=EVIDENCE_NEEDED,
            title=f"Add evidence to {action.title} so its impact can be verified",
            url=reverse("learning:evidence_add", args=[action.pk]),
            subject=action,
            hint=f"{action.owner_agency.name}. An impact check is recorded; the Chair "
            "verifies it once the evidence is on the action.",
        )


def _owners(partnership: Any, **filters: Any) -> set[int]:
    return {
        pk
        for pk in Action.objects.filter(partnership=partnership, **filters).values_list(
            "owner_id", flat=True
        )
        if pk is not None
    }


def overdue_candidates(partnership: Any) -> set[int]:
    """Who could have an overdue action: the owners of live overdue actions, and leads."""
    today = timezone.localdate()
    live = _owners(partnership, status__in=LIVE_STATUSES, due_on__lt=today)
    return live | todo.lead_ids(partnership)


def evidence_candidates(partnership: Any) -> set[int]:
    """Who could be asked for evidence: the owners of completed actions, and leads."""
    return _owners(partnership, status=ActionStatus.COMPLETED) | todo.lead_ids(partnership)


def register_kinds() -> None:
    register(
        Kind(
            key=EVIDENCE_NEEDED,
            label="Add evidence of impact",
            provider=evidence_needed,
            candidates=evidence_candidates,
        )
    )
    register(
        Kind(
            key=VERIFY_IMPACT,
            label="Verify impact",
            provider=verify_impact,
            roles=frozenset({R.CHAIR}),
        )
    )
    register(
        Kind(
            key=RESPOND,
            label="Respond to a recommendation",
            provider=respond,
            roles=frozenset({R.SAFEGUARDING_LEAD}),
        )
    )
    register(
        Kind(
            key=OVERDUE_ACTION,
            label="Update an overdue action",
            provider=overdue_actions,
            candidates=overdue_candidates,
            escalates_to_chair=False,  # learning.reminders escalates it to the Chair
        )
    )
