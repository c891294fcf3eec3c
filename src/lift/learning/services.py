"""Writes to the learning chain. Every other area records its lessons through these."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from lift.core import history, todo
from lift.core.files import attachment_create
from lift.core.models import Agency, Partnership, Person

from . import rules
from .choices import ActionStatus, Addressee, EvidenceKind, FindingKind, Priority, Response
from .models import (
    Action,
    ActionUpdate,
    Dissemination,
    Evidence,
    Finding,
    ImpactCheck,
    LibraryItem,
    Recommendation,
    Theme,
)


def _source_fields(source: models.Model | None) -> dict[str, Any]:
    if source is None:
        return {"source_type": None, "source_id": None}
    return {"source_type": ContentType.objects.get_for_model(source), "source_id": source.pk}


def _partnership_of(source: models.Model | None, partnership: Partnership | None) -> Partnership:
    if partnership is not None:
        return partnership
    found = getattr(source, "partnership", None)
    if found is None:
        raise ValidationError("A partnership is needed for a record with no source.")
    return found


def themes_by_code(partnership: Partnership, codes: Iterable[str]) -> list[Theme]:
    codes = list(codes)
    themes = list(Theme.objects.for_partnership(partnership).filter(code__in=codes))
    missing = set(codes) - {t.code for t in themes}
    if missing:
        raise ValidationError({"themes": f"Unknown themes: {', '.join(sorted(missing))}."})
    return themes


@transaction.atomic
def finding_create(
    *,
    source: models.Model | None,
    title: str,
    text: str,
    kind: str = FindingKind.IMPROVEMENT,
    themes: Iterable[Theme | str] = (),
    identified_on: dt.date | None = None,
    partnership: Partnership | None = None,
    recorded_by: Person | None = None,
    applies_locally: bool | None = None,
) -> Finding:
    """Record a lesson learned, from `source` (any object of any area)."""
    partnership = _partnership_of(source, partnership)
    finding = Finding(
        partnership=partnership,
        title=title,
        text=text,
        kind=kind,
        identified_on=identified_on or timezone.localdate(),
        recorded_by=recorded_by,
        applies_locally=applies_locally,
        **_source_fields(source),
    )
    finding.full_clean()
    finding.save()
    finding.themes.set(_themes(partnership, themes))
    return finding


def _themes(partnership: Partnership, themes: Iterable[Theme | str]) -> list[Theme]:
    themes = list(themes)
    codes = [t for t in themes if isinstance(t, str)]
    objects = [t for t in themes if isinstance(t, Theme)]
    return objects + (themes_by_code(partnership, codes) if codes else [])


@transaction.atomic
def recommendation_create(
    *,
    source: models.Model | None,
    text: str,
    findings: Iterable[Finding] = (),
    addressee: str = Addressee.PARTNERSHIP,
    agencies: Iterable[Agency] = (),
    reference: str = "",
    themes: Iterable[Theme | str] = (),
    partnership: Partnership | None = None,
) -> Recommendation:
    """Record what should change. Addressed to named agencies needs at least one agency."""
    partnership = _partnership_of(source, partnership)
    agencies = list(agencies)
    rules.RecommendationAgenciesNamed.check(addressee, agencies, partnership.pk)
    rec = Recommendation(
        partnership=partnership,
        text=text,
        addressee=addressee,
        reference=reference,
        response=Response.PENDING,
        **_source_fields(source),
    )
    rec.full_clean()
    rec.save()
    rec.findings.set(list(findings))
    rec.agencies.set(agencies)
    rec.themes.set(_themes(partnership, themes))
    return rec


@transaction.atomic
def action_create(
    *,
    title: str,
    owner_agency: Agency,
    due_on: dt.date,
    success_measure: str,
    source: models.Model | None = None,
    recommendation: Recommendation | None = None,
    owner: Person | None = None,
    description: str = "",
    priority: str = Priority.MEDIUM,
    status: str = ActionStatus.PROPOSED,
    themes: Iterable[Theme | str] = (),
    partnership: Partnership | None = None,
) -> Action:
    """Create an action owned by an agency. Its source is the recommendation's source unless
    given (e.g. a meeting decision, a Section 11 return)."""
    if source is None and recommendation is not None:
        source = recommendation.source
        partnership = partnership or recommendation.partnership
    partnership = partnership or owner_agency.partnership
    if owner_agency.partnership_id != partnership.pk:
        raise ValidationError({"owner_agency": "Choose an agency of this partnership."})
    if status not in (ActionStatus.PROPOSED, ActionStatus.AGREED, ActionStatus.IN_PROGRESS):
        raise ValidationError({"status": "A new action starts as proposed, agreed or in progress."})
    action = Action(
        partnership=partnership,
        recommendation=recommendation,
        title=title,
        description=description,
        owner_agency=owner_agency,
        owner=owner,
        due_on=due_on,
        original_due_on=due_on,
        priority=priority,
        success_measure=success_measure,
        status=status,
        **_source_fields(source),
    )
    action.full_clean()
    action.save()
    action.themes.set(_themes(partnership, themes))
    return action


# --- the action workflow ----------------------------------------------------------------


def _fresh(action: Action) -> Action:
    """Lock the action's row and reload it, so two people moving it cannot both win."""
    Action.objects.select_for_update().filter(pk=action.pk).first()
    action.refresh_from_db()
    return action


