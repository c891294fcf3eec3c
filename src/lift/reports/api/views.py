"""API of annual reports: list and detail, narrative edits (refused once signed off),
sign-off as an action, the sections in use, and the PDF or DOCX."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from rest_framework import mixins, viewsets
from rest_framework import serializers as drf
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from lift.core.api.viewsets import (
    ConcurrentUpdateMixin,
    RestrictedModelViewSet,
    RestrictedViewSetMixin,
)
from lift.core.documents import document_response

from .. import services
from ..documents import live_sections, report_doc
from ..models import AnnualReport, Narrative
from . import serializers as s


class AnnualReportViewSet(RestrictedModelViewSet):
    """Annual reports. A signed-off report is frozen: PATCH, PUT and DELETE are refused
    (400) and its document is the snapshot taken at sign-off."""

    queryset = AnnualReport.objects.prefetch_related("narratives").order_by("-year", "-id")
    serializer_class = s.AnnualReportSerializer
    permission_action = {
        "sign_off": "sign_off",
        "sections": "view",
        "download": "view",
        "ask": "change",
    }

    def perform_destroy(self, instance: AnnualReport) -> None:
        services.annual_report_delete(report=instance, by=self.request.user)  # type: ignore[arg-type]

    @action(detail=True, methods=["post"], url_path="sign-off")
    def sign_off(self, request: Request, pk: Any = None) -> Response:
        """Sign the report off (the Chair): it is frozen from now on."""
        report = services.annual_report_sign_off(report=self.get_object(), by=request.user)  # type: ignore[arg-type]
        fresh = self.queryset.get(pk=report.pk)
        return Response(s.AnnualReportSerializer(fresh, context={"request": request}).data)

    @action(detail=True, methods=["post"], serializer_class=s.SectionAskSerializer)
    def ask(self, request: Request, pk: Any = None) -> Response:
        """Ask a group's chair to write a section (`board`: the group), by `due_on`; or, with
        `board` null, take it back for the business unit to write."""
        from lift.governance.models import Board

        report = self.get_object()
        data = s.SectionAskSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        board = None
        if data.validated_data["board"] is not None:
            board = Board.objects.filter(
                partnership=report.partnership, pk=data.validated_data["board"]
            ).first()
            if board is None:
                raise drf.ValidationError({"board": ["Choose one of the partnership's groups."]})
        try:
            narrative = services.section_assign(
                report=report,
                key=data.validated_data["key"],
                board=board,
                due_on=data.validated_data.get("due_on"),
                by=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as exc:
            raise drf.ValidationError(
                exc.message_dict if hasattr(exc, "error_dict") else exc.messages
            ) from exc
        return Response(s.SectionWriteSerializer(narrative, context={"request": request}).data)

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


class AnnualReportSectionViewSet(
    RestrictedViewSetMixin,
    ConcurrentUpdateMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Sections of annual reports: the ones a group's chair is asked to write (the chair
    sees their own; the report's readers see every one). PATCH `text` saves a draft;
    `submit/` sends it to the business unit; `return/` (business unit) sends it back.
    Sections are asked for through the report (`.../annual/<id>/ask/`); none is deleted."""

    queryset = Narrative.objects.select_related("board__chair").order_by("report", "key")
    serializer_class = s.SectionWriteSerializer
    http_method_names = ["get", "patch", "post", "head", "options"]
    permission_action = {"submit": "submit", "send_back": "assign"}

    def _done(self, request: Request, narrative: Narrative) -> Response:
        fresh = self.queryset.get(pk=narrative.pk)
        return Response(s.SectionWriteSerializer(fresh, context={"request": request}).data)

    @action(detail=True, methods=["post"], serializer_class=s.SectionSubmitSerializer)
    def submit(self, request: Request, pk: Any = None) -> Response:
        """Submit the section to the business unit (refused while it is empty)."""
        try:
            narrative = services.section_submit(narrative=self.get_object(), by=request.user)  # type: ignore[arg-type]
        except ValidationError as exc:
            raise drf.ValidationError(
                exc.message_dict if hasattr(exc, "error_dict") else exc.messages
            ) from exc
        return self._done(request, narrative)

    @action(
        detail=True,
        methods=["post"],
        url_path="return",
        serializer_class=s.SectionReturnSerializer,
    )
    def send_back(self, request: Request, pk: Any = None) -> Response:
        """Return a submitted section to its chair for changes (the business unit)."""
        data = s.SectionReturnSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            narrative = services.section_return(
                narrative=self.get_object(),
                by=request.user,  # type: ignore[arg-type]
                reason=data.validated_data.get("reason", ""),
            )
        except ValidationError as exc:
            raise drf.ValidationError(exc.messages) from exc
        return self._done(request, narrative)
