"""API serializers. Only the restricted-record serializer carries real identifiers, and its
viewset shows rows to the case team only."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from lift.core.api.viewsets import PartnershipScopedSerializer

from ..choices import DecisionOutcome, PublicationDecision, ReferralDecision, ReferralSource
from ..models import AgencyRequest, ChildIdentity, Decision, Incident, Letter, Referral, Review


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


class EnclosureSerializer(serializers.Serializer):
    """A file sent with a letter; `download` is LIFT's permission-checked address."""

    id = serializers.IntegerField()
    name = serializers.CharField(source="original_name")
    description = serializers.CharField()
    media_type = serializers.CharField()
    size = serializers.IntegerField()
    download = serializers.CharField(source="get_absolute_url")


class LetterSerializer(PartnershipScopedSerializer):
    enclosures = serializers.SerializerMethodField(
        help_text="The files sent with the letter (a NO letter: the local authority's "
        "Serious Incident Notification, needed before it is marked sent)."
    )

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
            "enclosures",
        ]
        read_only_fields = fields

    @extend_schema_field(EnclosureSerializer(many=True))
    def get_enclosures(self, letter: Letter) -> list[dict[str, Any]]:
        from .. import services

        return EnclosureSerializer(services.letter_enclosures(letter), many=True).data  # type: ignore[return-value]


class PublicationConcernSerializer(serializers.Serializer):
    concern = serializers.CharField(max_length=5000)
    raised_on = serializers.DateField()


class LetterEnclosureSerializer(serializers.Serializer):
    file = serializers.FileField()
    description = serializers.CharField(required=False, allow_blank=True, default="")


class LetterUpdateSerializer(serializers.Serializer):
    """PATCH: the draft's subject and text (an unsent letter only; `letter_update`)."""

    subject = serializers.CharField(required=False, max_length=300)
    body = serializers.CharField(required=False, max_length=20000)


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


# --- writes (through the services) ---------------------------------------------------------


class IncidentWriteSerializer(PartnershipScopedSerializer):
    """Create or correct an incident: pseudonyms only (no summary comes back out)."""

    criteria = serializers.ListField(child=serializers.CharField(), required=False)

    class Meta:
        model = Incident
        fields = [
            "pseudonym",
            "incident_type",
            "incident_on",
            "became_aware_on",
            "notified_on",
            "criteria",
            "summary",
            "agencies",
            "owner",
        ]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        # The services (incident_create / incident_update) validate the whole record.
        return attrs

    def to_representation(self, instance: Incident) -> dict[str, Any]:
        return dict(IncidentSerializer(instance, context=self.context).data)


class DecisionSerializer(serializers.Serializer):
    decided_on = serializers.DateField()
    outcome = serializers.ChoiceField(choices=DecisionOutcome.choices)
    reasons = serializers.CharField()
    criteria_reasons = serializers.DictField(child=serializers.CharField(allow_blank=True))
    refer_for_learning_review = serializers.BooleanField(required=False, default=False)


class DecisionOutSerializer(serializers.ModelSerializer):
    class Meta:
        model = Decision
        fields = ["id", "incident", "decided_on", "outcome", "refer_for_learning_review"]
        read_only_fields = fields


class NotifySerializer(serializers.Serializer):
    notified_on = serializers.DateField()


class CompleteSerializer(serializers.Serializer):
    completed_on = serializers.DateField()


class PublicationDecideSerializer(serializers.Serializer):
    answers = serializers.DictField(child=serializers.CharField(allow_blank=True))
    decision = serializers.ChoiceField(choices=PublicationDecision.choices)
    decided_on = serializers.DateField()
    planned_on = serializers.DateField(required=False, allow_null=True, default=None)
    public_summary = serializers.CharField(required=False, allow_blank=True, default="")


class PublishSerializer(serializers.Serializer):
    published_on = serializers.DateField()


class AgencyRequestSerializer(PartnershipScopedSerializer):
    files = serializers.SerializerMethodField()

    class Meta:
        # Not "AgencyRequest": that is the name of the request body of core's Agency schema.
        ref_name = "ReviewAgencyRequest"
        model = AgencyRequest
        fields = [
            "id",
            "incident",
            "review",
            "agency",
            "kind",
            "requested_on",
            "due_on",
            "received_on",
            "quality_assured_on",
            "author",
            "files",
        ]
        read_only_fields = fields

    def get_files(self, obj: AgencyRequest) -> list[dict[str, Any]]:
        """The files the caller may download (the viewset passes them in the context)."""
        visible = self.context.get("visible_files", {})
        return [
            {"id": f.pk, "name": f.attachment.original_name, "url": f.attachment.get_absolute_url()}
            for f in visible.get(obj.pk, [])
            if f.attachment is not None
        ]


class ImrFileUploadSerializer(serializers.Serializer):
    file = serializers.FileField()
    description = serializers.CharField(required=False, allow_blank=True, default="")


class ImrSubmitSerializer(serializers.Serializer):
    submitted_on = serializers.DateField(required=False, allow_null=True, default=None)
