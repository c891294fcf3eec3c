"""Multi-agency thematic audits: the programme, each audit's design and case sample, the
auditors' assignments and returns, young people's views and the workshop."""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse

from lift.core import roles as r
from lift.core.access import A, Access, C, P, S, grants
from lift.core.models import DomainModel

from .. import querysets as q
from ..choices import AuditStatus, Declaration, HowGathered, ReturnStatus
from .templates import AuditTemplate, TemplateGrade, TemplateQuestion, TemplateSection

R = r.R
# Those who run the audit programme: the business unit, the Chair, the L&I sub-group chair.
MANAGERS = r.EDITORS
# The audit team (case role on the audit): coordinators and the audit lead.
TEAM = frozenset({R.CASE_TEAM})
# Readers of the programme and of audits' (pseudonymised) design and report.
READERS = r.OVERSIGHT


class AuditProgramme(DomainModel):
    """The partnership's annual programme of thematic multi-agency audits."""

    year = models.CharField(max_length=7, help_text="e.g. 2015/16")
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    approved_on = models.DateField(null=True, blank=True)

    access: ClassVar[Access] = Access(
        grants(
            view={P: READERS | {R.SAFEGUARDING_LEAD, R.AUDITOR, R.YOUTH_COORDINATOR}},
            add={P: MANAGERS},
            change={P: MANAGERS},
            delete={P: r.ADMINS},
        )
    )

    class Meta:
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "year"], name="auditprogramme_year")
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.year})"

    def get_absolute_url(self) -> str:
        return reverse("audits:auditprogramme_detail", args=[self.pk])


