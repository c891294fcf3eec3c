"""API viewsets of the audits area: the same restrict(), filters and services as the pages.
Workflow steps (declare, submit, quality-assure, complete) are @action endpoints."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from lift.core.api.viewsets import RestrictedModelViewSet, RestrictedReadOnlyViewSet

from .. import services
from ..choices import Declaration
from ..filters import AuditFilter, ReturnFilter
from ..models import (
    AgencyAuditProgramme,
    Assignment,
    Audit,
    AuditProgramme,
    AuditReturn,
    AuditTemplate,
    CaseAudit,
)
from . import serializers as s


def _call(fn: Any, **kwargs: Any) -> Any:
    try:
        return fn(**kwargs)
    except DjangoValidationError as exc:
        detail = exc.message_dict if hasattr(exc, "error_dict") else exc.messages
        raise ValidationError(detail) from exc


class ProgrammeViewSet(RestrictedModelViewSet):
    queryset = AuditProgramme.objects.order_by("-year")
    serializer_class = s.ProgrammeSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]


class AuditViewSet(RestrictedReadOnlyViewSet):
    queryset = Audit.objects.select_related("programme").prefetch_related("themes", "agencies")
    serializer_class = s.AuditSerializer
    filterset_class = AuditFilter
    permission_action = {"complete": "complete"}

    @action(detail=True, methods=["post"])
    def complete(self, request: Request, pk: Any = None) -> Response:
        """Complete the audit (returns in, workshop held, young people's views or an approved
        reason)."""
        audit = self.get_object()
        _call(services.audit_complete, audit=audit, by=request.user)
        audit.refresh_from_db()
        return Response(s.AuditSerializer(audit, context={"request": request}).data)


class AssignmentViewSet(RestrictedReadOnlyViewSet):
    queryset = Assignment.objects.select_related("case").order_by("due_on", "pk")
    serializer_class = s.AssignmentSerializer
    permission_action = {"declare": "declare"}

    @action(detail=True, methods=["post"], serializer_class=s.DeclareSerializer)
    def declare(self, request: Request, pk: Any = None) -> Response:
        """Declare previous involvement (true blocks the assignment) or none."""
        assignment = self.get_object()
        data = s.DeclareSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        x = _call(
            services.assignment_declare,
            assignment=assignment,
            by=request.user,
            involved=data.validated_data["involved"],
            details=data.validated_data["details"],
        )
        return Response(s.AssignmentSerializer(x, context={"request": request}).data)


class ReturnViewSet(RestrictedReadOnlyViewSet):
    queryset = AuditReturn.objects.select_related("case").prefetch_related(
        "grades__section", "grades__grade"
    )
    serializer_class = s.ReturnSerializer
    filterset_class = ReturnFilter
    permission_action = {"submit": "submit", "quality_assure": "quality_assure"}

    def _cleared(self, r: AuditReturn) -> None:
        mine = r.assignments.filter(auditor=self.request.user.pk)
        if mine.exclude(declaration=Declaration.CLEARED).exists():
            raise NotFound

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        self._cleared(self.get_object())
        return super().retrieve(request, *args, **kwargs)

    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: Any = None) -> Response:
        """Submit; refused with the unanswered required questions listed."""
        r = self.get_object()
        self._cleared(r)
        r = _call(services.return_submit, audit_return=r, by=request.user)
        return Response(s.ReturnSerializer(r, context={"request": request}).data)

    @action(detail=True, methods=["post"], serializer_class=s.QaSerializer)
    def quality_assure(self, request: Request, pk: Any = None) -> Response:
        r = self.get_object()
        data = s.QaSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        r = _call(
            services.return_quality_assure,
            audit_return=r,
            by=request.user,
            note=data.validated_data["note"],
        )
        return Response(s.ReturnSerializer(r, context={"request": request}).data)


class TemplateViewSet(RestrictedReadOnlyViewSet):
    queryset = AuditTemplate.objects.prefetch_related("sections__questions", "grades")
    serializer_class = s.TemplateSerializer


class AgencyProgrammeViewSet(RestrictedReadOnlyViewSet):
    queryset = AgencyAuditProgramme.objects.order_by("-year", "pk")
    serializer_class = s.AgencyProgrammeSerializer


class CaseAuditViewSet(RestrictedReadOnlyViewSet):
    queryset = CaseAudit.objects.select_related("schedule", "overall_grade").order_by(
        "-audited_on", "-pk"
    )
    serializer_class = s.CaseAuditSerializer
