"""API of young people's voice: the forum's members (the coordinator and the Chair only),
sessions, terms with the Chair's termly meetings, events against the yearly target, and
consultations with their views and "you said, we did" responses, and the forum's annual
presentation to the Board. Same restrict() and services as the pages."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    inline_serializer,
)
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from lift.core.api.viewsets import RestrictedModelViewSet

from .. import rules, selectors, services
from ..models import (
    ChairMeeting,
    Consultation,
    Event,
    ForumMember,
    ForumSession,
    Presentation,
    Term,
    YoungPeoplesView,
)
from . import serializers as s


class ForumMemberViewSet(RestrictedModelViewSet):
    """Members' details: the youth forum coordinator and the Chair only (everyone else
    sees an empty list; the forum page shows them counts by age band)."""

    queryset = ForumMember.objects.order_by("name", "id")
    serializer_class = s.ForumMemberSerializer
    http_method_names = ["get", "post", "patch", "put", "head", "options"]


class ForumSessionViewSet(RestrictedModelViewSet):
    queryset = ForumSession.objects.order_by("-held_on", "-id")
    serializer_class = s.ForumSessionSerializer


class TermViewSet(RestrictedModelViewSet):
    """Terms, each with whether the Chair met the forum in it (met, not yet met, missed)."""

    queryset = Term.objects.order_by("starts_on", "id")
    serializer_class = s.TermSerializer

    def get_serializer_context(self) -> dict[str, Any]:
        context = dict(super().get_serializer_context())
        partnership = getattr(self.request, "partnership", None)
        if partnership is not None and self.request.method == "GET":
            rows = selectors.term_rows(partnership, timezone.localdate())
            context["term_rows"] = {row.term.pk: row for row in rows}
        return context


class ChairMeetingViewSet(RestrictedModelViewSet):
    queryset = ChairMeeting.objects.order_by("-meets_on", "-id")
    serializer_class = s.ChairMeetingSerializer


class EventViewSet(RestrictedModelViewSet):
    queryset = Event.objects.order_by("-held_on", "-id")
    serializer_class = s.EventSerializer

    @extend_schema(
        parameters=[OpenApiParameter("year", str, description="Financial year, e.g. 2015/16.")],
        responses=inline_serializer(
            "VoiceEventYear",
            {
                "year": serializers.CharField(),
                "count": serializers.IntegerField(),
                "target": serializers.IntegerField(),
                "met": serializers.BooleanField(),
                "by_kind": serializers.DictField(child=serializers.IntegerField()),
                "by_theme": serializers.DictField(child=serializers.IntegerField()),
                "attended": serializers.IntegerField(),
            },
        ),
    )
    @action(detail=False, methods=["get"], filter_backends=[], pagination_class=None)
    def year(self, request: Request) -> Response:
        """The financial year's events (?year=2015/16, default this year) against the
        forum's target."""
        if not Event.access.allows_any(request.user, "view", request.partnership):  # type: ignore[attr-defined]
            raise PermissionDenied
        label = request.query_params.get("year") or rules.year_of(timezone.localdate())
        try:
            data = selectors.events_year(
                request.partnership,  # type: ignore[attr-defined]
                label,
                self.get_queryset(),
            )
        except ValidationError as exc:
            raise NotFound("No such year (use e.g. 2015/16).") from exc
        return Response(
            {
                "year": data.year,
                "count": data.count,
                "target": data.target,
                "met": data.count >= data.target,
                "by_kind": data.by_kind,
                "by_theme": dict(data.by_theme),
                "attended": data.attended,
            }
        )


class ConsultationViewSet(RestrictedModelViewSet):
    """Consultations with their views; add a view (recorded as a finding in the learning
    chain), respond to one ("you said, we did" or why not), and share the responses back."""

    queryset = Consultation.objects.prefetch_related(
        Prefetch("views", queryset=YoungPeoplesView.objects.order_by("id"))
    ).order_by("-opened_on", "-id")
    serializer_class = s.ConsultationSerializer
    permission_action = {"add_view": "change", "respond": "change", "publish": "change"}

    def _detail(self, consultation: Consultation, request: Request, code: int = 200) -> Response:
        fresh = self.queryset.get(pk=consultation.pk)
        return Response(
            s.ConsultationSerializer(fresh, context={"request": request}).data, status=code
        )

    @action(
        detail=True,
        methods=["post"],
        url_path="views",
        serializer_class=s.ConsultationViewAddSerializer,
    )
    def add_view(self, request: Request, pk: Any = None) -> Response:
        """Record a view young people gave (never a name)."""
        consultation = self.get_object()
        data = _valid(s.ConsultationViewAddSerializer, request)
        services.view_add(consultation=consultation, by=request.user, **data)  # type: ignore[arg-type]
        return self._detail(consultation, request, status.HTTP_201_CREATED)

    @action(
        detail=True,
        methods=["post"],
        url_path=r"views/(?P<view_pk>[0-9]+)/respond",
        serializer_class=s.ViewRespondSerializer,
    )
    def respond(self, request: Request, pk: Any = None, view_pk: Any = None) -> Response:
        """Answer one view: "you said, we did", or what could not be done and why."""
        consultation = self.get_object()
        view = consultation.views.filter(pk=view_pk).first()
        if view is None:
            raise NotFound("No such view in this consultation.")
        data = _valid(s.ViewRespondSerializer, request)
        services.view_respond(view=view, by=request.user, **data)  # type: ignore[arg-type]
        return self._detail(consultation, request)

    @action(detail=True, methods=["post"], serializer_class=s.ConsultationPublishSerializer)
    def publish(self, request: Request, pk: Any = None) -> Response:
        """Share the responses with the forum (every view needs a response first)."""
        consultation = self.get_object()
        data = _valid(s.ConsultationPublishSerializer, request)
        services.consultation_publish(consultation=consultation, by=request.user, **data)  # type: ignore[arg-type]
        return self._detail(consultation, request)


@extend_schema_field(OpenApiTypes.INT)
class IdFilter(django_filters.NumberFilter):
    """A record id as a whole number that fits the database (anything else is a 400, not a
    database error); which records exist is not revealed (an unknown id matches nothing)."""

    field_class = forms.IntegerField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 2**63 - 1)
        super().__init__(*args, **kwargs)


class PresentationFilter(django_filters.FilterSet):
    """?year=2015/16 and ?meeting=<id>."""

    year = django_filters.CharFilter()
    meeting = IdFilter(field_name="meeting_id")

    class Meta:
        model = Presentation
        fields = ["year", "meeting"]


class PresentationViewSet(RestrictedModelViewSet):
    """The forum's annual presentations to the Board (one a year), as on the presentations
    page: read by the oversight roles and the coordinator, put on a Board meeting's agenda
    and changed by the coordinator, the business unit and the Chair. Materials are uploaded
    on the page. Not deleted here (the page has no delete either: the agenda item links
    it)."""

    queryset = Presentation.objects.select_related("meeting").order_by("-year", "-id")
    serializer_class = s.PresentationSerializer
    http_method_names = ["get", "post", "patch", "put", "head", "options"]
    filterset_class = PresentationFilter
    ordering_fields = ["year", "title"]


def _valid(serializer_class: Any, request: Request) -> dict[str, Any]:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)
