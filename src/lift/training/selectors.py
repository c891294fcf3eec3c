"""Reads of the training area, always for a given user."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Coalesce, Greatest

from lift.core.models import Partnership, Person

from .choices import (
    HOLDS_PLACE,
    Attendance,
    BookingStatus,
    EvaluationKind,
    FollowUpStatus,
    SessionStatus,
)
from .models import Booking, Evaluation, FollowUp, TrainingSession


def with_places(qs: QuerySet[TrainingSession]) -> QuerySet[TrainingSession]:
    """Sessions annotated with places taken, places left and the waiting list."""
    return qs.annotate(
        places_taken=Count("bookings", filter=Q(bookings__status__in=HOLDS_PLACE)),
        waiting=Count("bookings", filter=Q(bookings__status=BookingStatus.WAITLISTED)),
    ).annotate(
        places_left=Greatest(
            Coalesce("capacity", 0) - Coalesce("places_taken", 0),
            Value(0),
            output_field=IntegerField(),
        )
    )


def upcoming_sessions(
    user: Any, partnership: Partnership, today: dt.date
) -> QuerySet[TrainingSession]:
    return with_places(
        TrainingSession.objects.restrict(user, "view")
        .filter(partnership=partnership, status=SessionStatus.SCHEDULED, starts_on__gt=today)
        .select_related("course")
        .order_by("starts_on", "start_time", "pk")
    )


def public_sessions(
    today: dt.date, partnership: Partnership | None = None
) -> QuerySet[TrainingSession]:
    """The public catalogue: scheduled sessions of public courses, not yet started."""
    qs = TrainingSession.objects.filter(
        status=SessionStatus.SCHEDULED,
        starts_on__gt=today,
        course__public=True,
        course__is_active=True,
    )
    if partnership is not None:
        qs = qs.filter(partnership=partnership)
    return with_places(qs.select_related("course", "partnership")).order_by(
        "starts_on", "start_time", "pk"
    )


def my_bookings(user: Any, partnership: Partnership) -> QuerySet[Booking]:
    return (
        Booking.objects.filter(learner=user, partnership=partnership)
        .select_related("session__course")
        .order_by("-session__starts_on", "-pk")
    )


def _answered(kind: str) -> Exists:
    return Exists(Evaluation.objects.filter(booking=OuterRef("pk"), kind=kind))


def evaluations_to_complete(
    user: Any, partnership: Partnership, today: dt.date
) -> list[dict[str, Any]]:
    """Questionnaires the learner still has to answer: before the course (confirmed,
    not yet run), and the reaction and after-course questions (attended)."""
    qs = (
        Booking.objects.filter(learner=user, partnership=partnership)
        .annotate(
            has_pre=_answered(EvaluationKind.PRE),
            has_post=_answered(EvaluationKind.POST),
            has_reaction=_answered(EvaluationKind.REACTION),
        )
        .select_related("session__course")
    )
    out = []
    for b in qs.filter(
        status=BookingStatus.CONFIRMED, attendance="", session__ends_on__gte=today, has_pre=False
    )[:10]:
        out.append({"booking": b, "kind": EvaluationKind.PRE, "label": "Before-course questions"})
    attended = qs.filter(attendance__in=[Attendance.ATTENDED, Attendance.PARTIAL]).filter(
        Q(has_post=False) | Q(has_reaction=False)
    )
    for b in attended[:10]:
        if not b.has_reaction:
            out.append({"booking": b, "kind": EvaluationKind.REACTION, "label": "Session feedback"})
        if not b.has_post:
            out.append(
                {"booking": b, "kind": EvaluationKind.POST, "label": "After-course questions"}
            )
    return out


def follow_ups_to_answer(user: Any, partnership: Partnership) -> QuerySet[FollowUp]:
    return (
        FollowUp.objects.filter(respondent=user, partnership=partnership)
        .exclude(status=FollowUpStatus.ANSWERED)
        .select_related("booking__session__course", "booking__learner")
        .order_by("sent_on", "pk")
    )


def approvals_waiting(user: Person, partnership: Partnership) -> QuerySet[Booking]:
    return (
        Booking.objects.filter(
            partnership=partnership,
            status=BookingStatus.PENDING_APPROVAL,
            learner__line_manager=user,
        )
        .select_related("learner", "session__course")
        .order_by("session__starts_on", "pk")
    )


def register(session: TrainingSession) -> QuerySet[Booking]:
    """The session's register: confirmed places (and late cancellations), by name."""
    return (
        Booking.objects.filter(session=session)
        .filter(Q(status=BookingStatus.CONFIRMED) | Q(cancelled_late=True))
        .select_related("learner", "agency")
        .order_by("learner__full_name", "pk")
    )
