"""Choices of the training area. Level wording is the seed's."""

from django.db import models


class Level(models.IntegerChoices):
    BASIC = 1, "Level 1: basic and induction safeguarding training (the employing agency's duty)"
    CORE = 2, "Level 2: core multi-agency training (provided by the partnership)"
    SPECIALIST = (
        3,
        (
            "Level 3: specialist multi-agency training (commissioned and fully funded by the "
            "requesting agencies)"
        ),
    )


LEVEL_SHORT = {1: "Level 1", 2: "Level 2", 3: "Level 3"}


class Format(models.TextChoices):
    COURSE = "course", "Course"
    WORKSHOP = "workshop", "Workshop"
    CONFERENCE = "conference", "Conference"
    BRIEFING = "briefing", "Briefing"
    DEVELOPMENT_DAY = "development_day", "Development day"
    E_LEARNING = "e_learning", "E-learning"
    TRAIN_THE_TRAINER = "train_the_trainer", "Train the trainer"


class TrainerKind(models.TextChoices):
    EXTERNAL = "external", "External trainer (commissioned)"
    INTERNAL = "internal", "Internal expert from a partner agency"


class Payer(models.TextChoices):
    PARTNERSHIP = "partnership", "The partnership's training budget"
    REQUESTING_AGENCIES = "requesting_agencies", "The requesting agencies (level 3)"
    EMPLOYING_AGENCY = "employing_agency", "The employing agency"
    NO_COST = "no_cost", "No cost"


class ProgrammeStatus(models.TextChoices):
    DRAFT = "draft", "Draft (Training sub-group)"
    APPROVED = "approved", "Approved by the Executive"


class ChangeReason(models.TextChoices):
    AUDIT = "audit", "Practice audit finding"
    POLICY = "policy", "Local or national policy development"
    EMERGING = "emerging", "Emerging concern"
    REVIEW = "review", "Learning from a review"
    OTHER = "other", "Other"


class SessionStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    CANCELLED = "cancelled", "Cancelled"


class BookingStatus(models.TextChoices):
    PENDING_APPROVAL = "pending_approval", "Waiting for line manager approval"
    CONFIRMED = "confirmed", "Confirmed"
    WAITLISTED = "waitlisted", "On the waiting list"
    OFFERED = "offered", "Place offered"
    CANCELLED = "cancelled", "Cancelled"
    DECLINED = "declined", "Not approved"


# Bookings that hold a place on the session.
HOLDS_PLACE = (BookingStatus.PENDING_APPROVAL, BookingStatus.CONFIRMED, BookingStatus.OFFERED)
# Bookings that still count (not cancelled or declined): one per learner per session.
ACTIVE = (*HOLDS_PLACE, BookingStatus.WAITLISTED)


class Attendance(models.TextChoices):
    ATTENDED = "attended", "Attended"
    PARTIAL = "partial", "Attended part"
    NO_SHOW = "no_show", "Did not attend"
    CANCELLED_LATE = "cancelled_late", "Cancelled late"


NON_ATTENDANCE = (Attendance.NO_SHOW, Attendance.CANCELLED_LATE)


class EvaluationKind(models.TextChoices):
    REACTION = "reaction", "Reaction (Kirkpatrick level 1)"
    PRE = "pre", "Before the course: confidence and knowledge (level 2)"
    POST = "post", "After the course: confidence and knowledge (level 2)"
    IMPACT_PARTICIPANT = "impact_participant", "Impact follow-up: participant (levels 3 and 4)"
    IMPACT_MANAGER = "impact_manager", "Impact follow-up: line manager (levels 3 and 4)"


class QuestionSetKind(models.TextChoices):
    REACTION = "reaction", "Reaction"
    PREPOST = "prepost", "Confidence and knowledge, before and after"
    IMPACT_PARTICIPANT = "impact_participant", "Impact follow-up for participants"
    IMPACT_MANAGER = "impact_manager", "Impact follow-up for line managers"
    NEEDS = "needs", "Training needs assessment"


KIND_QUESTION_SET = {
    EvaluationKind.REACTION: QuestionSetKind.REACTION,
    EvaluationKind.PRE: QuestionSetKind.PREPOST,
    EvaluationKind.POST: QuestionSetKind.PREPOST,
    EvaluationKind.IMPACT_PARTICIPANT: QuestionSetKind.IMPACT_PARTICIPANT,
    EvaluationKind.IMPACT_MANAGER: QuestionSetKind.IMPACT_MANAGER,
}


class FollowUpRole(models.TextChoices):
    PARTICIPANT = "participant", "Participant"
    MANAGER = "manager", "Line manager"


class FollowUpStatus(models.TextChoices):
    SENT = "sent", "Sent"
    REMINDED = "reminded", "Reminder sent"
    ANSWERED = "answered", "Answered"


class CascadeFormat(models.TextChoices):
    BRIEFING = "briefing", "Briefing"
    WORKSHOP = "workshop", "Workshop"
    BITE_SIZED = "bite_sized", "Bite-sized session"
    TEAM_MEETING = "team_meeting", "Team meeting item"


class NeedsStatus(models.TextChoices):
    OPEN = "open", "Open for returns"
    CLOSED = "closed", "Closed"
