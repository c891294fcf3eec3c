"""Filters for the core lists."""

from __future__ import annotations

import django_filters

from .forms import DateInput
from .models import Agency, AgencyType, ChangeLog, Person, RoleAssignment
from .roles import Role


class AgencyFilter(django_filters.FilterSet):
    name = django_filters.CharFilter(lookup_expr="icontains", label="Name contains")
    agency_type = django_filters.ChoiceFilter(choices=AgencyType.choices, label="Type")
    is_active = django_filters.BooleanFilter(label="Active")

    class Meta:
        model = Agency
        fields = ["name", "agency_type", "is_active"]


class PersonFilter(django_filters.FilterSet):
    full_name = django_filters.CharFilter(lookup_expr="icontains", label="Name contains")
    agency = django_filters.ModelChoiceFilter(queryset=Agency.objects.all(), label="Agency")
    role = django_filters.ChoiceFilter(
        choices=Role.choices, label="Role", field_name="role_assignments__role", distinct=True
    )

    class Meta:
        model = Person
        fields = ["full_name", "agency", "role"]


class RoleAssignmentFilter(django_filters.FilterSet):
    role = django_filters.ChoiceFilter(choices=Role.choices, label="Role")
    agency = django_filters.ModelChoiceFilter(queryset=Agency.objects.all(), label="Agency")

    class Meta:
        model = RoleAssignment
        fields = ["role", "agency"]


class ChangeLogFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        field_name="object_repr", lookup_expr="icontains", label="Record name contains"
    )
    actor = django_filters.CharFilter(
        field_name="actor_repr", lookup_expr="icontains", label="Changed by"
    )
    action = django_filters.ChoiceFilter(choices=ChangeLog.Action.choices, label="Change")
    source = django_filters.ChoiceFilter(choices=ChangeLog.Source.choices, label="Made through")
    since = django_filters.DateFilter(
        field_name="at", lookup_expr="date__gte", label="From (date)", widget=DateInput
    )
    until = django_filters.DateFilter(
        field_name="at", lookup_expr="date__lte", label="To (date)", widget=DateInput
    )
    reason = django_filters.CharFilter(lookup_expr="icontains", label="Reason contains")

    class Meta:
        model = ChangeLog
        fields = ["q", "actor", "action", "source", "since", "until", "reason"]
