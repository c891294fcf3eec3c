"""Filters of the governance lists (shared by the pages and the API)."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils import timezone

from .choices import GroupKind, MeetingStatus, MemberRole, Purpose
from .models import AgendaItem, Board, BusinessPlan, Decision, Meeting, Membership, Priority


class BoardFilter(django_filters.FilterSet):
    name = django_filters.CharFilter(lookup_expr="icontains", label="Name contains")
    kind = django_filters.ChoiceFilter(choices=GroupKind.choices, label="Kind")
    is_active = django_filters.BooleanFilter(label="Active")

    class Meta:
        model = Board
        fields = ["name", "kind", "is_active"]


class MembershipFilter(django_filters.FilterSet):
    board = django_filters.ModelChoiceFilter(queryset=Board.objects.all(), label="Group")
    role = django_filters.ChoiceFilter(choices=MemberRole.choices, label="Role")
    current = django_filters.BooleanFilter(method="filter_current", label="Current members")

    class Meta:
        model = Membership
        fields = ["board", "role", "current"]

    def filter_current(self, qs: QuerySet, name: str, value: Any) -> QuerySet:
        if value is None:
            return qs
        current = Membership.objects.current().values("pk")
        return qs.filter(pk__in=current) if value else qs.exclude(pk__in=current)


class MeetingFilter(django_filters.FilterSet):
    board = django_filters.ModelChoiceFilter(queryset=Board.objects.all(), label="Group")
    kind = django_filters.ChoiceFilter(
        field_name="board__kind", choices=GroupKind.choices, label="Kind of group"
    )
    status = django_filters.ChoiceFilter(choices=MeetingStatus.choices, label="Status")
    when = django_filters.ChoiceFilter(
        choices=[("upcoming", "Upcoming"), ("past", "Past")], method="filter_when", label="When"
    )

    class Meta:
        model = Meeting
        fields = ["board", "kind", "status", "when"]

    def filter_when(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        now = timezone.now()
        if value == "upcoming":
            return qs.filter(starts_at__gte=now)
        if value == "past":
            return qs.filter(starts_at__lt=now)
        return qs


class AgendaItemFilter(django_filters.FilterSet):
    meeting = django_filters.ModelChoiceFilter(queryset=Meeting.objects.all(), label="Meeting")
    purpose = django_filters.ChoiceFilter(choices=Purpose.choices, label="Purpose")
    title = django_filters.CharFilter(lookup_expr="icontains", label="Title contains")

    class Meta:
        model = AgendaItem
        fields = ["meeting", "purpose", "title"]


class DecisionFilter(django_filters.FilterSet):
    meeting = django_filters.ModelChoiceFilter(queryset=Meeting.objects.all(), label="Meeting")
    board = django_filters.ModelChoiceFilter(
        field_name="meeting__board", queryset=Board.objects.all(), label="Group"
    )
    text = django_filters.CharFilter(lookup_expr="icontains", label="Text contains")

    class Meta:
        model = Decision
        fields = ["meeting", "board", "text"]


class BusinessPlanFilter(django_filters.FilterSet):
    year = django_filters.CharFilter(label="Year")

    class Meta:
        model = BusinessPlan
        fields = ["year"]


class PriorityFilter(django_filters.FilterSet):
    plan = django_filters.ModelChoiceFilter(queryset=BusinessPlan.objects.all(), label="Plan")
    title = django_filters.CharFilter(lookup_expr="icontains", label="Title contains")

    class Meta:
        model = Priority
        fields = ["plan", "title"]
