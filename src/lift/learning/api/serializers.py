"""Serializers of the learning chain. Creation and every workflow step go through the
services, so the API keeps the same rules as the pages."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from lift.core.api.viewsets import PartnershipScopedSerializer
from lift.core.models import Agency, Person

from .. import services
from ..choices import ActionStatus, RecommendationStatus, Response
from ..models import (
    Action,
    ActionUpdate,
    Dissemination,
    Evidence,
    Finding,
    ImpactCheck,
    LibraryItem,
    Recommendation,
    Theme,
)


class SourceMixin(serializers.Serializer):
    source_type = serializers.SerializerMethodField()
    source_area = serializers.CharField(read_only=True)

    def get_source_type(self, obj: Any) -> str | None:
        if obj.source_type_id is None:
            return None
        from django.contrib.contenttypes.models import ContentType

        ct = ContentType.objects.get_for_id(obj.source_type_id)
        return f"{ct.app_label}.{ct.model}"


class ThemeSerializer(PartnershipScopedSerializer):
    shared = serializers.SerializerMethodField()

    class Meta:
        model = Theme
        fields = ["id", "code", "name", "description", "urn", "version", "is_active", "shared"]
        read_only_fields = ["urn", "version"]
        extra_kwargs = {"code": {"required": False, "allow_blank": True}}

    def get_shared(self, obj: Theme) -> bool:
        return obj.partnership_id is None

    def create(self, validated_data: dict[str, Any]) -> Theme:
        request = self.context["request"]
        return services.theme_create(
            partnership=validated_data.pop("partnership", request.partnership),
            by=request.user,
            name=validated_data["name"],
            code=validated_data.get("code", ""),
            description=validated_data.get("description", ""),
        )


class FindingSerializer(SourceMixin, PartnershipScopedSerializer):
    class Meta:
        model = Finding
        fields = [
            "id",
            "title",
            "text",
            "kind",
            "themes",
            "identified_on",
            "applies_locally",
            "source_type",
            "source_id",
            "source_area",
            "recorded_by",
        ]
        read_only_fields = ["source_id", "recorded_by"]

    def create(self, validated_data: dict[str, Any]) -> Finding:
        request = self.context["request"]
        return services.finding_create(
            source=None,
            partnership=validated_data.pop("partnership", request.partnership),
            title=validated_data["title"],
            text=validated_data["text"],
            kind=validated_data.get("kind", "improvement"),
            themes=validated_data.get("themes", []),
            identified_on=validated_data.get("identified_on"),
            applies_locally=validated_data.get("applies_locally"),
            recorded_by=request.user,
        )


class RecommendationSerializer(SourceMixin, PartnershipScopedSerializer):
    # Plain text rather than an enum: the schema's enum names are settings of their own,
    # and a second `status` enum would clash with the actions' one.
    status = serializers.CharField(
        read_only=True,
        help_text="Follows the response and the actions: "
        + ", ".join(f"{value} ({label.lower()})" for value, label in RecommendationStatus.choices)
        + ".",
    )

    class Meta:
        model = Recommendation
        fields = [
            "id",
            "reference",
            "text",
            "findings",
            "addressee",
            "agencies",
            "themes",
            "status",
            "response",
            "response_reason",
            "responded_on",
            "source_type",
            "source_id",
            "source_area",
        ]
        read_only_fields = ["response", "response_reason", "responded_on", "source_id"]

    def create(self, validated_data: dict[str, Any]) -> Recommendation:
        request = self.context["request"]
        return services.recommendation_create(
            source=None,
            partnership=validated_data.pop("partnership", request.partnership),
            text=validated_data["text"],
            reference=validated_data.get("reference", ""),
            addressee=validated_data.get("addressee", "partnership"),
            agencies=validated_data.get("agencies", []),
            findings=validated_data.get("findings", []),
            themes=validated_data.get("themes", []),
        )


class RespondSerializer(serializers.Serializer):
    response = serializers.ChoiceField(
        choices=[c for c in Response.choices if c[0] != Response.PENDING]
    )
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class ActionUpdateSerializer(serializers.ModelSerializer):
    author: Any = serializers.StringRelatedField()

    class Meta:
        model = ActionUpdate
        fields = [
            "id",
            "text",
            "status_from",
            "status_to",
            "due_from",
            "due_to",
            "is_progress",
            "author",
            "created_at",
        ]
        read_only_fields = fields


class EvidenceSerializer(serializers.ModelSerializer):
    download = serializers.SerializerMethodField()

    class Meta:
        model = Evidence
        fields = ["id", "kind", "description", "url", "note", "download", "created_at"]
        read_only_fields = fields

    def get_download(self, obj: Evidence) -> str | None:
        return obj.attachment.get_absolute_url() if obj.attachment is not None else None


class ImpactCheckSerializer(serializers.ModelSerializer):
    class Meta:
        model = ImpactCheck
        fields = [
            "id",
            "method",
            "measured",
            "result",
            "outcome",
            "compared_from",
            "compared_to",
            "checked_on",
            "verified_by",
            "verified_on",
        ]
        read_only_fields = fields


class ActionSerializer(SourceMixin, PartnershipScopedSerializer):
    owner_agency = serializers.PrimaryKeyRelatedField(queryset=Agency.objects.all())
    owner = serializers.PrimaryKeyRelatedField(
        queryset=Person.objects.all(), required=False, allow_null=True
    )

    class Meta:
        model = Action
        fields = [
            "id",
            "title",
            "description",
            "recommendation",
            "owner_agency",
            "owner",
            "due_on",
            "original_due_on",
            "priority",
            "success_measure",
            "status",
            "status_reason",
            "themes",
            "completed_on",
            "closed_on",
            "escalated_on",
            "superseded_by",
            "source_type",
            "source_id",
            "source_area",
        ]
        read_only_fields = [
            "original_due_on",
            "status_reason",
            "completed_on",
            "closed_on",
            "escalated_on",
            "superseded_by",
            "source_id",
        ]

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        if self.instance is not None:
            # Status and due date change only through the workflow endpoints.
            for name in ("status", "due_on", "owner_agency"):
                fields[name].read_only = True
        return fields

    def validate_status(self, value: str) -> str:
        if value not in (ActionStatus.PROPOSED, ActionStatus.AGREED, ActionStatus.IN_PROGRESS):
            raise serializers.ValidationError(
                "A new action starts as proposed, agreed or in progress."
            )
        return value

    def create(self, validated_data: dict[str, Any]) -> Action:
        request = self.context["request"]
        return services.action_create(
            partnership=validated_data.pop("partnership", request.partnership),
            title=validated_data["title"],
            description=validated_data.get("description", ""),
            recommendation=validated_data.get("recommendation"),
            owner_agency=validated_data["owner_agency"],
            owner=validated_data.get("owner"),
            due_on=validated_data["due_on"],
            priority=validated_data.get("priority", "medium"),
            success_measure=validated_data["success_measure"],
            status=validated_data.get("status", ActionStatus.PROPOSED),
            themes=validated_data.get("themes", []),
        )


class ActionDetailSerializer(ActionSerializer):
    updates = ActionUpdateSerializer(many=True, read_only=True)
    evidence = EvidenceSerializer(many=True, read_only=True)
    impact_checks = ImpactCheckSerializer(many=True, read_only=True)

    class Meta(ActionSerializer.Meta):
        fields = [*ActionSerializer.Meta.fields, "updates", "evidence", "impact_checks"]


class TransitionSerializer(serializers.Serializer):
    to = serializers.ChoiceField(choices=ActionStatus.choices)
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    superseded_by = serializers.IntegerField(required=False, allow_null=True, default=None)


class UpdateSerializer(serializers.Serializer):
    text = serializers.CharField()
    status = serializers.ChoiceField(choices=ActionStatus.choices, required=False, allow_null=True)
    due_on = serializers.DateField(required=False, allow_null=True)
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class VerifySerializer(serializers.Serializer):
    check = serializers.IntegerField()


class LibraryItemSerializer(PartnershipScopedSerializer):
    class Meta:
        model = LibraryItem
        fields = [
            "id",
            "kind",
            "title",
            "author",
            "published_on",
            "url",
            "summary",
            "themes",
            "considered_on",
        ]


class DisseminationSerializer(PartnershipScopedSerializer):
    class Meta:
        model = Dissemination
        fields = [
            "id",
            "kind",
            "title",
            "held_on",
            "audience",
            "findings",
            "agencies_reached",
            "people_reached",
            "summary",
            "is_public",
        ]
