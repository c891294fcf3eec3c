"""Writes of the audits area: keyword-only, atomic, validated; rules from rules.py.

Governance (Board agenda items, business plan priorities) is reached through its services
when the app is there; the learning chain through lift.learning.services.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from lift.core import history
from lift.core.models import Agency, Partnership, Person
from lift.core.notify import notify
from lift.core.roles import R
from lift.core.services import role_assign
from lift.learning import services as learning
from lift.learning.models import Dissemination, Finding, Recommendation, Theme

from . import rules
from .choices import (
    AUDIT_MOVES,
    YES_NO_PARTLY,
    AnswerType,
    AuditStatus,
    CaseAuditStatus,
    Declaration,
    ReturnStatus,
    TemplateKind,
)
from .models import (
    AgencyAuditProgramme,
    Assignment,
    Audit,
    AuditProgramme,
    AuditReturn,
    AuditTemplate,
    CaseAudit,
    CaseAuditGrade,
    CaseIdentity,
    ReturnAnswer,
    ReturnGrade,
    SampleCase,
    SeniorManagementReport,
    TeamSchedule,
    TemplateGrade,
    TemplateQuestion,
    TemplateSection,
    Workshop,
    YoungPeoplesViews,
)


def _saved(obj: models.Model, reason: str = "") -> None:
    obj.full_clean()
    if reason:
        with history.change_reason(reason):
            obj.save()
    else:
        obj.save()


def audit_identifiers(audit: Audit, seen_by: Any = None) -> list[str]:
    """Every identifier of every child in the audit's sample (for checking outgoing text).

    With `seen_by`, only those of the restricted records that person may open: the check on
    text coming in uses this, so a refusal never tells the writer that a name belongs to a
    child whose record they cannot see (issue 17). Outgoing text is still redacted with all.
    """
    out: set[str] = set()
    for identity in _identities(seen_by).filter(case__audit=audit):
        out.update(identity.identifiers())
    return sorted(out, key=len, reverse=True)


def case_identifiers(case: SampleCase, seen_by: Any = None) -> list[str]:
    """The case's identifiers; with `seen_by`, none unless that person may open the record."""
    identity = _identities(seen_by).filter(case=case).first()
    return identity.identifiers() if identity is not None else []


def _identities(seen_by: Any) -> models.QuerySet[CaseIdentity]:
    if seen_by is None:
        return CaseIdentity.objects.all()
    return CaseIdentity.objects.restrict(seen_by, "view")


# --- programme and design -----------------------------------------------------------------


@transaction.atomic
def programme_create(
    *,
    partnership: Partnership,
    year: str,
    title: str,
    by: Person | None,
    summary: str = "",
    approved_on: dt.date | None = None,
) -> AuditProgramme:
    """Record the annual programme of thematic multi-agency audits."""
    programme = AuditProgramme(
        partnership=partnership, year=year, title=title, summary=summary, approved_on=approved_on
    )
    _saved(programme)
    return programme


def _themes(partnership: Partnership, themes: Iterable[Theme | str]) -> list[Theme]:
    themes = list(themes)
    codes = [t for t in themes if isinstance(t, str)]
    objects = [t for t in themes if isinstance(t, Theme)]
    return objects + (learning.themes_by_code(partnership, codes) if codes else [])


def _check_agencies(partnership: Partnership, agencies: list[Agency]) -> None:
    if any(a.partnership_id != partnership.pk for a in agencies):
        raise ValidationError({"agencies": "Choose agencies of this partnership."})


@transaction.atomic
def audit_create(
    *,
    programme: AuditProgramme,
    title: str,
    by: Person | None,
    purpose: str = "",
    themes: Iterable[Theme | str] = (),
    planned_start: dt.date | None = None,
    planned_end: dt.date | None = None,
    returns_due_on: dt.date | None = None,
    template: AuditTemplate | None = None,
    agencies: Iterable[Agency] = (),
    sampling_rule: str = "",
    lead: Person | None = None,
    previous_audit: Audit | None = None,
    status: str = AuditStatus.PLANNED,
) -> Audit:
    """Add an audit to the programme. The person adding it and its lead join the audit team
    (a case role on the audit), which alone sees the sample's restricted records."""
    partnership = programme.partnership
    rules.TemplateKindMatches.check(template, TemplateKind.MULTI_AGENCY)
    theme_list = _themes(partnership, themes)
    agency_list = list(agencies)
    _check_agencies(partnership, agency_list)
    audit = Audit(
        partnership=partnership,
        programme=programme,
        title=title,
        purpose=purpose,
        status=status,
        planned_start=planned_start,
        planned_end=planned_end,
        returns_due_on=returns_due_on,
        template=template,
        sampling_rule=sampling_rule,
        lead=lead,
    )
    audit.full_clean()
    audit.save()
    rules.ReauditOfEarlierAuditOnSameTheme.check(audit, previous_audit, [t.pk for t in theme_list])
    if previous_audit is not None:
        audit.previous_audit = previous_audit
        audit.save(update_fields=["previous_audit", "updated_at"])
    audit.themes.set(theme_list)
    audit.agencies.set(agency_list)
    for person in {p.pk: p for p in (by, lead) if p is not None}.values():
        audit_team_add(audit=audit, person=person, by=by)
    return audit


