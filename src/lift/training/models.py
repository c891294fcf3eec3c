"""Training: the annual programme, courses, sessions, bookings and attendance, evaluation
(Kirkpatrick levels 1 to 4), cascade training, the single-agency register and the annual
training needs assessment."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

from lift.core import roles as r
from lift.core.access import A, Access, P, RestrictedManager, RestrictedQuerySet, S, grants
from lift.core.models import DomainModel
from lift.core.models.base import TimeStamped

from .choices import (
    ACTIVE,
    LEVEL_SHORT,
    Attendance,
    BookingStatus,
    CascadeFormat,
    ChangeReason,
    EvaluationKind,
    FollowUpRole,
    FollowUpStatus,
    Format,
    Level,
    NeedsStatus,
    Payer,
    ProgrammeStatus,
    QuestionSetKind,
    SessionStatus,
    TrainerKind,
)

R = r.R
# Trainers and the Training sub-group run the programme, sessions and registers.
TRAINING_STAFF = r.ADMINS | {R.TRAINER, R.SUBGROUP_CHAIR}
# Those who read all of the partnership's training records (attendance, evaluations).
TRAINING_READERS = r.OVERSIGHT | {R.TRAINER}
# The Executive's approval of the programme is recorded by the business unit or the chair.
APPROVERS = r.ADMINS | {R.CHAIR}
LEAD = {R.SAFEGUARDING_LEAD}


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
        from . import rules

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


class TrainingSession(DomainModel):
    """A run of a course on one or more days, at a venue or online, with a capacity."""

    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="sessions")
    starts_on = models.DateField()
    ends_on = models.DateField(help_text="The same as the first day for a one-day session.")
    start_time = models.TimeField(default=dt.time(9, 30))
    end_time = models.TimeField(default=dt.time(16, 30))
    venue = models.CharField(max_length=300, blank=True)
    online_url = models.URLField(blank=True, help_text="The joining link for an online session.")
    capacity = models.PositiveIntegerField(validators=[MinValueValidator(1)])
    trainer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="training_sessions",
    )
    status = models.CharField(
        max_length=20, choices=SessionStatus.choices, default=SessionStatus.SCHEDULED
    )
    cancelled_reason = models.TextField(blank=True)
    follow_ups_sampled_on = models.DateField(null=True, blank=True, editable=False)

    access: ClassVar[Access] = Access(
        grants(
            view={P: r.EVERYONE},
            add={P: TRAINING_STAFF},
            change={P: TRAINING_STAFF},
            register={P: TRAINING_STAFF, S: {R.TRAINER}},
            delete={P: r.ADMINS},
        ),
        person="trainer",
    )

    class Meta:
        ordering = ["starts_on", "start_time", "id"]
        indexes = [
            models.Index(fields=["partnership", "starts_on"]),
            models.Index(fields=["status", "ends_on"]),
            models.Index(fields=["partnership", "updated_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="session_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.course.title}, {self.dates_text}"

    def get_absolute_url(self) -> str:
        return reverse("training:trainingsession_detail", args=[self.pk])

    @property
    def dates_text(self) -> str:
        if self.ends_on == self.starts_on:
            return f"{self.starts_on:%-d %B %Y}"
        return f"{self.starts_on:%-d %B %Y} to {self.ends_on:%-d %B %Y}"

    @property
    def where(self) -> str:
        return self.venue or ("Online" if self.online_url else "")

    @property
    def is_cancelled(self) -> bool:
        return self.status == SessionStatus.CANCELLED

    def days(self) -> list[dt.date]:
        return [
            self.starts_on + dt.timedelta(days=n)
            for n in range((self.ends_on - self.starts_on).days + 1)
        ]

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": "The last day must be on or after the first day."})
        if (
            self.starts_on == self.ends_on
            and self.start_time
            and self.end_time
            and self.end_time <= self.start_time
        ):
            raise ValidationError({"end_time": "The session must end after it starts."})
        if not self.venue and not self.online_url:
            raise ValidationError({"venue": "Enter the venue, or an online joining link."})


class BookingQuerySet(RestrictedQuerySet):
    def restrict(self, user: Any, action: str = "view") -> BookingQuerySet:
        """The policy, plus: line managers see and approve their reports' bookings."""
        own: Any = super().restrict(user, action)
        if action not in {"view", "approve"} or not getattr(user, "is_authenticated", False):
            return own
        return self.filter(Q(pk__in=own.values("pk")) | Q(learner__line_manager_id=user.pk))


