"""API shapes of learning from inspection."""

from __future__ import annotations

from rest_framework import serializers

from lift.core.api.viewsets import PartnershipScopedSerializer

from ..models import Inspection, Judgement, ProgressReport


class JudgementSerializer(PartnershipScopedSerializer):
    class Meta:
        model = Judgement
        fields = ["id", "area", "grade"]
        read_only_fields = fields


class InspectionSerializer(PartnershipScopedSerializer):
    judgements = JudgementSerializer(many=True, read_only=True)
    inspectorate_label = serializers.CharField(read_only=True)

    class Meta:
        model = Inspection
        fields = [
            "id",
            "agency",
            "inspectorate",
            "inspectorate_label",
            "title",
            "started_on",
            "ended_on",
            "published_on",
            "report_url",
            "summary",
            "progress_interval_months",
            "judgements",
        ]
        read_only_fields = fields


class ProgressReportSerializer(PartnershipScopedSerializer):
    class Meta:
        model = ProgressReport
        fields = ["id", "inspection", "number", "due_on", "presented_on", "meeting", "snapshot"]
        read_only_fields = fields
