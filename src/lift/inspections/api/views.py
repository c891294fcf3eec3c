"""API of learning from inspection (read; writes go through the pages' services)."""

from __future__ import annotations

from lift.core.api.viewsets import RestrictedReadOnlyViewSet

from ..models import Inspection, ProgressReport
from . import serializers as s


class InspectionViewSet(RestrictedReadOnlyViewSet):
    queryset = Inspection.objects.prefetch_related("judgements").order_by("-started_on", "-id")
    serializer_class = s.InspectionSerializer


class ProgressReportViewSet(RestrictedReadOnlyViewSet):
    queryset = ProgressReport.objects.order_by("due_on", "pk")
    serializer_class = s.ProgressReportSerializer
