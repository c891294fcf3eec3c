"""Training sessions, bookings and the booking e-mails."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

from lift.core import roles as r
from lift.core.access import A, Access, P, RestrictedManager, RestrictedQuerySet, S, grants
from lift.core.models import DomainModel
from lift.core.models.base import TimeStamped

from ..choices import (
    ACTIVE,
    Attendance,
    BookingStatus,
    SessionStatus,
)
from .access import LEAD, TRAINING_READERS, TRAINING_STAFF, R
from .programme import Course


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
