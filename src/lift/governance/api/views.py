"""API viewsets of boards, meetings and the business plan: the same restrict(), filters and
services as the pages."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from lift.core.api.viewsets import RestrictedModelViewSet, RestrictedReadOnlyViewSet
from lift.core.views.generic import restricted

from .. import selectors, services
from ..filters import (
    AgendaItemFilter,
    BoardFilter,
    BusinessPlanFilter,
    DecisionFilter,
    MeetingFilter,
    MembershipFilter,
    PriorityFilter,
)
from ..models import (
    AgendaItem,
    Board,
    BoardPack,
    BusinessPlan,
    Decision,
    Meeting,
    Membership,
    Paper,
    Priority,
)
from . import serializers as s


def _service(call: Any, **kwargs: Any) -> Any:
    try:
        with transaction.atomic():
            return call(**kwargs)
    except DjangoValidationError as exc:
        raise serializers.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        ) from exc


def _parent(request: Request, model: Any, obj: Any, action_name: str = "change") -> Any:
    """The parent must be one the user may change; otherwise it does not exist for them."""
    if obj is None or not restricted(model, request, action_name).filter(pk=obj.pk).exists():
        raise NotFound
    return obj


class BoardViewSet(RestrictedModelViewSet):
    queryset = (
        Board.objects.select_related("chair").prefetch_related("joint_of").order_by("kind", "name")
    )
    serializer_class = s.BoardSerializer
    filterset_class = BoardFilter

    def perform_create(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        joint_of = data.pop("joint_of", [])
        data.pop("is_active", None)
        serializer.instance = _service(
            services.board_create,
            partnership=self.request.partnership,
            by=self.request.user,
            joint_of=joint_of,
            **data,
        )

    def perform_update(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        joint_of = data.pop("joint_of", None)
        serializer.instance = _service(
            services.board_update,
            board=serializer.instance,
            by=self.request.user,
            joint_of=joint_of,
            **data,
        )


class MembershipViewSet(RestrictedModelViewSet):
    queryset = Membership.objects.select_related("board", "person", "agency").order_by("id")
    serializer_class = s.MembershipSerializer
    filterset_class = MembershipFilter

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = _service(
            services.membership_add, by=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        if "board" in data and data["board"] != serializer.instance.board:
            raise serializers.ValidationError({"board": "A membership cannot move group."})
        data.pop("board", None)
        data.pop("person", None)
        serializer.instance = _service(
            services.membership_update,
            membership=serializer.instance,
            by=self.request.user,
            **data,
        )


class MeetingViewSet(RestrictedModelViewSet):
    queryset = Meeting.objects.select_related("board").order_by("-starts_at")
    serializer_class = s.MeetingSerializer
    filterset_class = MeetingFilter
    permission_action = {"set_status": "change", "publish_pack": "publish_pack"}

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = _service(
            services.meeting_create, by=self.request.user, **serializer.validated_data
        )

    @extend_schema(request=None, responses={201: s.BoardPackSerializer})
    @action(detail=True, methods=["post"], serializer_class=s.BoardPackSerializer)
    def publish_pack(self, request: Request, pk: Any = None) -> Response:
        """Build the meeting's Board pack from its papers as they are now and publish it
        (once per version of the papers; made in the background: follow `status`)."""
        meeting = self.get_object()
        pack = _service(services.board_pack_publish, meeting=meeting, by=request.user)
        return Response(
            s.BoardPackSerializer(pack, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )

    @action(detail=True, methods=["post"], serializer_class=s.MeetingStatusSerializer)
    def set_status(self, request: Request, pk: Any = None) -> Response:
        """Move the meeting on: papers sent, held, minutes approved, or cancelled."""
        meeting = self.get_object()
        data = s.MeetingStatusSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        _service(
            services.meeting_status_set,
            meeting=meeting,
            status=data.validated_data["status"],
            by=request.user,
        )
        return Response(s.MeetingSerializer(meeting, context={"request": request}).data)

    @extend_schema(
        parameters=[
            OpenApiParameter("group_kind", str, description="Only this kind of group (e.g. board).")
        ],
        responses=s.MeetingSerializer(many=True),
    )
    @action(detail=False, methods=["get"], filter_backends=[])
    def upcoming(self, request: Request) -> Response:
        """Meetings from today on (optionally ?group_kind=board)."""
        qs = selectors.meetings_upcoming(
            request.user,
            request.query_params.get("group_kind") or None,
            partnership=request.partnership,  # type: ignore[attr-defined]
        )
        page = self.paginate_queryset(qs)
        data = s.MeetingSerializer(page, many=True, context={"request": request}).data
        return self.get_paginated_response(data)


class AgendaItemViewSet(RestrictedModelViewSet):
    queryset = AgendaItem.objects.select_related("meeting", "presenter", "linked_type").order_by(
        "meeting", "order"
    )
    serializer_class = s.AgendaItemSerializer
    filterset_class = AgendaItemFilter

    def perform_create(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        meeting = _parent(self.request, Meeting, data.pop("meeting"))
        data.pop("minutes", None)
        serializer.instance = _service(
            services.agenda_item_add, meeting=meeting, by=self.request.user, **data
        )

    def perform_update(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        if "meeting" in data and data.pop("meeting") != serializer.instance.meeting:
            raise serializers.ValidationError({"meeting": "An item cannot move meeting."})
        linked_given = "linked" in data
        linked = data.pop("linked", None)
        item = serializer.instance
        for key, value in data.items():
            setattr(item, key, value)
        if linked_given:
            serializer.instance = _service(
                services.agenda_item_link, item=item, linked=linked, by=self.request.user
            )
        else:
            _service(_save, obj=item)


def _save(*, obj: Any) -> Any:
    obj.full_clean()
    obj.save()
    return obj


class DecisionViewSet(RestrictedModelViewSet):
    queryset = Decision.objects.select_related("meeting").order_by("-id")
    serializer_class = s.DecisionSerializer
    filterset_class = DecisionFilter
    permission_action = {"create_action": "create_actions"}

    def perform_create(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        meeting = _parent(self.request, Meeting, data.pop("meeting"))
        serializer.instance = _service(
            services.decision_record, meeting=meeting, by=self.request.user, **data
        )

    @action(detail=True, methods=["post"], serializer_class=s.DecisionActionSerializer)
    def create_action(self, request: Request, pk: Any = None) -> Response:
        """Create a learning chain action whose source is this decision."""
        decision = self.get_object()
        data = s.DecisionActionSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        action_obj = _service(
            services.decision_action_create,
            decision=decision,
            by=request.user,
            **data.validated_data,
        )
        return Response(
            {"id": action_obj.pk, "title": action_obj.title, "url": action_obj.get_absolute_url()},
            status=status.HTTP_201_CREATED,
        )


class BusinessPlanViewSet(RestrictedModelViewSet):
    queryset = BusinessPlan.objects.order_by("-year")
    serializer_class = s.BusinessPlanSerializer
    filterset_class = BusinessPlanFilter

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = _service(
            services.business_plan_create,
            partnership=self.request.partnership,
            by=self.request.user,
            **serializer.validated_data,
        )


class PriorityViewSet(RestrictedModelViewSet):
    queryset = Priority.objects.select_related("plan").prefetch_related("themes", "links")
    serializer_class = s.PrioritySerializer
    filterset_class = PriorityFilter
    permission_action = {"link": "change"}

    def get_serializer_context(self) -> dict[str, Any]:
        context = dict(super().get_serializer_context())
        if self.action == "list":
            qs = self.filter_queryset(self.get_queryset())
            page = self.paginate_queryset(qs) if self.paginator else None
            context["progress"] = selectors.plan_progress(page if page is not None else qs)
        return context

    def perform_create(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        plan = _parent(self.request, BusinessPlan, data.pop("plan"))
        serializer.instance = _service(
            services.priority_create, plan=plan, by=self.request.user, **data
        )

    @action(detail=True, methods=["post"], serializer_class=s.PriorityLinkSerializer)
    def link(self, request: Request, pk: Any = None) -> Response:
        """Link any record (an action, an audit, a course...) as serving this priority."""
        priority = self.get_object()
        data = s.PriorityLinkSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        link = _service(
            services.priority_link_add,
            priority=priority,
            by=request.user,
            **data.validated_data,
        )
        return Response(
            s.PriorityLinkSerializer(link, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


class PaperViewSet(RestrictedModelViewSet):
    """Meeting papers: list (`?item=`, `?meeting=`), add (multipart `item`, `title`,
    `file`), and `replace` (a new version), `mark_late`, `move` (up or down), `withdraw`."""

    queryset = (
        Paper.objects.select_related("file", "item")
        .prefetch_related("versions__file")
        .order_by("item", "order", "id")
    )
    serializer_class = s.PaperSerializer
    http_method_names = ["get", "post", "head", "options"]
    parser_classes = [MultiPartParser, FormParser, JSONParser]
    permission_action = {
        "replace": "change",
        "mark_late": "change",
        "move": "change",
        "withdraw": "delete",
    }

    @extend_schema(
        parameters=[
            OpenApiParameter("item", int, description="Only this agenda item's papers."),
            OpenApiParameter("meeting", int, description="Only this meeting's papers."),
        ]
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    def get_queryset(self) -> Any:
        qs = super().get_queryset()
        for key, field in (("item", "item_id"), ("meeting", "item__meeting_id")):
            value = self.request.query_params.get(key)
            if value:
                if not value.isdigit():
                    raise serializers.ValidationError({key: "Give the id as a number."})
                qs = qs.filter(**{field: int(value)})
        return qs

    def perform_create(self, serializer: Any) -> None:
        data = serializer.validated_data
        item = _parent(self.request, AgendaItem, data["item"])
        serializer.instance = _service(
            services.paper_add,
            item=item,
            uploaded_file=data["file"],
            title=data["title"],
            by=self.request.user,
        )

    def _out(self, paper: Paper, request: Request) -> Response:
        fresh = self.queryset.get(pk=paper.pk)
        return Response(s.PaperSerializer(fresh, context={"request": request}).data)

    @extend_schema(request=s.PaperReplaceSerializer, responses=s.PaperSerializer)
    @action(detail=True, methods=["post"], serializer_class=s.PaperReplaceSerializer)
    def replace(self, request: Request, pk: Any = None) -> Response:
        """Upload a new version of the paper (older versions are kept)."""
        paper = self.get_object()
        data = s.PaperReplaceSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        paper = _service(
            services.paper_replace,
            paper=paper,
            uploaded_file=data.validated_data["file"],
            title=data.validated_data["title"],
            by=request.user,
        )
        return self._out(paper, request)

    @extend_schema(request=s.PaperLateSerializer, responses=s.PaperSerializer)
    @action(detail=True, methods=["post"], serializer_class=s.PaperLateSerializer)
    def mark_late(self, request: Request, pk: Any = None) -> Response:
        """Mark the paper late (`{"late": true}`) or not."""
        paper = self.get_object()
        data = s.PaperLateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        paper = _service(
            services.paper_mark_late,
            paper=paper,
            late=data.validated_data["late"],
            by=request.user,
        )
        return self._out(paper, request)

    @extend_schema(request=s.PaperMoveSerializer, responses=s.PaperSerializer)
    @action(detail=True, methods=["post"], serializer_class=s.PaperMoveSerializer)
    def move(self, request: Request, pk: Any = None) -> Response:
        """Move the paper one place `up` or `down` among its item's papers."""
        paper = self.get_object()
        data = s.PaperMoveSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        paper = _service(
            services.paper_move,
            paper=paper,
            up=data.validated_data["direction"] == "up",
            by=request.user,
        )
        return self._out(paper, request)

    @extend_schema(request=None, responses={204: None})
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: Any = None) -> Response:
        """Withdraw the paper: it, its versions and their files are removed (the history
        keeps that it was there)."""
        paper = self.get_object()
        _service(services.paper_withdraw, paper=paper, by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class BoardPackViewSet(RestrictedReadOnlyViewSet):
    """Published Board packs (`?meeting=`), newest version first, with their download
    addresses once made."""

    queryset = BoardPack.objects.select_related("pdf", "docx", "meeting").order_by(
        "meeting", "-number"
    )
    serializer_class = s.BoardPackSerializer

    @extend_schema(
        parameters=[OpenApiParameter("meeting", int, description="Only this meeting's packs.")]
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    def get_queryset(self) -> Any:
        qs = super().get_queryset()
        value = self.request.query_params.get("meeting")
        if value:
            if not value.isdigit():
                raise serializers.ValidationError({"meeting": "Give the id as a number."})
            qs = qs.filter(meeting_id=int(value))
        return qs