class Booking(DomainModel):
    """A learner's place (or waiting-list entry) on a session, and what happened."""

    session = models.ForeignKey(TrainingSession, on_delete=models.PROTECT, related_name="bookings")
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="training_bookings"
    )
    agency = models.ForeignKey(
        "core.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The learner's employing agency when they booked.",
    )
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    status = models.CharField(max_length=20, choices=BookingStatus.choices)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_on = models.DateField(null=True, blank=True)
    offer_expires_on = models.DateField(null=True, blank=True)
    cancelled_on = models.DateField(null=True, blank=True)
    cancelled_late = models.BooleanField(default=False)
    cancel_reason = models.TextField(blank=True)
    attendance = models.CharField(max_length=20, choices=Attendance.choices, blank=True)
    attendance_marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    charge = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    # Kept here so the dashboard aggregates a million attendances in the database.
    reaction_score = models.FloatField(null=True, blank=True, editable=False)
    pre_score = models.FloatField(null=True, blank=True, editable=False)
    post_score = models.FloatField(null=True, blank=True, editable=False)
    follow_up_selected = models.BooleanField(default=False, editable=False)

    objects = RestrictedManager.from_queryset(BookingQuerySet)()  # type: ignore[misc]
    access: ClassVar[Access] = Access(
        grants(
            view={P: TRAINING_READERS, A: LEAD, S: r.EVERYONE},
            add={P: r.EVERYONE},
            # Booking on someone else's behalf: training staff, or the agency's lead.
            book_for={P: TRAINING_STAFF, A: LEAD},
            change={P: TRAINING_STAFF, A: LEAD, S: r.EVERYONE},
            register={P: TRAINING_STAFF},
            approve={P: r.ADMINS},
            delete={P: r.ADMINS},
        ),
        agency="agency",
        person="learner",
    )

    class Meta:
        ordering = ["session", "created_at", "id"]
        indexes = [
            models.Index(fields=["session", "status"]),
            models.Index(fields=["partnership", "attendance"]),
            models.Index(fields=["learner", "status"]),
            # The dashboard's data version: the latest change, without a scan.
            models.Index(fields=["partnership", "updated_at"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "learner"],
                condition=Q(status__in=[s.value for s in ACTIVE]),
                name="booking_one_active_per_learner",
                violation_error_message="This person already has a booking for this session.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.learner} on {self.session}"

    def get_absolute_url(self) -> str:
        return reverse("training:booking_detail", args=[self.pk])

    @property
    def attended(self) -> bool:
        return self.attendance == Attendance.ATTENDED


class BookingEmail(TimeStamped):
    """A booking e-mail with its calendar file, sent at most once (the key is unique)."""

    key = models.CharField(max_length=200, unique=True)
    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="emails")
    kind = models.CharField(max_length=30)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.key


class QuestionSet(TimeStamped):
    """One version of a questionnaire from reference/training/*.yaml (kept for every version
    so old answers can always be shown with the questions they answered)."""

    urn = models.CharField(max_length=200)
    version = models.PositiveIntegerField()
    kind = models.CharField(max_length=30, choices=QuestionSetKind.choices)
    title = models.CharField(max_length=200)
    definition = models.JSONField()
    is_current = models.BooleanField(default=True)

    class Meta:
        ordering = ["kind", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["urn", "version"], name="questionset_urn_version")
        ]

    def __str__(self) -> str:
        return f"{self.title} (version {self.version})"

    @property
    def questions(self) -> list[dict[str, Any]]:
        return list(self.definition.get("questions", []))


class EvaluationQuerySet(RestrictedQuerySet):
    def restrict(self, user: Any, action: str = "view") -> EvaluationQuerySet:
        """The policy, plus: line managers read their reports' evaluations."""
        own: Any = super().restrict(user, action)
        if action != "view" or not getattr(user, "is_authenticated", False):
            return own
        return self.filter(
            Q(pk__in=own.values("pk")) | Q(booking__learner__line_manager_id=user.pk)
        )


