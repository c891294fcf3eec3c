"""Choices of the child death review area (the reference lists are in reference/cdop/)."""

from django.db import models


class Expected(models.TextChoices):
    EXPECTED = "expected", "Expected"
    UNEXPECTED = "unexpected", "Unexpected"


class NotifiedVia(models.TextChoices):
    COORDINATOR = "coordinator", "Recorded by the CDOP coordinator"
    PUBLIC_FORM = "public_form", "Public notification form"


class Sex(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    INDETERMINATE = "indeterminate", "Indeterminate"
    UNKNOWN = "unknown", "Not known"


class AgeBand(models.TextChoices):
    NEONATAL = "neonatal", "0 to 27 days"
    INFANT = "infant", "28 to 364 days"
    AGE_1_4 = "1-4", "1 to 4 years"
    AGE_5_9 = "5-9", "5 to 9 years"
    AGE_10_14 = "10-14", "10 to 14 years"
    AGE_15_17 = "15-17", "15 to 17 years"
    UNKNOWN = "unknown", "Not known"


class CaseStatus(models.TextChoices):
    NOTIFIED = "notified", "Notified"
    GATHERING = "gathering", "Gathering information"
    READY = "ready", "Ready for the panel"
    REVIEWED = "reviewed", "Reviewed by the panel"
    CLOSED = "closed", "Closed"


class ReportStatus(models.TextChoices):
    REQUESTED = "requested", "Requested"
    RECEIVED = "received", "Received"
    WITHDRAWN = "withdrawn", "Withdrawn"


class ReferralKind(models.TextChoices):
    CHAIR = "chair", "To the Chair, to consider a serious case review or rapid review"
    LEARNING_LESSONS = "learning_lessons", "To the L&I sub-group, for a learning lessons review"


class ReferralStatus(models.TextChoices):
    SENT = "sent", "Sent to the reviews area"
    AWAITING_CHAIR = "awaiting_chair", "Awaiting the Chair's consideration"
    CHAIR_DECIDED = "chair_decided", "The Chair has considered it"


class CampaignKind(models.TextChoices):
    CAMPAIGN = "campaign", "Awareness campaign"
    NEWSLETTER = "newsletter", "Newsletter"
    LEAFLET = "leaflet", "Leaflet"
    WORKSHOP = "workshop", "Training workshop"
    EVENT = "event", "Community event"
    RESEARCH = "research", "National research or network"


class Audience(models.TextChoices):
    PROFESSIONALS = "professionals", "Professionals"
    PUBLIC = "public", "The public"
    BOTH = "both", "Professionals and the public"