class Audit(DomainModel):
    """One thematic multi-agency audit in the programme."""

    programme = models.ForeignKey(AuditProgramme, on_delete=models.PROTECT, related_name="audits")
    title = models.CharField(max_length=250)
    purpose = models.TextField(blank=True, help_text="What the audit sets out to learn.")
    themes = models.ManyToManyField("learning.Theme", blank=True, related_name="+")
    status = models.CharField(
        max_length=20, choices=AuditStatus.choices, default=AuditStatus.PLANNED
    )
    planned_start = models.DateField(null=True, blank=True)
    planned_end = models.DateField(null=True, blank=True)
    returns_due_on = models.DateField(
        null=True, blank=True, help_text="When auditors' returns are due."
    )
    template = models.ForeignKey(
        AuditTemplate,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"kind": "multi_agency"},
    )
    agencies = models.ManyToManyField(
        "core.Agency", blank=True, related_name="+", verbose_name="participating agencies"
    )
    sampling_rule = models.TextField(
        blank=True, help_text="How the cases were chosen, e.g. every third case in the period."
    )
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    previous_audit = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reaudits",
        help_text="For a re-audit: the earlier audit on the same theme.",
    )
    overview_summary = models.TextField(
        blank=True, help_text="The overview report's summary. Never a child's name."
    )
    # Young people's views may be missing only for a reason the L&I sub-group chair approved
    # and the Chair of the Board agreed.
    views_waiver_reason = models.TextField(blank=True)
    views_waiver_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    views_waiver_approved_on = models.DateField(null=True, blank=True)
    views_waiver_agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    views_waiver_agreed_on = models.DateField(null=True, blank=True)
    completed_on = models.DateField(null=True, blank=True)

    access: ClassVar[Access] = Access(
        grants(
            view={
                P: READERS | {R.YOUTH_COORDINATOR},
                A: {R.SAFEGUARDING_LEAD},
                C: TEAM | {R.AUDITOR},
            },
            add={P: MANAGERS},
            change={P: MANAGERS, C: TEAM},
            # The overview report: no identifiers, shared with the Board and partner leads.
            report={P: READERS, A: {R.SAFEGUARDING_LEAD}, C: TEAM},
            record_views={P: MANAGERS | {R.YOUTH_COORDINATOR}, C: TEAM},
            approve_waiver={P: {R.SUBGROUP_CHAIR}},
            agree_waiver={P: {R.CHAIR}},
            complete={P: {R.BUSINESS_UNIT, R.SUBGROUP_CHAIR}},
            delete={P: r.ADMINS},
        ),
        agency="agencies",
        case="",
    )

    class Meta:
        ordering = ["planned_start", "id"]
        indexes = [models.Index(fields=["partnership", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(planned_end__isnull=True)
                | Q(planned_start__isnull=True)
                | Q(planned_end__gte=models.F("planned_start")),
                name="audit_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("audits:audit_detail", args=[self.pk])

    def clean(self) -> None:
        if self.previous_audit_id is not None and self.previous_audit_id == self.pk:
            raise ValidationError({"previous_audit": "An audit cannot re-audit itself."})


class SampleCase(DomainModel):
    """A case in an audit's sample, known everywhere by its pseudonymised reference."""

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="cases")
    reference = models.CharField(max_length=30, help_text='e.g. "Case MA-01". Never a name.')
    summary = models.TextField(
        blank=True, help_text="Why the case is in the sample, without identifying details."
    )
    order = models.PositiveSmallIntegerField(default=1)

    objects: ClassVar[Any] = q.CaseManager()
    access: ClassVar[Access] = Access(
        grants(view={P: MANAGERS, C: TEAM}, add={P: MANAGERS, C: TEAM}, change={C: TEAM}),
        case="audit",
    )

    class Meta:
        ordering = ["audit", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["audit", "reference"], name="samplecase_reference")
        ]

    def __str__(self) -> str:
        return self.reference

    def get_absolute_url(self) -> str:
        return reverse("audits:samplecase_detail", args=[self.pk])


IDENTIFIER_FIELDS = ("full_name", "other_names", "date_of_birth", "address", "record_numbers")


class CaseIdentity(DomainModel):
    """The restricted record: who the sampled child is. Only the audit team and auditors
    cleared for the case see it; each read is logged; its history hides the values."""

    case = models.OneToOneField(SampleCase, on_delete=models.CASCADE, related_name="identity")
    full_name = models.CharField(max_length=200)
    other_names = models.TextField(blank=True, help_text="Other names or spellings, one a line.")
    date_of_birth = models.DateField(null=True, blank=True)
    address = models.TextField(blank=True)
    record_numbers = models.TextField(
        blank=True, help_text="Agencies' record numbers (e.g. NHS number), one a line."
    )

    history_restricted: ClassVar[frozenset[str]] = frozenset(IDENTIFIER_FIELDS)
    objects: ClassVar[Any] = q.IdentityManager()
    access: ClassVar[Access] = Access(
        grants(view={C: TEAM}, add={C: TEAM}, change={C: TEAM}, delete={C: TEAM}),
        case="case__audit",
    )

    class Meta:
        verbose_name = "restricted record"
        verbose_name_plural = "restricted records"

    def __str__(self) -> str:
        # Never the name: this string goes into the change and access logs.
        return f"Restricted record: {self.case.reference}"

    def get_absolute_url(self) -> str:
        return reverse("audits:caseidentity_detail", args=[self.pk])

    def identifiers(self) -> list[str]:
        """Every identifying string of the child, for checking text before it goes out."""
        out: list[str] = []
        for value in [self.full_name, *self.other_names.splitlines()]:
            value = value.strip()
            if not value:
                continue
            out.append(value)
            out.extend(part for part in value.split() if len(part) >= 3)
        if self.date_of_birth:
            d = self.date_of_birth
            out += [d.isoformat(), f"{d:%d/%m/%Y}", f"{d.day} {d:%B %Y}", f"{d:%d %B %Y}"]
        out += [line.strip() for line in self.record_numbers.splitlines() if line.strip()]
        out += [line.strip() for line in self.address.splitlines() if len(line.strip()) >= 4]
        return sorted(set(out), key=len, reverse=True)


class AuditReturn(DomainModel):
    """One agency's audit of its own work on one sampled case."""

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="returns")
    case = models.ForeignKey(SampleCase, on_delete=models.CASCADE, related_name="returns")
    agency = models.ForeignKey("core.Agency", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        max_length=20, choices=ReturnStatus.choices, default=ReturnStatus.DRAFT
    )
    due_on = models.DateField(null=True, blank=True)
    evidence_notes = models.TextField(
        blank=True, help_text="What you looked at and found. Use the case reference, never names."
    )
    strengths = models.TextField(blank=True)
    areas_for_improvement = models.TextField(blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    submitted_on = models.DateField(null=True, blank=True)
    quality_assured_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    quality_assured_on = models.DateField(null=True, blank=True)
    qa_note = models.TextField(blank=True)

    objects: ClassVar[Any] = q.ReturnManager()
    access: ClassVar[Access] = Access(
        grants(
            view={P: MANAGERS, A: {R.SAFEGUARDING_LEAD}, C: TEAM},
            change={C: TEAM},
            quality_assure={P: MANAGERS, A: {R.SAFEGUARDING_LEAD}, C: TEAM},
        ),
        agency="agency",
        case="audit",
    )

    class Meta:
        ordering = ["audit", "case__order", "agency__name"]
        constraints = [
            models.UniqueConstraint(fields=["case", "agency"], name="auditreturn_case_agency")
        ]
        indexes = [models.Index(fields=["audit", "status"])]

    def __str__(self) -> str:
        agency = self.agency.name if self.agency_id else ""
        return f"{self.case.reference}: {agency}"

    def get_absolute_url(self) -> str:
        return reverse("audits:auditreturn_detail", args=[self.pk])


class Assignment(DomainModel):
    """An auditor of one agency assigned to audit that agency's work on one sampled case."""

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="assignments")
    case = models.ForeignKey(SampleCase, on_delete=models.CASCADE, related_name="assignments")
    agency = models.ForeignKey("core.Agency", on_delete=models.PROTECT, related_name="+")
    auditor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="audit_assignments"
    )
    audit_return = models.ForeignKey(
        AuditReturn, on_delete=models.CASCADE, related_name="assignments", editable=False
    )
    declaration = models.CharField(
        max_length=20, choices=Declaration.choices, default=Declaration.AWAITING
    )
    declared_on = models.DateTimeField(null=True, blank=True)
    involvement_details = models.TextField(
        blank=True, help_text="Your previous involvement (without naming the child)."
    )
    due_on = models.DateField(null=True, blank=True)

    access: ClassVar[Access] = Access(
        grants(
            view={P: MANAGERS, A: {R.SAFEGUARDING_LEAD}, C: TEAM, S: r.EVERYONE},
            add={P: MANAGERS, C: TEAM},
            change={P: MANAGERS, C: TEAM},
            declare={S: r.EVERYONE},
            delete={P: MANAGERS, C: TEAM},
        ),
        agency="agency",
        case="audit",
        person="auditor",
    )

    class Meta:
        ordering = ["audit", "case__order", "agency__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "agency", "auditor"], name="assignment_case_agency_auditor"
            )
        ]
        indexes = [models.Index(fields=["auditor", "declaration"])]

    def __str__(self) -> str:
        return f"{self.case.reference} ({self.agency.name})"

    def get_absolute_url(self) -> str:
        return reverse("audits:assignment_detail", args=[self.pk])


