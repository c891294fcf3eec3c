"""Section 11 API: frameworks, cycles (open, close), returns (submit) and answers (answer,
moderate). The same restrict() and services as the pages."""

from __future__ import annotations

from typing import Any, cast

from django.db.models import QuerySet
from rest_framework import mixins
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.viewsets import GenericViewSet

from lift.core.api.viewsets import RestrictedReadOnlyViewSet, RestrictedViewSetMixin
from lift.core.models import Person
from lift.core.views.generic import allowed

from .. import services
from ..models import Answer, Cycle, Framework, Section11Return
from . import serializers as s


def _valid(serializer_class: Any, request: Request) -> dict[str, Any]:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def _person(request: Request) -> Person:
    return cast(Person, request.user)


class FrameworkViewSet(RestrictedReadOnlyViewSet):
    queryset = Framework.objects.select_related("scale").prefetch_related("scale__levels")
    serializer_class = s.FrameworkSerializer

    def get_queryset(self) -> QuerySet[Framework]:
        return (
            self.queryset.restrict(self.request.user, "view")  # type: ignore[attr-defined]
            .for_partnership(self.request.partnership)
            .order_by("name", "-version")
        )

    @action(detail=True, methods=["get"], serializer_class=s.RequirementSerializer)
    def requirements(self, request: Request, pk: Any = None) -> Response:
        framework = self.get_object()
        rows = framework.requirements.select_related("standard").order_by("order")
        return Response(s.RequirementSerializer(rows, many=True).data)


class CycleViewSet(RestrictedReadOnlyViewSet):
    queryset = Cycle.objects.prefetch_related("agencies").order_by("-starts_on", "-id")
    serializer_class = s.CycleSerializer
    permission_action = {"open": "change", "close": "close"}

    @action(detail=True, methods=["post"], serializer_class=s.OpenSerializer)
    def open(self, request: Request, pk: Any = None) -> Response:
        """Open the cycle: each agency's return, one answer per requirement."""
        cycle = self.get_object()
        data = _valid(s.OpenSerializer, request)
        carry = cycle.agencies.filter(pk__in=data.get("carry_forward") or [])
        services.cycle_open(cycle=cycle, by=_person(request), carry_forward=list(carry))
        cycle.refresh_from_db()
        return Response(s.CycleSerializer(cycle, context={"request": request}).data)

    @action(detail=True, methods=["post"], serializer_class=s.ReasonSerializer)
    def close(self, request: Request, pk: Any = None) -> Response:
        """Close the cycle (a reason is needed if a return is not moderated)."""
        cycle = self.get_object()
        data = _valid(s.ReasonSerializer, request)
        services.cycle_close(cycle=cycle, by=_person(request), reason=data["reason"])
        cycle.refresh_from_db()
        return Response(s.CycleSerializer(cycle, context={"request": request}).data)


class ReturnViewSet(RestrictedReadOnlyViewSet):
    queryset = Section11Return.objects.with_progress().order_by("cycle", "agency__name")  # type: ignore[attr-defined]
    serializer_class = s.ReturnSerializer
    permission_action = {"submit": "submit"}
    filterset_fields = ["cycle", "agency", "status"]

    @action(detail=True, methods=["post"], serializer_class=s.EmptySerializer)
    def submit(self, request: Request, pk: Any = None) -> Response:
        """Submit the return: every requirement rated; then read-only for the agency."""
        ret = self.get_object()
        services.return_submit(agency_return=ret, by=_person(request))
        ret = self.get_queryset().model.objects.with_progress().get(pk=ret.pk)  # type: ignore[attr-defined]
        return Response(s.ReturnSerializer(ret, context={"request": request}).data)


class AnswerViewSet(
    RestrictedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    GenericViewSet,
):
    """Answers of the returns you may see. PATCH answers a requirement of a draft return
    (the self-rating must be on the framework's scale); `moderate` is for the panel."""

    queryset = Answer.objects.select_related("requirement").order_by(
        "agency_return", "requirement__order"
    )
    serializer_class = s.AnswerSerializer
    permission_action = {"moderate": "challenge"}
    filterset_fields = ["agency_return"]
    http_method_names = ["get", "patch", "post", "head", "options"]

    def get_queryset(self) -> Any:
        if self.action in ("partial_update", "update", "moderate"):
            # Found in view scope (else 404), then the permission is checked (else 403).
            return (
                super()
                .get_queryset()
                .model.objects.restrict(self.request.user, "view")
                .filter(partnership=self.request.partnership)
                .select_related("requirement")
            )
        return super().get_queryset()

    def _check(self, answer: Answer, permission: str) -> None:
        if not allowed(self.request, answer, permission):
            raise PermissionDenied

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        answer = self.get_object()
        self._check(answer, "change")
        data = _valid(s.AnswerInputSerializer, request)
        services.answer_save(answer=answer, by=_person(request), **data)
        answer.refresh_from_db()
        return Response(s.AnswerSerializer(answer, context={"request": request}).data)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.partial_update(request, *args, **kwargs)

    @action(detail=True, methods=["post"], serializer_class=s.ModerateSerializer)
    def moderate(self, request: Request, pk: Any = None) -> Response:
        """The panel's moderated rating (on the framework's scale) and note."""
        answer = self.get_object()
        self._check(answer, "challenge")
        data = _valid(s.ModerateSerializer, request)
        services.answer_moderate(answer=answer, by=_person(request), **data)
        answer.refresh_from_db()
        return Response(s.AnswerSerializer(answer, context={"request": request}).data)
