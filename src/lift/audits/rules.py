"""The named rules of case audits.

Each rule is a class whose docstring is the message shown when it is broken. `check(...)`
raises a ValidationError (naming the field where there is one). Services call them; each
has its own test in tests/audits/test_rules.py.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError

from lift.core.access import has_role
from lift.core.roles import R
from lift.core.rules import BusinessRule

from .choices import Declaration, ReturnStatus

if TYPE_CHECKING:
    from .models import (
        Assignment,
        Audit,
        AuditReturn,
        AuditTemplate,
        CaseAudit,
        TemplateGrade,
        TemplateSection,
    )


# --- design -------------------------------------------------------------------------------


class TemplateKindMatches(BusinessRule):
    """Choose a template of the right kind for this audit."""

    field = "template"

    @classmethod
    def check(cls, template: AuditTemplate | None, kind: str) -> None:
        if template is not None and template.kind != kind:
            raise cls.violation()


class ReauditOfEarlierAuditOnSameTheme(BusinessRule):
    """A re-audit must follow an earlier audit of this partnership on the same theme.

    The earlier audit shares at least one theme and started before this one.
    """

    field = "previous_audit"

    @classmethod
    def check(cls, audit: Audit, previous: Audit | None, theme_ids: Iterable[int]) -> None:
        if previous is None:
            return
        if previous.pk == audit.pk or previous.partnership_id != audit.partnership_id:
            raise cls.violation()
        shared = set(theme_ids) & set(previous.themes.values_list("pk", flat=True))
        if not shared:
            raise cls.violation()
        if (
            audit.planned_start
            and previous.planned_start
            and previous.planned_start >= audit.planned_start
        ):
            raise cls.violation()


# --- auditing -----------------------------------------------------------------------------


class AgencyParticipates(BusinessRule):
    """Choose one of the audit's participating agencies."""

    field = "agency"

    @classmethod
    def check(cls, audit: Audit, agency_id: int) -> None:
        if not audit.agencies.filter(pk=agency_id).exists():
            raise cls.violation()


class AuditorAuditsOwnAgency(BusinessRule):
    """Auditors audit their own agency's work: choose a person who holds the auditor or
    safeguarding lead role for that agency."""

    field = "auditor"

    @classmethod
    def check(cls, auditor: Any, agency: Any) -> None:
        from lift.core.models import RoleAssignment

        holds = (
            RoleAssignment.objects.current()
            .filter(
                person=auditor,
                agency=agency,
                role__in=(R.AUDITOR, R.SAFEGUARDING_LEAD),
                case_type__isnull=True,
            )
            .exists()
        )
        if not holds:
            raise cls.violation()


class DeclarationBeforeCase(BusinessRule):
    """Declare whether you have had any previous involvement with this case before you see it.

    The seed: cases are audited by practitioners "without previous involvement in the case".
    """

    @classmethod
    def check(cls, assignment: Assignment) -> None:
        if assignment.declaration == Declaration.AWAITING:
            raise cls.violation()


class DeclaredInvolvementBlocks(BusinessRule):
    """You declared previous involvement with this case, so you cannot audit it. The audit
    team will assign another auditor."""

    @classmethod
    def check(cls, assignment: Assignment) -> None:
        if assignment.declaration == Declaration.BLOCKED:
            raise cls.violation()


class DeclarationOnce(BusinessRule):
    """A declaration has already been made for this assignment."""

    @classmethod
    def check(cls, assignment: Assignment) -> None:
        if assignment.declaration != Declaration.AWAITING:
            raise cls.violation()


class InvolvementNeedsDetails(BusinessRule):
    """Say briefly what your previous involvement was (without naming the child)."""

    field = "involvement_details"

    @classmethod
    def check(cls, involved: bool, details: str) -> None:
        if involved and not details.strip():
            raise cls.violation()


class ReturnEditableOnlyAsDraft(BusinessRule):
    """This return has been submitted: it can no longer be changed."""

    @classmethod
    def check(cls, audit_return: AuditReturn) -> None:
        if audit_return.status != ReturnStatus.DRAFT:
            raise cls.violation()


class GradeOnScale(BusinessRule):
    """Choose a grade from this line of enquiry's scale."""

    field = "grade"

    @classmethod
    def check(cls, section: TemplateSection, grade: TemplateGrade | None) -> None:
        if grade is None:
            return
        scale = section.template.scale_for(section)
        if grade.pk not in {g.pk for g in scale}:
            raise cls.violation()


class RequiredQuestionsAnswered(BusinessRule):
    """Answer every required question and grade every line of enquiry before submitting."""

    @classmethod
    def missing(cls, audit_return: AuditReturn) -> list[str]:
        """What is still to do, in template order (question texts and lines to grade)."""
        from .models import TemplateQuestion, TemplateSection

        template_id = audit_return.audit.template_id
        answered = {
            a.question_id for a in audit_return.answers.all() if a.answer and a.answer.strip()
        }
        graded = {g.section_id for g in audit_return.grades.all()}
        out: list[str] = []
        sections = TemplateSection.objects.filter(template_id=template_id).order_by("order")
        questions = TemplateQuestion.objects.filter(
            section__template_id=template_id, required=True
        ).order_by("section__order", "order")
        by_section: dict[int, list[TemplateQuestion]] = {}
        for q in questions:
            by_section.setdefault(q.section_id, []).append(q)
        for section in sections:
            for q in by_section.get(section.pk, []):
                if q.pk not in answered:
                    out.append(f"{section.title}: {q.text}")
            if section.pk not in graded:
                out.append(f"{section.title}: grade this line of enquiry")
        return out

    @classmethod
    def check(cls, audit_return: AuditReturn) -> None:
        missing = cls.missing(audit_return)
        if missing:
            raise ValidationError(
                [ValidationError(cls.message(), code=cls.__name__)]
                + [ValidationError(m, code="unanswered") for m in missing]
            )


