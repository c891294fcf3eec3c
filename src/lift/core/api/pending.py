"""/api/v1/todo-partnership/: the partnership's to-do list (every step waiting for anyone in
it, oldest due date first) and chasing steps, for the business unit and the Chair (403 for
anyone else), as on `/todo/partnership/` (lift.core.pending)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from .. import history, pending, todo
from ..views.pending import filter_form, filtered_pending


class PendingOwnerSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class PendingAgencySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class PendingItemSerializer(serializers.Serializer):
    """One step waiting for one person."""

    id = serializers.CharField(help_text="Signed identity of the step: post it to chase it.")
    kind = serializers.CharField(help_text="The kind of step, e.g. learning.overdue_action.")
    kind_label = serializers.CharField()
    title = serializers.CharField(help_text="What to do, naming the record.")
    url = serializers.CharField(help_text="The page that does the step.")
    record = serializers.CharField(allow_blank=True)
    record_url = serializers.CharField(allow_blank=True)
    due_on = serializers.DateField(allow_null=True)
    state = serializers.CharField(allow_blank=True, help_text="overdue, due_soon, a clock state…")
    working_days_overdue = serializers.IntegerField()
    hint = serializers.CharField(allow_blank=True)
    owner = PendingOwnerSerializer()
    agency = PendingAgencySerializer(allow_null=True)

    def to_representation(self, instance: Any) -> dict[str, Any]:
        p: pending.Pending = instance
        item = p.item
        return {
            "id": p.id,
            "kind": item.kind,
            "kind_label": p.kind_label,
            "title": item.title,
            "url": item.url,
            "record": item.subject_label,
            "record_url": item.subject_url,
            "due_on": item.due_on.isoformat() if item.due_on else None,
            "state": item.state(),
            "working_days_overdue": p.working_days_overdue(),
            "hint": item.hint,
            "owner": {"id": p.owner.pk, "name": str(p.owner)},
            "agency": {"id": p.agency.pk, "name": p.agency.name} if p.agency else None,
        }


class ChaseSerializer(serializers.Serializer):
    items = serializers.ListField(
        child=serializers.CharField(),
        allow_empty=False,
        help_text="The `id` of each step to chase, from the list.",
    )


class ChaseResultSerializer(serializers.Serializer):
    sent = PendingItemSerializer(many=True, help_text="Chased now: a reminder e-mail went.")
    already_chased_today = PendingItemSerializer(
        many=True, help_text="Chased earlier today: nothing sent again."
    )
    messages = serializers.ListField(child=serializers.CharField())


FILTERS = [
    OpenApiParameter("kind", str, many=True, description="Kinds of step (repeat for several)."),
    OpenApiParameter(
        "when",
        str,
        many=True,
        enum=[key for key, _ in todo.WHEN],
        description="When due: overdue, week, later, undated (repeat for several).",
    ),
    OpenApiParameter("agency", str, description="An agency's id, or 'none' (no agency)."),
]


class PartnershipTodoViewSet(viewsets.GenericViewSet):
    """Every step waiting across the partnership, for the business unit and the Chair."""

    serializer_class = PendingItemSerializer
    filter_backends: list[Any] = []  # filtered by the page's form (kind, when, agency)

    def initial(self, request: Any, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        if not pending.may_oversee(request.user, getattr(request, "partnership", None)):
            raise exceptions.PermissionDenied(
                "Only the business unit and the Chair see the partnership's to-do list."
            )

    @extend_schema(parameters=FILTERS, responses=PendingItemSerializer(many=True))
    def list(self, request: Request) -> Response:
        """Every step waiting for anyone in the partnership, oldest due date first."""
        form = filter_form(request.query_params, request.partnership)  # type: ignore[attr-defined]
        items, _ = filtered_pending(form, request.partnership)  # type: ignore[attr-defined]
        if form.errors:
            raise exceptions.ValidationError(form.errors.get_json_data())
        page = self.paginate_queryset(items)  # type: ignore[arg-type]
        data = PendingItemSerializer(page if page is not None else items, many=True).data
        return self.get_paginated_response(data) if page is not None else Response(data)

    @extend_schema(request=ChaseSerializer, responses={200: ChaseResultSerializer})
    @action(detail=False, methods=["post"], serializer_class=ChaseSerializer)
    def chase(self, request: Request) -> Response:
        """Remind the owners of the steps named, by e-mail now, at most once a day a step,
        logged in each record's history. A step no longer waiting, or an id not given by
        the list, refuses the whole request (400) and nothing is sent."""
        serializer = ChaseSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        token = history.begin(actor=request.user, source="api")
        try:
            result = pending.todo_chase(
                by=request.user,
                partnership=request.partnership,  # type: ignore[attr-defined]
                ids=serializer.validated_data["items"],
            )
        except pending.ChaseRefused as refused:
            raise exceptions.ValidationError({"items": [str(refused)]}) from refused
        finally:
            history.end(token)
        body = {
            "sent": PendingItemSerializer(result.sent, many=True).data,
            "already_chased_today": PendingItemSerializer(result.already, many=True).data,
            "messages": result.messages,
        }
        return Response(body, status=status.HTTP_200_OK)
