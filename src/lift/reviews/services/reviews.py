"""Reviews: creating and editing them, reviewers, contributions, milestones, completion."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from lift.core.clocks import (
    clocks_restart_from,
)
from lift.core.models import Partnership, Person

from .. import rules
from ..choices import (
    ReviewKind,
    ReviewStatus,
)
from ..models import (
    Contribution,
    Decision,
    Incident,
    Milestone,
    Review,
    Reviewer,
)
from .base import _corrected, _meet, _start, _today

# --- reviews --------------------------------------------------------------------------------

COMPLETION_RULES = ("scr-completion", "lcspr-completion")


@transaction.atomic
def review_create(
    *,
    partnership: Partnership,
    kind: str,
    decided_on: dt.date,
    by: Person,
    incident: Incident | None = None,
    pseudonym: str = "",
    title: str = "",
    methodology: str = "",
    terms_of_reference: str = "",
) -> Review:
    """Open a review. A statutory review's completion clock (6 months, regime file) starts
    from the decision."""
    if incident is not None and incident.partnership_id != partnership.pk:
        raise ValidationError("The incident belongs to another partnership.")
    pseudonym = pseudonym or (incident.pseudonym if incident else "")
    if not pseudonym:
        raise ValidationError({"pseudonym": "Give the child's pseudonym."})
    review = Review(
        partnership=partnership,
        incident=incident,
        kind=kind,
        pseudonym=pseudonym,
        title=title or f"{ReviewKind(kind).label}: {pseudonym}",
        decided_on=decided_on,
        methodology=methodology,
        terms_of_reference=terms_of_reference,
    )
    review.full_clean()
    review.save()
    if incident is not None:
        review.agencies.set(list(incident.agencies.all()))
    if kind == ReviewKind.STATUTORY:
        for key in COMPLETION_RULES:
            _start(review, key, decided_on, by)
    return review


REVIEW_EDITABLE = frozenset(
    {
        "title",
        "status",
        "terms_of_reference",
        "scope_from",
        "scope_to",
        "methodology",
        "report_text",
        "briefing_text",
        "decided_on",
    }
)
# The statuses set by hand; published and the others follow their workflows.
REVIEW_HAND_STATUSES = frozenset(
    {ReviewStatus.PLANNING, ReviewStatus.IN_PROGRESS, ReviewStatus.DRAFT, ReviewStatus.CLOSED}
)


@transaction.atomic
def review_update(*, review: Review, by: Person, **fields: Any) -> Review:
    """Correct a review's details. A corrected decision date restarts the completion clock
    (core's `clocks_restart_from`: due date and state follow; history shows both dates).
    A review opened by the Chair's decision on an incident takes its date from the
    decision: correct that with `decision_update`."""
    unknown = set(fields) - REVIEW_EDITABLE
    if unknown:
        raise ValidationError(f"These cannot be changed here: {', '.join(sorted(unknown))}.")
    # The saved row, not the caller's copy (a bound edit form has already changed it).
    saved = Review.objects.select_for_update().get(pk=review.pk)
    for name, value in fields.items():
        setattr(review, name, value)
    if review.status != saved.status and review.status not in REVIEW_HAND_STATUSES:
        raise ValidationError({"status": "That status is set by its own step, not here."})
    moved = review.decided_on != saved.decided_on
    if (
        moved
        and review.incident_id is not None
        and Decision.objects.filter(incident_id=review.incident_id).exists()
    ):
        raise ValidationError(
            {
                "decided_on": "This review was opened by the Chair's decision: correct the "
                "date of the decision on the incident's page."
            }
        )
    review.full_clean()
    review.save()
    if moved:
        clocks_restart_from(
            subject=review,
            event="decision",
            started_on=review.decided_on,
            reason=_corrected("the review was decided", saved.decided_on, review.decided_on),
        )
    return review


@transaction.atomic
def reviewer_add(
    *,
    review: Review,
    name: str,
    why_chosen: str,
    by: Person,
    organisation: str = "",
    declared_involvement: bool = False,
    involvement_details: str = "",
) -> Reviewer:
    """Propose a reviewer with their declaration of independence."""
    reviewer = Reviewer(
        partnership=review.partnership,
        review=review,
        name=name,
        organisation=organisation,
        why_chosen=why_chosen,
        declared_involvement=declared_involvement,
        involvement_details=involvement_details,
    )
    reviewer.full_clean()
    reviewer.save()
    return reviewer


@transaction.atomic
def reviewer_override(*, reviewer: Reviewer, reason: str, by: Person) -> Reviewer:
    """The Chair records an override of a declared involvement, with the reason."""
    rules.override_by_chair(by, reviewer.partnership)
    if not reviewer.declared_involvement:
        raise ValidationError("This reviewer declared no involvement: no override is needed.")
    if not reason.strip():
        raise ValidationError({"override_reason": "Give the reason for the override."})
    reviewer.override_reason = reason.strip()
    reviewer.override_by = by
    reviewer.override_on = _today()
    reviewer.full_clean()
    reviewer.save()
    return reviewer


@transaction.atomic
def reviewer_appoint(*, reviewer: Reviewer, appointed_on: dt.date, by: Person) -> Reviewer:
    """Appoint a reviewer: refused for a declared involvement without the Chair's override."""
    rules.dates_not_in_future(appointed_on=appointed_on)
    if appointed_on < reviewer.review.decided_on:
        raise ValidationError(
            {"appointed_on": "A reviewer cannot be appointed before the review was decided."}
        )
    reviewer.appointed_on = appointed_on
    reviewer.full_clean()
    reviewer.save()
    review = reviewer.review
    if review.status == ReviewStatus.PLANNING:
        review.status = ReviewStatus.IN_PROGRESS
        review.save()
    return reviewer


@transaction.atomic
def contribution_add(
    *,
    review: Review,
    contributor: str,
    method: str,
    summary: str,
    by: Person,
    contributed_on: dt.date | None = None,
) -> Contribution:
    rules.dates_not_in_future(contributed_on=contributed_on)
    contribution = Contribution(
        partnership=review.partnership,
        review=review,
        contributor=contributor,
        method=method,
        summary=summary,
        contributed_on=contributed_on,
    )
    contribution.full_clean()
    contribution.save()
    return contribution


@transaction.atomic
def milestone_add(
    *,
    review: Review,
    kind: str,
    planned_on: dt.date,
    by: Person,
    notes: str = "",
    done_on: dt.date | None = None,
) -> Milestone:
    rules.dates_not_in_future(done_on=done_on)
    milestone = Milestone(
        partnership=review.partnership,
        review=review,
        kind=kind,
        planned_on=planned_on,
        notes=notes,
        done_on=done_on,
    )
    milestone.full_clean()
    milestone.save()
    return milestone


@transaction.atomic
def review_complete(*, review: Review, completed_on: dt.date, by: Person) -> Review:
    """The final report is agreed: the completion clock is met (or met late)."""
    if not review.report_text.strip():
        raise ValidationError(
            {"report_text": "Add the anonymised report before completing the review."}
        )
    review.completed_on = completed_on
    review.status = ReviewStatus.FINAL
    review.full_clean()
    review.save()
    for key in COMPLETION_RULES:
        _meet(review, key, completed_on)
    return review