@transaction.atomic
def audit_update(
    *,
    audit: Audit,
    by: Person | None,
    themes: Iterable[Theme] | None = None,
    agencies: Iterable[Agency] | None = None,
    reason: str = "",
    **fields: Any,
) -> Audit:
    """Change an audit's design. The template cannot change once returns have begun."""
    if "template" in fields and fields["template"] != audit.template:
        rules.TemplateKindMatches.check(fields["template"], TemplateKind.MULTI_AGENCY)
        if audit.returns.exists():
            raise ValidationError(
                {"template": "Returns have begun: the template can no longer change."}
            )
    previous = fields.pop("previous_audit", audit.previous_audit)
    for name, value in fields.items():
        setattr(audit, name, value)
    theme_ids = (
        [t.pk for t in themes]
        if themes is not None
        else list(audit.themes.values_list("pk", flat=True))
    )
    rules.ReauditOfEarlierAuditOnSameTheme.check(audit, previous, theme_ids)
    audit.previous_audit = previous
    _saved(audit, reason)
    if themes is not None:
        audit.themes.set(list(themes))
    if agencies is not None:
        agency_list = list(agencies)
        _check_agencies(audit.partnership, agency_list)
        audit.agencies.set(agency_list)
    return audit


@transaction.atomic
def audit_status_set(*, audit: Audit, status: str, by: Person | None, reason: str = "") -> Audit:
    """Move an audit along the programme (planned, design, auditing, workshop...)."""
    if status not in AUDIT_MOVES.get(audit.status, ()):
        raise ValidationError(
            {"status": f"An audit that is {audit.get_status_display().lower()} cannot move there."}
        )
    if status == AuditStatus.AUDITING and audit.template_id is None:
        raise ValidationError({"status": "Choose the audit's template before auditing starts."})
    audit.status = status
    _saved(audit, reason or f"Status: {AuditStatus(status).label}")
    return audit


@transaction.atomic
def audit_team_add(*, audit: Audit, person: Person, by: Person | None) -> Any:
    """Add someone to the audit team: they see the sample's restricted records."""
    return role_assign(partnership=audit.partnership, person=person, role=R.CASE_TEAM, case=audit)


def governance_available() -> bool:
    from django.apps import apps

    return apps.is_installed("lift.governance")


@transaction.atomic
def audit_priority_link(*, audit: Audit, priority: Any, by: Person | None) -> Any:
    """Link the audit to a business plan priority (through governance's generic link)."""
    from lift.governance.services import priority_link_add

    if priority.partnership_id != audit.partnership_id:
        raise ValidationError({"priority": "Choose a priority of this partnership."})
    return priority_link_add(priority=priority, linked=audit, by=by)


@transaction.atomic
def sample_case_add(
    *,
    audit: Audit,
    reference: str,
    by: Person | None,
    full_name: str,
    summary: str = "",
    date_of_birth: dt.date | None = None,
    other_names: str = "",
    address: str = "",
    record_numbers: str = "",
) -> SampleCase:
    """Add a case to the sample: its pseudonymised reference for everyone, and its
    restricted record (who the child is) for the audit team."""
    order = (audit.cases.aggregate(m=models.Max("order"))["m"] or 0) + 1
    case = SampleCase(
        partnership=audit.partnership,
        audit=audit,
        reference=reference.strip(),
        summary=summary.strip(),
        order=order,
    )
    case.full_clean()
    identity = CaseIdentity(
        partnership=audit.partnership,
        full_name=full_name.strip(),
        other_names=other_names.strip(),
        date_of_birth=date_of_birth,
        address=address.strip(),
        record_numbers=record_numbers.strip(),
    )
    rules.NoIdentifiersInText.check(
        {"reference": case.reference, "summary": case.summary}, identity.identifiers()
    )
    case.save()
    identity.case = case
    identity.full_clean()
    identity.save()
    return case


