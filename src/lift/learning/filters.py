"""Filters of the learning lists, shared by the pages and the API."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.apps import apps
from django.conf import settings
from django.db.models import QuerySet

from lift.core.forms import DateInput
from lift.core.models import Agency

from . import selectors
from .choices import (
    ActionStatus,
    Addressee,
    DisseminationKind,
    FindingKind,
    LibraryKind,
    Priority,
    RecommendationStatus,
    Response,
)
from .models import Action, Dissemination, Finding, LibraryItem, Recommendation, Theme
from .widgets import QuickNullBooleanSelect, QuickSelect


def source_areas() -> list[tuple[str, str]]:
    """The areas a finding or action can come from: each LIFT app, by its name."""
    out = []
    for label in settings.LIFT_APPS:
        try:
            config = apps.get_app_config(label)
        except LookupError:
            continue
        out.append((label, str(config.verbose_name)))
    return out


class ActionFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        field_name="title", lookup_expr="icontains", label="Title contains"
    )
    agency = django_filters.ModelChoiceFilter(
        widget=QuickSelect, field_name="owner_agency", queryset=Agency.objects.all(), label="Agency"
    )
    area = django_filters.ChoiceFilter(
        widget=QuickSelect,
        field_name="source_type__app_label",
        choices=source_areas,
        label="Source area",
    )
    status = django_filters.ChoiceFilter(
        widget=QuickSelect, choices=ActionStatus.choices, label="Status"
    )
    theme = django_filters.ModelChoiceFilter(
        widget=QuickSelect, field_name="themes", queryset=Theme.objects.all(), label="Theme"
    )
    overdue = django_filters.BooleanFilter(
        widget=QuickNullBooleanSelect, method="filter_overdue", label="Overdue"
    )
    due_within = django_filters.NumberFilter(
        method="filter_due_within", label="Due within this many days", min_value=0, max_value=3660
    )
    # A name search, not a list of every person in the partnership (thousands of options
    # made the tracker's page slow to draw); `owner` by id stays for links and the API.
    owner_name = django_filters.CharFilter(
        field_name="owner__full_name", lookup_expr="icontains", label="Owner's name contains"
    )
    owner = django_filters.NumberFilter(field_name="owner_id", widget=forms.HiddenInput)
    priority = django_filters.ChoiceFilter(
        widget=QuickSelect, choices=Priority.choices, label="Priority"
    )

    class Meta:
        model = Action
        fields = [
            "q",
            "agency",
            "area",
            "status",
            "theme",
            "overdue",
            "due_within",
            "owner_name",
            "owner",
        ]

    def filter_overdue(self, qs: QuerySet[Action], name: str, value: Any) -> QuerySet[Action]:
        if value is None:
            return qs
        late = selectors.overdue(qs)
        return late if value else qs.exclude(pk__in=late.values("pk"))

    def filter_due_within(self, qs: QuerySet[Action], name: str, value: Any) -> QuerySet[Action]:
        if value is None:
            return qs
        return selectors.due_within(qs, int(value))


class FindingFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        field_name="title", lookup_expr="icontains", label="Title contains"
    )
    kind = django_filters.ChoiceFilter(
        widget=QuickSelect, choices=FindingKind.choices, label="Kind"
    )
    area = django_filters.ChoiceFilter(
        widget=QuickSelect,
        field_name="source_type__app_label",
        choices=source_areas,
        label="Source area",
    )
    theme = django_filters.ModelChoiceFilter(
        widget=QuickSelect,
        field_name="themes",
        queryset=Theme.objects.all(),
        label="Theme",
    )
    applies_locally = django_filters.BooleanFilter(
        widget=QuickNullBooleanSelect, label="Applies locally"
    )
    since = django_filters.DateFilter(
        field_name="identified_on", lookup_expr="gte", label="Identified from", widget=DateInput
    )
    until = django_filters.DateFilter(
        field_name="identified_on", lookup_expr="lte", label="Identified to", widget=DateInput
    )

    class Meta:
        model = Finding
        fields = ["q", "kind", "area", "theme", "applies_locally", "since", "until"]


class RecommendationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="text", lookup_expr="icontains", label="Text contains")
    status = django_filters.ChoiceFilter(
        choices=RecommendationStatus.choices, method="filter_status", label="Status"
    )
    response = django_filters.ChoiceFilter(choices=Response.choices, label="Response")
    addressee = django_filters.ChoiceFilter(choices=Addressee.choices, label="Addressed to")
    agency = django_filters.ModelChoiceFilter(
        field_name="agencies", queryset=Agency.objects.all(), label="Agency"
    )
    area = django_filters.ChoiceFilter(
        field_name="source_type__app_label", choices=source_areas, label="Source area"
    )
    theme = django_filters.ModelChoiceFilter(
        field_name="themes", queryset=Theme.objects.all(), label="Theme"
    )

    class Meta:
        model = Recommendation
        fields = ["q", "status", "response", "addressee", "agency", "area", "theme"]

    def filter_status(
        self, qs: QuerySet[Recommendation], name: str, value: Any
    ) -> QuerySet[Recommendation]:
        if not value:
            return qs
        return qs.with_status().filter(status=value)  # type: ignore[attr-defined]


class LibraryItemFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        field_name="title", lookup_expr="icontains", label="Title contains"
    )
    kind = django_filters.ChoiceFilter(choices=LibraryKind.choices, label="Kind")
    theme = django_filters.ModelChoiceFilter(
        field_name="themes", queryset=Theme.objects.all(), label="Theme"
    )

    class Meta:
        model = LibraryItem
        fields = ["q", "kind", "theme"]


class DisseminationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        field_name="title", lookup_expr="icontains", label="Title contains"
    )
    kind = django_filters.ChoiceFilter(choices=DisseminationKind.choices, label="Kind")
    agency = django_filters.ModelChoiceFilter(
        field_name="agencies_reached", queryset=Agency.objects.all(), label="Agency reached"
    )
    since = django_filters.DateFilter(
        field_name="held_on", lookup_expr="gte", label="Held from", widget=DateInput
    )
    until = django_filters.DateFilter(
        field_name="held_on", lookup_expr="lte", label="Held to", widget=DateInput
    )

    class Meta:
        model = Dissemination
        fields = ["q", "kind", "agency", "since", "until"]


class ThemeFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label="Name contains")
    is_active = django_filters.BooleanFilter(label="In use")

    class Meta:
        model = Theme
        fields = ["q", "is_active"]
