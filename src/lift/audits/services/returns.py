"""Auditing: assignments, declarations and the auditors' returns, through quality
assurance."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from lift.core.models import Agency, Person
from lift.core.notify import notify
from lift.core.roles import R
from lift.core.services import role_assign

from .. import rules
from ..choices import (
    YES_NO_PARTLY,
    AnswerType,
    Declaration,
    ReturnStatus,
)
from ..models import (
    Assignment,
    AuditReturn,
    ReturnAnswer,
    ReturnGrade,
    SampleCase,
    TemplateGrade,
    TemplateQuestion,
    TemplateSection,
)
from .base import _asked_done, _saved, audit_identifiers, case_identifiers

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
