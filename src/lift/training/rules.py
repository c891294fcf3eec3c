"""The training rules, each named, with its message as the docstring's first line.

The levels are the seed's: level 1 (basic and induction) is the employing agency's duty;
level 2 (core multi-agency) the partnership provides; level 3 (specialist multi-agency) is
commissioned and fully funded by the requesting agencies. Impact evidence is sought from a
sample of attendees and their managers some months after the course (3 in the framework).
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError

from lift.core.calendar import add, add_working_days
from lift.core.reference import UnknownReference, regime

from .choices import (
    HOLDS_PLACE,
    NON_ATTENDANCE,
    Attendance,
    BookingStatus,
    EvaluationKind,
    Format,
    Level,
    Payer,
    ProgrammeStatus,
)

if TYPE_CHECKING:
    from .models import Booking, Course, Programme, TrainingSession, TrainingSettings

FOLLOW_UP_RULE = "training-impact-follow-up"


def level3_funded_by_requesters(course: Course) -> None:
    """Level 3 specialist training is fully funded by the agencies that commission it."""
    if course.level == Level.SPECIALIST and course.paid_by != Payer.REQUESTING_AGENCIES:
        raise ValidationError(
            {
                "paid_by": "Level 3 specialist training is commissioned and fully funded by "
                "the requesting agencies: choose 'The requesting agencies'."
            }
        )


def level3_session_needs_commission(course: Course) -> None:
    """A level 3 session needs at least one agency's commission with the funding agreed."""
    if course.level == Level.SPECIALIST and not course.commissions.exists():
        raise ValidationError(
            "Record the commissioning agency and the funding it agreed before scheduling a "
            "level 3 session."
        )


def cascade_needs_train_the_trainer(course: Course) -> None:
    """Cascade sessions are recorded against a train-the-trainer course."""
    if course.format != Format.TRAIN_THE_TRAINER:
        raise ValidationError(
            {"course": "Cascade sessions can only be recorded for a train-the-trainer course."}
        )


def programme_approval_recorded(programme: Programme) -> None:
    """An approved programme names the body that approved it (the Executive) and when."""
    if programme.status == ProgrammeStatus.APPROVED and not (
        programme.approved_by_body and programme.approved_on
    ):
        raise ValidationError("Record who approved the programme (the Executive) and when.")


def session_open_for_booking(session: TrainingSession, today: dt.date) -> None:
    """Bookings are taken for scheduled sessions that have not started."""
    if session.is_cancelled:
        raise ValidationError("This session has been cancelled: it cannot be booked.")
    if session.starts_on <= today:
        raise ValidationError("This session has already started: it can no longer be booked.")


def no_double_booking(session: TrainingSession, learner: Any, existing: Sequence[Booking]) -> None:
    """A person holds at most one booking (or waiting-list place) for a session."""
    if any(b.learner_id == learner.pk for b in existing):
        raise ValidationError(f"{learner} is already booked on this session.")


def places_left(session: TrainingSession, holding: int) -> int:
    """Places left: capacity less the bookings holding a place (confirmed, waiting for
    approval, or offered from the waiting list)."""
    return max(session.capacity - holding, 0)


def holds_place(status: str) -> bool:
    return status in HOLDS_PLACE


def cancellation_is_late(
    session: TrainingSession, settings: TrainingSettings, today: dt.date
) -> bool:
    """A cancellation is late inside the partnership's notice period (working days) before
    the session."""
    cutoff = add_working_days(today, settings.cancellation_notice_days)
    return session.starts_on <= cutoff


def can_cancel(session: TrainingSession, today: dt.date) -> None:
    """A booking cannot be cancelled once the session has started."""
    if session.starts_on <= today:
        raise ValidationError(
            "The session has started: it cannot be cancelled now. Ask the trainer to record "
            "attendance instead."
        )


def attendance_needs_live_session(session: TrainingSession, today: dt.date) -> None:
    """Attendance is recorded only for a session that is not cancelled and has started."""
    if session.is_cancelled:
        raise ValidationError("This session was cancelled: attendance cannot be recorded.")
    if session.starts_on > today:
        raise ValidationError("The session has not started yet: attendance cannot be recorded.")


def attendance_needs_place(booking: Booking) -> None:
    """Only people with a confirmed place are on the register."""
    if booking.status != BookingStatus.CONFIRMED:
        raise ValidationError(
            f"{booking.learner} has no confirmed place ({booking.get_status_display().lower()})."
        )


def non_attendance_charge(attendance: str, settings: TrainingSettings) -> Any:
    """A no-show or a late cancellation is charged where the partnership sets a charge."""
    if attendance in NON_ATTENDANCE and settings.non_attendance_charge > 0:
        return settings.non_attendance_charge
    return None


def evaluation_allowed(booking: Booking, kind: str, today: dt.date) -> None:
    """Before-course questions need a confirmed place and come before the session ends;
    the reaction form and after-course questions are for those who attended."""
    session = booking.session
    if kind == EvaluationKind.PRE:
        if booking.status != BookingStatus.CONFIRMED:
            raise ValidationError("The before-course questions need a confirmed place.")
        if booking.attendance or session.ends_on < today:
            raise ValidationError("The before-course questions are answered before the course.")
        return
    if kind in (EvaluationKind.REACTION, EvaluationKind.POST):
        if booking.attendance not in (Attendance.ATTENDED, Attendance.PARTIAL):
            raise ValidationError("Only people who attended the session can evaluate it.")
        return
    raise ValidationError("Impact follow-ups are answered from the follow-up request.")


def follow_up_only_for_attendees(booking: Booking) -> None:
    """Impact follow-ups go only to people recorded as having attended the session."""
    if booking.attendance != Attendance.ATTENDED:
        shown = booking.get_attendance_display().lower() if booking.attendance else "not recorded"
        raise ValidationError(
            f"{booking.learner} did not attend this session (attendance: {shown}): impact "
            "follow-ups are sent only to people who attended, and to their line managers."
        )


def follow_up_due_on(session: TrainingSession, settings: TrainingSettings) -> dt.date:
    """The follow-up is due the partnership's interval after the session's last day: its own
    setting in months, or else the regime's training impact follow-up rule (3 months)."""
    if settings.follow_up_interval_months:
        return add(session.ends_on, settings.follow_up_interval_months, "months")
    try:
        rule = regime(session.partnership.regime).deadline(FOLLOW_UP_RULE)
    except (UnknownReference, KeyError):
        return add(session.ends_on, 3, "months")
    return rule.due_date(session.ends_on)


def follow_up_sample(session_id: int, candidates: Sequence[int], percent: int) -> list[int]:
    """A random sample of `percent`% of the attendees (at least one), reproducible: the
    random generator is seeded from the session id, so running it again picks the same."""
    ids = sorted(candidates)
    if not ids:
        return []
    size = min(len(ids), max(1, math.ceil(len(ids) * percent / 100)))
    return sorted(random.Random(session_id).sample(ids, size))
