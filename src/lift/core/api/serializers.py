from __future__ import annotations

from typing import Any

from rest_framework import serializers

from ..models import Agency, ChangeLog, Clock, Notification, Partnership, Person, RoleAssignment
from ..models.people import EmailChoice
from ..roles import Role
from .viewsets import PartnershipScopedSerializer


class PartnershipSerializer(serializers.ModelSerializer):
    class Meta:
        model = Partnership
        fields = ["id", "name", "short_name", "slug", "area", "regime", "website"]


class AgencySerializer(PartnershipScopedSerializer):
    class Meta:
        model = Agency
        fields = ["id", "name", "agency_type", "safeguarding_lead", "is_active"]


class PersonSerializer(serializers.ModelSerializer):
    invitation_state = serializers.CharField(
        read_only=True,
        help_text="Signed in, Not signed in yet, Invited, Invitation expired or Not invited.",
    )

    class Meta:
        model = Person
        fields = ["id", "full_name", "email", "job_title", "agency", "invitation_state"]
        read_only_fields = fields


class PersonCreateSerializer(serializers.Serializer):
    """Adding a person with their first role: they are sent an invitation to choose a
    password (there is no password field)."""

    full_name = serializers.CharField(max_length=200)
    email = serializers.EmailField(max_length=254)
    role = serializers.ChoiceField(choices=Role.choices)
    agency = serializers.PrimaryKeyRelatedField(
        queryset=Agency.objects.all(), required=False, allow_null=True
    )
    job_title = serializers.CharField(max_length=200, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True)

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        request = self.context.get("request")
        partnership = getattr(request, "partnership", None)
        if partnership is not None:
            fields["agency"].queryset = Agency.objects.filter(partnership=partnership)  # type: ignore[attr-defined]
        return fields


class EmailChoiceSerializer(serializers.Serializer):
    """How LIFT e-mails the person their notifications (lift.core.notify)."""

    email_choice = serializers.ChoiceField(
        choices=EmailChoice.choices,
        help_text="immediate: each notification straight away; digest: one summary each "
        "working day (the default); none: no e-mails. Account and security e-mails and "
        "urgent chases are always sent.",
    )


class RoleAssignmentSerializer(PartnershipScopedSerializer):
    class Meta:
        model = RoleAssignment
        fields = ["id", "person", "role", "agency", "starts_on", "ends_on"]


class ClockSerializer(serializers.ModelSerializer):
    subject_type = serializers.CharField(source="content_type.model", read_only=True)

    class Meta:
        model = Clock
        fields = [
            "id",
            "subject_type",
            "object_id",
            "rule",
            "label",
            "start_event",
            "started_on",
            "due_on",
            "state",
            "met_on",
            "owner",
            "agency",
        ]
        read_only_fields = fields


class NotificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Notification
        fields = ["id", "title", "body", "url", "created_at", "read_at"]
        read_only_fields = fields


class ChangeLogSerializer(serializers.ModelSerializer):
    object_type = serializers.CharField(source="content_type.model", read_only=True)
    changes = serializers.SerializerMethodField()

    class Meta:
        model = ChangeLog
        fields = [
            "id",
            "at",
            "object_type",
            "object_id",
            "object_repr",
            "action",
            "actor_repr",
            "source",
            "reason",
            "changes",
        ]
        read_only_fields = fields

    def get_changes(self, entry: ChangeLog) -> dict:
        hidden = set(entry.restricted_fields)
        return {k: ("(restricted)" if k in hidden else v) for k, v in entry.changes.items()}
