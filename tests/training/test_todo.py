"""The training kinds of to-do: booking approvals (line manager), post-course evaluations
(learner) and impact follow-ups (learner and line manager). Each appears for its person while
the step is to be done, for nobody else, and is gone once the step is done through its
service; each reads in one query however many rows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from lift.core import todo
from lift.core.access import assignments_for
from lift.core.models import Notification, Partnership, Person
from lift.training import services
from lift.training import todo as kinds
from lift.training.models import Booking, TrainingSession

pytestmark = pytest.mark.django_db

TODAY = dt.date(2025, 5, 1)
REACTION = {"overall": 5, "outcomes_met": 4, "trainer": 5, "relevance": 4}
POST = {"recognise": 4, "procedures": 4, "share": 4, "escalate": 4}
PARTICIPANT = {"applied": "yes", "example": "Shared with the school nurse.", "shared": "yes"}
PARTICIPANT["confidence_now"] = "4"
MANAGER = {"observed": "clear", "evidence": "Seen in supervision.", "team": "yes", "quality": "4"}


def _unread(key: str) -> bool:
    """Is the notification that asked for the step still unread (shown on "My work")?"""
    return Notification.objects.filter(key=key, read_at__isnull=True).exists()


def _items(kind: str, person: Person, partnership: Partnership) -> list[todo.ToDo]:
    return todo.items_for(person, partnership, only=[kind])


def _approval_needed(partnership: Partnership) -> None:
    conf = services.training_settings(partnership)
    conf.requires_manager_approval = True
    conf.save()


def _attended(
    make_session: Callable[..., TrainingSession], learner: Person, trainer: Person, day: int = 10
) -> Booking:
    session = make_session(starts_on=dt.date(2025, 6, day))
    booking = services.booking_create(session=session, learner=learner, by=learner, today=TODAY)
    services.register_mark(
        session=session, marks={booking.pk: "attended"}, by=trainer, today=session.starts_on
    )
    booking.refresh_from_db()
    return booking


def test_kinds_are_registered() -> None:
    keys = {k.key for k in todo.kinds()}
    assert {kinds.APPROVAL, kinds.EVALUATION, kinds.FOLLOW_UP} <= keys


def test_booking_approval_is_the_line_managers_until_decided(
    session: TrainingSession,
    managed_learner: Person,
    manager: Person,
    make_person: Callable[..., Person],
    other_learner: Person,
    business_unit: Person,
    other_partnership: Partnership,
) -> None:
    _approval_needed(session.partnership)
    booking = services.booking_create(
        session=session, learner=managed_learner, by=managed_learner, today=TODAY
    )
    assert booking.status == "pending_approval"
    other_manager = make_person("line_manager", full_name="Nat Othermanager")
    other_learner.line_manager = other_manager
    other_learner.save()

    (item,) = _items(kinds.APPROVAL, manager, session.partnership)
    assert item.url == f"/training/bookings/{booking.pk}/approve/"
    assert item.due_on == session.starts_on and item.subject == booking
    assert "Lou Learner" in item.title and session.course.title in item.title
    # not the learner, another line manager, the business unit, or another partnership
    for person in (managed_learner, other_manager, business_unit):
        assert _items(kinds.APPROVAL, person, session.partnership) == []
    assert _items(kinds.APPROVAL, manager, other_partnership) == []

    asked = f"training:booking:{booking.pk}:approval"
    assert _unread(asked)
    services.booking_approve(booking=booking, by=manager, approve=True, today=TODAY)
    assert _items(kinds.APPROVAL, manager, session.partnership) == []
    assert not _unread(asked)  # the request is read once the step is done


def test_declining_a_booking_clears_the_approval(
    session: TrainingSession, managed_learner: Person, manager: Person
) -> None:
    _approval_needed(session.partnership)
    booking = services.booking_create(
        session=session, learner=managed_learner, by=managed_learner, today=TODAY
    )
    assert len(_items(kinds.APPROVAL, manager, session.partnership)) == 1
    services.booking_approve(
        booking=booking, by=manager, approve=False, reason="Not this term", today=TODAY
    )
    assert _items(kinds.APPROVAL, manager, session.partnership) == []
    assert not _unread(f"training:booking:{booking.pk}:approval")


def test_a_booking_cancelled_before_approval_asks_nothing_more(
    session: TrainingSession, managed_learner: Person, manager: Person
) -> None:
    _approval_needed(session.partnership)
    booking = services.booking_create(
        session=session, learner=managed_learner, by=managed_learner, today=TODAY
    )
    services.booking_cancel(booking=booking, by=managed_learner, today=TODAY)
    assert _items(kinds.APPROVAL, manager, session.partnership) == []
    assert not _unread(f"training:booking:{booking.pk}:approval")


def test_post_course_evaluation_is_the_attendees_until_answered(
    make_session: Callable[..., TrainingSession],
    learner: Person,
    other_learner: Person,
    trainer: Person,
    business_unit: Person,
    other_partnership: Partnership,
) -> None:
    booking = _attended(make_session, learner, trainer)
    # someone booked on a session still to come has no post-course questions yet
    services.booking_create(
        session=make_session(starts_on=dt.date(2025, 9, 1)),
        learner=other_learner,
        by=other_learner,
        today=TODAY,
    )
    partnership = booking.partnership
    items = _items(kinds.EVALUATION, learner, partnership)
    assert sorted(i.url for i in items) == [
        f"/training/bookings/{booking.pk}/evaluate/post/",
        f"/training/bookings/{booking.pk}/evaluate/reaction/",
    ]
    assert all(i.subject == booking and i.due_on is None for i in items)
    for person in (other_learner, trainer, business_unit):
        assert _items(kinds.EVALUATION, person, partnership) == []
    assert _items(kinds.EVALUATION, learner, other_partnership) == []

    day = booking.session.starts_on
    services.evaluation_submit(
        booking=booking, kind="reaction", respondent=learner, answers=REACTION, today=day
    )
    (left,) = _items(kinds.EVALUATION, learner, partnership)
    assert left.url.endswith("/evaluate/post/")
    asked = f"training:booking:{booking.pk}:evaluate"
    assert _unread(asked)  # one questionnaire still to answer
    services.evaluation_submit(
        booking=booking, kind="post", respondent=learner, answers=POST, today=day
    )
    assert _items(kinds.EVALUATION, learner, partnership) == []
    assert not _unread(asked)


def test_no_evaluation_for_someone_who_did_not_attend(
    make_session: Callable[..., TrainingSession], learner: Person, trainer: Person
) -> None:
    session = make_session()
    booking = services.booking_create(session=session, learner=learner, by=learner, today=TODAY)
    services.register_mark(
        session=session, marks={booking.pk: "no_show"}, by=trainer, today=session.starts_on
    )
    assert _items(kinds.EVALUATION, learner, session.partnership) == []


def test_impact_follow_ups_are_the_attendees_and_managers_until_answered(
    make_session: Callable[..., TrainingSession],
    managed_learner: Person,
    manager: Person,
    other_learner: Person,
    trainer: Person,
    business_unit: Person,
    other_partnership: Partnership,
) -> None:
    booking = _attended(make_session, managed_learner, trainer)
    partnership = booking.partnership
    assert _items(kinds.FOLLOW_UP, managed_learner, partnership) == []  # none sent yet
    sent_on = dt.date(2025, 9, 10)
    mine = services.follow_up_send(booking=booking, role="participant", today=sent_on)
    theirs = services.follow_up_send(booking=booking, role="manager", today=sent_on)

    (item,) = _items(kinds.FOLLOW_UP, managed_learner, partnership)
    assert item.url == f"/training/follow-ups/{mine.pk}/" and item.subject == mine
    assert "your practice" in item.title
    (managers,) = _items(kinds.FOLLOW_UP, manager, partnership)
    assert managers.url == f"/training/follow-ups/{theirs.pk}/"
    assert "Lou Learner's practice" in managers.title
    for person in (other_learner, trainer, business_unit):
        assert _items(kinds.FOLLOW_UP, person, partnership) == []
    assert _items(kinds.FOLLOW_UP, manager, other_partnership) == []

    services.follow_up_answer(follow_up=mine, respondent=managed_learner, answers=PARTICIPANT)
    assert _items(kinds.FOLLOW_UP, managed_learner, partnership) == []
    assert not _unread(f"training:followup:{mine.pk}:sent")
    assert len(_items(kinds.FOLLOW_UP, manager, partnership)) == 1
    assert _unread(f"training:followup:{theirs.pk}:sent")
    services.follow_up_answer(follow_up=theirs, respondent=manager, answers=MANAGER)
    assert _items(kinds.FOLLOW_UP, manager, partnership) == []


def test_each_provider_reads_in_one_query_however_many_rows(
    partnership: Partnership,
    make_session: Callable[..., TrainingSession],
    managed_learner: Person,
    manager: Person,
    trainer: Person,
    django_assert_max_num_queries: Any,
) -> None:
    conf = services.training_settings(partnership)
    made = 0
    for size in (1, 4):
        while made < size:
            made += 1
            conf.requires_manager_approval = False
            conf.save()
            booking = _attended(make_session, managed_learner, trainer, day=made)
            for role in ("participant", "manager"):
                services.follow_up_send(booking=booking, role=role, today=dt.date(2025, 9, 1))
            conf.requires_manager_approval = True
            conf.save()
            pending = make_session(starts_on=dt.date(2099, 7, made))
            services.booking_create(session=pending, learner=managed_learner, by=managed_learner)
        for kind, person, expected in (
            (kinds.APPROVAL, manager, size),
            (kinds.EVALUATION, managed_learner, size * 2),
            (kinds.FOLLOW_UP, managed_learner, size),
            (kinds.FOLLOW_UP, manager, size),
        ):
            assignments_for(person)  # loaded once per request, before any provider
            with django_assert_max_num_queries(1):
                shown = [
                    (i.title, i.url, i.hint, i.subject_label)
                    for i in _items(kind, person, partnership)
                ]
            assert len(shown) == expected, kind
