from __future__ import annotations

from rest_framework import serializers

from ..models import Agency, ChangeLog, Clock, Notification, Partnership, Person, RoleAssignment
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
    class Meta:
        model = Person
        fields = ["id", "full_name", "email", "job_title", "agency"]
        read_only_fields = fields


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
