"""The training settings, the annual programme and its priorities and changes, courses
and commissions."""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

from lift.core import roles as r
from lift.core.access import A, Access, P, grants
from lift.core.models import DomainModel

from ..choices import (
    LEVEL_SHORT,
    ChangeReason,
    Format,
    Level,
    Payer,
    ProgrammeStatus,
    TrainerKind,
)
from .access import APPROVERS, LEAD, TRAINING_READERS, TRAINING_STAFF


class TrainingSettings(DomainModel):
    """How one partnership runs its training: approvals, cancellations, charges, follow-up."""

    requires_manager_approval = models.BooleanField(
        default=False,
        help_text="Learners' own bookings wait for their line manager's approval.",
    )
    cancellation_notice_days = models.PositiveSmallIntegerField(
        default=5,
        help_text="Working days before a session after which a cancellation counts as late.",
    )
    non_attendance_charge = models.DecimalField(
        max_digits=8,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text="Charged to the agency for a no-show or late cancellation (0 for none).",
    )
    offer_hold_days = models.PositiveSmallIntegerField(
        default=2,
        validators=[MinValueValidator(1)],
        help_text="Working days a person on the waiting list has to accept an offered place.",
    )
    session_reminder_days = models.PositiveSmallIntegerField(
        default=2, help_text="Working days before a session that booked learners are reminded."
    )
    follow_up_interval_months = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=(
            "Months after a session that the impact follow-up is sent. Leave empty to use the "
            "interval in the reference deadlines (3 months, as the framework asks)."
        ),
    )
    follow_up_sample_percent = models.PositiveSmallIntegerField(
        default=50,
        validators=[MinValueValidator(1)],
        help_text="Percentage of attendees (and their managers) asked for impact evidence.",
    )
    follow_up_reminder_days = models.PositiveSmallIntegerField(
        default=10, help_text="Working days after a follow-up is sent that a reminder goes."
    )

    access: ClassVar[Access] = Access(
        grants(view={P: r.EVERYONE}, add={P: r.ADMINS}, change={P: r.ADMINS})
    )

    class Meta:
        verbose_name = "training settings"
        verbose_name_plural = "training settings"
        constraints = [
            models.UniqueConstraint(fields=["partnership"], name="trainingsettings_one"),
            models.CheckConstraint(
                condition=Q(follow_up_sample_percent__lte=100),
                name="trainingsettings_sample_percent",
            ),
        ]

    def __str__(self) -> str:
        return "Training settings"

    def get_absolute_url(self) -> str:
        return reverse("training:settings")


