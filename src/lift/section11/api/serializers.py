"""Section 11 API serializers: reads, and the inputs of workflow steps (which call the
services, so the API keeps the rules of the pages)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from lift.core.api.viewsets import PartnershipScopedSerializer

from ..models import (
    Answer,
    ChallengeQuestion,
    Cycle,
    Escalation,
    FollowUp,
    Framework,
    Panel,
    PanelMember,
    Requirement,
    Section11Return,
)


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


# --- peer challenge -----------------------------------------------------------------------


class PanelMemberSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="person.full_name", read_only=True)

    class Meta:
        model = PanelMember
        fields = ["id", "person", "name", "is_lay", "is_chair"]
        read_only_fields = fields


class PanelSerializer(PartnershipScopedSerializer):
    """A peer challenge panel. `cycle` is given on create only; members are added and
    removed with the panel's `add_member` and `remove_member` operations."""

    members = PanelMemberSerializer(many=True, read_only=True)

    class Meta:
        model = Panel
        fields = ["id", "cycle", "name", "meets_on", "members"]
        read_only_fields = ["id", "members"]

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        if self.instance is not None:
            fields["cycle"].read_only = True
        return fields


class PanelMemberInputSerializer(serializers.Serializer):
    person = serializers.IntegerField(help_text="The person's id (of this partnership).")
    is_lay = serializers.BooleanField(required=False, default=False)
    is_chair = serializers.BooleanField(required=False, default=False)


class PanelMemberRefSerializer(serializers.Serializer):
    member = serializers.IntegerField(help_text="The panel member's id (from `members`).")


class AssignPanelSerializer(serializers.Serializer):
    panel = serializers.IntegerField(help_text="A panel of the return's cycle.")


class PanelConclusionSerializer(serializers.Serializer):
    conclusion = serializers.CharField()


class ChallengeQuestionSerializer(PartnershipScopedSerializer):
    standard_ref = serializers.CharField(source="standard.ref", read_only=True)

    class Meta:
        model = ChallengeQuestion
        fields = [
            "id",
            "agency_return",
            "standard",
            "standard_ref",
            "question",
            "asked_by",
            "response",
            "responded_by",
            "responded_at",
            "created_at",
        ]
        read_only_fields = fields


class QuestionAskSerializer(serializers.Serializer):
    standard = serializers.IntegerField(help_text="A standard of the cycle's framework.")
    question = serializers.CharField()


class QuestionResponseSerializer(serializers.Serializer):
    response = serializers.CharField()


# --- the six-month follow-up --------------------------------------------------------------


class FollowUpSerializer(PartnershipScopedSerializer):
    cycle = serializers.IntegerField(source="report.cycle_id", read_only=True)

    class Meta:
        model = FollowUp
        fields = ["id", "report", "cycle", "generated_on", "board_date", "notes"]
        read_only_fields = fields


class EscalationSerializer(PartnershipScopedSerializer):
    """The Chair's letter to an agency's senior management about its overdue actions.
    Created through the service (the agency must have an overdue Section 11 action)."""

    class Meta:
        model = Escalation
        fields = [
            "id",
            "follow_up",
            "agency",
            "addressee",
            "letter_date",
            "letter_text",
            "overdue_count",
            "response_on",
            "response",
            "sent_by",
        ]
        read_only_fields = ["id", "overdue_count", "response_on", "response", "sent_by"]
        extra_kwargs = {"letter_date": {"required": False}}

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        return attrs  # escalation_record validates (full_clean and the overdue rule)


class EscalationResponseSerializer(serializers.Serializer):
    response = serializers.CharField()
    response_on = serializers.DateField()
