"""API serializers of the performance dataset."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from lift.core.api.viewsets import PartnershipScopedSerializer

from ..models import AnalysisRequest, Indicator, IndicatorValue, IndicatorVersion, ScrutinyFocus


class IndicatorVersionSerializer(serializers.ModelSerializer):
    class Meta:
        model = IndicatorVersion
        fields = [
            "number",
            "definition",
            "numerator",
            "denominator",
            "effective_from",
            "change_reason",
        ]


class IndicatorSerializer(PartnershipScopedSerializer):
    versions = IndicatorVersionSerializer(many=True, read_only=True)

    class Meta:
        model = Indicator
        fields = [
            "id",
            "code",
            "title",
            "owner_agency",
            "unit",
            "polarity",
            "frequency",
            "target",
            "tolerance",
            "source",
            "regional_label",
            "valid_min",
            "valid_max",
            "suppress_below",
            "due_working_days",
            "is_active",
            "versions",
        ]


class IndicatorValueSerializer(PartnershipScopedSerializer):
    period = serializers.CharField(source="period_label", read_only=True)
    definition_version = serializers.IntegerField(source="version.number", read_only=True)
    suppressed = serializers.BooleanField(source="is_suppressed", read_only=True)
    change_reason = serializers.CharField(write_only=True, required=False, allow_blank=True)

    class Meta:
        model = IndicatorValue
        fields = [
            "id",
            "indicator",
            "period_start",
            "period",
            "definition_version",
            "value",
            "numerator",
            "denominator",
            "national",
            "regional",
            "neighbours",
            "commentary",
            "suppressed",
            "change_reason",
        ]

    def to_representation(self, instance: Any) -> Any:
        data = super().to_representation(instance)
        if instance.is_suppressed:
            data["value"] = data["numerator"] = data["denominator"] = None
        return data

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        # The service validates the row (with its indicator, version and rules).
        return attrs


@extend_schema_serializer(component_name="PerformanceAnalysisRequest")
class AnalysisRequestSerializer(PartnershipScopedSerializer):
    class Meta:
        model = AnalysisRequest
        fields = [
            "id",
            "focus",
            "agency",
            "owner",
            "request",
            "due_on",
            "status",
            "response",
            "received_on",
        ]


class ScrutinyFocusSerializer(PartnershipScopedSerializer):
    requests = AnalysisRequestSerializer(many=True, read_only=True)

    class Meta:
        model = ScrutinyFocus
        fields = [
            "id",
            "meeting",
            "title",
            "question",
            "indicators",
            "presentation",
            "challenge",
            "conclusions",
            "requests",
        ]
