"""Section 11 API serializers: reads, and the inputs of workflow steps (which call the
services, so the API keeps the rules of the pages)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from lift.core.api.viewsets import PartnershipScopedSerializer

from ..models import Answer, Cycle, Framework, Requirement, Section11Return


class RequirementSerializer(serializers.ModelSerializer):
    standard_ref = serializers.CharField(source="standard.ref", read_only=True)

    class Meta:
        model = Requirement
        fields = ["id", "urn", "ref", "standard_ref", "text", "guidance", "essential"]
        read_only_fields = fields


class FrameworkSerializer(serializers.ModelSerializer):
    scale = serializers.SerializerMethodField()
    shared = serializers.SerializerMethodField()

    class Meta:
        model = Framework
        fields = ["id", "code", "urn", "version", "name", "short_name", "scale", "shared"]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.DictField()))
    def get_scale(self, obj: Framework) -> list[dict[str, object]]:
        return [
            {"value": lvl.value, "label": lvl.label, "score": lvl.score}
            for lvl in obj.scale.levels.all()
        ]

    def get_shared(self, obj: Framework) -> bool:
        return obj.partnership_id is None


class CycleSerializer(PartnershipScopedSerializer):
    class Meta:
        model = Cycle
        fields = [
            "id",
            "name",
            "framework",
            "previous",
            "agencies",
            "starts_on",
            "deadline",
            "challenge_starts_on",
            "challenge_ends_on",
            "status",
            "opened_on",
            "closed_on",
            "close_reason",
        ]
        read_only_fields = fields


@extend_schema_serializer(component_name="Section11Return")
class ReturnSerializer(PartnershipScopedSerializer):
    answered = serializers.IntegerField(source="answered_count", read_only=True)
    total = serializers.IntegerField(source="total_count", read_only=True)

    class Meta:
        model = Section11Return
        fields = [
            "id",
            "cycle",
            "agency",
            "status",
            "answered",
            "total",
            "submitted_on",
            "panel",
            "conclusion",
            "moderated_on",
            "carried_forward_from",
        ]
        read_only_fields = fields


class AnswerSerializer(PartnershipScopedSerializer):
    requirement_ref = serializers.CharField(source="requirement.ref", read_only=True)

    class Meta:
        model = Answer
        fields = [
            "id",
            "agency_return",
            "requirement",
            "requirement_ref",
            "self_rating",
            "narrative",
            "evidence_links",
            "needs_review",
            "moderated_rating",
            "moderation_note",
        ]
        read_only_fields = [
            "id",
            "agency_return",
            "requirement",
            "requirement_ref",
            "needs_review",
            "moderated_rating",
            "moderation_note",
        ]


class AnswerInputSerializer(serializers.Serializer):
    self_rating = serializers.CharField(max_length=40)
    narrative = serializers.CharField(required=False, allow_blank=True, default="")
    evidence_links = serializers.CharField(required=False, allow_blank=True, default="")


class ModerateSerializer(serializers.Serializer):
    rating = serializers.CharField(max_length=40)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class OpenSerializer(serializers.Serializer):
    carry_forward = serializers.ListField(child=serializers.IntegerField(), required=False)


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class EmptySerializer(serializers.Serializer):
    pass
