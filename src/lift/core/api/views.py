from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from ..filters import AgencyFilter, ChangeLogFilter, RoleAssignmentFilter
from ..identity import person_invite
from ..models import Agency, ChangeLog, Clock, Notification, Partnership, Person, RoleAssignment
from ..notify import NOT_YOUR_CHOICE, email_choice_set
from ..services import person_create, role_assign, role_delete, role_update
from . import serializers as s
from .viewsets import RestrictedModelViewSet, RestrictedReadOnlyViewSet


class PartnershipViewSet(RestrictedReadOnlyViewSet):
    queryset = Partnership.objects.all()
    serializer_class = s.PartnershipSerializer


class AgencyViewSet(RestrictedModelViewSet):
    queryset = Agency.objects.select_related("safeguarding_lead").order_by("name")
    serializer_class = s.AgencySerializer
    filterset_class = AgencyFilter


NOT_YOURS_TO_SEE = "Only the person can see how LIFT e-mails them."


class PersonViewSet(mixins.CreateModelMixin, RestrictedReadOnlyViewSet):
    """People in the partnership; the business unit adds one (with their first role), and
    LIFT sends them an invitation to choose a password."""

    queryset = Person.objects.select_related("agency").order_by("full_name")
    serializer_class = s.PersonSerializer

    def get_serializer_class(self) -> Any:
        return s.PersonCreateSerializer if self.action == "create" else s.PersonSerializer

    @extend_schema(request=s.PersonCreateSerializer, responses={201: s.PersonSerializer})
    def create(self, request: Any, *args: Any, **kwargs: Any) -> Response:
        serializer = s.PersonCreateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        with _as_api_errors():
            person = person_create(
                partnership=request.partnership,
                invited_by=request.user,
                **serializer.validated_data,
            )
        body = s.PersonSerializer(person, context={"request": request}).data
        return Response(body, status=status.HTTP_201_CREATED)

    # Reading the person is enough to reach the e-mail choice; it then answers for yourself
    # only. Sending the invitation again is the managing partnership's business unit's.
    permission_action = {"email_choice": "view", "invitation": "change"}

    @extend_schema(request=None, responses={200: s.PersonSerializer})
    @action(detail=True, methods=["post"], url_path="invitation")
    def invitation(self, request: Any, pk: str | None = None) -> Response:
        """Send the invitation to choose a password again, for someone who has not yet
        chosen one: the earlier link stops working. 400 (nothing sent) for someone with a
        password or a deactivated account; only the business unit of the partnership that
        invited the person may send it."""
        person = self.get_object()
        with _as_api_errors():
            person_invite(person=person, by=request.user)
        person.refresh_from_db()
        return Response(s.PersonSerializer(person, context={"request": request}).data)

    @extend_schema(
        request=s.EmailChoiceSerializer,
        responses=s.EmailChoiceSerializer,
        parameters=[
            OpenApiParameter("id", str, OpenApiParameter.PATH, description="Your own id, or `me`.")
        ],
    )
    @action(detail=True, methods=["get", "put"], url_path="email-choice")
    def email_choice(self, request: Any, pk: str | None = None) -> Response:
        """How LIFT e-mails you your notifications: read it, or PUT a new choice. Use `me`
        (or your own id) for the person: for anyone else, the business unit included, the
        answer is 403 and nothing changes (only the person chooses)."""
        person = request.user if pk == "me" else self.get_object()
        if person.pk != request.user.pk:
            raise exceptions.PermissionDenied(
                NOT_YOUR_CHOICE if request.method == "PUT" else NOT_YOURS_TO_SEE
            )
        if request.method == "PUT":
            serializer = s.EmailChoiceSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            with _as_api_errors():
                email_choice_set(
                    person=request.user,
                    choice=serializer.validated_data["email_choice"],
                    by=request.user,
                )
        return Response(s.EmailChoiceSerializer({"email_choice": request.user.email_choice}).data)

    def get_queryset(self) -> Any:
        members = RoleAssignment.objects.filter(partnership=self.request.partnership)
        return (
            Person.objects.restrict(self.request.user, "view")
            .filter(pk__in=members.values("person_id"))
            .select_related("agency")
            .order_by("full_name", "pk")
        )


class RoleAssignmentViewSet(RestrictedModelViewSet):
    queryset = RoleAssignment.objects.select_related("person", "agency").order_by("id")
    serializer_class = s.RoleAssignmentSerializer
    filterset_class = RoleAssignmentFilter

    def perform_create(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        with _as_api_errors():
            serializer.instance = role_assign(
                partnership=self.request.partnership, by=self.request.user, **data
            )

    def perform_update(self, serializer: Any) -> None:
        with _as_api_errors():
            serializer.instance = role_update(
                assignment=serializer.instance, by=self.request.user, **serializer.validated_data
            )

    def perform_destroy(self, instance: RoleAssignment) -> None:
        try:
            role_delete(assignment=instance)
        except DjangoValidationError as exc:
            raise Conflict(" ".join(exc.messages)) from exc


@contextmanager
def _as_api_errors() -> Iterator[None]:
    try:
        yield
    except DjangoValidationError as exc:
        raise exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else exc.messages
        ) from exc


class Conflict(exceptions.APIException):
    status_code = 409
    default_detail = "The request conflicts with the records' current state."


class ClockFilter(filters.FilterSet):
    class Meta:
        model = Clock
        fields = ["state", "rule", "agency", "owner"]


class ClockViewSet(RestrictedReadOnlyViewSet):
    queryset = Clock.objects.select_related("content_type").order_by("due_on")
    serializer_class = s.ClockSerializer
    filterset_class = ClockFilter


class NotificationViewSet(RestrictedReadOnlyViewSet):
    queryset = Notification.objects.order_by("-created_at")
    serializer_class = s.NotificationSerializer

    def get_queryset(self) -> Any:
        return Notification.objects.restrict(self.request.user, "view").order_by("-created_at")


class ChangeLogViewSet(RestrictedReadOnlyViewSet):
    queryset = ChangeLog.objects.select_related("content_type")
    serializer_class = s.ChangeLogSerializer
    filterset_class = ChangeLogFilter
