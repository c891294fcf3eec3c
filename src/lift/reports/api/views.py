"""API of annual reports: list and detail, narrative edits (refused once signed off),
sign-off as an action, the sections in use, and the PDF or DOCX."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from lift.core.api.viewsets import RestrictedModelViewSet
from lift.core.documents import document_response
from lift.voice.api.views import SeeThenAct

from .. import services
from ..documents import live_sections, report_doc
from ..models import AnnualReport
from . import serializers as s


class AnnualReportViewSet(SeeThenAct, RestrictedModelViewSet):
    """Annual reports. A signed-off report is frozen: PATCH, PUT and DELETE are refused
    (400) and its document is the snapshot taken at sign-off."""

    queryset = AnnualReport.objects.prefetch_related("narratives").order_by("-year", "-id")
    serializer_class = s.AnnualReportSerializer
    permission_action = {"sign_off": "sign_off", "sections": "view", "download": "view"}

    def perform_destroy(self, instance: AnnualReport) -> None:
        services.annual_report_delete(report=instance, by=self.request.user)  # type: ignore[arg-type]

    @action(detail=True, methods=["post"], url_path="sign-off")
    def sign_off(self, request: Request, pk: Any = None) -> Response:
        """Sign the report off (the business unit or the Chair): it is frozen from now on."""
        report = services.annual_report_sign_off(report=self.get_object(), by=request.user)  # type: ignore[arg-type]
        fresh = self.queryset.get(pk=report.pk)
        return Response(s.AnnualReportSerializer(fresh, context={"request": request}).data)

    @action(detail=True, methods=["get"], serializer_class=s.SectionSerializer)
    def sections(self, request: Request, pk: Any = None) -> Response:
        """The sections with data for the report's year, each with its narrative."""
        report = self.get_object()
        texts = {n.key: n.text for n in report.narratives.all()}
        rows = [
            {"key": key, "title": title, "narrative": texts.get(key, "")}
            for key, title, _ in live_sections(report)
        ]
        return Response(s.SectionSerializer(rows, many=True).data)

    @action(detail=True, methods=["get"], url_path=r"download/(?P<fmt>(?:pdf|docx))")
    def download(self, request: Request, pk: Any = None, fmt: str = "pdf") -> HttpResponse:
        """The report as PDF or DOCX (the frozen snapshot once signed off)."""
        doc = report_doc(self.get_object())
        return document_response(doc, fmt, doc.title)