class Programme(DomainModel):
    """The annual multi-agency training programme, linked to business plan priorities,
    drafted by the Training sub-group and approved by the Executive (seed (iv))."""

    year = models.CharField(max_length=7, help_text="e.g. 2015/16")
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    starts_on = models.DateField()
    ends_on = models.DateField()
    themes = models.ManyToManyField(
        "learning.Theme",
        blank=True,
        related_name="+",
        help_text="The priority themes the programme is designed to support.",
    )
    status = models.CharField(
        max_length=20, choices=ProgrammeStatus.choices, default=ProgrammeStatus.DRAFT
    )
    approved_by_body = models.CharField(max_length=200, blank=True, help_text="e.g. LSCB Executive")
    approved_on = models.DateField(null=True, blank=True)
    approval_reference = models.CharField(
        max_length=200, blank=True, help_text="The meeting and minute that approved it."
    )
    approval_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    access: ClassVar[Access] = Access(
        grants(
            view={P: r.EVERYONE},
            add={P: TRAINING_STAFF},
            change={P: TRAINING_STAFF},
            approve={P: APPROVERS},
            delete={P: r.ADMINS},
        )
    )

    class Meta:
        ordering = ["-starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "year"], name="programme_one_a_year"),
            models.CheckConstraint(
                condition=Q(ends_on__gt=models.F("starts_on")), name="programme_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.year})"

    def get_absolute_url(self) -> str:
        return reverse("training:programme_detail", args=[self.pk])

    @property
    def is_approved(self) -> bool:
        return self.status == ProgrammeStatus.APPROVED


class ProgrammePriority(DomainModel):
    """A business plan priority the programme serves: a generic link to the priority record
    (governance), with its title and themes kept here so the link survives either side."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="priorities")
    title = models.CharField(max_length=200)
    themes = models.ManyToManyField("learning.Theme", blank=True, related_name="+")
    priority_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    priority_id = models.PositiveBigIntegerField(null=True, blank=True)
    priority = GenericForeignKey("priority_type", "priority_id")

    access: ClassVar[Access] = Programme.access

    class Meta:
        ordering = ["programme", "id"]
        verbose_name_plural = "programme priorities"

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("training:programme_detail", args=[self.programme_id])


class ProgrammeChange(DomainModel):
    """A change to the programme during the year, with its reason (audit, policy, concern)."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="changes")
    changed_on = models.DateField()
    reason = models.CharField(max_length=20, choices=ChangeReason.choices)
    description = models.TextField(help_text="What changed and why.")
    course = models.ForeignKey(
        "Course", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    access: ClassVar[Access] = Programme.access

    class Meta:
        ordering = ["-changed_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_reason_display()}, {self.changed_on:%-d %B %Y}"

    def get_absolute_url(self) -> str:
        return reverse("training:programme_detail", args=[self.programme_id])


class Course(DomainModel):
    """A course in the catalogue."""

    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, null=True, blank=True, related_name="courses"
    )
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    level = models.PositiveSmallIntegerField(choices=Level.choices)
    format = models.CharField(max_length=20, choices=Format.choices)
    learning_outcomes = models.TextField(help_text="One learning outcome a line.")
    themes = models.ManyToManyField("learning.Theme", blank=True, related_name="+")
    findings = models.ManyToManyField(
        "learning.Finding",
        blank=True,
        related_name="+",
        help_text="Lessons (from reviews, audits and others) the course responds to.",
    )
    recommendations = models.ManyToManyField(
        "learning.Recommendation", blank=True, related_name="+"
    )
    trainer_kind = models.CharField(max_length=20, choices=TrainerKind.choices)
    trainer_name = models.CharField(max_length=200, blank=True)
    trainer_agency = models.ForeignKey(
        "core.Agency",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="For an internal expert: the partner agency they come from.",
    )
    duration_hours = models.DecimalField(
        max_digits=5, decimal_places=1, default=Decimal("3"), validators=[MinValueValidator(0)]
    )
    cost = models.DecimalField(
        max_digits=10, decimal_places=2, default=Decimal("0"), validators=[MinValueValidator(0)]
    )
    paid_by = models.CharField(max_length=30, choices=Payer.choices, default=Payer.PARTNERSHIP)
    public = models.BooleanField(default=True, help_text="Shown on the public training catalogue.")
    is_active = models.BooleanField(default=True)

    access: ClassVar[Access] = Access(
        grants(
            view={P: r.EVERYONE},
            add={P: TRAINING_STAFF},
            change={P: TRAINING_STAFF},
            delete={P: r.ADMINS},
        )
    )

    class Meta:
        ordering = ["level", "title"]
        indexes = [models.Index(fields=["partnership", "level"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("training:course_detail", args=[self.pk])

    @property
    def level_short(self) -> str:
        return LEVEL_SHORT.get(self.level, "")

    @property
    def is_train_the_trainer(self) -> bool:
        return self.format == Format.TRAIN_THE_TRAINER

    def outcomes(self) -> list[str]:
        return [line.strip(" -•") for line in self.learning_outcomes.splitlines() if line.strip()]

    def clean(self) -> None:
        from .. import rules

        rules.level3_funded_by_requesters(self)
        if self.trainer_kind == TrainerKind.INTERNAL and not self.trainer_agency_id:
            raise ValidationError(
                {"trainer_agency": "Choose the partner agency the internal trainer comes from."}
            )


class Commission(DomainModel):
    """A level 3 course commissioned by a partner agency: the funding agreed, the invoice."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="commissions")
    requesting_agency = models.ForeignKey("core.Agency", on_delete=models.PROTECT, related_name="+")
    funding_agreed = models.DecimalField(
        max_digits=10, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    agreed_on = models.DateField()
    invoice_reference = models.CharField(max_length=100, blank=True)

    access: ClassVar[Access] = Access(
        grants(
            view={P: TRAINING_READERS, A: LEAD},
            add={P: TRAINING_STAFF},
            change={P: TRAINING_STAFF},
            delete={P: r.ADMINS},
        ),
        agency="requesting_agency",
    )

    class Meta:
        ordering = ["course", "agreed_on"]

    def __str__(self) -> str:
        return f"{self.course} for {self.requesting_agency}"

    def get_absolute_url(self) -> str:
        return reverse("training:course_detail", args=[self.course_id])
