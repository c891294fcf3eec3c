"""Choices of the learning chain."""

from django.db import models


class FindingKind(models.TextChoices):
    STRENGTH = "strength", "Strength"
    IMPROVEMENT = "improvement", "Area for improvement"


class Addressee(models.TextChoices):
    PARTNERSHIP = "partnership", "The partnership"
    BOARD = "board", "The Board"
    EXECUTIVE = "executive", "The Executive"
    SUBGROUP = "subgroup", "A sub-group"
    AGENCIES = "agencies", "Named agencies"


class Response(models.TextChoices):
    PENDING = "pending", "Awaiting response"
    ACCEPTED = "accepted", "Accepted"
    PARTLY = "partly", "Partly accepted"
    NOT_ACCEPTED = "not_accepted", "Not accepted"


class RecommendationStatus(models.TextChoices):
    """Where a recommendation stands: its response until work starts, then its actions'
    progress. Derived, never stored (RecommendationQuerySet.with_status)."""

    PENDING = "pending", "Awaiting response"
    ACCEPTED = "accepted", "Accepted"
    PARTLY = "partly", "Partly accepted"
    IN_PROGRESS = "in_progress", "In progress"
    IMPLEMENTED = "implemented", "Implemented"
    NOT_ACCEPTED = "not_accepted", "Not accepted"


class Priority(models.TextChoices):
    HIGH = "high", "High"
    MEDIUM = "medium", "Medium"
    LOW = "low", "Low"


class ActionStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    AGREED = "agreed", "Agreed"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETED = "completed", "Completed"
    EVIDENCED = "evidenced", "Evidenced"
    CLOSED = "closed", "Closed (impact verified)"
    NOT_ACCEPTED = "not_accepted", "Not accepted"
    SUPERSEDED = "superseded", "Superseded"


OPEN_STATUSES = (
    ActionStatus.PROPOSED,
    ActionStatus.AGREED,
    ActionStatus.IN_PROGRESS,
)
# Statuses in which the due date still matters (work not yet done).
LIVE_STATUSES = OPEN_STATUSES
FINISHED_STATUSES = (
    ActionStatus.COMPLETED,
    ActionStatus.EVIDENCED,
    ActionStatus.CLOSED,
)
# An action has started once work on it began (in progress or any later step).
STARTED_STATUSES = (
    ActionStatus.IN_PROGRESS,
    ActionStatus.COMPLETED,
    ActionStatus.EVIDENCED,
    ActionStatus.CLOSED,
)
# Actions that are no work of their recommendation's: refused, or replaced by another.
WITHDRAWN_STATUSES = (ActionStatus.NOT_ACCEPTED, ActionStatus.SUPERSEDED)


class EvidenceKind(models.TextChoices):
    FILE = "file", "File"
    LINK = "link", "Link"
    NOTE = "note", "Note"


class ImpactMethod(models.TextChoices):
    REAUDIT = "reaudit", "Re-audit"
    DATASET = "dataset", "Dataset movement"
    FEEDBACK = "feedback", "Practitioner feedback"
    CHILDREN = "children", "Children and families' feedback"
    INSPECTION = "inspection", "Inspection finding"
    OTHER = "other", "Other"


class ImpactOutcome(models.TextChoices):
    IMPROVED = "improved", "Practice improved"
    PARTLY = "partly", "Some improvement"
    NO_CHANGE = "no_change", "No change"
    WORSE = "worse", "Worse"
    INCONCLUSIVE = "inconclusive", "Inconclusive"


class DisseminationKind(models.TextChoices):
    BRIEFING = "briefing", "Briefing (e.g. seven-minute briefing)"
    NEWSLETTER = "newsletter", "Newsletter"
    WORKSHOP = "workshop", "Workshop"
    WEBSITE = "website", "Website post"
    CONFERENCE = "conference", "Conference"
    TRAINING = "training", "Training session"
    OTHER = "other", "Other"


class LibraryKind(models.TextChoices):
    CASE_REVIEW = "case_review", "Case review by another partnership (SCR / LCSPR)"
    NATIONAL_REVIEW = "national_review", "National panel review"
    RESEARCH = "research", "Research"
    PUBLICATION = "publication", "Guidance or publication"
