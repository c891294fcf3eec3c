"""The training area's kinds of to-do: approving a report's booking (the line manager), the
post-course evaluation (the learner) and the impact follow-up some months after the course
(the learner and their line manager). Each is read from the records' states, one query a kind.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.urls import reverse
from django.utils import timezone

from lift.core.todo import ToDo

from . import selectors
from .choices import BookingStatus, EvaluationKind, FollowUpRole
from .models import Booking

APPROVAL = "training.booking_approval"
EVALUATION = "training.evaluation"
FOLLOW_UP = "training.follow_up"

_EVALUATION_TITLES = {
    EvaluationKind.REACTION: "Give your feedback on {course}",
    EvaluationKind.POST: "Answer the after-course questions for {course}",
}


def approval_candidates(partnership: Any) -> set[int]:
    """Who could have a booking to approve: the line managers of learners whose bookings
    wait for approval."""
    waiting = Booking.objects.filter(partnership=partnership, status=BookingStatus.PENDING_APPROVAL)
    managers = waiting.values_list("learner__line_manager_id", flat=True)
    return {pk for pk in managers if pk is not None}


def approvals(person: Any, partnership: Any) -> Iterator[ToDo]:
    """Bookings of the person's reports waiting for their approval, due by the first day."""
    for booking in selectors.approvals_waiting(person, partnership):
        session = booking.session
        yield ToDo(
            kind=APPROVAL,
            title=f"Approve {booking.learner}'s booking on {session.course.title}",
            url=reverse("training:booking_approve", args=[booking.pk]),
            subject=booking,
            due_on=session.starts_on,
            hint=f"Session: {session.dates_text}.",
        )


def evaluations(person: Any, partnership: Any) -> Iterator[ToDo]:
    """The feedback form and the after-course questions of sessions the person attended."""
    today = timezone.localdate()
    for item in selectors.post_course_evaluations_to_answer(person, partnership, today):
        booking = item["booking"]
        course = booking.session.course.title
        yield ToDo(
            kind=EVALUATION,
            title=_EVALUATION_TITLES[item["kind"]].format(course=course),
            url=reverse("training:booking_evaluate", args=[booking.pk, item["kind"]]),
            subject=booking,
            hint=f"You attended on {booking.session.dates_text}.",
        )


def follow_ups(person: Any, partnership: Any) -> Iterator[ToDo]:
    """Impact follow-ups sent to the person (as the attendee or as their line manager) and
    not yet answered."""
    for follow_up in selectors.follow_ups_to_answer(person, partnership):
        booking = follow_up.booking
        course = booking.session.course.title
        if follow_up.role == FollowUpRole.MANAGER:
            title = f"Tell us what difference {course} has made to {booking.learner}'s practice"
        else:
            title = f"Tell us what difference {course} has made to your practice"
        reminded = (
            f" Reminder sent {follow_up.reminded_on:%-d %B %Y}." if follow_up.reminded_on else ""
        )
        yield ToDo(
            kind=FOLLOW_UP,
            title=title,
            url=follow_up.get_absolute_url(),
            subject=follow_up,
            hint=f"Impact follow-up sent {follow_up.sent_on:%-d %B %Y}.{reminded}",
        )
