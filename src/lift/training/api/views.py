"""Training API: the same restrict(), filters and services as the pages. Booking, cancelling,
marking attendance and answering questionnaires are @action endpoints."""

from __future__ import annotations

from typing import Any, cast

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from lift.core.api.viewsets import RestrictedReadOnlyViewSet
from lift.core.models import Person
from lift.core.views.generic import restricted

from .. import selectors, services
from ..filters import BookingFilter, CourseFilter, EvaluationFilter, SessionFilter
from ..models import Booking, Course, Evaluation, TrainingSession
from . import serializers as s


def _me(request: Request) -> Person:
    return cast(Person, request.user)


def _valid(serializer_class: Any, request: Request) -> dict[str, Any]:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


class CourseViewSet(RestrictedReadOnlyViewSet):
    queryset = Course.objects.prefetch_related("themes", "findings", "recommendations").order_by(
        "level", "title", "id"
    )
    serializer_class = s.CourseSerializer
    filterset_class = CourseFilter


class SessionViewSet(RestrictedReadOnlyViewSet):
    queryset = TrainingSession.objects.order_by("starts_on", "id")
    serializer_class = s.SessionSerializer
    filterset_class = SessionFilter

    def get_queryset(self) -> QuerySet[TrainingSession]:
        return selectors.with_places(super().get_queryset())


class BookingViewSet(RestrictedReadOnlyViewSet):
    queryset = Booking.objects.select_related("session").order_by("-created_at", "-id")
    serializer_class = s.BookingSerializer
    filterset_class = BookingFilter
    permission_action = {
        "book": "view",
        "cancel": "change",
        "mark_attendance": "register",
        "evaluate": "view",
    }

    def _out(self, booking: Booking, request: Request, code: int = status.HTTP_200_OK) -> Response:
        booking.refresh_from_db()
        return Response(
            s.BookingSerializer(booking, context={"request": request}).data, status=code
        )

    @action(detail=False, methods=["post"], serializer_class=s.BookSerializer)
    def book(self, request: Request) -> Response:
        """Book a place (or the waiting list) on a session: yourself, or (leads and training
        staff) someone else."""
        data = _valid(s.BookSerializer, request)
        session = restricted(TrainingSession, request, "view").filter(pk=data["session"]).first()
        if session is None:
            raise NotFound("No session found.")
        learner = _me(request)
        if data.get("learner") and data["learner"] != learner.pk:
            found = Person.objects.filter(
                pk=data["learner"],
                role_assignments__partnership=request.partnership,  # type: ignore[attr-defined]
            ).first()
            if found is None:
                raise NotFound("No such person in this partnership.")
            learner = found
        booking = services.booking_create(session=session, learner=learner, by=_me(request))
        return self._out(booking, request, status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"], serializer_class=s.CancelSerializer)
    def cancel(self, request: Request, pk: Any = None) -> Response:
        """Cancel a booking (late inside the notice period; a freed place is offered on)."""
        booking = self.get_object()
        data = _valid(s.CancelSerializer, request)
        services.booking_cancel(booking=booking, by=_me(request), reason=data["reason"])
        return self._out(booking, request)

    @action(detail=True, methods=["post"], serializer_class=s.AttendanceSerializer)
    def mark_attendance(self, request: Request, pk: Any = None) -> Response:
        """Record attendance for one booking (trainers and the Training sub-group)."""
        booking = self.get_object()
        data = _valid(s.AttendanceSerializer, request)
        services.register_mark(
            session=booking.session, marks={booking.pk: data["attendance"]}, by=_me(request)
        )
        return self._out(booking, request)

    @action(detail=True, methods=["post"], serializer_class=s.EvaluateSerializer)
    def evaluate(self, request: Request, pk: Any = None) -> Response:
        """The learner answers the reaction form or the before/after questions."""
        booking = self.get_object()
        if booking.learner_id != request.user.pk:
            raise PermissionDenied("Only the learner answers their own evaluation.")
        data = _valid(s.EvaluateSerializer, request)
        evaluation = services.evaluation_submit(
            booking=booking, kind=data["kind"], respondent=_me(request), answers=data["answers"]
        )
        return Response(
            s.EvaluationSerializer(evaluation, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


class EvaluationViewSet(RestrictedReadOnlyViewSet):
    queryset = Evaluation.objects.select_related("question_set").order_by("-submitted_on", "-id")
    serializer_class = s.EvaluationSerializer
    filterset_class = EvaluationFilter
