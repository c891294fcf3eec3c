"""API serializers of boards, meetings and the business plan."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from lift.core.api.viewsets import PartnershipScopedSerializer
from lift.core.models import Agency, Person
from lift.learning.choices import Priority as ActionPriority
from lift.learning.models import Theme

from ..choices import MeetingStatus
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
    PriorityLink,
)


@extend_schema_field(OpenApiTypes.OBJECT)
class LinkedField(serializers.Field):
    """A generic link as {"type": "app_label.model", "id": 12, "label": ..., "url": ...}."""

    def to_representation(self, value: Any) -> Any:
        obj = value
        if obj is None:
            return None
        meta = obj._meta
        return {
            "type": f"{meta.app_label}.{meta.model_name}",
            "id": obj.pk,
            "label": str(obj),
            "url": obj.get_absolute_url() if hasattr(obj, "get_absolute_url") else "",
        }

    def to_internal_value(self, data: Any) -> Any:
        if data in (None, ""):
            return None
        if not isinstance(data, dict) or "type" not in data or "id" not in data:
            raise serializers.ValidationError('Give {"type": "app_label.model", "id": 1}.')
        try:
            app_label, model_name = str(data["type"]).split(".", 1)
            ct = ContentType.objects.get_by_natural_key(app_label, model_name)
        except (ValueError, ContentType.DoesNotExist):
            raise serializers.ValidationError("Unknown record type.") from None
        model = ct.model_class()
        request = self.context["request"]
        manager = getattr(model, "_default_manager", None)
        if model is None or manager is None or not hasattr(manager.all(), "restrict"):
            raise serializers.ValidationError("Records of that type cannot be linked.")
        qs = manager.all().restrict(request.user, "view")
        if any(f.name == "partnership" for f in model._meta.concrete_fields):
            qs = qs.filter(partnership=request.partnership)
        try:
            return qs.get(pk=data["id"])
        except (ObjectDoesNotExist, ValueError, TypeError):
            raise serializers.ValidationError("No record you can see has that id.") from None


class BoardSerializer(PartnershipScopedSerializer):
    class Meta:
        model = Board
        fields = [
            "id",
            "kind",
            "name",
            "short_name",
            "purpose",
            "terms_of_reference",
            "chair",
            "reports_to",
            "joint_of",
            "responsibility_set",
            "quorum",
            "meets_every_months",
            "is_active",
        ]
        read_only_fields = ["chair"]


class MembershipSerializer(PartnershipScopedSerializer):
    class Meta:
        model = Membership
        fields = ["id", "board", "person", "role", "agency", "starts_on", "ends_on"]


class MeetingSerializer(PartnershipScopedSerializer):
    class Meta:
        model = Meeting
        fields = [
            "id",
            "board",
            "title",
            "starts_at",
            "ends_at",
            "location",
            "online_link",
            "status",
            "notes",
        ]
        read_only_fields = ["status"]


class MeetingStatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=MeetingStatus.choices)


class AgendaItemSerializer(PartnershipScopedSerializer):
    linked = LinkedField(required=False, allow_null=True)

    class Meta:
        model = AgendaItem
        fields = ["id", "meeting", "order", "title", "presenter", "purpose", "linked", "minutes"]
        extra_kwargs = {"order": {"required": False}}


class DecisionSerializer(PartnershipScopedSerializer):
    class Meta:
        model = Decision
        fields = ["id", "meeting", "agenda_item", "text", "decided_by"]


class DecisionActionSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=250)
    owner_agency = serializers.PrimaryKeyRelatedField(queryset=Agency.objects.none())
    owner = serializers.PrimaryKeyRelatedField(
        queryset=Person.objects.none(), required=False, allow_null=True
    )
    due_on = serializers.DateField()
    success_measure = serializers.CharField()
    description = serializers.CharField(required=False, allow_blank=True, default="")
    priority = serializers.ChoiceField(choices=ActionPriority.choices, default="medium")
    themes = serializers.SlugRelatedField(
        slug_field="code", many=True, required=False, queryset=Theme.objects.all()
    )
    serves = serializers.PrimaryKeyRelatedField(
        queryset=Priority.objects.all(), required=False, allow_null=True
    )

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        partnership = getattr(self.context.get("request"), "partnership", None)
        fields["owner_agency"].queryset = Agency.objects.filter(partnership=partnership)  # type: ignore[attr-defined]
        fields["owner"].queryset = Person.objects.filter(  # type: ignore[attr-defined]
            role_assignments__partnership=partnership
        ).distinct()
        fields["serves"].queryset = Priority.objects.filter(partnership=partnership)  # type: ignore[attr-defined]
        fields["themes"].child_relation.queryset = Theme.objects.for_partnership(partnership)  # type: ignore[attr-defined]
        return fields


class BusinessPlanSerializer(PartnershipScopedSerializer):
    class Meta:
        model = BusinessPlan
        fields = ["id", "year", "title", "summary", "approved_by", "approved_on"]


class PriorityLinkSerializer(serializers.ModelSerializer):
    linked = LinkedField()

    class Meta:
        model = PriorityLink
        fields = ["id", "linked", "note"]


class PrioritySerializer(PartnershipScopedSerializer):
    themes = serializers.SlugRelatedField(
        slug_field="code", many=True, required=False, queryset=Theme.objects.all()
    )
    links = PriorityLinkSerializer(many=True, read_only=True)
    progress = serializers.SerializerMethodField()

    class Meta:
        model = Priority
        fields = [
            "id",
            "plan",
            "order",
            "title",
            "description",
            "themes",
            "lead",
            "lead_agency",
            "success_measures",
            "links",
            "progress",
        ]
        extra_kwargs = {"order": {"required": False}}

    def get_progress(self, obj: Priority) -> dict[str, int]:
        progress = self.context.get("progress", {}).get(obj.pk)
        if progress is None:
            from ..selectors import plan_progress

            progress = plan_progress([obj])[obj.pk]
        return {
            "actions": progress.total,
            "complete": progress.complete,
            "on_track": progress.on_track,
            "overdue": progress.overdue,
            "other_links": progress.other_links,
        }


class PaperVersionSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    late = serializers.BooleanField()
    uploaded_at = serializers.DateTimeField(source="created_at")
    name = serializers.CharField(source="file.original_name")
    url = serializers.CharField(source="file.get_absolute_url")


class PaperSerializer(serializers.ModelSerializer):
    """A paper of an agenda item. Create with multipart `item`, `title` and `file` (PDF,
    DOCX or XLSX, checked as every upload is)."""

    item = serializers.PrimaryKeyRelatedField(queryset=AgendaItem.objects.all())
    file = serializers.FileField(write_only=True)
    name = serializers.CharField(source="file.original_name", read_only=True)
    url = serializers.SerializerMethodField()
    versions = PaperVersionSerializer(many=True, read_only=True)

    class Meta:
        model = Paper
        fields = [
            "id",
            "item",
            "title",
            "order",
            "version",
            "late",
            "file",
            "name",
            "url",
            "versions",
        ]
        read_only_fields = ["order", "version", "late"]

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        request = self.context.get("request")
        partnership = getattr(request, "partnership", None)
        if partnership is not None:
            fields["item"].queryset = AgendaItem.objects.filter(partnership=partnership)  # type: ignore[attr-defined]
        return fields

    def get_url(self, obj: Paper) -> str:
        return obj.file.get_absolute_url()


class PaperReplaceSerializer(serializers.Serializer):
    file = serializers.FileField()
    title = serializers.CharField(required=False, allow_blank=True, default="")


class PaperLateSerializer(serializers.Serializer):
    late = serializers.BooleanField()


class PaperMoveSerializer(serializers.Serializer):
    direction = serializers.ChoiceField(choices=["up", "down"])


class BoardPackSerializer(serializers.ModelSerializer):
    """A published Board pack: its version, the papers version it was built from, whether
    it is out of date, its status and, when ready, where to download it."""

    status = serializers.SerializerMethodField()
    made_at = serializers.DateTimeField(source="pdf.finished_at", read_only=True)
    out_of_date = serializers.BooleanField(read_only=True)
    pdf_url = serializers.SerializerMethodField()
    docx_url = serializers.SerializerMethodField()

    class Meta:
        model = BoardPack
        fields = [
            "id",
            "meeting",
            "number",
            "papers_version",
            "out_of_date",
            "status",
            "made_at",
            "pdf_url",
            "docx_url",
        ]
        read_only_fields = fields

    def get_status(self, obj: BoardPack) -> str:
        statuses = {obj.pdf.status, obj.docx.status}
        if statuses == {"ready"}:
            return "ready"
        return "failed" if "failed" in statuses else "building"

    def _url(self, obj: BoardPack, fmt: str) -> str | None:
        from django.urls import reverse

        if self.get_status(obj) != "ready":
            return None
        return reverse("governance:boardpack_download", args=[obj.pk, fmt])

    def get_pdf_url(self, obj: BoardPack) -> str | None:
        return self._url(obj, "pdf")

    def get_docx_url(self, obj: BoardPack) -> str | None:
        return self._url(obj, "docx")
