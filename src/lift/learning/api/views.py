"""API viewsets of the learning chain: the same restrict(), filters and services as the
pages. Workflow steps are @action endpoints."""

from __future__ import annotations

from typing import Any, cast

from django.db.models import QuerySet
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from lift.core.api.viewsets import RestrictedModelViewSet
from lift.core.models import Person

from .. import selectors, services
from ..filters import (
    ActionFilter,
    DisseminationFilter,
    FindingFilter,
    LibraryItemFilter,
    RecommendationFilter,
    ThemeFilter,
)
from ..models import Action, Dissemination, Finding, LibraryItem, Recommendation, Theme
from . import serializers as s


class FindingViewSet(RestrictedModelViewSet):
    queryset = Finding.objects.prefetch_related("themes").order_by("-identified_on", "-id")
    serializer_class = s.FindingSerializer
    filterset_class = FindingFilter


class RecommendationViewSet(RestrictedModelViewSet):
    queryset = (
        Recommendation.objects.prefetch_related("agencies", "themes", "findings")
        .with_status()
        .order_by("-created_at", "-id")
    )
    serializer_class = s.RecommendationSerializer
    filterset_class = RecommendationFilter
    permission_action = {"respond": "respond"}

    @action(detail=True, methods=["post"], serializer_class=s.RespondSerializer)
    def respond(self, request: Request, pk: Any = None) -> Response:
        """Accept, partly accept or not accept (reasons needed for the last two)."""
        rec = self.get_object()
        data = _valid(s.RespondSerializer, request)
        services.recommendation_respond(
            recommendation=rec,
            by=_person(request),
            response=data["response"],
            reason=data["reason"],
        )
        return Response(s.RecommendationSerializer(rec, context={"request": request}).data)


class ActionViewSet(RestrictedModelViewSet):
    queryset = Action.objects.select_related("owner_agency", "owner").prefetch_related("themes")
    serializer_class = s.ActionSerializer
    filterset_class = ActionFilter
    permission_action = {"transition": "change", "update_progress": "change", "verify": "verify"}
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_serializer_class(self) -> Any:
        if self.action == "retrieve":
            return s.ActionDetailSerializer
        return super().get_serializer_class()

    def get_queryset(self) -> QuerySet[Action]:
        qs = super().get_queryset()
        if self.action == "retrieve":
            qs = qs.prefetch_related("updates__author", "evidence", "impact_checks")
        return qs

    def _detail(self, action_obj: Action, request: Request) -> Response:
        action_obj.refresh_from_db()
        return Response(s.ActionDetailSerializer(action_obj, context={"request": request}).data)

    @action(detail=True, methods=["post"], serializer_class=s.TransitionSerializer)
    def transition(self, request: Request, pk: Any = None) -> Response:
        """Move the action along its workflow (closing is done by verifying impact)."""
        obj = self.get_object()
        data = _valid(s.TransitionSerializer, request)
        replacement = None
        if data.get("superseded_by"):
            replacement = (
                selectors.actions_visible(request.user, request.partnership)  # type: ignore[attr-defined]
                .filter(pk=data["superseded_by"])
                .first()
            )
            if replacement is None:
                raise ValidationError({"superseded_by": ["No such action."]})
        services.action_transition(
            action=obj,
            to=data["to"],
            by=_person(request),
            reason=data["reason"],
            superseded_by=replacement,
        )
        return self._detail(obj, request)

    @action(detail=True, methods=["post"], url_path="update", serializer_class=s.UpdateSerializer)
    def update_progress(self, request: Request, pk: Any = None) -> Response:
        """Add a progress update, optionally with a new status or due date (and reason)."""
        obj = self.get_object()
        data = _valid(s.UpdateSerializer, request)
        services.action_update_add(
            action=obj,
            by=_person(request),
            text=data["text"],
            status=data.get("status") or None,
            due_on=data.get("due_on"),
            reason=data["reason"],
        )
        return Response(
            s.ActionDetailSerializer(
                Action.objects.get(pk=obj.pk), context={"request": request}
            ).data,
            status=status.HTTP_201_CREATED,
        )

    @action(detail=True, methods=["post"], serializer_class=s.VerifySerializer)
    def verify(self, request: Request, pk: Any = None) -> Response:
        """Verify an impact check and close the action (Board, Chair, business unit)."""
        obj = self.get_object()
        data = _valid(s.VerifySerializer, request)
        check = obj.impact_checks.filter(pk=data["check"]).first()
        if check is None:
            raise NotFound("No such impact check on this action.")
        services.impact_verify(check=check, by=_person(request))
        return self._detail(obj, request)


class ThemeViewSet(RestrictedModelViewSet):
    queryset = Theme.objects.all()
    serializer_class = s.ThemeSerializer
    filterset_class = ThemeFilter
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[Theme]:
        from lift.core.api.permissions import action_for

        return (
            Theme.objects.restrict(self.request.user, action_for(self.request, self))
            .for_partnership(self.request.partnership)  # type: ignore[attr-defined]
            .order_by("name")
        )


class LibraryItemViewSet(RestrictedModelViewSet):
    queryset = LibraryItem.objects.prefetch_related("themes").order_by("-published_on", "-id")
    serializer_class = s.LibraryItemSerializer
    filterset_class = LibraryItemFilter


class DisseminationViewSet(RestrictedModelViewSet):
    queryset = Dissemination.objects.prefetch_related("findings", "agencies_reached").order_by(
        "-held_on", "-id"
    )
    serializer_class = s.DisseminationSerializer
    filterset_class = DisseminationFilter


def _person(request: Request) -> Person:
    return cast(Person, request.user)


def _valid(serializer_class: Any, request: Request) -> dict[str, Any]:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)
