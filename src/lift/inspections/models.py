"""Learning from inspection: inspections of the partnership or a partner agency, their
judgements, and progress reports to the Board at an interval set per inspection.
Recommendations and the action plan are learning chain rows whose source is the inspection."""

from __future__ import annotations

from typing import ClassVar

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse

from lift.core import roles as r
from lift.core.access import A, Access, P, grants
from lift.core.models import DomainModel

R = r.R
READERS = r.OVERSIGHT
EDITORS = r.EDITORS
LEADS = frozenset({R.SAFEGUARDING_LEAD})


class Inspection(DomainModel):
    """An inspection of the partnership (no agency) or of one partner agency."""

    agency = models.ForeignKey(
        "core.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Leave empty for an inspection of the partnership as a whole.",
    )
    inspectorate = models.CharField(max_length=40)
    title = models.CharField(max_length=250)
    started_on = models.DateField()
    ended_on = models.DateField()
    published_on = models.DateField("report published", null=True, blank=True)
    report_url = models.URLField("link to the report", blank=True, max_length=500)
    summary = models.TextField(max_length=8000, blank=True)
    progress_interval_months = models.PositiveSmallIntegerField(
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(24)],
        help_text="How often progress on the action plan is reported to the Board.",
    )

    access: ClassVar[Access] = Access(
        grants(
            view={P: READERS, A: LEADS},
            add={P: EDITORS, A: LEADS},
            change={P: EDITORS, A: LEADS},
            present={P: EDITORS},
            delete={P: r.ADMINS},
        ),
        agency="agency",
    )

    class Meta:
        ordering = ["-started_on", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("inspections:inspection_detail", args=[self.pk])

    def inspectorate_label(self) -> str:
        from .reference import inspection_reference

        found = inspection_reference().inspectorate(self.inspectorate)
        return found.label if found else self.inspectorate

    def clean(self) -> None:
        from .rules import check_inspection

        check_inspection(self)


class Judgement(DomainModel):
    """A graded judgement on one area, on the inspectorate's own scale."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="judgements")
    area = models.CharField(max_length=250)
    grade = models.CharField(max_length=40)

    access: ClassVar[Access] = Access(
        grants(
            view={P: READERS, A: LEADS},
            add={P: EDITORS, A: LEADS},
            change={P: EDITORS, A: LEADS},
            delete={P: EDITORS, A: LEADS},
        ),
        agency="inspection__agency",
    )

    class Meta:
        ordering = ["inspection", "id"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "area"], name="judgement_one_per_area")
        ]

    def __str__(self) -> str:
        return f"{self.area}: {self.grade_label()}"

    def grade_label(self) -> str:
        from .reference import inspection_reference

        scale = inspection_reference().scale_for(self.inspection.inspectorate)
        if scale is None:
            return self.grade
        return next((g.label for g in scale.grades if g.code == self.grade), self.grade)

    def clean(self) -> None:
        from .rules import GradeOnScale

        GradeOnScale.check(self.inspection.inspectorate, self.grade)


class ProgressReport(DomainModel):
    """A progress report on the action plan due to the Board; generated from the actions'
    state and marked presented at a Board meeting. Due dates are stored here (the regime
    files have no rule for them): each is the previous one plus the inspection's interval."""

    inspection = models.ForeignKey(
        Inspection, on_delete=models.CASCADE, related_name="progress_reports"
    )
    number = models.PositiveSmallIntegerField()
    due_on = models.DateField()
    presented_on = models.DateField(null=True, blank=True)
    meeting = models.ForeignKey(
        "governance.Meeting", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    agenda_item_id = models.PositiveBigIntegerField(null=True, blank=True, editable=False)
    snapshot = models.JSONField(default=dict, blank=True, editable=False)
    notes = models.TextField(max_length=4000, blank=True)

    access: ClassVar[Access] = Access(
        grants(
            view={P: READERS, A: LEADS},
            change={P: EDITORS},
            present={P: EDITORS},
        ),
        agency="inspection__agency",
    )

    class Meta:
        ordering = ["inspection", "number"]
        indexes = [models.Index(fields=["presented_on", "due_on"])]
        constraints = [
            models.UniqueConstraint(
                fields=["inspection", "number"], name="progressreport_unique_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.inspection}: progress report {self.number}"

    def get_absolute_url(self) -> str:
        return reverse("inspections:progressreport_detail", args=[self.pk])
