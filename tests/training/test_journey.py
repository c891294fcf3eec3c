"""The journey the issue asks for, with time frozen: a learner books, attends, evaluates and,
when the tick runs three months later, is asked (with their line manager) for evidence of
impact; running the tick again sends nothing new. Someone who did not attend is never asked."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lift.core.calendar import add_months
from lift.core.models import Agency, Notification, Partnership, Person
from lift.core.tasks import tick
from lift.training import services
from lift.training.models import Booking, FollowUp

from ..factories import person_with_role

pytestmark = pytest.mark.django_db(transaction=False)


def _at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, 0, tzinfo=dt.UTC)


def test_book_attend_evaluate_and_follow_up(
    partnership: Partnership,
    agency: Agency,
    time_machine: Any,
    client_for: Callable[[Person], Client],
    django_capture_on_commit_callbacks: Any,
) -> None:
    start = timezone.localdate() + dt.timedelta(days=30)
    time_machine.move_to(_at(start, 9), tick=False)
    manager = person_with_role("line_manager", partnership, agency=agency, full_name="Mia Manager")
    learner = person_with_role("learner", partnership, agency=agency, full_name="Leo Learner")
    learner.line_manager = manager
    learner.save()
    absent = person_with_role("learner", partnership, agency=agency, full_name="Ada Absent")
    trainer = person_with_role("trainer", partnership, full_name="Tom Trainer")
    course = services.course_create(
        partnership=partnership,
        title="Working Together: core multi-agency safeguarding",
        level=2,
        format="course",
        learning_outcomes="Know the thresholds\nShare information",
        trainer_kind="external",
        themes=["multi-agency-working"],
    )
    session = services.session_create(
        course=course,
        starts_on=start + dt.timedelta(days=7),
        capacity=12,
        venue="Room 4",
        trainer=trainer,
    )
    # 1. The learner books from the catalogue and sees the booking in My training.
    c = client_for(learner)
    assert course.title in c.get(reverse("training:catalogue")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = c.post(reverse("training:session_book", args=[session.pk]), {})
    assert response.status_code == 302 and response["Location"] == reverse("training:mine")
    assert course.title in c.get(reverse("training:mine")).content.decode()
    booking = Booking.objects.get(learner=learner)
    assert [m.subject for m in mail.outbox if m.to == [learner.email]] == [
        f"Booking confirmed: {course.title}, {session.dates_text}"
    ]
    absent_booking = services.booking_create(session=session, learner=absent, by=absent)
    # 2. Before the course: the confidence and knowledge questions.
    pre = {"recognise": "2", "procedures": "2", "share": "3", "escalate": "2"}
    url = reverse("training:booking_evaluate", args=[booking.pk, "pre"])
    assert c.post(url, pre).status_code == 302
    # 3. The session runs; the trainer marks the register.
    time_machine.move_to(_at(session.starts_on, 16), tick=False)
    register = reverse("training:session_register", args=[session.pk])
    response = client_for(trainer).post(
        register, {f"b{booking.pk}": "attended", f"b{absent_booking.pk}": "no_show"}
    )
    assert response.status_code == 302
    # 4. The learner evaluates (signing in again): reaction and the same questions after.
    c = client_for(learner)
    reaction = {"overall": "5", "outcomes_met": "4", "trainer": "5", "relevance": "5"}
    post = {"recognise": "4", "procedures": "4", "share": "5", "escalate": "4"}
    for kind, answers in [("reaction", reaction), ("post", post)]:
        url = reverse("training:booking_evaluate", args=[booking.pk, kind])
        response = c.post(url, answers)
        assert response.status_code == 302 and response["Location"] == booking.get_absolute_url()
    booking.refresh_from_db()
    assert (booking.pre_score, booking.post_score) == (2.25, 4.25)
    # Not yet three months: the tick sends no follow-up.
    time_machine.move_to(_at(add_months(session.ends_on, 3) - dt.timedelta(days=1), 7), tick=False)
    assert tick()["training_follow_ups"] == 0
    assert not FollowUp.objects.exists()
    # 5. Three months after the course the tick asks the learner and their manager.
    time_machine.move_to(_at(add_months(session.ends_on, 3), 7), tick=False)
    before = len(mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        results = tick()
    assert results["training_follow_ups"] == 2
    follow_ups = {f.role: f for f in FollowUp.objects.all()}
    assert set(follow_ups) == {"participant", "manager"}
    assert follow_ups["participant"].respondent == learner
    assert follow_ups["manager"].respondent == manager
    assert {m.to[0] for m in mail.outbox[before:]} == {learner.email, manager.email}
    assert not FollowUp.objects.filter(booking=absent_booking).exists()
    # 6. The tick again: nothing new.
    sent = len(mail.outbox)
    notes = Notification.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        again = tick()
    assert again["training_follow_ups"] == 0
    assert len(mail.outbox) == sent and Notification.objects.count() == notes
    # 7. The learner answers from My training.
    c = client_for(learner)
    assert "Impact follow-ups to answer" in c.get(reverse("training:mine")).content.decode()
    answer = {
        "applied": "yes",
        "example": "I shared information with the school nurse the same day.",
        "shared": "yes",
        "confidence_now": "4",
    }
    url = reverse("training:followup_detail", args=[follow_ups["participant"].pk])
    response = c.post(url, answer)
    assert response.status_code == 302 and response["Location"] == reverse("training:mine")
    follow_ups["participant"].refresh_from_db()
    assert follow_ups["participant"].status == "answered"
    # 8. Two weeks later the manager, who has not answered, gets one reminder.
    time_machine.move_to(_at(add_months(session.ends_on, 3) + dt.timedelta(days=15), 7), tick=False)
    assert tick()["training_follow_up_reminders"] == 1
    assert tick()["training_follow_up_reminders"] == 0
    follow_ups["manager"].refresh_from_db()
    assert follow_ups["manager"].status == "reminded"


def test_follow_up_to_non_attendee_is_refused(
    session: Any, learner: Person, trainer: Person
) -> None:
    from django.core.exceptions import ValidationError

    from .conftest import TODAY

    booking = services.booking_create(session=session, learner=learner, by=learner, today=TODAY)
    services.register_mark(
        session=session, marks={booking.pk: "partial"}, by=trainer, today=session.starts_on
    )
    with pytest.raises(
        ValidationError, match="impact follow-ups are sent only to people who attended"
    ):
        services.follow_up_send(booking=booking, role="manager")
