"""Evaluation (Kirkpatrick levels 1 to 4): question sets, evaluations and follow-ups."""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from lift.core import roles as r
from lift.core.access import Access, P, RestrictedManager, RestrictedQuerySet, S, grants
from lift.core.models import DomainModel
from lift.core.models.base import TimeStamped

from ..choices import (
    EvaluationKind,
    FollowUpRole,
    FollowUpStatus,
    QuestionSetKind,
)
from .access import TRAINING_READERS, TRAINING_STAFF, R
from .sessions import Booking


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
        from ..questionsets import answer_text

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
