"""Reads of the training area, always for a given user."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
)
from django.db.models.functions import Coalesce, Greatest

from lift.core.models import Partnership, Person

from .choices import (
    ACTIVE,
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


def _evaluation_items(bookings: Iterable[Any], today: dt.date) -> list[dict[str, Any]]:
    """The questionnaires still to answer among `bookings` (annotated by `_with_answers`)."""
    pre: list[dict[str, Any]] = []
    after: list[dict[str, Any]] = []
    for b in bookings:
        if (
            b.status == BookingStatus.CONFIRMED
            and b.attendance == ""
            and b.session.ends_on >= today
            and not b.has_pre
        ):
            label = "Before-course questions"
            pre.append({"booking": b, "kind": EvaluationKind.PRE, "label": label})
        elif b.attendance in (Attendance.ATTENDED, Attendance.PARTIAL):
            if not b.has_reaction:
                after.append(
                    {"booking": b, "kind": EvaluationKind.REACTION, "label": "Session feedback"}
                )
            if not b.has_post:
                after.append(
                    {"booking": b, "kind": EvaluationKind.POST, "label": "After-course questions"}
                )
    return pre + after


def _with_answers(qs: QuerySet[Booking]) -> QuerySet[Booking]:
    return qs.annotate(
        has_pre=_answered(EvaluationKind.PRE),
        has_post=_answered(EvaluationKind.POST),
        has_reaction=_answered(EvaluationKind.REACTION),
    ).select_related("session__course")


def _evaluation_due(today: dt.date) -> Q:
    """Bookings with a questionnaire to answer: before the course (confirmed, not yet run),
    and the reaction and after-course questions (attended)."""
    return Q(
        status=BookingStatus.CONFIRMED, attendance="", session__ends_on__gte=today, has_pre=False
    ) | Q(
        Q(attendance__in=[Attendance.ATTENDED, Attendance.PARTIAL]),
        Q(has_post=False) | Q(has_reaction=False),
    )


def evaluations_to_complete(
    user: Any, partnership: Partnership, today: dt.date, *, limit: int = 20
) -> list[dict[str, Any]]:
    """Questionnaires the learner still has to answer (one query)."""
    qs = _with_answers(Booking.objects.filter(learner=user, partnership=partnership))
    return _evaluation_items(qs.filter(_evaluation_due(today)).order_by("pk")[:limit], today)


def post_course_evaluations_to_answer(
    user: Any, partnership: Partnership, today: dt.date
) -> list[dict[str, Any]]:
    """The feedback forms and after-course questions the learner still has to answer for
    sessions they attended (one query; the to-do list's "evaluate a course")."""
    qs = _with_answers(
        Booking.objects.filter(
            learner=user,
            partnership=partnership,
            attendance__in=[Attendance.ATTENDED, Attendance.PARTIAL],
        )
    ).filter(Q(has_post=False) | Q(has_reaction=False))
    qs = qs.select_related("learner").order_by("session__ends_on", "pk")
    return _evaluation_items(qs, today)


def home_bookings(
    user: Any, partnership: Partnership, today: dt.date, *, limit: int = 5
) -> tuple[list[dict[str, Any]], list[Booking]]:
    """For the "my work" panel, in one query: questionnaires to answer, and bookings coming
    up (active, starting today or later), each list at most `limit` long."""
    qs = _with_answers(Booking.objects.filter(learner=user, partnership=partnership))
    upcoming_q = Q(status__in=ACTIVE, session__starts_on__gte=today)
    rows: list[Any] = list(
        qs.filter(_evaluation_due(today) | upcoming_q)
        .annotate(is_upcoming=ExpressionWrapper(upcoming_q, output_field=BooleanField()))
        .order_by("session__starts_on", "pk")[: limit * 6]
    )
    upcoming = [b for b in rows if b.is_upcoming][:limit]
    return _evaluation_items(rows, today)[:limit], upcoming


def home_work(user: Any, partnership: Partnership) -> tuple[bool, bool, bool]:
    """For the "my work" panel, in one query: has the user any bookings, bookings of their
    reports waiting for approval, or impact follow-ups to answer? The panel then reads only
    the lists that can have rows (most people have none of the second and third)."""
    found = (
        Partnership.objects.filter(pk=partnership.pk)
        .annotate(
            bookings=Exists(Booking.objects.filter(learner=user, partnership=OuterRef("pk"))),
            approvals=Exists(approvals_waiting(user, partnership)),
            follow_ups=Exists(follow_ups_to_answer(user, partnership)),
        )
        .values_list("bookings", "approvals", "follow_ups")
        .first()
    )
    return (bool(found[0]), bool(found[1]), bool(found[2])) if found else (False, False, False)


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
            # A semi-join from the user's reports (few) to their bookings, rather than a
            # scan of the partnership's bookings joined to every learner.
            learner__in=Person.objects.filter(line_manager=user).values("pk"),
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
