"""Filters of the performance lists (shared by the pages and the API)."""

from __future__ import annotations

import django_filters

from lift.core.models import Agency

from .choices import AnalysisStatus, Frequency
from .models import AnalysisRequest, Indicator, IndicatorValue, ScrutinyFocus


class IndicatorFilter(django_filters.FilterSet):
    title = django_filters.CharFilter(lookup_expr="icontains", label="Title contains")
    owner_agency = django_filters.ModelChoiceFilter(queryset=Agency.objects.all(), label="Agency")
    frequency = django_filters.ChoiceFilter(choices=Frequency.choices)
    is_active = django_filters.BooleanFilter(label="In the dataset")

    class Meta:
        model = Indicator
        fields = ["title", "owner_agency", "frequency", "is_active"]


class IndicatorValueFilter(django_filters.FilterSet):
    indicator = django_filters.ModelChoiceFilter(queryset=Indicator.objects.all())
    agency = django_filters.ModelChoiceFilter(
        field_name="indicator__owner_agency", queryset=Agency.objects.all(), label="Agency"
    )
    period_from = django_filters.DateFilter(
        field_name="period_start", lookup_expr="gte", label="Periods from"
    )
    period_to = django_filters.DateFilter(
        field_name="period_start", lookup_expr="lte", label="Periods to"
    )

    class Meta:
        model = IndicatorValue
        fields = ["indicator", "agency", "period_from", "period_to"]


class ScrutinyFocusFilter(django_filters.FilterSet):
    title = django_filters.CharFilter(lookup_expr="icontains", label="Title contains")

    class Meta:
        model = ScrutinyFocus
        fields = ["title"]


class AnalysisRequestFilter(django_filters.FilterSet):
    agency = django_filters.ModelChoiceFilter(queryset=Agency.objects.all())
    status = django_filters.ChoiceFilter(choices=AnalysisStatus.choices)

    class Meta:
        model = AnalysisRequest
        fields = ["agency", "status", "focus"]