def _move(
    action: Action,
    *,
    to: str,
    by: Person | None,
    reason: str = "",
    superseded_by: Action | None = None,
    today: dt.date | None = None,
) -> str:
    """Apply the rules of one move and change the action's status (saved by the caller).
    Returns the status it moved from."""
    today = today or timezone.localdate()
    from_status = action.status
    rules.ActionTransitionAllowed.check(action, to)
    if to == ActionStatus.NOT_ACCEPTED:
        rules.ActionNotAcceptedNeedsReason.check(reason)
    if (from_status, to) in rules.REOPENING:
        rules.ActionReopenNeedsReason.check(reason)
        action.completed_on = None
    if to == ActionStatus.SUPERSEDED:
        rules.SupersededNeedsReplacement.check(action, superseded_by)
        action.superseded_by = superseded_by
    if to == ActionStatus.COMPLETED:
        rules.ActionCompletedNeedsProgress.check(action)
        action.completed_on = today
    if to == ActionStatus.EVIDENCED:
        rules.ActionEvidencedNeedsEvidence.check(action)
    if to == ActionStatus.CLOSED:
        rules.ImpactVerifiedByOversight.check(action, by)
        rules.ActionClosedNeedsEvidenceAndImpact.check(action)
        action.closed_on = today
    action.status = to
    action.status_reason = reason.strip()
    return from_status


def _save(action: Action, reason: str) -> None:
    action.full_clean()
    with history.change_reason(reason):
        action.save()


def _status_label(status: str) -> str:
    return str(ActionStatus(status).label).lower()


@transaction.atomic
def action_transition(
    *,
    action: Action,
    to: str,
    by: Person | None,
    reason: str = "",
    superseded_by: Action | None = None,
    today: dt.date | None = None,
) -> Action:
    """Move an action along its workflow (rules.TRANSITIONS), applying the rules of the
    move, and record the move as an update on the action."""
    action = _fresh(action)
    from_status = _move(
        action, to=to, by=by, reason=reason, superseded_by=superseded_by, today=today
    )
    note = reason.strip() or f"Moved from {_status_label(from_status)} to {_status_label(to)}."
    _save(action, note)
    ActionUpdate.objects.create(
        partnership_id=action.partnership_id,
        action=action,
        author=by,
        text=note,
        status_from=from_status,
        status_to=to,
        is_progress=False,
    )
    return action