@transaction.atomic
def case_identity_update(
    *, identity: CaseIdentity, by: Person | None, **fields: Any
) -> CaseIdentity:
    for name, value in fields.items():
        setattr(identity, name, value)
    _saved(identity)
    return identity


# --- auditing -----------------------------------------------------------------------------


def _label(assignment: Assignment) -> str:
    return f"{assignment.audit.title}: {assignment.case.reference} ({assignment.agency.name})"


@transaction.atomic
def assignment_create(
    *,
    case: SampleCase,
    agency: Agency,
    auditor: Person,
    by: Person | None,
    due_on: dt.date | None = None,
) -> Assignment:
    """Ask an auditor of an agency to audit that agency's work on a sampled case. The return
    for the case and agency is opened; the auditor is told (by reference, never by name)."""
    audit = case.audit
    rules.AgencyParticipates.check(audit, agency.pk)
    rules.AuditorAuditsOwnAgency.check(auditor, agency)
    due_on = due_on or audit.returns_due_on
    audit_return, _ = AuditReturn.objects.get_or_create(
        case=case,
        agency=agency,
        defaults={"partnership": audit.partnership, "audit": audit, "due_on": due_on},
    )
    assignment = Assignment(
        partnership=audit.partnership,
        audit=audit,
        case=case,
        agency=agency,
        auditor=auditor,
        audit_return=audit_return,
        due_on=due_on,
    )
    assignment.full_clean()
    assignment.save()
    role_assign(
        partnership=audit.partnership, person=auditor, role=R.AUDITOR, agency=agency, case=audit
    )
    transaction.on_commit(lambda: _tell_assigned(assignment))
    return assignment


def _tell_assigned(assignment: Assignment) -> None:
    due = f" The return is due by {assignment.due_on:%-d %B %Y}." if assignment.due_on else ""
    notify(
        person=assignment.auditor,
        key=f"audit-assignment:{assignment.pk}",
        title=f"You have been asked to audit a case: {_label(assignment)}",
        body="Before you see the case, declare whether you have had any previous involvement "
        f"with it.{due}",
        url=assignment.get_absolute_url(),
        partnership=assignment.partnership,
    )


@transaction.atomic
def assignment_declare(
    *, assignment: Assignment, by: Person, involved: bool, details: str = ""
) -> Assignment:
    """The auditor declares whether they have had previous involvement with the case. A
    declared involvement blocks the assignment and tells the audit lead."""
    assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if by.pk != assignment.auditor_id:
        raise ValidationError("Only the assigned auditor can make this declaration.")
    rules.DeclarationOnce.check(assignment)
    rules.InvolvementNeedsDetails.check(involved, details)
    rules.NoIdentifiersInText.check(
        {"involvement_details": details}, case_identifiers(assignment.case, by)
    )
    assignment.declaration = Declaration.BLOCKED if involved else Declaration.CLEARED
    assignment.declared_on = timezone.now()
    assignment.involvement_details = details.strip()
    _saved(assignment, "Involvement declared" if involved else "No previous involvement")
    if involved:  # blocked: nothing more is asked of this auditor
        _asked_done(f"audit-assignment:{assignment.pk}")
    lead = assignment.audit.lead
    if involved and lead is not None:
        transaction.on_commit(
            lambda: notify(
                person=lead,
                key=f"audit-assignment:{assignment.pk}:blocked",
                title=f"An auditor declared previous involvement: {_label(assignment)}",
                body="Assign another auditor from the agency.",
                url=assignment.audit.get_absolute_url(),
                partnership=assignment.partnership,
            )
        )
    return assignment


def _asked_done(*keys: str) -> None:
    """Mark read the notifications that asked for a step now done (exact keys: an id at the
    end of a key is no prefix of another's), so "My work" no longer shows them."""
    from lift.core.models import Notification

    Notification.objects.filter(key__in=keys, read_at__isnull=True).update(read_at=timezone.now())


def _check_auditor(audit_return: AuditReturn, by: Person | None) -> None:
    """An assigned auditor must be cleared; the audit team may also edit."""
    if by is None:
        return
    mine = list(audit_return.assignments.filter(auditor=by))
    for assignment in mine:
        rules.DeclaredInvolvementBlocks.check(assignment)
        rules.DeclarationBeforeCase.check(assignment)


