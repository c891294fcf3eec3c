"""Filters of the audits lists (shared by the pages and the API)."""

from __future__ import annotations

import django_filters

from lift.learning.models import Theme

from .choices import AuditStatus, Declaration
from .models import AgencyAuditProgramme, Assignment, Audit, AuditProgramme, AuditReturn


class AuditFilter(django_filters.FilterSet):
    title = django_filters.CharFilter(label="Title contains", lookup_expr="icontains")
    status = django_filters.ChoiceFilter(label="Status", choices=AuditStatus.choices)
    programme = django_filters.ModelChoiceFilter(
        label="Programme", queryset=AuditProgramme.objects.all()
    )
    themes = django_filters.ModelChoiceFilter(label="Theme", queryset=Theme.objects.all())

    class Meta:
        model = Audit
        fields = ["title", "status", "programme", "themes"]


class AssignmentFilter(django_filters.FilterSet):
    declaration = django_filters.ChoiceFilter(label="Declaration", choices=Declaration.choices)

    class Meta:
        model = Assignment
        fields = ["declaration"]


class ReturnFilter(django_filters.FilterSet):
    class Meta:
        model = AuditReturn
        fields = ["audit", "status", "agency"]


class AgencyProgrammeFilter(django_filters.FilterSet):
    year = django_filters.CharFilter(label="Year")

    class Meta:
        model = AgencyAuditProgramme
        fields = ["year"]
