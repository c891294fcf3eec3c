"""Single-agency case audits: programmes, team schedules, case audits, feedback and the
SMT reports."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from lift.core.models import Agency, Person
from lift.core.notify import notify
from lift.core.services import changes_apply
from lift.learning import services as learning
from lift.learning.models import Finding, Theme

from .. import rules
from ..choices import (
    CaseAuditStatus,
    TemplateKind,
)
from ..models import (
    AgencyAuditProgramme,
    AuditTemplate,
    CaseAudit,
    CaseAuditGrade,
    SeniorManagementReport,
    TeamSchedule,
    TemplateGrade,
    TemplateSection,
)
from .base import _asked_done, _saved

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


AGENCY_PROGRAMME_EDITABLE = frozenset({"title", "year", "description", "share_with_business_unit"})


@transaction.atomic
def agency_programme_update(
    *, programme: AgencyAuditProgramme, by: Person, **fields: Any
) -> AgencyAuditProgramme:
    """Correct an agency's programme of case audits: its title, year, description or whether
    the business unit sees it (its agency and template stay)."""
    return changes_apply(programme, fields, editable=AGENCY_PROGRAMME_EDITABLE)


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