def _clean_answer(question: TemplateQuestion, value: str) -> str:
    value = (value or "").strip()
    yes_no = question.answer_type == AnswerType.YES_NO_PARTLY
    if value and yes_no and value not in dict(YES_NO_PARTLY):
        raise ValidationError({f"q_{question.pk}": "Choose one of the answers given."})
    return value


@transaction.atomic
def return_section_save(
    *,
    audit_return: AuditReturn,
    section: TemplateSection,
    by: Person | None,
    answers: Mapping[int, str],
    grade: TemplateGrade | None,
    rationale: str = "",
) -> AuditReturn:
    """Save the answers and grade of one line of enquiry (a draft may be saved part done)."""
    rules.ReturnEditableOnlyAsDraft.check(audit_return)
    _check_auditor(audit_return, by)
    if section.template_id != audit_return.audit.template_id:
        raise ValidationError("That line of enquiry is not in this audit's template.")
    rules.GradeOnScale.check(section, grade)
    identifiers = audit_identifiers(audit_return.audit, by)
    questions = {q.pk: q for q in section.questions.all()}
    cleaned = {
        pk: _clean_answer(questions[pk], text) for pk, text in answers.items() if pk in questions
    }
    texts = {f"q_{pk}": text for pk, text in cleaned.items()}
    texts["rationale"] = rationale
    rules.NoIdentifiersInText.check(texts, identifiers)
    for pk, text in cleaned.items():
        answer, created = ReturnAnswer.objects.get_or_create(
            audit_return=audit_return,
            question_id=pk,
            defaults={"partnership": audit_return.partnership, "answer": text},
        )
        if not created and answer.answer != text:
            answer.answer = text
            answer.save()
    existing = ReturnGrade.objects.filter(audit_return=audit_return, section=section).first()
    if grade is None:
        if existing is not None:
            existing.delete()
    elif existing is None:
        ReturnGrade.objects.create(
            partnership=audit_return.partnership,
            audit_return=audit_return,
            section=section,
            grade=grade,
            rationale=rationale.strip(),
        )
    elif existing.grade_id != grade.pk or existing.rationale != rationale.strip():
        existing.grade = grade
        existing.rationale = rationale.strip()
        existing.save()
    audit_return.save(update_fields=["updated_at"])
    return audit_return


@transaction.atomic
def return_summary_save(
    *,
    audit_return: AuditReturn,
    by: Person | None,
    evidence_notes: str,
    strengths: str,
    areas_for_improvement: str,
) -> AuditReturn:
    """Save the return's evidence notes, strengths and areas for improvement."""
    rules.ReturnEditableOnlyAsDraft.check(audit_return)
    _check_auditor(audit_return, by)
    texts = {
        "evidence_notes": evidence_notes.strip(),
        "strengths": strengths.strip(),
        "areas_for_improvement": areas_for_improvement.strip(),
    }
    rules.NoIdentifiersInText.check(texts, audit_identifiers(audit_return.audit, by))
    for name, value in texts.items():
        setattr(audit_return, name, value)
    _saved(audit_return)
    return audit_return


@transaction.atomic
def return_submit(*, audit_return: AuditReturn, by: Person | None) -> AuditReturn:
    """Submit a return: refused while required questions are unanswered or lines ungraded
    (the error lists them)."""
    audit_return = AuditReturn.objects.select_for_update().get(pk=audit_return.pk)
    rules.ReturnEditableOnlyAsDraft.check(audit_return)
    _check_auditor(audit_return, by)
    rules.RequiredQuestionsAnswered.check(audit_return)
    audit_return.status = ReturnStatus.SUBMITTED
    audit_return.submitted_by = by
    audit_return.submitted_on = timezone.localdate()
    _saved(audit_return, "Return submitted")
    # The auditors' "you have been asked to audit a case" (and any "sent back") are done.
    assignments = list(audit_return.assignments.values_list("pk", flat=True))
    _asked_done(*[f"audit-assignment:{pk}" for pk in assignments])
    from lift.core.todo import notifications_done

    notifications_done(f"audit-return:{audit_return.pk}:sent-back:")
    return audit_return


