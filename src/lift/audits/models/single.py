"""Single-agency case audits: an agency's own programme (e.g. children's social care's
offline audits by quality assurance staff and peer audits by team managers), a schedule per
team, grades per case and per domain, feedback to the worker and manager, and reports to
the agency's senior management team.

Visible to the agency only (its safeguarding lead and auditors). The agency may share its
programme, summary and senior management reports (never individual case audits) with the
partnership's business unit, and may share findings with the partnership's learning chain.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from lift.core import roles as r
from lift.core.access import A, Access, grants
from lift.core.models import DomainModel

from .. import querysets as q
from ..choices import AuditMethod, CaseAuditStatus, Frequency
from .templates import AuditTemplate, TemplateGrade, TemplateSection

R = r.R
AGENCY_READERS = frozenset({R.SAFEGUARDING_LEAD, R.AUDITOR})
AGENCY_MANAGERS = frozenset({R.SAFEGUARDING_LEAD})


class AgencyAuditProgramme(DomainModel):
    agency = models.ForeignKey("core.Agency", on_delete=models.PROTECT, related_name="+")
    title = models.CharField(max_length=200)
    year = models.CharField(max_length=7, help_text="e.g. 2015/16")
    template = models.ForeignKey(
        AuditTemplate,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": "single_agency"},
    )
    description = models.TextField(blank=True)
    share_with_business_unit = models.BooleanField(
        default=False,
        help_text="Let the partnership's business unit see this programme, its summary and "
        "senior management reports (never individual case audits).",
    )

    objects: ClassVar[Any] = q.SharedManager()
    access: ClassVar[Access] = Access(
        grants(
            view={A: AGENCY_READERS},
            add={A: AGENCY_MANAGERS},
            change={A: AGENCY_MANAGERS},
            delete={A: AGENCY_MANAGERS},
        ),
        agency="agency",
    )

    class Meta:
        ordering = ["-year", "agency__name"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "year"], name="agencyprogramme_year")
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.year})"

    def get_absolute_url(self) -> str:
        return reverse("audits:agencyauditprogramme_detail", args=[self.pk])


class TeamSchedule(DomainModel):
    """How often one team's cases are audited, and how."""

    programme = models.ForeignKey(
        AgencyAuditProgramme, on_delete=models.CASCADE, related_name="schedules"
    )
    team = models.CharField(max_length=150)
    method = models.CharField(max_length=20, choices=AuditMethod.choices)
    frequency = models.CharField(max_length=20, choices=Frequency.choices)
    cases_per_round = models.PositiveSmallIntegerField(default=2)
    auditor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    next_due_on = models.DateField(null=True, blank=True)

    access: ClassVar[Access] = Access(
        grants(
            view={A: AGENCY_READERS},
            add={A: AGENCY_MANAGERS},
            change={A: AGENCY_MANAGERS},
            delete={A: AGENCY_MANAGERS},
        ),
        agency="programme__agency",
    )

    class Meta:
        ordering = ["programme", "team", "method"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "team", "method"], name="teamschedule_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.team}: {self.get_method_display()}, {self.get_frequency_display().lower()}"

    def get_absolute_url(self) -> str:
        return reverse("audits:agencyauditprogramme_detail", args=[self.programme_id])


class CaseAudit(DomainModel):
    """One case audited in the agency's programme, graded overall and per domain."""

    programme = models.ForeignKey(
        AgencyAuditProgramme, on_delete=models.PROTECT, related_name="case_audits"
    )
    schedule = models.ForeignKey(TeamSchedule, on_delete=models.PROTECT, related_name="case_audits")
    case_reference = models.CharField(
        max_length=40, help_text="The audit's own reference for the case. Never a name."
    )
    audited_on = models.DateField()
    auditor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The allocated worker who receives feedback.",
    )
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The worker's manager, who also receives feedback.",
    )
    overall_grade = models.ForeignKey(
        TemplateGrade, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    strengths = models.TextField(blank=True)
    areas_for_improvement = models.TextField(blank=True)
    status = models.CharField(
        max_length=20, choices=CaseAuditStatus.choices, default=CaseAuditStatus.DRAFT
    )
    feedback = models.TextField(blank=True, help_text="The feedback given to worker and manager.")
    feedback_given_on = models.DateField(null=True, blank=True)
    worker_acknowledged_on = models.DateField(null=True, blank=True)
    manager_acknowledged_on = models.DateField(null=True, blank=True)

    objects: ClassVar[Any] = q.FeedbackManager()
    access: ClassVar[Access] = Access(
        grants(
            view={A: AGENCY_READERS},
            add={A: AGENCY_READERS},
            change={A: AGENCY_READERS},
            feedback={A: AGENCY_READERS},
            delete={A: AGENCY_MANAGERS},
        ),
        agency="programme__agency",
    )

    class Meta:
        ordering = ["-audited_on", "-id"]
        indexes = [models.Index(fields=["programme", "audited_on"])]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "case_reference", "audited_on"], name="caseaudit_once"
            ),
            models.CheckConstraint(
                condition=Q(worker__isnull=True) | ~Q(worker=models.F("auditor")),
                name="caseaudit_not_own_case",
            ),
        ]

    def __str__(self) -> str:
        return f"Case audit {self.case_reference}"

    def get_absolute_url(self) -> str:
        return reverse("audits:caseaudit_detail", args=[self.pk])


class CaseAuditGrade(DomainModel):
    case_audit = models.ForeignKey(CaseAudit, on_delete=models.CASCADE, related_name="grades")
    section = models.ForeignKey(TemplateSection, on_delete=models.PROTECT, related_name="+")
    grade = models.ForeignKey(TemplateGrade, on_delete=models.PROTECT, related_name="+")
    comment = models.TextField(blank=True)

    objects: ClassVar[Any] = q.FeedbackPartManager()
    access: ClassVar[Access] = Access(
        grants(view={A: AGENCY_READERS}), agency="case_audit__programme__agency"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case_audit", "section"], name="caseauditgrade_once")
        ]

    def __str__(self) -> str:
        return f"{self.section.title}: {self.grade.label}"


class SeniorManagementReport(DomainModel):
    """Findings and recommendations reported to the agency's senior management team."""

    programme = models.ForeignKey(
        AgencyAuditProgramme, on_delete=models.CASCADE, related_name="smt_reports"
    )
    period_start = models.DateField()
    period_end = models.DateField()
    reported_on = models.DateField()
    findings = models.TextField(help_text="What the audits found. Never a child's name.")
    recommendations = models.TextField(blank=True)
    actions_agreed = models.TextField(blank=True)
    shared_on = models.DateField(
        null=True, blank=True, help_text="When the findings were shared with the partnership."
    )

    objects: ClassVar[Any] = q.SharedReportManager()
    access: ClassVar[Access] = Access(
        grants(
            view={A: AGENCY_READERS},
            add={A: AGENCY_MANAGERS},
            change={A: AGENCY_MANAGERS},
            share={A: AGENCY_MANAGERS},
            delete={A: AGENCY_MANAGERS},
        ),
        agency="programme__agency",
    )

    class Meta:
        ordering = ["-reported_on", "-id"]
        verbose_name = "senior management report"
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="smtreport_period_order",
            )
        ]

    def __str__(self) -> str:
        return f"Report to senior management, {self.reported_on:%-d %B %Y}"

    def get_absolute_url(self) -> str:
        return reverse("audits:seniormanagementreport_detail", args=[self.pk])
