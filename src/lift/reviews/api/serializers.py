"""API serializers. Only the restricted-record serializer carries real identifiers, and its
viewset shows rows to the case team only."""

from __future__ import annotations

from rest_framework import serializers

from lift.core.api.viewsets import PartnershipScopedSerializer

from ..choices import ReferralDecision, ReferralSource
from ..models import ChildIdentity, Incident, Letter, Referral, Review


class IncidentSerializer(PartnershipScopedSerializer):
    class Meta:
        model = Incident
        fields = [
            "id",
            "reference",
            "pseudonym",
            "regime",
            "incident_type",
            "incident_on",
            "became_aware_on",
            "notified_on",
            "criteria",
            "agencies",
            "closed_on",
        ]
        read_only_fields = fields


class ChildIdentitySerializer(PartnershipScopedSerializer):
    class Meta:
        model = ChildIdentity
        fields = [
            "id",
            "incident",
            "pseudonym",
            "is_subject",
            "relationship",
            "full_name",
            "other_names",
            "date_of_birth",
            "address",
            "postcode",
            "nhs_number",
            "other_identifiers",
        ]
        read_only_fields = fields


class ReviewSerializer(PartnershipScopedSerializer):
    class Meta:
        model = Review
        fields = [
            "id",
            "incident",
            "kind",
            "title",
            "pseudonym",
            "status",
            "decided_on",
            "methodology",
            "scope_from",
            "scope_to",
            "completed_on",
            "slug",
        ]
        read_only_fields = fields


class LetterSerializer(PartnershipScopedSerializer):
    class Meta:
        model = Letter
        fields = [
            "id",
            "incident",
            "review",
            "kind",
            "recipients",
            "subject",
            "body",
            "due_on",
            "sent_on",
            "panel_meeting_month",
        ]
        read_only_fields = fields


class LetterSentSerializer(serializers.Serializer):
    sent_on = serializers.DateField(required=True)


class ReferralSerializer(PartnershipScopedSerializer):
    class Meta:
        model = Referral
        fields = [
            "id",
            "reference",
            "source_kind",
            "pseudonym",
            "referrer",
            "referrer_agency",
            "referred_on",
            "reasons",
            "decision",
            "decided_on",
            "decision_reasons",
            "methodology",
            "review",
        ]
        read_only_fields = [f for f in fields if f not in ("source_kind", "pseudonym", "reasons")]


class ReferralCreateSerializer(serializers.Serializer):
    source_kind = serializers.ChoiceField(choices=ReferralSource.choices)
    pseudonym = serializers.CharField(max_length=40)
    reasons = serializers.CharField()


class ReferralDecideSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(
        choices=[ReferralDecision.ACCEPTED, ReferralDecision.DECLINED]
    )
    reasons = serializers.CharField()
    methodology = serializers.CharField(required=False, allow_blank=True, default="")
    decided_on = serializers.DateField(required=False)
