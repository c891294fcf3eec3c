"""API shapes of young people's voice and the forum's annual presentation to the Board.
Members carry only what the forum needs, and only the youth forum coordinator and the Chair
can reach them (ForumMember's access policy). Creation and every workflow step go through the
services."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from lift.core.api.viewsets import PartnershipScopedSerializer

from .. import rules, services
from ..choices import ResponseKind
from ..models import (
    ChairMeeting,
    Consultation,
    Event,
    ForumMember,
    ForumSession,
    Presentation,
    Term,
    YoungPeoplesView,
    YouthForum,
)


def forum_of(serializer: serializers.Serializer) -> YouthForum:
    """The current partnership's forum (set up on the forum page before anything else)."""
    request = serializer.context["request"]
    forum = YouthForum.objects.filter(partnership=request.partnership).first()
    if forum is None:
        raise serializers.ValidationError("Set up the partnership's Youth Forum first.")
    return forum


class ForumMemberSerializer(PartnershipScopedSerializer):
    class Meta:
        model = ForumMember
        fields = [
            "id",
            "name",
            "age_band",
            "joined_on",
            "left_on",
            "consent_on",
            "guardian_consent_on",
            "retain_until",
            "anonymised_on",
        ]
        read_only_fields = ["anonymised_on"]
        extra_kwargs = {"retain_until": {"required": False}}

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if self.instance is None:
            forum = forum_of(self)
            attrs.setdefault("retain_until", None)
            probe = ForumMember(forum=forum, partnership=forum.partnership, **attrs)
            if probe.retain_until is None:
                from lift.core import calendar

                probe.retain_until = calendar.add_months(probe.joined_on, forum.retention_months)
            probe.full_clean(exclude=["partnership"])
            return attrs
        return super().validate(attrs)

    def create(self, validated_data: dict[str, Any]) -> ForumMember:
        validated_data.pop("partnership", None)
        return services.member_add(
            forum=forum_of(self), by=self.context["request"].user, **validated_data
        )

    def update(self, instance: ForumMember, validated_data: dict[str, Any]) -> ForumMember:
        return services.member_update(
            member=instance, by=self.context["request"].user, **validated_data
        )


class ForumSessionSerializer(PartnershipScopedSerializer):
    class Meta:
        model = ForumSession
        fields = ["id", "held_on", "title", "attended", "notes"]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if self.instance is None:
            ForumSession(forum=forum_of(self), **attrs).full_clean(exclude=["partnership"])
            return attrs
        return super().validate(attrs)

    def create(self, validated_data: dict[str, Any]) -> ForumSession:
        validated_data.pop("partnership", None)
        return services.session_add(
            forum=forum_of(self), by=self.context["request"].user, **validated_data
        )


class TermSerializer(PartnershipScopedSerializer):
    """A school term, and (read-only) whether the Chair met the forum in it."""

    status = serializers.SerializerMethodField()
    meetings = serializers.SerializerMethodField()
    topics = serializers.SerializerMethodField()

    class Meta:
        model = Term
        fields = ["id", "name", "starts_on", "ends_on", "status", "meetings", "topics"]

    def _row(self, obj: Term) -> Any:
        rows = self.context.get("term_rows", {})
        return rows.get(obj.pk)

    def get_status(self, obj: Term) -> str | None:
        row = self._row(obj)
        return str(row.status.value) if row is not None else None

    def get_meetings(self, obj: Term) -> list[int]:
        row = self._row(obj)
        return [m.pk for m in row.meetings] if row is not None else []

    def get_topics(self, obj: Term) -> list[str]:
        row = self._row(obj)
        return list(row.topics) if row is not None else []

    def create(self, validated_data: dict[str, Any]) -> Term:
        return services.term_create(by=self.context["request"].user, **validated_data)


class ChairMeetingSerializer(PartnershipScopedSerializer):
    topic_list = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = ChairMeeting
        fields = ["id", "meets_on", "status", "topics", "topic_list", "attended", "notes"]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if self.instance is None:
            ChairMeeting(forum=forum_of(self), **attrs).full_clean(exclude=["partnership"])
            return attrs
        return super().validate(attrs)

    def create(self, validated_data: dict[str, Any]) -> ChairMeeting:
        validated_data.pop("partnership", None)
        return services.chair_meeting_record(
            forum=forum_of(self), by=self.context["request"].user, **validated_data
        )


@extend_schema_serializer(component_name="VoiceEvent")
class EventSerializer(PartnershipScopedSerializer):
    class Meta:
        model = Event
        fields = [
            "id",
            "kind",
            "title",
            "theme",
            "held_on",
            "audience",
            "attended",
            "what_was_said",
        ]

    def create(self, validated_data: dict[str, Any]) -> Event:
        return services.event_create(by=self.context["request"].user, **validated_data)


@extend_schema_field(
    {
        "type": "string",
        "description": "One of pending (no response yet), we_did (you said, we did) or "
        "not_done (you said, we could not, and why).",
    }
)
class ResponseKindField(serializers.CharField):
    """The response to a view, as an inline enum (learning's recommendations have another
    `response` enum, and the schema's enum names are settings this area does not own)."""

    def to_internal_value(self, data: Any) -> str:
        value = str(super().to_internal_value(data))
        if value not in ResponseKind.values:
            raise serializers.ValidationError(f"Choose one of: {', '.join(ResponseKind.values)}.")
        return value


class YoungPeoplesViewSerializer(PartnershipScopedSerializer):
    response = ResponseKindField(read_only=True)

    class Meta:
        model = YoungPeoplesView
        fields = [
            "id",
            "consultation",
            "said",
            "finding",
            "response",
            "response_text",
            "responded_on",
        ]
        read_only_fields = fields


class ConsultationSerializer(PartnershipScopedSerializer):
    views = YoungPeoplesViewSerializer(many=True, read_only=True)
    informs = serializers.SerializerMethodField()

    class Meta:
        model = Consultation
        fields = [
            "id",
            "topic",
            "description",
            "opened_on",
            "closed_on",
            "informs",
            "published_on",
            "views",
        ]
        read_only_fields = ["published_on"]

    def get_informs(self, obj: Consultation) -> str | None:
        """The record it informs, as app.model:id (or null)."""
        if obj.informs_type_id is None:
            return None
        from django.contrib.contenttypes.models import ContentType

        ct = ContentType.objects.get_for_id(obj.informs_type_id)
        return f"{ct.app_label}.{ct.model}:{obj.informs_id}"

    def create(self, validated_data: dict[str, Any]) -> Consultation:
        return services.consultation_create(by=self.context["request"].user, **validated_data)


class ConsultationViewAddSerializer(serializers.Serializer):
    said = serializers.CharField(max_length=4000)
    title = serializers.CharField(max_length=250, required=False, allow_blank=True, default="")
    themes = serializers.ListField(
        child=serializers.CharField(max_length=60), required=False, default=list
    )


class ViewRespondSerializer(serializers.Serializer):
    response = ResponseKindField()
    response_text = serializers.CharField(max_length=4000, allow_blank=True, default="")
    responded_on = serializers.DateField(required=False, allow_null=True, default=None)


class ConsultationPublishSerializer(serializers.Serializer):
    on = serializers.DateField(required=False, allow_null=True, default=None)


class PresentationSerializer(PartnershipScopedSerializer):
    """The forum's annual presentation to the Board. Created and changed through the same
    service as the page (`presentation_schedule`), which puts it on the chosen Board
    meeting's agenda. One a year: the year is fixed once created."""

    agenda_item = serializers.IntegerField(source="agenda_item_id", read_only=True, allow_null=True)

    class Meta:
        model = Presentation
        fields = ["id", "year", "title", "summary", "meeting", "agenda_item"]

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        request = self.context.get("request")
        meeting = fields["meeting"]
        if request is not None and getattr(meeting, "queryset", None) is not None:
            from lift.core.views.generic import restricted
            from lift.governance.models import Meeting

            # Only Board meetings the person can see, as the page offers.
            meeting.queryset = restricted(Meeting, request, "view")  # type: ignore[attr-defined]
        return fields

    def validate_year(self, value: str) -> str:
        if self.instance is not None and value != self.instance.year:
            raise serializers.ValidationError(
                "The year cannot be changed: there is one presentation a year."
            )
        try:
            rules.year_bounds(value)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from exc
        return value

    def validate_meeting(self, value: Any) -> Any:
        instance = self.instance
        if value is None or (instance is not None and value == instance.meeting):
            return value
        if value.starts_at < timezone.now():
            raise serializers.ValidationError("Choose a Board meeting that is still to come.")
        return value

    def create(self, validated_data: dict[str, Any]) -> Presentation:
        partnership = validated_data.pop("partnership")
        return services.presentation_schedule(
            partnership=partnership, by=self.context["request"].user, **validated_data
        )

    def update(self, instance: Presentation, validated_data: dict[str, Any]) -> Presentation:
        # The service saves its own copy (found by the year): this one is refreshed so the
        # answer and its ETag show the new version.
        services.presentation_schedule(
            partnership=instance.partnership,
            by=self.context["request"].user,
            year=instance.year,
            title=validated_data.get("title", instance.title),
            summary=validated_data.get("summary", instance.summary),
            meeting=validated_data.get("meeting", instance.meeting),
        )
        instance.refresh_from_db()
        return instance
