"""Choices of the young people's voice area."""

from __future__ import annotations

from django.db import models


class AgeBand(models.TextChoices):
    UNDER_13 = "under_13", "Under 13"
    AGE_13_15 = "13_15", "13 to 15"
    AGE_16_17 = "16_17", "16 to 17"
    AGE_18_25 = "18_25", "18 to 25 (care leavers and young adults)"


# The age bands whose members are under 13 (a guardian's consent may be needed).
UNDER_13_BANDS = frozenset({AgeBand.UNDER_13})


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    HELD = "held", "Held"
    CANCELLED = "cancelled", "Cancelled"


class TermStatus(models.TextChoices):
    MET = "met", "Met"
    NOT_YET_MET = "not_yet_met", "Not yet met"
    MISSED = "missed", "Missed"
    NOT_STARTED = "not_started", "Not started"


class EventKind(models.TextChoices):
    INFORMATION = "information", "Information"
    ENGAGEMENT = "engagement", "Engagement"
    CONSULTATION = "consultation", "Consultation"


class ResponseKind(models.TextChoices):
    PENDING = "pending", "No response yet"
    WE_DID = "we_did", "You said, we did"
    NOT_DONE = "not_done", "You said, we could not (and why)"