@transaction.atomic
def action_update_add(
    *,
    action: Action,
    by: Person | None,
    text: str,
    status: str | None = None,
    due_on: dt.date | None = None,
    reason: str = "",
    today: dt.date | None = None,
) -> ActionUpdate:
    """Add a progress update; optionally move the status and/or the due date with it.

    A moved due date needs a reason; the original due date is kept on the action. An
    escalation is cleared when the new due date is not yet past.
    """
    today = today or timezone.localdate()
    if not text.strip():
        raise ValidationError({"text": "Write what has happened since the last update."})
    action = _fresh(action)
    if action.status in (ActionStatus.CLOSED, ActionStatus.NOT_ACCEPTED, ActionStatus.SUPERSEDED):
        raise ValidationError(
            f"This action is {_status_label(action.status)}: it takes no more updates."
        )
    rules.DueDateChangeNeedsReason.check(action.due_on, due_on, reason)
    update = ActionUpdate(
        partnership_id=action.partnership_id,
        action=action,
        author=by,
        text=text.strip(),
        is_progress=True,
    )
    update.full_clean()
    update.save()
    changed: list[str] = []
    if due_on is not None and due_on != action.due_on:
        update.due_from, update.due_to = action.due_on, due_on
        action.due_on = due_on
        if due_on >= today:
            action.escalated_on = None
        changed.append(f"Due date moved: {reason.strip()}")
    if status and status != action.status:
        update.status_from = _move(action, to=status, by=by, reason=reason or text, today=today)
        update.status_to = status
        changed.append(f"Status: {_status_label(status)}")
    if changed:
        _save(action, "; ".join(changed))
        update.save(update_fields=["due_from", "due_to", "status_from", "status_to"])
    return update


@transaction.atomic
def action_due_change(
    *, action: Action, by: Person | None, due_on: dt.date, reason: str
) -> ActionUpdate:
    """Move an action's due date, with the reason (kept as an update and in the history)."""
    rules.DueDateChangeNeedsReason.check(action.due_on, due_on, reason)
    if due_on == action.due_on:
        raise ValidationError({"due_on": "Enter a due date different from the current one."})
    text = f"Due date moved from {action.due_on:%-d %B %Y} to {due_on:%-d %B %Y}: {reason}"
    return action_update_add(action=action, by=by, text=text, due_on=due_on, reason=reason)


@transaction.atomic
def action_escalate(
    *, action: Action, by: Person | None = None, today: dt.date | None = None, reason: str = ""
) -> bool:
    """Put an overdue action on the Chair's list (sets escalated_on once). True if it was
    not escalated before."""
    action = _fresh(action)
    if action.escalated_on is not None:
        return False
    action.escalated_on = today or timezone.localdate()
    _save(action, reason or "Escalated to the Chair: overdue.")
    return True


@transaction.atomic
def evidence_add(
    *,
    action: Action,
    by: Person | None,
    kind: str,
    description: str,
    url: str = "",
    note: str = "",
    uploaded_file: Any = None,
) -> Evidence:
    """Add evidence that an action was done: a file (checked and stored safely, served only
    through a permission check), a link or a note."""
    rules.EvidenceNeedsContent.check(
        kind=kind, url=url, note=note, has_file=uploaded_file is not None
    )
    if action.status in (ActionStatus.NOT_ACCEPTED, ActionStatus.SUPERSEDED, ActionStatus.CLOSED):
        raise ValidationError(
            f"This action is {_status_label(action.status)}: evidence cannot be added."
        )
    evidence = Evidence(
        partnership_id=action.partnership_id,
        action=action,
        kind=kind,
        description=description.strip(),
        url=url.strip() if kind == EvidenceKind.LINK else "",
        note=note.strip() if kind == EvidenceKind.NOTE else "",
        added_by=by,
    )
    evidence.full_clean(exclude=["attachment"])
    if kind == EvidenceKind.FILE:
        try:
            evidence.attachment = attachment_create(
                subject=action,
                uploaded_file=uploaded_file,
                uploaded_by=by,
                description=description,
            )
        except ValidationError as exc:
            raise ValidationError({"uploaded_file": exc.messages}) from exc
    evidence.save()
    # An impact check that waited for this evidence can now be verified: tell the Chair.
    for check in action.impact_checks.filter(verified_on__isnull=True):
        _ask_chair_to_verify(check, by)
    return evidence


