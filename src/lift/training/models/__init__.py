"""Training: the annual programme, courses, sessions, bookings and attendance, evaluation
(Kirkpatrick levels 1 to 4), cascade training, the single-agency register and the annual
training needs assessment.

One module per part; Django finds the models through the imports here, and every name is
re-exported, so `from lift.training.models import Booking` works as before."""

from .access import APPROVERS, LEAD, TRAINING_READERS, TRAINING_STAFF, R
from .evaluation import Evaluation, EvaluationQuerySet, FollowUp, FollowUpQuerySet, QuestionSet
from .programme import (
    Commission,
    Course,
    Programme,
    ProgrammeChange,
    ProgrammePriority,
    TrainingSettings,
)
from .register import AgencyTraining, CascadeSession, NeedsAssessment, NeedsReturn
from .sessions import Booking, BookingEmail, BookingQuerySet, TrainingSession

__all__ = [
    "APPROVERS",
    "LEAD",
    "TRAINING_READERS",
    "TRAINING_STAFF",
    "AgencyTraining",
    "Booking",
    "BookingEmail",
    "BookingQuerySet",
    "CascadeSession",
    "Commission",
    "Course",
    "Evaluation",
    "EvaluationQuerySet",
    "FollowUp",
    "FollowUpQuerySet",
    "NeedsAssessment",
    "NeedsReturn",
    "Programme",
    "ProgrammeChange",
    "ProgrammePriority",
    "QuestionSet",
    "R",
    "TrainingSession",
    "TrainingSettings",
]
