"""Statutory and business clocks: a rule, a start, a due date, and a state."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models

from .. import roles as r
from ..access import A, Access, P, grants
from ..wording import long_date
from .base import DomainModel


class ClockState(models.TextChoices):
    RUNNING = "running", "Running"
    DUE_SOON = "due_soon", "Due soon"
    OVERDUE = "overdue", "Overdue"
    MET = "met", "Met"
    MET_LATE = "met_late", "Met late"
    STOPPED = "stopped", "Stopped"


OPEN_STATES = (ClockState.RUNNING, ClockState.DUE_SOON, ClockState.OVERDUE)


class Clock(DomainModel):
    """A deadline on one object, computed from a rule in the partnership's regime file."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("content_type", "object_id")
    rule = models.CharField(max_length=200, help_text="The rule's identifier in reference/.")
    label = models.CharField(max_length=200)
    start_event = models.CharField(max_length=200)
    started_on = models.DateField()
    due_on = models.DateField(db_index=True)
    state = models.CharField(
        max_length=10, choices=ClockState.choices, default=ClockState.RUNNING, db_index=True
    )
    met_on = models.DateField(null=True, blank=True)
    stopped_reason = models.TextField(blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="clocks",
    )
    agency = models.ForeignKey(
        "core.Agency", on_delete=models.SET_NULL, null=True, blank=True, related_name="clocks"
    )

    access: ClassVar[Access] = Access(
        grants(
            view={P: r.OVERSIGHT | {r.R.CDOP_COORDINATOR}, A: {r.R.SAFEGUARDING_LEAD}},
            change={P: r.ADMINS},
        ),
        agency="agency",
    )

    class Meta:
        ordering = ["due_on"]
        indexes = [
            models.Index(fields=["content_type", "object_id"]),
            models.Index(fields=["partnership", "state", "due_on"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(due_on__gte=models.F("started_on")),
                name="clock_due_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.label}: due {long_date(self.due_on)}"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES
