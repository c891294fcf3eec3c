"""Serializers of the training API."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from ..choices import Attendance, EvaluationKind
from ..models import Booking, Course, Evaluation, TrainingSession


class CourseSerializer(serializers.ModelSerializer):
    themes = serializers.SlugRelatedField(  # type: ignore[var-annotated]
        slug_field="code", many=True, read_only=True
    )

    class Meta:
        model = Course
        fields = [
            "id",
            "programme",
            "title",
            "summary",
            "level",
            "format",
            "learning_outcomes",
            "themes",
            "findings",
            "recommendations",
            "trainer_kind",
            "trainer_name",
            "trainer_agency",
            "duration_hours",
            "cost",
            "paid_by",
            "public",
            "is_active",
        ]
        read_only_fields = fields


class SessionSerializer(serializers.ModelSerializer):
    places_left = serializers.IntegerField(read_only=True)
    waiting = serializers.IntegerField(read_only=True)

    class Meta:
        model = TrainingSession
        fields = [
            "id",
            "course",
            "starts_on",
            "ends_on",
            "start_time",
            "end_time",
            "venue",
            "online_url",
            "capacity",
            "places_left",
            "waiting",
            "status",
            "trainer",
        ]
        read_only_fields = fields


class BookingSerializer(serializers.ModelSerializer):
    class Meta:
        model = Booking
        fields = [
            "id",
            "session",
            "learner",
            "agency",
            "booked_by",
            "status",
            "offer_expires_on",
            "cancelled_on",
            "cancelled_late",
            "attendance",
            "charge",
            "reaction_score",
            "pre_score",
            "post_score",
            "created_at",
        ]
        read_only_fields = fields


class EvaluationSerializer(serializers.ModelSerializer):
    question_set = serializers.CharField(source="question_set.urn", read_only=True)
    question_set_version = serializers.IntegerField(source="question_set.version", read_only=True)

    class Meta:
        model = Evaluation
        fields = [
            "id",
            "booking",
            "kind",
            "respondent",
            "question_set",
            "question_set_version",
            "answers",
            "score",
            "submitted_on",
        ]
        read_only_fields = fields


class BookSerializer(serializers.Serializer):
    session = serializers.IntegerField()
    learner = serializers.IntegerField(required=False, help_text="Leave out to book yourself.")


class CancelSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class AttendanceSerializer(serializers.Serializer):
    attendance = serializers.ChoiceField(choices=Attendance.choices)


class EvaluateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=[
            (k, str(label)) for k, label in EvaluationKind.choices if not k.startswith("impact")
        ]
    )
    answers = serializers.DictField(child=serializers.JSONField())

    def validate_answers(self, value: dict[str, Any]) -> dict[str, Any]:
        return dict(value)