@transaction.atomic
def return_quality_assure(
    *, audit_return: AuditReturn, by: Person | None, note: str = ""
) -> AuditReturn:
    """Quality-assure a submitted return (someone other than its auditor)."""
    audit_return = AuditReturn.objects.select_for_update().get(pk=audit_return.pk)
    rules.QualityAssuredByAnother.check(audit_return, by)
    rules.NoIdentifiersInText.check({"qa_note": note}, case_identifiers(audit_return.case, by))
    audit_return.status = ReturnStatus.QUALITY_ASSURED
    audit_return.quality_assured_by = by
    audit_return.quality_assured_on = timezone.localdate()
    audit_return.qa_note = note.strip()
    _saved(audit_return, "Return quality assured")
    return audit_return


@transaction.atomic
def return_send_back(*, audit_return: AuditReturn, by: Person | None, reason: str) -> AuditReturn:
    """Send a submitted return back to its auditors as a draft, saying why."""
    audit_return = AuditReturn.objects.select_for_update().get(pk=audit_return.pk)
    if audit_return.status != ReturnStatus.SUBMITTED:
        raise ValidationError("Only a submitted return can be sent back.")
    if not reason.strip():
        raise ValidationError({"reason": "Say what needs to change."})
    rules.NoIdentifiersInText.check({"reason": reason}, case_identifiers(audit_return.case, by))
    audit_return.status = ReturnStatus.DRAFT
    audit_return.qa_note = reason.strip()
    _saved(audit_return, f"Sent back: {reason.strip()}")
    for assignment in audit_return.assignments.filter(declaration=Declaration.CLEARED):
        notify(
            person=assignment.auditor,
            key=f"audit-return:{audit_return.pk}:sent-back:{audit_return.updated_at.isoformat()}:"
            f"{assignment.auditor_id}",
            title=f"Your audit return was sent back: {_label(assignment)}",
            body="Open the return to see what needs to change.",
            url=audit_return.get_absolute_url(),
            partnership=audit_return.partnership,
        )
    return audit_return


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


# --- single-agency case audits -----------------------------------------------------------


@transaction.atomic
def agency_programme_create(
    *,
    agency: Agency,
    title: str,
    year: str,
    template: AuditTemplate,
    by: Person | None,
    description: str = "",
    share_with_business_unit: bool = False,
) -> AgencyAuditProgramme:
    """An agency's own programme of case audits, on its own template."""
    rules.TemplateKindMatches.check(template, TemplateKind.SINGLE_AGENCY)
    programme = AgencyAuditProgramme(
        partnership=agency.partnership,
        agency=agency,
        title=title,
        year=year,
        template=template,
        description=description,
        share_with_business_unit=share_with_business_unit,
    )
    _saved(programme)
    return programme


@transaction.atomic
def team_schedule_add(
    *,
    programme: AgencyAuditProgramme,
    team: str,
    method: str,
    frequency: str,
    by: Person | None,
    cases_per_round: int = 2,
    auditor: Person | None = None,
    next_due_on: dt.date | None = None,
) -> TeamSchedule:
    schedule = TeamSchedule(
        partnership=programme.partnership,
        programme=programme,
        team=team,
        method=method,
        frequency=frequency,
        cases_per_round=cases_per_round,
        auditor=auditor,
        next_due_on=next_due_on,
    )
    _saved(schedule)
    return schedule


@transaction.atomic
def case_audit_record(
    *,
    schedule: TeamSchedule,
    case_reference: str,
    audited_on: dt.date,
    auditor: Person,
    by: Person | None,
    grades: Mapping[TemplateSection, TemplateGrade],
    overall_grade: TemplateGrade,
    worker: Person | None = None,
    manager: Person | None = None,
    strengths: str = "",
    areas_for_improvement: str = "",
    comments: Mapping[TemplateSection, str] | None = None,
) -> CaseAudit:
    """Record one audited case: a grade per domain of the agency's template and overall."""
    programme = schedule.programme
    template = programme.template
    rules.NotAuditingOwnCase.check(auditor, worker)
    sections = list(template.sections.all())
    missing = [s.title for s in sections if s not in grades]
    if missing:
        raise ValidationError({"grades": f"Grade every domain: {', '.join(missing)}."})
    for section, grade in grades.items():
        if section.template_id != template.pk:
            raise ValidationError({"grades": "Grade the domains of this programme's template."})
        rules.GradeOnScale.check(section, grade)
    if overall_grade.template_id != template.pk or overall_grade.section_id is not None:
        raise rules.GradeOnScale.violation()
    case_audit = CaseAudit(
        partnership=programme.partnership,
        programme=programme,
        schedule=schedule,
        case_reference=case_reference.strip(),
        audited_on=audited_on,
        auditor=auditor,
        worker=worker,
        manager=manager,
        overall_grade=overall_grade,
        strengths=strengths.strip(),
        areas_for_improvement=areas_for_improvement.strip(),
        status=CaseAuditStatus.COMPLETED,
    )
    _saved(case_audit)
    comments = comments or {}
    CaseAuditGrade.objects.bulk_create(
        [
            CaseAuditGrade(
                partnership=programme.partnership,
                case_audit=case_audit,
                section=section,
                grade=grade,
                comment=comments.get(section, ""),
            )
            for section, grade in grades.items()
        ]
    )
    return case_audit


