"""Young people's views, the workshop and completion; the learning chain, the Board and
dissemination."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from lift.core.models import Agency, Person
from lift.learning import services as learning
from lift.learning.models import Dissemination, Finding, Recommendation, Theme

from .. import rules
from ..choices import (
    AuditStatus,
)
from ..models import (
    Audit,
    SeniorManagementReport,
    Workshop,
    YoungPeoplesViews,
)
from .base import _check_agencies, _saved, audit_identifiers
from .design import governance_available

# --- young people's views, workshop, completion --------------------------------------------


@transaction.atomic
def views_record(
    *,
    audit: Audit,
    by: Person | None,
    group_description: str,
    held_on: dt.date,
    how_gathered: str,
    what_they_said: str,
    number_of_young_people: int | None = None,
    consultation: models.Model | None = None,
) -> YoungPeoplesViews:
    """Record the views of a group of children and young people on the audit's theme."""
    views = YoungPeoplesViews(
        partnership=audit.partnership,
        audit=audit,
        group_description=group_description,
        held_on=held_on,
        how_gathered=how_gathered,
        what_they_said=what_they_said,
        number_of_young_people=number_of_young_people,
    )
    if consultation is not None:
        views.consultation_type = ContentType.objects.get_for_model(consultation)
        views.consultation_id = consultation.pk
    rules.NoIdentifiersInText.check(
        {"group_description": group_description, "what_they_said": what_they_said},
        audit_identifiers(audit, by),
    )
    _saved(views)
    return views


@transaction.atomic
def views_attach_consultation(
    *, views: YoungPeoplesViews, consultation: models.Model, by: Person | None
) -> YoungPeoplesViews:
    """Link the views to the consultation record the voice area keeps (a generic link)."""
    if getattr(consultation, "partnership_id", views.partnership_id) != views.partnership_id:
        raise ValidationError("Choose a consultation of this partnership.")
    views.consultation_type = ContentType.objects.get_for_model(consultation)
    views.consultation_id = consultation.pk
    _saved(views, "Consultation linked")
    return views


@transaction.atomic
def views_waiver_request(*, audit: Audit, reason: str, by: Person | None) -> Audit:
    """Record why young people's views could not be sought (the sub-group chair approves,
    then the Chair agrees; a new reason needs both again)."""
    if not reason.strip():
        raise ValidationError({"views_waiver_reason": "Say why the views were not sought."})
    audit.views_waiver_reason = reason.strip()
    audit.views_waiver_approved_by = None
    audit.views_waiver_approved_on = None
    audit.views_waiver_agreed_by = None
    audit.views_waiver_agreed_on = None
    _saved(audit, "Reason for no young people's views recorded")
    return audit


@transaction.atomic
def views_waiver_approve(*, audit: Audit, by: Person) -> Audit:
    """The L&I sub-group chair approves completing the audit without young people's views."""
    rules.WaiverApprovedBySubgroupChair.check(audit, by)
    audit.views_waiver_approved_by = by
    audit.views_waiver_approved_on = timezone.localdate()
    _saved(audit, "Reason for no young people's views approved")
    return audit


@transaction.atomic
def views_waiver_agree(*, audit: Audit, by: Person) -> Audit:
    """The Chair of the Board agrees to completing the audit without young people's views
    (the seed: their views are "an integral part of every multi-agency audit")."""
    rules.WaiverAgreedByChair.check(audit, by)
    audit.views_waiver_agreed_by = by
    audit.views_waiver_agreed_on = timezone.localdate()
    _saved(audit, "Reason for no young people's views agreed by the Chair")
    return audit


@transaction.atomic
def workshop_record(
    *,
    audit: Audit,
    by: Person | None,
    held_on: dt.date,
    attendees: str,
    agencies: Iterable[Agency] = (),
    discussion_notes: str = "",
    challenge_notes: str = "",
) -> Workshop:
    """Record the multi-agency workshop where the returns were discussed and challenged."""
    agency_list = list(agencies)
    _check_agencies(audit.partnership, agency_list)
    rules.NoIdentifiersInText.check(
        {"discussion_notes": discussion_notes, "challenge_notes": challenge_notes},
        audit_identifiers(audit, by),
    )
    workshop = Workshop(
        partnership=audit.partnership,
        audit=audit,
        held_on=held_on,
        attendees=attendees,
        discussion_notes=discussion_notes,
        challenge_notes=challenge_notes,
    )
    _saved(workshop)
    workshop.agencies.set(agency_list)
    return workshop