@transaction.atomic
def impact_check_record(
    *,
    action: Action,
    by: Person | None,
    method: str,
    measured: str,
    result: str,
    outcome: str,
    compared_from: str = "",
    compared_to: str = "",
    cites: models.Model | None = None,
    checked_on: dt.date | None = None,
) -> ImpactCheck:
    """Record what was measured to see whether practice changed, and the result. `cites`
    is the object the measure came from (a re-audit, an indicator), if any."""
    if action.status not in (ActionStatus.COMPLETED, ActionStatus.EVIDENCED):
        raise ValidationError("Record an impact check once the action is completed.")
    check = ImpactCheck(
        partnership_id=action.partnership_id,
        action=action,
        method=method,
        measured=measured.strip(),
        result=result.strip(),
        outcome=outcome,
        compared_from=compared_from.strip(),
        compared_to=compared_to.strip(),
        checked_on=checked_on or timezone.localdate(),
        **_source_fields(cites),
    )
    check.full_clean()
    check.save()
    _ask_chair_to_verify(check, by)
    return check


def _verify_key(check: ImpactCheck) -> str:
    return f"learning:impact-check:{check.pk}:verify"


def _ask_chair_to_verify(check: ImpactCheck, by: Person | None) -> None:
    """Tell the partnership's Chair(s) an impact check waits for their verification, in
    LIFT and by e-mail, once (the key names the check); not the Chair who recorded it, and
    not before the action has the evidence verifying needs.
    Names the action and agency only."""
    from lift.core.models import RoleAssignment
    from lift.core.notify import notify
    from lift.core.roles import R

    action = check.action
    if action.status == ActionStatus.COMPLETED and not action.evidence.exists():
        return  # not verifiable until evidence is added (`evidence_add` asks then)
    chairs = (
        RoleAssignment.objects.current()
        .filter(partnership_id=action.partnership_id, role=R.CHAIR, case_type__isnull=True)
        .select_related("person", "partnership")
    )
    url = reverse("learning:impact_verify", args=[action.pk, check.pk])
    for assignment in chairs:
        chair = assignment.person
        if not chair.is_active or (by is not None and chair.pk == by.pk):
            continue
        notify(
            person=chair,
            key=f"{_verify_key(check)}:to:{chair.pk}",
            title=f"Verify impact: {action.title}",
            body=(
                f"{action.owner_agency.name} recorded an impact check on "
                f"{check.checked_on:%-d %B %Y} ({check.get_outcome_display().lower()}). "
                "Verify it to close the action, or ask for more evidence."
            ),
            url=url,
            partnership=assignment.partnership,
        )


@transaction.atomic
def impact_verify(*, check: ImpactCheck, by: Person, today: dt.date | None = None) -> ImpactCheck:
    """Verify an impact check (the Board, the Chair or the business unit) and close the
    action: a completed action with evidence is marked evidenced first."""
    today = today or timezone.localdate()
    action = _fresh(check.action)
    rules.ImpactVerifiedByOversight.check(action, by)
    check.refresh_from_db()
    if check.verified_on is not None:
        raise ValidationError("This impact check has been verified already.")
    check.verified_by = by
    check.verified_on = today
    with history.change_reason("Impact verified"):
        check.save()
    if action.status == ActionStatus.COMPLETED:
        action_transition(
            action=action,
            to=ActionStatus.EVIDENCED,
            by=by,
            reason="Evidence on record when impact was verified.",
            today=today,
        )
    action_transition(
        action=action,
        to=ActionStatus.CLOSED,
        by=by,
        reason=f"Impact verified: {check.get_outcome_display().lower()}.",
        today=today,
    )
    todo.notifications_done(f"{_verify_key(check)}:")
    return check


# --- recommendations --------------------------------------------------------------------


@transaction.atomic
def recommendation_respond(
    *,
    recommendation: Recommendation,
    by: Person | None,
    response: str,
    reason: str = "",
    today: dt.date | None = None,
) -> Recommendation:
    """Record whether a recommendation is accepted, partly accepted or not accepted.
    Not accepted and partly accepted need the reason."""
    if response not in (Response.ACCEPTED, Response.PARTLY, Response.NOT_ACCEPTED):
        raise ValidationError({"response": "Choose accepted, partly accepted or not accepted."})
    rules.RecommendationResponseNeedsReason.check(response, reason)
    recommendation.response = response
    recommendation.response_reason = reason.strip()
    recommendation.responded_on = today or timezone.localdate()
    recommendation.full_clean()
    with history.change_reason(f"Response: {Response(response).label}"):
        recommendation.save()
    return recommendation