class Evaluation(DomainModel):
    """An answered questionnaire about a booking: reaction, before/after, impact follow-up."""

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="evaluations")
    kind = models.CharField(max_length=30, choices=EvaluationKind.choices)
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="training_evaluations"
    )
    question_set = models.ForeignKey(QuestionSet, on_delete=models.PROTECT, related_name="+")
    answers = models.JSONField(default=dict)
    score = models.FloatField(null=True, blank=True)
    submitted_on = models.DateField()

    objects = RestrictedManager.from_queryset(EvaluationQuerySet)()  # type: ignore[misc]
    access: ClassVar[Access] = Access(
        grants(
            view={P: TRAINING_READERS, S: r.EVERYONE},
            learn={P: TRAINING_STAFF | {R.SUBGROUP_MEMBER}},
            delete={P: r.ADMINS},
        ),
        person="respondent",
    )

    class Meta:
        ordering = ["-submitted_on", "-id"]
        indexes = [
            models.Index(fields=["partnership", "kind"]),
            models.Index(fields=["partnership", "updated_at"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["booking", "kind"],
                name="evaluation_once_per_kind",
                violation_error_message="This questionnaire has already been answered.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.booking.session.course}"

    def get_absolute_url(self) -> str:
        return reverse("training:evaluation_detail", args=[self.pk])

    def answer_rows(self) -> list[tuple[str, str]]:
        """(question, answer) pairs in the order of the question set version answered."""
        from .questionsets import answer_text

        rows = []
        for q in self.question_set.questions:
            rows.append((q["text"], answer_text(q, self.answers.get(q["id"]))))
        return rows


class FollowUpQuerySet(RestrictedQuerySet):
    def restrict(self, user: Any, action: str = "view") -> FollowUpQuerySet:
        """The policy, plus: line managers see their reports' follow-ups."""
        own: Any = super().restrict(user, action)
        if action != "view" or not getattr(user, "is_authenticated", False):
            return own
        return self.filter(
            Q(pk__in=own.values("pk")) | Q(booking__learner__line_manager_id=user.pk)
        )


class FollowUp(DomainModel):
    """A request for impact evidence (Kirkpatrick levels 3 and 4) sent some months after a
    session to a sampled attendee or to their line manager."""

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="follow_ups")
    role = models.CharField(max_length=20, choices=FollowUpRole.choices)
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="training_follow_ups"
    )
    sent_on = models.DateField()
    reminded_on = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=20, choices=FollowUpStatus.choices, default=FollowUpStatus.SENT
    )
    evaluation = models.OneToOneField(
        Evaluation, on_delete=models.SET_NULL, null=True, blank=True, related_name="follow_up"
    )

    objects = RestrictedManager.from_queryset(FollowUpQuerySet)()  # type: ignore[misc]
    access: ClassVar[Access] = Access(
        grants(
            view={P: TRAINING_READERS, S: r.EVERYONE},
            answer={S: r.EVERYONE},
            delete={P: r.ADMINS},
        ),
        person="respondent",
    )

    class Meta:
        ordering = ["-sent_on", "id"]
        indexes = [
            models.Index(fields=["status", "sent_on"]),
            models.Index(fields=["partnership", "updated_at"]),
        ]
        constraints = [
            models.UniqueConstraint(fields=["booking", "role"], name="followup_once_per_role")
        ]

    def __str__(self) -> str:
        return f"Impact follow-up ({self.get_role_display().lower()}): {self.booking.session}"

    def get_absolute_url(self) -> str:
        return reverse("training:followup_detail", args=[self.pk])

    @property
    def evaluation_kind(self) -> str:
        if self.role == FollowUpRole.MANAGER:
            return EvaluationKind.IMPACT_MANAGER
        return EvaluationKind.IMPACT_PARTICIPANT


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
        from . import rules

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
        from .questionsets import answer_text

        return [
            (q["text"], answer_text(q, self.answers.get(q["id"])))
            for q in self.assessment.question_set.questions
        ]
