"""Models of the audits area."""

from .multi import (
    Assignment,
    Audit,
    AuditProgramme,
    AuditReturn,
    CaseIdentity,
    ReturnAnswer,
    ReturnGrade,
    SampleCase,
    Workshop,
    YoungPeoplesViews,
)
from .single import (
    AgencyAuditProgramme,
    CaseAudit,
    CaseAuditGrade,
    SeniorManagementReport,
    TeamSchedule,
)
from .templates import AuditTemplate, TemplateGrade, TemplateQuestion, TemplateSection

__all__ = [
    "AgencyAuditProgramme",
    "Assignment",
    "Audit",
    "AuditProgramme",
    "AuditReturn",
    "AuditTemplate",
    "CaseAudit",
    "CaseAuditGrade",
    "CaseIdentity",
    "ReturnAnswer",
    "ReturnGrade",
    "SampleCase",
    "SeniorManagementReport",
    "TeamSchedule",
    "TemplateGrade",
    "TemplateQuestion",
    "TemplateSection",
    "Workshop",
    "YoungPeoplesViews",
]
