"""API serializers of the audits area. Never a restricted identifier: the restricted record
has no endpoint."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from lift.core.api.viewsets import PartnershipScopedSerializer

from ..choices import Declaration
from ..models import (
    AgencyAuditProgramme,
    Assignment,
    Audit,
    AuditProgramme,
    AuditReturn,
    AuditTemplate,
    CaseAudit,
)
from ..rules import redact
from ..services import audit_identifiers


class ProgrammeSerializer(PartnershipScopedSerializer):
    class Meta:
        model = AuditProgramme
        fields = ["id", "year", "title", "summary", "approved_on"]


class AuditSerializer(PartnershipScopedSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Audit
        fields = [
            "id",
            "programme",
            "title",
            "purpose",
            "themes",
            "status",
            "status_label",
            "planned_start",
            "planned_end",
            "returns_due_on",
            "template",
            "agencies",
            "sampling_rule",
            "previous_audit",
            "completed_on",
        ]
        read_only_fields = ["status", "completed_on"]


class AssignmentSerializer(serializers.ModelSerializer):
    case = serializers.CharField(source="case.reference", read_only=True)

    class Meta:
        model = Assignment
        fields = [
            "id",
            "audit",
            "case",
            "agency",
            "auditor",
            "declaration",
            "due_on",
            "audit_return",
        ]
        read_only_fields = fields


class DeclareSerializer(serializers.Serializer):
    involved = serializers.BooleanField()
    details = serializers.CharField(required=False, allow_blank=True, default="")


@extend_schema_serializer(component_name="AuditReturn")
class ReturnSerializer(serializers.ModelSerializer):
    case = serializers.CharField(source="case.reference", read_only=True)
    grades = serializers.SerializerMethodField()

    class Meta:
        model = AuditReturn
        fields = [
            "id",
            "audit",
            "case",
            "agency",
            "status",
            "due_on",
            "evidence_notes",
            "strengths",
            "areas_for_improvement",
            "submitted_on",
            "quality_assured_on",
            "grades",
        ]
        read_only_fields = fields

    def to_representation(self, instance: AuditReturn) -> dict[str, Any]:
        """Free text is checked against the sample's identifiers on the way out too. The
        return's own cleared auditors get it back as the check on the way in let it through:
        redacted only for the records they may open (redacting a name of a child whose record
        they cannot open would confirm who that child is, issue 17)."""
        data = super().to_representation(instance)
        request = self.context.get("request")
        user = getattr(request, "user", None)
        author = bool(
            user is not None
            and user.is_authenticated
            and instance.assignments.filter(
                auditor=user.pk, declaration=Declaration.CLEARED
            ).exists()
        )
        identifiers = audit_identifiers(instance.audit, user if author else None)
        for key in ("evidence_notes", "strengths", "areas_for_improvement"):
            data[key] = redact(data[key] or "", identifiers)
        return data

    def get_grades(self, obj: AuditReturn) -> dict[str, str]:
        return {g.section.code: g.grade.code for g in obj.grades.all()}


class QaSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class TemplateSerializer(serializers.ModelSerializer):
    sections = serializers.SerializerMethodField()

    class Meta:
        model = AuditTemplate
        fields = ["id", "urn", "version", "name", "kind", "agency_type", "is_current", "sections"]

    @extend_schema_field(serializers.ListField(child=serializers.DictField()))
    def get_sections(self, obj: AuditTemplate) -> list[dict[str, object]]:
        return [
            {
                "code": s.code,
                "title": s.title,
                "focus": s.focus,
                "questions": [
                    {"code": q.code, "text": q.text, "required": q.required}
                    for q in s.questions.all()
                ],
                "scale": [g.code for g in obj.scale_for(s)],
            }
            for s in obj.sections.all()
        ]


class AgencyProgrammeSerializer(serializers.ModelSerializer):
    class Meta:
        model = AgencyAuditProgramme
        fields = ["id", "agency", "title", "year", "template", "share_with_business_unit"]
        read_only_fields = fields


class CaseAuditSerializer(serializers.ModelSerializer):
    team = serializers.CharField(source="schedule.team", read_only=True)
    overall_grade = serializers.CharField(source="overall_grade.code", read_only=True)

    class Meta:
        model = CaseAudit
        fields = [
            "id",
            "programme",
            "team",
            "case_reference",
            "audited_on",
            "overall_grade",
            "status",
        ]
        read_only_fields = fields
