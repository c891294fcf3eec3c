"""API shapes of child death reviews: case numbers only, never the child's identifiers."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from lift.core.api.viewsets import PartnershipScopedSerializer

from ..models import Analysis, Campaign, CdopMeeting, ChildDeath


class ChildDeathSerializer(PartnershipScopedSerializer):
    class Meta:
        model = ChildDeath
        fields = [
            "id",
            "reference",
            "notified_on",
            "notified_via",
            "year_of_death",
            "age_band",
            "sex",
            "expected",
            "jar_criteria",
            "joint_agency_response",
            "jar_started_on",
            "jar_completed_on",
            "status",
            "meeting",
        ]
        read_only_fields = fields


@extend_schema_serializer(component_name="CdopAnalysis")
class AnalysisSerializer(PartnershipScopedSerializer):
    case_number = serializers.CharField(source="case.reference", read_only=True)
    scores = serializers.SerializerMethodField()
    factors = serializers.SerializerMethodField()

    class Meta:
        model = Analysis
        fields = [
            "id",
            "case",
            "case_number",
            "meeting",
            "category",
            "modifiable",
            "scores",
            "factors",
            "learning_points",
            "completed_on",
        ]
        read_only_fields = fields

    def get_scores(self, obj: Analysis) -> dict[str, int]:
        return {d.domain: d.score for d in obj.domains.all()}

    def get_factors(self, obj: Analysis) -> list[str]:
        return [f.code for f in obj.factor_codes.all()]


class CdopMeetingSerializer(PartnershipScopedSerializer):
    class Meta:
        model = CdopMeeting
        fields = ["id", "held_on", "title", "location"]
        read_only_fields = fields


class CampaignSerializer(PartnershipScopedSerializer):
    class Meta:
        model = Campaign
        fields = [
            "id",
            "title",
            "kind",
            "audience",
            "partners",
            "factor",
            "started_on",
            "ended_on",
            "reach",
            "description",
            "published",
        ]


def trends_payload(t: Any) -> dict[str, Any]:
    """Suppressed aggregates: null is a withheld count (fewer than the threshold)."""

    def table(tab: Any) -> dict[str, Any]:
        return {
            "title": tab.title,
            "rows": {
                label: {str(y): tab.value(label, y) for y in tab.years} for label in tab.row_labels
            },
        }

    return {
        "years": t.years,
        "suppression_threshold": t.threshold,
        "deaths": table(t.deaths),
        "categories": table(t.categories),
        "age_bands": table(t.age_bands),
        "expected": table(t.expected),
        "modifiable": table(t.modifiable),
        "modifiable_share": {str(k): v for k, v in t.modifiable_share.items()},
        "factors": table(t.factors),
    }