@transaction.atomic
def audit_overview_save(*, audit: Audit, summary: str, by: Person | None) -> Audit:
    rules.NoIdentifiersInText.check({"overview_summary": summary}, audit_identifiers(audit, by))
    audit.overview_summary = summary.strip()
    _saved(audit, "Overview summary")
    return audit


@transaction.atomic
def audit_complete(*, audit: Audit, by: Person | None, on: dt.date | None = None) -> Audit:
    """Complete the audit: every return in, the workshop held, and young people's views
    recorded (or a reason approved by the sub-group chair)."""
    audit = Audit.objects.select_for_update().get(pk=audit.pk)
    if audit.status in (AuditStatus.COMPLETED, AuditStatus.CANCELLED):
        raise ValidationError("This audit is already closed.")
    rules.ReturnsInBeforeCompletion.check(audit)
    rules.WorkshopBeforeCompletion.check(audit)
    rules.YoungPeoplesViewsBeforeCompletion.check(audit)
    audit.status = AuditStatus.COMPLETED
    audit.completed_on = on or timezone.localdate()
    _saved(audit, "Audit completed")
    return audit


# --- learning chain, Board and dissemination -------------------------------------------------


@transaction.atomic
def audit_finding_add(
    *,
    audit: Audit | SeniorManagementReport,
    by: Person | None,
    title: str,
    text: str,
    kind: str,
    themes: Iterable[Theme | str] = (),
    identified_on: dt.date | None = None,
) -> Finding:
    """A finding of the audit, into the learning chain with the audit as its source."""
    if isinstance(audit, Audit):
        rules.NoIdentifiersInText.check(
            {"title": title, "text": text}, audit_identifiers(audit, by)
        )
    return learning.finding_create(
        source=audit,
        title=title,
        text=text,
        kind=kind,
        themes=themes,
        identified_on=identified_on,
        recorded_by=by,
    )


@transaction.atomic
def audit_recommendation_add(
    *,
    audit: Audit,
    by: Person | None,
    text: str,
    findings: Iterable[Finding] = (),
    addressee: str = "partnership",
    agencies: Iterable[Agency] = (),
    reference: str = "",
    themes: Iterable[Theme | str] = (),
) -> Recommendation:
    """A recommendation of the audit, into the learning chain with the audit as its source."""
    rules.NoIdentifiersInText.check({"text": text}, audit_identifiers(audit, by))
    findings = list(findings)
    own = set(Finding.objects.from_source(audit).values_list("pk", flat=True))
    if any(f.pk not in own for f in findings):
        raise ValidationError({"findings": "Choose findings of this audit."})
    return learning.recommendation_create(
        source=audit,
        text=text,
        findings=findings,
        addressee=addressee,
        agencies=agencies,
        reference=reference,
        themes=themes,
    )


@transaction.atomic
def audit_report_to_board(
    *, audit: Audit, meeting: Any, by: Person | None, presenter: Person | None = None
) -> Any:
    """Put the audit's overview report on a Board meeting's agenda (linked to the audit)."""
    from lift.governance.services import agenda_item_add

    if meeting.partnership_id != audit.partnership_id:
        raise ValidationError({"meeting": "Choose a meeting of this partnership."})
    return agenda_item_add(
        meeting=meeting,
        title=f"Multi-agency audit overview report: {audit.title}",
        by=by,
        linked=audit,
        presenter=presenter,
    )


def board_items(audit: Audit) -> list[Any]:
    """The agenda items that took the audit to a meeting (empty without governance)."""
    if not governance_available():
        return []
    from lift.governance.models import AgendaItem

    return list(
        AgendaItem.objects.filter(
            linked_type=ContentType.objects.get_for_model(Audit), linked_id=audit.pk
        ).select_related("meeting__board")
    )


@transaction.atomic
def audit_dissemination_record(
    *,
    audit: Audit,
    by: Person | None,
    kind: str,
    title: str,
    held_on: dt.date,
    audience: str,
    agencies_reached: Iterable[Agency] = (),
    people_reached: int = 0,
    summary: str = "",
) -> Dissemination:
    """Record a briefing, newsletter or event that carried the audit's findings out."""
    rules.NoIdentifiersInText.check(
        {"summary": summary, "title": title}, audit_identifiers(audit, by)
    )
    findings = list(Finding.objects.from_source(audit))
    if not findings:
        raise ValidationError("Record the audit's findings before their dissemination.")
    return learning.dissemination_create(
        partnership=audit.partnership,
        by=by,
        kind=kind,
        title=title,
        held_on=held_on,
        audience=audience,
        findings=findings,
        agencies_reached=agencies_reached,
        people_reached=people_reached,
        summary=summary,
    )
