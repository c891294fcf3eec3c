"""Choices for serious incidents and reviews."""

from __future__ import annotations

from django.db import models


class IncidentType(models.TextChoices):
    DEATH = "death", "Death"
    SERIOUS_HARM = "serious_harm", "Serious harm"


class DecisionOutcome(models.TextChoices):
    STATUTORY = "statutory", "Statutory review (SCR / LCSPR)"
    LEARNING_LESSONS = "learning_lessons", "Learning lessons review"
    SINGLE_AGENCY = "single_agency", "Single-agency review"
    NO_REVIEW = "no_review", "No further review"


class ReviewKind(models.TextChoices):
    STATUTORY = "statutory", "Statutory review"
    LEARNING_LESSONS = "learning_lessons", "Learning lessons review"
    SINGLE_AGENCY = "single_agency", "Single-agency review"


class ReviewStatus(models.TextChoices):
    PLANNING = "planning", "Planning"
    IN_PROGRESS = "in_progress", "In progress"
    DRAFT = "draft", "Draft report"
    FINAL = "final", "Final report"
    PUBLISHED = "published", "Published"
    NOT_PUBLISHED = "not_published", "Not published"
    CLOSED = "closed", "Closed"


class RequestKind(models.TextChoices):
    RAPID_REVIEW_RETURN = "rapid_review_return", "Rapid review return"
    CHRONOLOGY = "chronology", "Chronology"
    IMR = "imr", "Individual Management Review"


class RequestState(models.TextChoices):
    REQUESTED = "requested", "Requested"
    RECEIVED = "received", "Received"
    QUALITY_ASSURED = "quality_assured", "Quality assured"


class LetterKind(models.TextChoices):
    INITIATION_YES = "initiation-yes", "Decision to hold a statutory review"
    INITIATION_NO = "initiation-no", "Decision not to hold a statutory review"
    RAPID_REVIEW = "rapid-review", "Rapid review"
    PUBLICATION_YES = "publication-yes", "Report to be published"
    PUBLICATION_NO = "publication-no", "Report not to be published"
    PUBLICATION_CONCERN = "publication-concern", "Publication may not be possible"


class ReplyKind(models.TextChoices):
    ACKNOWLEDGEMENT = "acknowledgement", "Acknowledgement"
    REQUEST = "request", "Request for information"
    VIEW = "view", "The panel's view on the decision or review"
    OTHER = "other", "Other"


class RapidReviewRecommendation(models.TextChoices):
    LOCAL = "local", "Hold a local review (LCSPR)"
    NATIONAL = "national", "Refer for a national review"
    NO_REVIEW = "no_review", "No further review"
    LEARNING_LESSONS = "learning_lessons", "Learning lessons review"


class PanelResponse(models.TextChoices):
    AGREES = "agrees", "Agrees with the recommendation"
    DISAGREES = "disagrees", "Disagrees with the recommendation"
    NATIONAL = "national", "Will hold a national review"
    MORE_INFORMATION = "more_information", "Asked for more information"


class MilestoneKind(models.TextChoices):
    PANEL_MEETING = "panel_meeting", "Review panel meeting"
    PRACTITIONER_EVENT = "practitioner_event", "Practitioner event"
    DRAFT = "draft", "Draft report"
    FINAL = "final", "Final report"
    FAMILY = "family", "Family meeting"
    OTHER = "other", "Other"


class Contributor(models.TextChoices):
    CHILD = "child", "The child"
    PARENT = "parent", "A parent"
    CARER = "carer", "A carer"
    SIBLING = "sibling", "A sibling"
    OTHER_FAMILY = "other_family", "Other family member"


class ContributionMethod(models.TextChoices):
    MEETING = "meeting", "Met the reviewer"
    WRITTEN = "written", "Written contribution"
    PHONE = "phone", "By phone or video"
    DECLINED = "declined", "Declined to take part"
    NOT_CONTACTED = "not_contacted", "Not contacted (reason recorded)"


class ReferralSource(models.TextChoices):
    AGENCY = "agency", "Partner agency"
    CDOP = "cdop", "Child Death Overview Panel"
    CHAIR = "chair", "The Chair, after a decision not to hold a statutory review"
    AUDIT = "audit", "Single or multi-agency audit"
    OTHER = "other", "Other"


class ReferralDecision(models.TextChoices):
    PENDING = "pending", "Awaiting the sub-group's decision"
    ACCEPTED = "accepted", "Learning lessons review agreed"
    DECLINED = "declined", "Not taken forward"


class PublicationDecision(models.TextChoices):
    PUBLISH = "publish", "Publish"
    NOT_PUBLISH = "not_publish", "Do not publish"


class Arrangement(models.TextChoices):
    JOINT = "joint", "Joint"
    SEPARATE = "separate", "Separate"
