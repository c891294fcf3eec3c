"""Reports: the partnership's annual report, assembled from live data for a year, with
narrative sections the business unit writes or asks a sub-group's chair to write (the L&I
sub-group's evaluation, the training report, the CDOP's report). At sign-off the rendered
content is frozen (a snapshot of its blocks), and the report can no longer be changed."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from lift.core import roles as r
from lift.core.access import Access, P, S, grants
from lift.core.models import DomainModel

from .choices import ReportStatus, SectionStatus

R = r.R
READERS = frozenset({R.BUSINESS_UNIT, R.CHAIR}) | r.OVERSIGHT
WRITERS = frozenset({R.BUSINESS_UNIT})
# The partnership's Chair signs the report off (issue 20: "the Chair signs off").
SIGNERS = frozenset({R.CHAIR})

SIGNED_OFF_MESSAGE = "This annual report was signed off and cannot be changed."
SUBMITTED_MESSAGE = (
    "This section was submitted to the business unit. Ask the business unit to return it "
    "to you if it needs changing."
)


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
    """The text of one section of an annual report: the business unit's commentary, or,
    when the business unit asks a group to write the section (`board`), the group's chair's
    own section, written as a draft and submitted to the business unit by `due_on`."""

    report = models.ForeignKey(AnnualReport, on_delete=models.CASCADE, related_name="narratives")
    key = models.CharField(max_length=60)
    text = models.TextField(blank=True, max_length=20000)
    board = models.ForeignKey(
        "governance.Board",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        help_text="The group whose chair writes this section; empty: the business unit.",
    )
    due_on = models.DateField(null=True, blank=True, editable=False)
    status = models.CharField(
        max_length=20, choices=SectionStatus.choices, default=SectionStatus.DRAFT, editable=False
    )
    submitted_on = models.DateField(null=True, blank=True, editable=False)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    # The report's readers read every section; the business unit writes, asks and returns;
    # the chair of the group asked (whatever their role) reads, writes and submits it.
    access: ClassVar[Access] = Access(
        grants(
            view={P: READERS, S: r.EVERYONE},
            add={P: WRITERS},
            change={P: WRITERS, S: r.EVERYONE},
            submit={P: WRITERS, S: r.EVERYONE},
            assign={P: WRITERS},
            delete={P: WRITERS},
        ),
        person="board__chair",
    )

    class Meta:
        ordering = ["report", "key"]
        constraints = [
            models.UniqueConstraint(fields=["report", "key"], name="narrative_one_per_section")
        ]

    def __str__(self) -> str:
        return f"{self.report}: {self.key}"

    def get_absolute_url(self) -> str:
        return reverse("reports:section", args=[self.report_id, self.key])

    @property
    def is_submitted(self) -> bool:
        return self.status == SectionStatus.SUBMITTED

    def clean(self) -> None:
        if self.report_id and self.report.is_signed_off:
            raise ValidationError(SIGNED_OFF_MESSAGE)
