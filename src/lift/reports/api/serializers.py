"""API shapes of annual reports. Writes go through the services, which refuse every change
to a signed-off report."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from lift.core.api.viewsets import PartnershipScopedSerializer

from .. import services
from ..models import AnnualReport, Narrative


class AnnualReportSerializer(PartnershipScopedSerializer):
    narratives = serializers.DictField(
        child=serializers.CharField(allow_blank=True, max_length=20000),
        required=False,
        write_only=True,
        help_text="The business unit's text by section key (see `sections`); returned too.",
    )
    signed_off = serializers.BooleanField(source="is_signed_off", read_only=True)

    class Meta:
        model = AnnualReport
        fields = [
            "id",
            "year",
            "title",
            "foreword",
            "priorities_next_year",
            "narratives",
            "status",
            "signed_off",
            "signed_off_on",
            "signed_off_by",
        ]
        read_only_fields = ["status", "signed_off_on", "signed_off_by"]

    def to_representation(self, instance: AnnualReport) -> dict[str, Any]:
        data = super().to_representation(instance)
        data["narratives"] = {n.key: n.text for n in instance.narratives.all()}
        return data

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        narratives = attrs.pop("narratives", None)
        if self.instance is not None and "year" in attrs and attrs["year"] != self.instance.year:
            raise serializers.ValidationError({"year": ["The year of a report cannot change."]})
        attrs = super().validate(attrs)
        if narratives is not None:
            attrs["narratives"] = narratives
        return attrs

    def create(self, validated_data: dict[str, Any]) -> AnnualReport:
        narratives = validated_data.pop("narratives", None)
        request = self.context["request"]
        report = services.annual_report_create(by=request.user, **validated_data)
        if narratives:
            report = services.annual_report_update(
                report=report, by=request.user, narratives=narratives
            )
        return report

    def update(self, instance: AnnualReport, validated_data: dict[str, Any]) -> AnnualReport:
        return services.annual_report_update(
            report=instance, by=self.context["request"].user, **validated_data
        )


class SectionSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    narrative = serializers.CharField(allow_blank=True)


class SectionWriteSerializer(serializers.ModelSerializer):
    """A section of an annual report asked of a group's chair (or written by the business
    unit): the chair writes `text` (PATCH), submits it (`submit/`), and the business unit
    may return it (`return/`)."""

    title = serializers.SerializerMethodField()
    board_name = serializers.CharField(source="board.name", read_only=True, default="")
    chair = serializers.CharField(source="board.chair", read_only=True, default="")

    class Meta:
        model = Narrative
        fields = [
            "id",
            "report",
            "key",
            "title",
            "board",
            "board_name",
            "chair",
            "text",
            "status",
            "due_on",
            "submitted_on",
            "submitted_by",
        ]
        read_only_fields = [
            "report",
            "key",
            "board",
            "status",
            "due_on",
            "submitted_on",
            "submitted_by",
        ]

    def get_title(self, obj: Narrative) -> str:
        return services.section_title(obj.key)

    def update(self, instance: Narrative, validated_data: dict[str, Any]) -> Narrative:
        return services.section_write(
            narrative=instance,
            text=validated_data.get("text", instance.text),
            by=self.context["request"].user,
        )


class SectionAskSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="The section's key (see the report's `sections`).")
    board = serializers.IntegerField(
        allow_null=True, help_text="The group whose chair writes it; null: the business unit."
    )
    due_on = serializers.DateField(required=False, allow_null=True)


class SectionReturnSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class SectionSubmitSerializer(serializers.Serializer):
    """Submitting takes no fields."""
