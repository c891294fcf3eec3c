"""Cascade training, the single-agency training register and the annual training needs
assessment with its returns."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

from lift.core import roles as r
from lift.core.access import A, Access, P, grants
from lift.core.models import DomainModel

from ..choices import (
    CascadeFormat,
    Level,
    NeedsStatus,
)
from .access import LEAD, TRAINING_READERS, TRAINING_STAFF, R
from .evaluation import QuestionSet
from .programme import Course, Programme


class CascadeSession(DomainModel):
    """A briefing, workshop or bite-sized session an agency ran itself with a
    train-the-trainer course's cascade materials."""

    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="cascades")
    agency = models.ForeignKey("core.Agency", on_delete=models.PROTECT, related_name="+")
    delivered_on = models.DateField()
    format = models.CharField(max_length=20, choices=CascadeFormat.choices)
    delivered_by = models.CharField(max_length=200, help_text="Who ran it.")
    attendees = models.PositiveIntegerField(validators=[MinValueValidator(1)])
    notes = models.TextField(blank=True)

    access: ClassVar[Access] = Access(
        grants(
            view={P: TRAINING_READERS, A: LEAD},
            add={P: TRAINING_STAFF, A: LEAD},
            change={P: TRAINING_STAFF, A: LEAD},
            delete={P: r.ADMINS, A: LEAD},
        ),
        agency="agency",
    )

    class Meta:
        ordering = ["-delivered_on", "-id"]

    def __str__(self) -> str:
        return f"{self.course} cascaded by {self.agency}, {self.delivered_on:%-d %B %Y}"

    def get_absolute_url(self) -> str:
        return reverse("training:cascadesession_detail", args=[self.pk])

    def clean(self) -> None:
        from .. import rules

        if self.course_id:
            rules.cascade_needs_train_the_trainer(self.course)


class AgencyTraining(DomainModel):
    """An entry of the single-agency training register: safeguarding training an agency
    provided itself (seed: Training sub-group (ii))."""

    agency = models.ForeignKey("core.Agency", on_delete=models.PROTECT, related_name="+")
    title = models.CharField(max_length=200)
    level = models.PositiveSmallIntegerField(choices=Level.choices)
    period_start = models.DateField()
    period_end = models.DateField()
    number_trained = models.PositiveIntegerField()
    themes = models.ManyToManyField("learning.Theme", blank=True, related_name="+")
    notes = models.TextField(blank=True)

    access: ClassVar[Access] = Access(
        grants(
            view={P: TRAINING_READERS, A: LEAD},
            add={P: TRAINING_STAFF, A: LEAD},
            change={P: TRAINING_STAFF, A: LEAD},
            delete={P: r.ADMINS, A: LEAD},
        ),
        agency="agency",
    )

    class Meta:
        ordering = ["-period_end", "agency", "title"]
        verbose_name = "single-agency training"
        verbose_name_plural = "single-agency training"
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="agencytraining_period_order",
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.agency})"

    def get_absolute_url(self) -> str:
        return reverse("training:agencytraining_detail", args=[self.pk])

    def clean(self) -> None:
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError({"period_end": "The period must end on or after it starts."})


class NeedsAssessment(DomainModel):
    """The annual multi-agency training needs assessment (seed: Training sub-group (i))."""

    year = models.CharField(max_length=7, help_text="The programme year it informs, e.g. 2016/17")
    title = models.CharField(max_length=200)
    opens_on = models.DateField()
    closes_on = models.DateField()
    status = models.CharField(max_length=20, choices=NeedsStatus.choices, default=NeedsStatus.OPEN)
    themes = models.ManyToManyField(
        "learning.Theme", blank=True, related_name="+", help_text="Priority themes to ask about."
    )
    question_set = models.ForeignKey(QuestionSet, on_delete=models.PROTECT, related_name="+")
    informs = models.ForeignKey(
        Programme,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="needs_assessments",
        help_text="The programme this assessment fed.",
    )

    access: ClassVar[Access] = Access(
        grants(
            view={P: r.EVERYONE - {R.LEARNER}},
            add={P: TRAINING_STAFF},
            change={P: TRAINING_STAFF},
            delete={P: r.ADMINS},
        )
    )

    class Meta:
        ordering = ["-opens_on"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "year"], name="needs_one_a_year")
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.year})"

    def get_absolute_url(self) -> str:
        return reverse("training:needsassessment_detail", args=[self.pk])


class NeedsReturn(DomainModel):
    """One agency's return to the needs assessment."""

    assessment = models.ForeignKey(
        NeedsAssessment, on_delete=models.CASCADE, related_name="returns"
    )
    agency = models.ForeignKey("core.Agency", on_delete=models.PROTECT, related_name="+")
    themes = models.ManyToManyField(
        "learning.Theme", blank=True, related_name="+", help_text="Themes the agency needs."
    )
    staff_level2 = models.PositiveIntegerField(
        default=0, help_text="Staff needing level 2 core multi-agency training this year."
    )
    staff_level3 = models.PositiveIntegerField(
        default=0, help_text="Staff in specialist roles needing level 3 training."
    )
    answers = models.JSONField(default=dict)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    submitted_on = models.DateField()

    access: ClassVar[Access] = Access(
        grants(
            view={P: TRAINING_READERS, A: LEAD},
            add={P: TRAINING_STAFF, A: LEAD},
            change={P: TRAINING_STAFF, A: LEAD},
            delete={P: r.ADMINS},
        ),
        agency="agency",
    )

    class Meta:
        ordering = ["assessment", "agency__name"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "agency"], name="needsreturn_one")
        ]

    def __str__(self) -> str:
        return f"{self.agency} return to {self.assessment}"

    def get_absolute_url(self) -> str:
        return reverse("training:needsassessment_detail", args=[self.assessment_id])

    def answer_rows(self) -> list[tuple[str, str]]:
        from ..questionsets import answer_text

        return [
            (q["text"], answer_text(q, self.answers.get(q["id"])))
            for q in self.assessment.question_set.questions
        ]