@transaction.atomic
def case_audit_feedback(
    *, case_audit: CaseAudit, feedback: str, by: Person | None, given_on: dt.date | None = None
) -> CaseAudit:
    """Record the feedback given to the worker and their manager; they are asked to
    acknowledge it (the message names the case reference only)."""
    if not feedback.strip():
        raise ValidationError({"feedback": "Write the feedback given."})
    if case_audit.worker_id is None and case_audit.manager_id is None:
        raise ValidationError("Name the worker or manager the feedback was given to.")
    case_audit.feedback = feedback.strip()
    case_audit.feedback_given_on = given_on or timezone.localdate()
    case_audit.status = CaseAuditStatus.FEEDBACK_GIVEN
    _saved(case_audit, "Feedback given")
    for person in (case_audit.worker, case_audit.manager):
        if person is not None:
            _tell_feedback(case_audit, person)
    return case_audit


def _tell_feedback(case_audit: CaseAudit, person: Person) -> None:
    def send() -> None:
        notify(
            person=person,
            key=f"case-audit:{case_audit.pk}:feedback:{person.pk}",
            title=f"Feedback from a case audit: {case_audit.case_reference}",
            body="Read the feedback and acknowledge it.",
            url=case_audit.get_absolute_url(),
            partnership=case_audit.partnership,
        )

    transaction.on_commit(send)


@transaction.atomic
def case_audit_acknowledge(
    *, case_audit: CaseAudit, by: Person, on: dt.date | None = None
) -> CaseAudit:
    """The worker or the manager acknowledges the feedback."""
    rules.FeedbackBeforeAcknowledgement.check(case_audit)
    who = rules.AcknowledgedByWorkerOrManager.check(case_audit, by)
    today = on or timezone.localdate()
    if who == "worker":
        case_audit.worker_acknowledged_on = case_audit.worker_acknowledged_on or today
    else:
        case_audit.manager_acknowledged_on = case_audit.manager_acknowledged_on or today
    _asked_done(f"case-audit:{case_audit.pk}:feedback:{by.pk}")
    worker_done = case_audit.worker_id is None or case_audit.worker_acknowledged_on
    manager_done = case_audit.manager_id is None or case_audit.manager_acknowledged_on
    if worker_done and manager_done:
        case_audit.status = CaseAuditStatus.ACKNOWLEDGED
    _saved(case_audit, f"Feedback acknowledged by the {who}")
    return case_audit


@transaction.atomic
def smt_report_record(
    *,
    programme: AgencyAuditProgramme,
    period_start: dt.date,
    period_end: dt.date,
    reported_on: dt.date,
    findings: str,
    by: Person | None,
    recommendations: str = "",
    actions_agreed: str = "",
) -> SeniorManagementReport:
    """Record the findings and recommendations reported to the senior management team."""
    report = SeniorManagementReport(
        partnership=programme.partnership,
        programme=programme,
        period_start=period_start,
        period_end=period_end,
        reported_on=reported_on,
        findings=findings,
        recommendations=recommendations,
        actions_agreed=actions_agreed,
    )
    _saved(report)
    return report


@transaction.atomic
def smt_report_share(
    *,
    report: SeniorManagementReport,
    by: Person | None,
    title: str,
    kind: str = "improvement",
    themes: Iterable[Theme | str] = (),
) -> Finding:
    """Share the report's findings with the partnership's learning chain (the agency's
    choice): a finding whose source is the report."""
    if report.shared_on is not None:
        raise ValidationError("These findings have already been shared with the partnership.")
    finding = learning.finding_create(
        source=report,
        title=title,
        text=report.findings,
        kind=kind,
        themes=themes,
        identified_on=report.reported_on,
        recorded_by=by,
    )
    report.shared_on = timezone.localdate()
    _saved(report, "Findings shared with the partnership")
    return finding