class ReturnAnswer(DomainModel):
    audit_return = models.ForeignKey(AuditReturn, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(TemplateQuestion, on_delete=models.PROTECT, related_name="+")
    answer = models.TextField(blank=True)

    objects: ClassVar[Any] = q.ReturnPartManager()
    access: ClassVar[Access] = Access(
        grants(view={P: MANAGERS, A: {R.SAFEGUARDING_LEAD}, C: TEAM}),
        agency="audit_return__agency",
        case="audit_return__audit",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["audit_return", "question"], name="returnanswer_once")
        ]

    def __str__(self) -> str:
        return f"Answer to {self.question.code}"


class ReturnGrade(DomainModel):
    """The grade one agency's return gives a line of enquiry (checked against its scale)."""

    audit_return = models.ForeignKey(AuditReturn, on_delete=models.CASCADE, related_name="grades")
    section = models.ForeignKey(TemplateSection, on_delete=models.PROTECT, related_name="+")
    grade = models.ForeignKey(TemplateGrade, on_delete=models.PROTECT, related_name="+")
    rationale = models.TextField(blank=True)

    objects: ClassVar[Any] = q.ReturnPartManager()
    access: ClassVar[Access] = Access(
        grants(view={P: MANAGERS, A: {R.SAFEGUARDING_LEAD}, C: TEAM}),
        agency="audit_return__agency",
        case="audit_return__audit",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["audit_return", "section"], name="returngrade_once")
        ]

    def __str__(self) -> str:
        return f"{self.section.title}: {self.grade.label}"


class YoungPeoplesViews(DomainModel):
    """The views of a group of children and young people on the audit's theme (the seed: an
    integral part of every multi-agency audit). `consultation` lets the voice area attach
    its own consultation record later."""

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="views_of_young_people")
    group_description = models.CharField(
        max_length=300, help_text='e.g. "Six members of the Youth Forum, aged 13 to 17".'
    )
    held_on = models.DateField("date")
    how_gathered = models.CharField(max_length=20, choices=HowGathered.choices)
    number_of_young_people = models.PositiveSmallIntegerField(null=True, blank=True)
    what_they_said = models.TextField(help_text="Their views, in their words where possible.")
    consultation_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    consultation_id = models.PositiveBigIntegerField(null=True, blank=True)
    consultation = GenericForeignKey("consultation_type", "consultation_id")

    access: ClassVar[Access] = Access(
        grants(
            view={P: READERS | {R.YOUTH_COORDINATOR}, C: TEAM},
            add={P: MANAGERS | {R.YOUTH_COORDINATOR}, C: TEAM},
            change={P: MANAGERS | {R.YOUTH_COORDINATOR}, C: TEAM},
            delete={P: MANAGERS},
        ),
        case="audit",
    )

    class Meta:
        ordering = ["held_on", "id"]
        verbose_name = "young people's views"
        verbose_name_plural = "young people's views"

    def __str__(self) -> str:
        return f"Young people's views: {self.group_description}"

    def get_absolute_url(self) -> str:
        return reverse("audits:youngpeoplesviews_detail", args=[self.pk])


class Workshop(DomainModel):
    """The multi-agency workshop where the returns are discussed and challenged."""

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="workshops")
    held_on = models.DateField("date")
    attendees = models.TextField(help_text="Who attended and for which agency, one a line.")
    agencies = models.ManyToManyField("core.Agency", blank=True, related_name="+")
    discussion_notes = models.TextField(blank=True)
    challenge_notes = models.TextField(
        blank=True, help_text="Where agencies' findings were challenged, and the outcome."
    )

    access: ClassVar[Access] = Access(
        grants(
            view={P: READERS, C: TEAM | {R.AUDITOR}},
            add={P: MANAGERS, C: TEAM},
            change={P: MANAGERS, C: TEAM},
            delete={P: MANAGERS},
        ),
        case="audit",
    )

    class Meta:
        ordering = ["held_on", "id"]

    def __str__(self) -> str:
        return f"Workshop on {self.held_on:%-d %B %Y}"

    def get_absolute_url(self) -> str:
        return reverse("audits:workshop_detail", args=[self.pk])
