"""Choices of the audits area."""

from django.db import models


class TemplateKind(models.TextChoices):
    MULTI_AGENCY = "multi_agency", "Multi-agency thematic audit"
    SINGLE_AGENCY = "single_agency", "Single-agency case audit"


class Focus(models.TextChoices):
    QUALITY = "quality_of_practice", "Quality of practice"
    MULTI_AGENCY = "multi_agency_working", "Multi-agency working"
    OUTCOMES = "outcomes", "Outcomes for children"
    OTHER = "other", "Other"


class AnswerType(models.TextChoices):
    TEXT = "text", "Free text"
    YES_NO_PARTLY = "yes_no_partly", "Yes, no or partly"


YES_NO_PARTLY = (
    ("yes", "Yes"),
    ("partly", "Partly"),
    ("no", "No"),
    ("not_applicable", "Not applicable"),
)


class AuditStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    DESIGN = "design", "Being designed"
    AUDITING = "auditing", "Auditing under way"
    WORKSHOP = "workshop", "Workshop and report"
    COMPLETED = "completed", "Completed"
    DEFERRED = "deferred", "Deferred"
    CANCELLED = "cancelled", "Cancelled"


# Where an audit may go next (completion has its own service and rules).
AUDIT_MOVES: dict[str, tuple[str, ...]] = {
    AuditStatus.PLANNED: (AuditStatus.DESIGN, AuditStatus.DEFERRED, AuditStatus.CANCELLED),
    AuditStatus.DESIGN: (AuditStatus.AUDITING, AuditStatus.DEFERRED, AuditStatus.CANCELLED),
    AuditStatus.AUDITING: (AuditStatus.WORKSHOP, AuditStatus.CANCELLED),
    AuditStatus.WORKSHOP: (AuditStatus.AUDITING,),
    AuditStatus.DEFERRED: (AuditStatus.PLANNED,),
    AuditStatus.COMPLETED: (),
    AuditStatus.CANCELLED: (),
}


class Declaration(models.TextChoices):
    AWAITING = "awaiting", "Awaiting declaration"
    CLEARED = "cleared", "No previous involvement"
    BLOCKED = "blocked", "Previous involvement declared"


class ReturnStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    QUALITY_ASSURED = "quality_assured", "Quality assured"


# Returns that count in the overview report.
REPORTED_RETURNS = (ReturnStatus.SUBMITTED, ReturnStatus.QUALITY_ASSURED)


class HowGathered(models.TextChoices):
    FOCUS_GROUP = "focus_group", "Focus group"
    YOUTH_FORUM = "youth_forum", "Youth Forum session"
    SURVEY = "survey", "Survey"
    INTERVIEWS = "interviews", "Individual conversations"
    EVENT = "event", "Consultation event"
    OTHER = "other", "Other"


class AuditMethod(models.TextChoices):
    OFFLINE_QA = "offline_qa", "Offline audit by quality assurance staff"
    PEER = "peer", "Peer audit by a team manager"


class Frequency(models.TextChoices):
    MONTHLY = "monthly", "Monthly"
    QUARTERLY = "quarterly", "Quarterly"
    SIX_MONTHLY = "six_monthly", "Six-monthly"


class CaseAuditStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    COMPLETED = "completed", "Completed"
    FEEDBACK_GIVEN = "feedback_given", "Feedback given"
    ACKNOWLEDGED = "acknowledged", "Feedback acknowledged"
