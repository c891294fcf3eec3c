"""Filters of the child death lists (shared by the pages and the API)."""

from __future__ import annotations

import django_filters

from .choices import AgeBand, Audience, CampaignKind, CaseStatus, Expected
from .models import Campaign, ChildDeath


class ChildDeathFilter(django_filters.FilterSet):
    reference = django_filters.CharFilter(lookup_expr="icontains", label="Case number contains")
    status = django_filters.ChoiceFilter(choices=CaseStatus.choices, label="Status")
    expected = django_filters.ChoiceFilter(choices=Expected.choices, label="Expected")
    age_band = django_filters.ChoiceFilter(choices=AgeBand.choices, label="Age at death")
    year_of_death = django_filters.NumberFilter(label="Year of death")
    joint_agency_response = django_filters.BooleanFilter(label="Joint agency response")

    class Meta:
        model = ChildDeath
        fields = ["reference", "status", "expected", "age_band", "year_of_death"]


class CampaignFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=CampaignKind.choices, label="Kind")
    audience = django_filters.ChoiceFilter(choices=Audience.choices, label="Audience")

    class Meta:
        model = Campaign
        fields = ["kind", "audience"]
