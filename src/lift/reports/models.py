"""Reports: the partnership's annual report, assembled from live data for a year, with
narrative sections the business unit writes. At sign-off the rendered content is frozen
(a snapshot of its blocks), and the report can no longer be changed."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from lift.core import roles as r
from lift.core.access import Access, P, grants
from lift.core.models import DomainModel

from .choices import ReportStatus

R = r.R
READERS = frozenset({R.BUSINESS_UNIT, R.CHAIR}) | r.OVERSIGHT
WRITERS = frozenset({R.BUSINESS_UNIT})
SIGNERS = frozenset({R.BUSINESS_UNIT, R.CHAIR})

SIGNED_OFF_MESSAGE = "This annual report was signed off and cannot be changed."


class AnnualReport(DomainModel):
    """The annual report for one financial year (e.g. 2015/16)."""

    year = models.CharField(max_length=7, help_text="The financial year, e.g. 2015/16.")
    title = models.CharField(max_length=250, blank=True)
    foreword = models.TextField("the Chair's foreword", blank=True, max_length=20000)
    priorities_next_year = models.TextField(
        "priorities for next year", blank=True, max_length=20000
    )
    status = models.CharField(
        max_length=20, choices=ReportStatus.choices, default=ReportStatus.DRAFT, editable=False
    )
    signed_off_on = models.DateField(null=True, blank=True, editable=False)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    snapshot = models.JSONField(default=dict, blank=True, editable=False)

    access: ClassVar[Access] = Access(
        grants(
            view={P: READERS},
            add={P: WRITERS},
            change={P: WRITERS},
            sign_off={P: SIGNERS},
            delete={P: WRITERS},
        )
    )

    class Meta:
        ordering = ["-year", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "year"], name="annualreport_one_a_year")
        ]

    def __str__(self) -> str:
        return self.title or f"Annual report {self.year}"

    def get_absolute_url(self) -> str:
        return reverse("reports:annualreport_detail", args=[self.pk])

    @property
    def is_signed_off(self) -> bool:
        return self.status == ReportStatus.SIGNED_OFF

    def clean(self) -> None:
        from lift.voice.rules import year_bounds

        year_bounds(self.year)


class Narrative(DomainModel):
    """The business unit's text for one section of an annual report."""

    report = models.ForeignKey(AnnualReport, on_delete=models.CASCADE, related_name="narratives")
    key = models.CharField(max_length=60)
    text = models.TextField(blank=True, max_length=20000)

    access: ClassVar[Access] = AnnualReport.access

    class Meta:
        ordering = ["report", "key"]
        constraints = [
            models.UniqueConstraint(fields=["report", "key"], name="narrative_one_per_section")
        ]

    def __str__(self) -> str:
        return f"{self.report}: {self.key}"

    def get_absolute_url(self) -> str:
        return self.report.get_absolute_url()

    def clean(self) -> None:
        if self.report_id and self.report.is_signed_off:
            raise ValidationError(SIGNED_OFF_MESSAGE)
