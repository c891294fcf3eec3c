"""Audit templates: versioned reference data (reference/audits/*.yaml) as rows.

A template has lines of enquiry (for single-agency audits: domains), each with questions
and a grading scale (the template's, unless the line has its own). An audit keeps the
template version it was designed with, so a new version never changes an audit under way.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.db import models
from django.db.models import Q
from django.urls import reverse

from lift.core import roles as r
from lift.core.access import Access, P, RestrictedManager, RestrictedQuerySet, grants
from lift.core.models.base import TimeStamped, Tracked

from ..choices import AnswerType, Focus, TemplateKind


class TemplateQuerySet(RestrictedQuerySet):
    def restrict(self, user: Any, action: str = "view") -> RestrictedQuerySet:
        """Templates are shared reference data: anyone signed in may read them; nobody
        changes them in the product (they come from the files)."""
        if action == "view" and getattr(user, "is_authenticated", False):
            return self.all()  # type: ignore[return-value]
        return super().restrict(user, action)


class AuditTemplate(Tracked, TimeStamped):
    urn = models.CharField(max_length=200)
    version = models.PositiveIntegerField()
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=TemplateKind.choices)
    agency_type = models.CharField(
        max_length=40, blank=True, help_text="For single-agency templates: the kind of agency."
    )
    description = models.TextField(blank=True)
    is_current = models.BooleanField(
        default=True, help_text="The version in the reference file now."
    )

    objects = RestrictedManager.from_queryset(TemplateQuerySet)()
    access: ClassVar[Access] = Access(grants(view={P: r.EVERYONE}))

    class Meta:
        ordering = ["name", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["urn", "version"], name="audittemplate_urn_version")
        ]

    def __str__(self) -> str:
        return f"{self.name} (version {self.version})"

    def get_absolute_url(self) -> str:
        return reverse("audits:audittemplate_detail", args=[self.pk])

    def scale_for(self, section: TemplateSection) -> list[TemplateGrade]:
        """The grades a line of enquiry is graded on (its own scale, else the template's)."""
        grades = list(self.grades.all())
        own = [g for g in grades if g.section_id == section.pk]
        return own or [g for g in grades if g.section_id is None]


class TemplateSection(Tracked, TimeStamped):
    """A line of enquiry (multi-agency) or a domain (single-agency)."""

    template = models.ForeignKey(AuditTemplate, on_delete=models.CASCADE, related_name="sections")
    code = models.SlugField(max_length=80)
    title = models.CharField(max_length=200)
    focus = models.CharField(max_length=30, choices=Focus.choices, default=Focus.OTHER)
    description = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=1)

    class Meta:
        ordering = ["template", "order"]
        constraints = [
            models.UniqueConstraint(fields=["template", "code"], name="templatesection_code")
        ]

    def __str__(self) -> str:
        return self.title


class TemplateQuestion(Tracked, TimeStamped):
    section = models.ForeignKey(TemplateSection, on_delete=models.CASCADE, related_name="questions")
    code = models.SlugField(max_length=80)
    text = models.TextField()
    help_text = models.TextField(blank=True)
    required = models.BooleanField(default=True)
    answer_type = models.CharField(
        max_length=20, choices=AnswerType.choices, default=AnswerType.TEXT
    )
    order = models.PositiveSmallIntegerField(default=1)

    class Meta:
        ordering = ["section", "order"]
        constraints = [
            models.UniqueConstraint(fields=["section", "code"], name="templatequestion_code")
        ]

    def __str__(self) -> str:
        return self.text


class TemplateGrade(Tracked, TimeStamped):
    """One grade of a scale: the template's (no section) or one line's own."""

    template = models.ForeignKey(AuditTemplate, on_delete=models.CASCADE, related_name="grades")
    section = models.ForeignKey(
        TemplateSection, on_delete=models.CASCADE, null=True, blank=True, related_name="grades"
    )
    code = models.SlugField(max_length=40)
    label = models.CharField(max_length=80)
    score = models.PositiveSmallIntegerField(help_text="Higher is better.")
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["template", "section", "-score"]
        constraints = [
            models.UniqueConstraint(
                fields=["template", "section", "code"], name="templategrade_code"
            ),
            models.UniqueConstraint(
                fields=["template", "code"],
                condition=Q(section__isnull=True),
                name="templategrade_code_template_scale",
            ),
        ]

    def __str__(self) -> str:
        return self.label
