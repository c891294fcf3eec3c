"""Filters of the training lists, shared by the pages and the API."""

from __future__ import annotations

import django_filters

from lift.core.forms import DateInput
from lift.core.models import Agency

from .choices import (
    Attendance,
    BookingStatus,
    EvaluationKind,
    FollowUpRole,
    FollowUpStatus,
    Format,
    Level,
    SessionStatus,
)
from .models import (
    AgencyTraining,
    Booking,
    CascadeSession,
    Course,
    Evaluation,
    FollowUp,
    TrainingSession,
)


class CourseFilter(django_filters.FilterSet):
    title = django_filters.CharFilter(lookup_expr="icontains", label="Title contains")
    level = django_filters.ChoiceFilter(choices=Level.choices, label="Level")
    format = django_filters.ChoiceFilter(choices=Format.choices, label="Format")

    class Meta:
        model = Course
        fields = ["title", "level", "format"]


class SessionFilter(django_filters.FilterSet):
    course = django_filters.ModelChoiceFilter(queryset=Course.objects.all(), label="Course")
    status = django_filters.ChoiceFilter(choices=SessionStatus.choices, label="Status")
    since = django_filters.DateFilter(
        field_name="starts_on", lookup_expr="gte", label="From (date)", widget=DateInput
    )
    until = django_filters.DateFilter(
        field_name="starts_on", lookup_expr="lte", label="To (date)", widget=DateInput
    )

    class Meta:
        model = TrainingSession
        fields = ["course", "status", "since", "until"]


class BookingFilter(django_filters.FilterSet):
    session = django_filters.ModelChoiceFilter(
        queryset=TrainingSession.objects.all(), label="Session"
    )
    agency = django_filters.ModelChoiceFilter(queryset=Agency.objects.all(), label="Agency")
    status = django_filters.ChoiceFilter(choices=BookingStatus.choices, label="Status")
    attendance = django_filters.ChoiceFilter(choices=Attendance.choices, label="Attendance")

    class Meta:
        model = Booking
        fields = ["session", "agency", "status", "attendance"]


class EvaluationFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=EvaluationKind.choices, label="Questionnaire")

    class Meta:
        model = Evaluation
        fields = ["kind"]


class FollowUpFilter(django_filters.FilterSet):
    role = django_filters.ChoiceFilter(choices=FollowUpRole.choices, label="Asked")
    status = django_filters.ChoiceFilter(choices=FollowUpStatus.choices, label="Status")

    class Meta:
        model = FollowUp
        fields = ["role", "status"]


class CascadeFilter(django_filters.FilterSet):
    agency = django_filters.ModelChoiceFilter(queryset=Agency.objects.all(), label="Agency")

    class Meta:
        model = CascadeSession
        fields = ["agency"]


class AgencyTrainingFilter(django_filters.FilterSet):
    agency = django_filters.ModelChoiceFilter(queryset=Agency.objects.all(), label="Agency")
    level = django_filters.ChoiceFilter(choices=Level.choices, label="Level")

    class Meta:
        model = AgencyTraining
        fields = ["agency", "level"]