# --- themes, the library and dissemination ----------------------------------------------


@transaction.atomic
def theme_create(
    *, partnership: Partnership, by: Person | None, name: str, code: str = "", description: str = ""
) -> Theme:
    """Add a partnership's own theme (the business unit extends the shared taxonomy)."""
    code = code or slugify(name)
    if Theme.objects.for_partnership(partnership).filter(code=code).exists():
        raise ValidationError({"code": "A theme with this code exists already."})
    theme = Theme(partnership=partnership, code=code, name=name.strip(), description=description)
    theme.full_clean()
    theme.save()
    return theme


@transaction.atomic
def library_item_create(
    *,
    partnership: Partnership,
    by: Person | None,
    kind: str,
    title: str,
    summary: str,
    author: str = "",
    published_on: dt.date | None = None,
    url: str = "",
    themes: Iterable[Theme | str] = (),
    considered_on: dt.date | None = None,
) -> LibraryItem:
    """Add an external case review or a piece of research to the learning library."""
    item = LibraryItem(
        partnership=partnership,
        kind=kind,
        title=title,
        summary=summary,
        author=author,
        published_on=published_on,
        url=url,
        considered_on=considered_on,
    )
    item.full_clean()
    item.save()
    item.themes.set(_themes(partnership, themes))
    return item


@transaction.atomic
def lesson_add(
    *,
    item: LibraryItem,
    by: Person | None,
    title: str,
    text: str,
    kind: str = FindingKind.IMPROVEMENT,
    themes: Iterable[Theme | str] = (),
    identified_on: dt.date | None = None,
) -> Finding:
    """A key lesson of a library item: a finding whose source is the item."""
    return finding_create(
        source=item,
        title=title,
        text=text,
        kind=kind,
        themes=themes,
        identified_on=identified_on,
        recorded_by=by,
    )


@transaction.atomic
def finding_judge(
    *, finding: Finding, by: Person | None, applies: bool, reason: str = ""
) -> Finding:
    """The L&I sub-group records whether a lesson from elsewhere applies locally."""
    finding.applies_locally = applies
    finding.full_clean()
    words = "applies locally" if applies else "does not apply locally"
    with history.change_reason(f"Judged: {words}. {reason}".strip()):
        finding.save()
    return finding


@transaction.atomic
def finding_recommend(
    *,
    finding: Finding,
    by: Person | None,
    text: str,
    addressee: str = Addressee.PARTNERSHIP,
    agencies: Iterable[Agency] = (),
    reference: str = "",
) -> Recommendation:
    """Turn a lesson into a recommendation. A lesson from the library must first be judged
    to apply locally."""
    rules.LessonAppliesLocallyFirst.check(finding)
    return recommendation_create(
        source=finding.source,
        partnership=finding.partnership,
        text=text,
        findings=[finding],
        addressee=addressee,
        agencies=agencies,
        reference=reference,
        themes=list(finding.themes.all()),
    )


@transaction.atomic
def dissemination_create(
    *,
    partnership: Partnership,
    by: Person | None,
    kind: str,
    title: str,
    held_on: dt.date,
    audience: str,
    findings: Iterable[Finding] = (),
    agencies_reached: Iterable[Agency] = (),
    people_reached: int = 0,
    summary: str = "",
) -> Dissemination:
    """Record a briefing, newsletter, workshop, post or conference and the findings it
    carried, with its reach."""
    findings = list(findings)
    agencies_reached = list(agencies_reached)
    if any(f.partnership_id != partnership.pk for f in findings):
        raise ValidationError({"findings": "Choose findings of this partnership."})
    if any(a.partnership_id != partnership.pk for a in agencies_reached):
        raise ValidationError({"agencies_reached": "Choose agencies of this partnership."})
    item = Dissemination(
        partnership=partnership,
        kind=kind,
        title=title,
        held_on=held_on,
        audience=audience,
        people_reached=people_reached,
        summary=summary,
    )
    item.full_clean()
    item.save()
    item.findings.set(findings)
    item.agencies_reached.set(agencies_reached)
    return item
