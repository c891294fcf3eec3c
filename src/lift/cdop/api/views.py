"""API of child death reviews: cases (case number only), analyses, meetings, campaigns,
suppressed trends, and each case's NCMD export for the coordinator."""

from __future__ import annotations

import json
from typing import Any

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from lift.core import history
from lift.core.api.viewsets import RestrictedModelViewSet, RestrictedReadOnlyViewSet

from .. import export, stats
from ..filters import CampaignFilter, ChildDeathFilter
from ..models import Analysis, Campaign, CdopMeeting, ChildDeath, ChildDeathIdentity
from . import serializers as s

# A suppressed table: {title, rows: {label: {year: count, or null when withheld}}}.
_TABLE = inline_serializer(
    "SuppressedTable",
    {
        "title": serializers.CharField(),
        "rows": serializers.DictField(
            child=serializers.DictField(child=serializers.IntegerField(allow_null=True))
        ),
    },
)


class ChildDeathViewSet(RestrictedReadOnlyViewSet):
    """Cases by number; the child's identifiers are never in the API except in the NCMD
    export, for the coordinator, with each export logged."""

    queryset = ChildDeath.objects.order_by("-notified_on", "-id")
    serializer_class = s.ChildDeathSerializer
    filterset_class = ChildDeathFilter
    permission_action = {"ncmd": "export"}

    @action(detail=True, methods=["get"])
    def ncmd(self, request: Request, pk: Any = None) -> Response:
        """The case's NCMD export record (format in docs/cdop.md)."""
        case = self.get_object()
        identity = ChildDeathIdentity.objects.filter(case=case).first()
        if identity is not None:
            history.record_access(
                request.user, identity, purpose="NCMD export (API)", path=request.path
            )
        return Response(json.loads(export.as_json([case])))

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "year", int, description="The last of three years (1900-9999; default this year)."
            )
        ],
        responses=inline_serializer(
            "ChildDeathTrends",
            {
                "years": serializers.ListField(child=serializers.IntegerField()),
                "suppression_threshold": serializers.IntegerField(),
                "deaths": _TABLE,
                "categories": _TABLE,
                "age_bands": _TABLE,
                "expected": _TABLE,
                "modifiable": _TABLE,
                "modifiable_share": serializers.DictField(child=serializers.CharField()),
                "factors": _TABLE,
            },
        ),
    )
    @action(detail=False, methods=["get"], filter_backends=[], pagination_class=None)
    def trends(self, request: Request) -> Response:
        """Counts by year with small numbers withheld (null)."""
        if not ChildDeath.access.allows_any(request.user, "view", request.partnership):  # type: ignore[attr-defined]
            raise PermissionDenied
        this_year = timezone.localdate().year
        try:
            year = int(request.query_params.get("year", this_year))
        except ValueError:
            year = this_year
        if not 1900 <= year <= 9999:  # beyond what a date (or the database) holds
            year = this_year
        t = stats.trends(request.partnership, [year - 2, year - 1, year])  # type: ignore[attr-defined]
        return Response(s.trends_payload(t))


class AnalysisViewSet(RestrictedReadOnlyViewSet):
    queryset = (
        Analysis.objects.select_related("case")
        .prefetch_related("domains", "factor_codes")
        .order_by("-completed_on", "-id")
    )
    serializer_class = s.AnalysisSerializer


class CdopMeetingViewSet(RestrictedReadOnlyViewSet):
    queryset = CdopMeeting.objects.order_by("-held_on", "-id")
    serializer_class = s.CdopMeetingSerializer


class CampaignViewSet(RestrictedModelViewSet):
    queryset = Campaign.objects.order_by("-started_on", "-id")
    serializer_class = s.CampaignSerializer
    filterset_class = CampaignFilter