class QualityAssuredByAnother(BusinessRule):
    """A return is quality assured by someone other than the auditor who submitted it."""

    @classmethod
    def check(cls, audit_return: AuditReturn, by: Any) -> None:
        if audit_return.status != ReturnStatus.SUBMITTED:
            raise ValidationError("Only a submitted return can be quality assured.")
        if by is not None and audit_return.submitted_by_id == getattr(by, "pk", None):
            raise cls.violation()


# Identifiers are matched as whole words, case-insensitively.
def _pattern(identifier: str) -> re.Pattern[str]:
    return re.compile(rf"(?<!\w){re.escape(identifier)}(?!\w)", re.IGNORECASE)


def identifiers_in(text: str, identifiers: Iterable[str]) -> list[str]:
    return [i for i in identifiers if i and _pattern(i).search(text or "")]


def redact(text: str, identifiers: Iterable[str]) -> str:
    """The text with every identifier replaced (belt and braces for anything that goes out)."""
    for identifier in identifiers:
        if identifier:
            text = _pattern(identifier).sub("[identifier removed]", text or "")
    return text


class NoIdentifiersInText(BusinessRule):
    """This text contains a detail that identifies a child in the sample (a name, date of
    birth, address or record number). Use the case reference instead."""

    @classmethod
    def check(cls, texts: dict[str, str], identifiers: Iterable[str]) -> None:
        identifiers = list(identifiers)
        errors = {
            field: [ValidationError(cls.message(), code=cls.__name__)]
            for field, text in texts.items()
            if identifiers_in(text, identifiers)
        }
        if errors:
            raise ValidationError(errors)


# --- completion ---------------------------------------------------------------------------


class WaiverApprovedBySubgroupChair(BusinessRule):
    """Only the chair of the Learning and Improvement sub-group can approve an audit going
    ahead without young people's views."""

    @classmethod
    def check(cls, audit: Audit, by: Any) -> None:
        if not audit.views_waiver_reason.strip():
            raise ValidationError(
                {"views_waiver_reason": "Record the reason young people's views were not sought."}
            )
        if not has_role(by, audit.partnership, {R.SUBGROUP_CHAIR}):
            raise cls.violation()


class WaiverAgreedByChair(BusinessRule):
    """Only the Chair of the Board can agree to an audit going ahead without young people's
    views, once the sub-group chair has approved the reason."""

    @classmethod
    def check(cls, audit: Audit, by: Any) -> None:
        if not (audit.views_waiver_reason.strip() and audit.views_waiver_approved_by_id):
            raise cls.violation(
                "The sub-group chair must approve the reason before the Chair agrees to it."
            )
        if not has_role(by, audit.partnership, {R.CHAIR}):
            raise cls.violation()


class YoungPeoplesViewsBeforeCompletion(BusinessRule):
    """Record the views of a group of children and young people on the audit's theme, or a
    reason approved by the sub-group chair and agreed by the Chair, before completing the
    audit.

    The seed: "It is an integral part of every multi-agency audit that the views of a group
    of children and young people are sought on the topic, themes and issues being explored."
    """

    @classmethod
    def check(cls, audit: Audit) -> None:
        if audit.views_of_young_people.exists():
            return
        if (
            audit.views_waiver_approved_by_id
            and audit.views_waiver_agreed_by_id
            and audit.views_waiver_reason.strip()
        ):
            return
        raise cls.violation()


class ReturnsInBeforeCompletion(BusinessRule):
    """Every assigned return must be submitted before the audit is completed."""

    @classmethod
    def check(cls, audit: Audit) -> None:
        if not audit.returns.exists():
            raise ValidationError("The audit has no returns yet.")
        if audit.returns.filter(status=ReturnStatus.DRAFT).exists():
            raise cls.violation()


class WorkshopBeforeCompletion(BusinessRule):
    """Hold and record the multi-agency workshop (discussion and challenge of the returns)
    before completing the audit."""

    @classmethod
    def check(cls, audit: Audit) -> None:
        if not audit.workshops.exists():
            raise cls.violation()


# --- single-agency ------------------------------------------------------------------------


class NotAuditingOwnCase(BusinessRule):
    """An auditor cannot audit a case they hold as the allocated worker."""

    field = "worker"

    @classmethod
    def check(cls, auditor: Any, worker: Any) -> None:
        if worker is not None and auditor is not None and worker.pk == auditor.pk:
            raise cls.violation()


class FeedbackBeforeAcknowledgement(BusinessRule):
    """Feedback has not been given on this case audit yet."""

    @classmethod
    def check(cls, case_audit: CaseAudit) -> None:
        if case_audit.feedback_given_on is None:
            raise cls.violation()


class AcknowledgedByWorkerOrManager(BusinessRule):
    """Only the worker or manager the feedback was given to can acknowledge it."""

    @classmethod
    def check(cls, case_audit: CaseAudit, by: Any) -> str:
        if by is not None and by.pk == case_audit.worker_id:
            return "worker"
        if by is not None and by.pk == case_audit.manager_id:
            return "manager"
        raise cls.violation()
