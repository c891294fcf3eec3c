"""Training services: booking, waiting list, approval, cancellation, attendance, e-mails."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from lift.core.models import Agency, Notification, Person
from lift.learning.models import Finding
from lift.training import services
from lift.training.choices import Attendance, BookingStatus, FollowUpRole
from lift.training.models import Booking, BookingEmail, Course, Programme, TrainingSession

from .conftest import TODAY

pytestmark = pytest.mark.django_db


def test_booking_confirms_then_waitlists(
    session: TrainingSession,
    learner: Person,
    other_learner: Person,
    make_person: Any,
    agency: Agency,
) -> None:
    third = make_person("learner", agency=agency)
    a = services.booking_create(session=session, learner=learner, by=learner, today=TODAY)
    b = services.booking_create(
        session=session, learner=other_learner, by=other_learner, today=TODAY
    )
    c = services.booking_create(session=session, learner=third, by=third, today=TODAY)
    assert [a.status, b.status, c.status] == ["confirmed", "confirmed", "waitlisted"]
    assert a.agency == learner.agency


def test_double_booking_refused(session: TrainingSession, learner: Person) -> None:
    services.booking_create(session=session, learner=learner, by=learner, today=TODAY)
    with pytest.raises(ValidationError, match="already booked"):
        services.booking_create(session=session, learner=learner, by=learner, today=TODAY)


def test_cannot_book_for_someone_else_without_role(
    session: TrainingSession, learner: Person, other_learner: Person
) -> None:
    with pytest.raises(PermissionDenied):
        services.booking_create(session=session, learner=other_learner, by=learner, today=TODAY)


def test_lead_books_for_own_staff_only(
    session: TrainingSession, lead: Person, learner: Person, other_learner: Person
) -> None:
    booking = services.booking_create(session=session, learner=learner, by=lead, today=TODAY)
    assert booking.booked_by == lead
    with pytest.raises(PermissionDenied):
        services.booking_create(session=session, learner=other_learner, by=lead, today=TODAY)


def test_cancelled_or_started_session_refuses_bookings(
    session: TrainingSession, learner: Person, business_unit: Person
) -> None:
    with pytest.raises(ValidationError, match="already started"):
        services.booking_create(
            session=session, learner=learner, by=learner, today=session.starts_on
        )
    services.session_cancel(session=session, reason="Trainer unwell", by=business_unit)
    with pytest.raises(ValidationError, match="cancelled"):
        services.booking_create(session=session, learner=learner, by=learner, today=TODAY)


def test_manager_approval(
    partnership: Any,
    session: TrainingSession,
    managed_learner: Person,
    manager: Person,
    other_learner: Person,
) -> None:
    conf = services.training_settings(partnership)
    conf.requires_manager_approval = True
    conf.save()
    booking = services.booking_create(
        session=session, learner=managed_learner, by=managed_learner, today=TODAY
    )
    assert booking.status == BookingStatus.PENDING_APPROVAL
    assert Notification.objects.filter(person=manager, key__contains="approval").exists()
    with pytest.raises(PermissionDenied):
        services.booking_approve(booking=booking, by=other_learner, approve=True, today=TODAY)
    booking = services.booking_approve(booking=booking, by=manager, approve=True, today=TODAY)
    assert booking.status == BookingStatus.CONFIRMED


def test_approval_needs_a_line_manager(
    partnership: Any, session: TrainingSession, learner: Person
) -> None:
    conf = services.training_settings(partnership)
    conf.requires_manager_approval = True
    conf.save()
    with pytest.raises(ValidationError, match="no line manager"):
        services.booking_create(session=session, learner=learner, by=learner, today=TODAY)


def test_cancellation_offers_place_to_waiting_list(
    session: TrainingSession,
    learner: Person,
    other_learner: Person,
    make_person: Any,
    agency: Agency,
) -> None:
    third = make_person("learner", agency=agency)
    a = services.booking_create(session=session, learner=learner, by=learner, today=TODAY)
    services.booking_create(session=session, learner=other_learner, by=other_learner, today=TODAY)
    c = services.booking_create(session=session, learner=third, by=third, today=TODAY)
    services.booking_cancel(booking=a, by=learner, today=TODAY)
    c.refresh_from_db()
    assert c.status == BookingStatus.OFFERED
    assert c.offer_expires_on == dt.date(2025, 5, 6)  # 2 working days (5 May is a bank holiday)
    c = services.offer_respond(booking=c, by=third, accept=True, today=TODAY)
    assert c.status == BookingStatus.CONFIRMED


def test_lapsed_offer_passes_on(
    session: TrainingSession,
    learner: Person,
    other_learner: Person,
    make_person: Any,
    agency: Agency,
) -> None:
    third = make_person("learner", agency=agency)
    fourth = make_person("learner", agency=agency)
    a = services.booking_create(session=session, learner=learner, by=learner, today=TODAY)
    services.booking_create(session=session, learner=other_learner, by=other_learner, today=TODAY)
    c = services.booking_create(session=session, learner=third, by=third, today=TODAY)
    d = services.booking_create(session=session, learner=fourth, by=fourth, today=TODAY)
    services.booking_cancel(booking=a, by=learner, today=TODAY)
    assert services.offers_lapse(dt.date(2025, 5, 20)) == 1
    c.refresh_from_db()
    d.refresh_from_db()
    assert c.status == BookingStatus.CANCELLED
    assert d.status == BookingStatus.OFFERED
    assert services.offers_lapse(dt.date(2025, 5, 20)) == 0


def test_late_cancellation_is_charged(
    partnership: Any, session: TrainingSession, learner: Person
) -> None:
    conf = services.training_settings(partnership)
    conf.non_attendance_charge = Decimal("50.00")
    conf.save()
    booking = services.booking_create(session=session, learner=learner, by=learner, today=TODAY)
    booking = services.booking_cancel(booking=booking, by=learner, today=dt.date(2025, 6, 9))
    assert booking.cancelled_late
    assert booking.attendance == Attendance.CANCELLED_LATE
    assert booking.charge == Decimal("50.00")


def test_early_cancellation_is_not_late(session: TrainingSession, learner: Person) -> None:
    booking = services.booking_create(session=session, learner=learner, by=learner, today=TODAY)
    booking = services.booking_cancel(booking=booking, by=learner, today=TODAY)
    assert not booking.cancelled_late and booking.charge is None
    with pytest.raises(ValidationError, match="already cancelled"):
        services.booking_cancel(booking=booking, by=learner, today=TODAY)


def test_register_marks_attendance_and_charges_no_shows(
    partnership: Any,
    session: TrainingSession,
    learner: Person,
    other_learner: Person,
    trainer: Person,
) -> None:
    conf = services.training_settings(partnership)
    conf.non_attendance_charge = Decimal("40")
    conf.save()
    a = services.booking_create(session=session, learner=learner, by=learner, today=TODAY)
    b = services.booking_create(
        session=session, learner=other_learner, by=other_learner, today=TODAY
    )
    with pytest.raises(ValidationError, match="not started"):
        services.register_mark(session=session, marks={a.pk: "attended"}, by=trainer, today=TODAY)
    services.register_mark(
        session=session,
        marks={a.pk: Attendance.ATTENDED, b.pk: Attendance.NO_SHOW},
        by=trainer,
        today=session.starts_on,
    )
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.attendance == "attended" and a.charge is None
    assert b.attendance == "no_show" and b.charge == Decimal("40")


def test_attendance_refused_on_cancelled_session(
    session: TrainingSession, learner: Person, business_unit: Person, trainer: Person
) -> None:
    a = services.booking_create(session=session, learner=learner, by=learner, today=TODAY)
    services.session_cancel(session=session, reason="Venue closed", by=business_unit)
    with pytest.raises(ValidationError, match="cancelled: attendance cannot be recorded"):
        services.register_mark(
            session=session, marks={a.pk: "attended"}, by=trainer, today=session.starts_on
        )


def test_confirmation_email_has_calendar(
    session: TrainingSession, learner: Person, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        booking = services.booking_create(session=session, learner=learner, by=learner, today=TODAY)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [learner.email]
    assert "Booking confirmed" in message.subject
    name, content, mimetype = message.attachments[0]
    assert name == "session.ics" and mimetype.startswith("text/calendar")
    text = content.decode() if isinstance(content, bytes) else content
    assert "BEGIN:VEVENT" in text and "DTSTART;TZID=Europe/London:20250610T093000" in text
    # Sending again (a retried task) sends nothing.
    email = BookingEmail.objects.get(booking=booking, kind="confirmed")
    assert services.send_booking_email(email.pk) is False
    assert len(mail.outbox) == 1


def test_multi_day_session_calendar(make_session: Any, learner: Person) -> None:
    from lift.training.ical import session_calendar

    session = make_session(starts_on=dt.date(2025, 6, 10), ends_on=dt.date(2025, 6, 11))
    text = session_calendar(session).decode()
    assert text.count("BEGIN:VEVENT") == 2
    assert "(day 2 of 2)" in text


def test_session_reminder_once(
    session: TrainingSession, learner: Person, django_capture_on_commit_callbacks: Any
) -> None:
    services.booking_create(session=session, learner=learner, by=learner, today=TODAY)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.session_reminders(dt.date(2025, 6, 6)) == 1
    assert services.session_reminders(dt.date(2025, 6, 6)) == 0
    assert services.session_reminders(dt.date(2025, 6, 9)) == 0
    assert any("Reminder" in m.subject for m in mail.outbox)


def test_level3_needs_requesting_agencies_and_commission(partnership: Any, agency: Agency) -> None:
    with pytest.raises(ValidationError, match="requesting agencies"):
        services.course_create(
            partnership=partnership,
            title="Child protection chairing (specialist)",
            level=3,
            format="course",
            learning_outcomes="x",
            trainer_kind="external",
            paid_by="partnership",
        )
    course = services.course_create(
        partnership=partnership,
        title="Child protection chairing (specialist)",
        level=3,
        format="course",
        learning_outcomes="x",
        trainer_kind="external",
        paid_by="requesting_agencies",
    )
    with pytest.raises(ValidationError, match="commissioning agency"):
        services.session_create(
            course=course, starts_on=dt.date(2025, 7, 1), capacity=10, venue="X"
        )
    services.commission_add(
        course=course,
        requesting_agency=agency,
        funding_agreed=1200,
        agreed_on=dt.date(2025, 5, 1),
        invoice_reference="INV-001",
    )
    assert services.session_create(
        course=course, starts_on=dt.date(2025, 7, 1), capacity=10, venue="X"
    ).pk


def test_course_added_to_approved_programme_needs_reason(
    partnership: Any, programme: Programme, business_unit: Person
) -> None:
    services.programme_approve(
        programme=programme,
        by=business_unit,
        approved_on=dt.date(2025, 3, 20),
        body="LSCB Executive",
        reference="Executive 20 March 2025, minute 6",
    )
    kwargs: dict[str, Any] = {
        "partnership": partnership,
        "programme": programme,
        "title": "Consanguinity awareness",
        "level": 2,
        "format": "briefing",
        "learning_outcomes": "x",
        "trainer_kind": "external",
    }
    with pytest.raises(ValidationError, match="during the year"):
        services.course_create(**kwargs)
    course = services.course_create(
        **kwargs, change_reason="emerging", change_description="CDOP concern", by=business_unit
    )
    change = programme.changes.get()
    assert change.course == course and change.reason == "emerging"
    with pytest.raises(ValidationError, match="already been approved"):
        services.programme_approve(
            programme=programme, by=business_unit, approved_on=dt.date(2025, 3, 21)
        )


def test_programme_links_priority_generically(programme: Programme) -> None:
    link = services.programme_link_priority(
        programme=programme, title="Tackle neglect", themes=["neglect", "early-help"]
    )
    assert {t.code for t in link.themes.all()} == {"neglect", "early-help"}
    assert programme.themes.filter(code="early-help").exists()
    # Any record of the partnership can be the priority (here: another programme).
    other = services.programme_link_priority(programme=programme, priority=programme)
    assert other.priority == programme


def test_cascade_needs_train_the_trainer(course: Course, agency: Agency) -> None:
    with pytest.raises(ValidationError, match="train-the-trainer"):
        services.cascade_record(
            course=course,
            agency=agency,
            delivered_on=TODAY,
            format="briefing",
            delivered_by="Team lead",
            attendees=12,
        )


def test_evaluation_flow_and_finding(
    session: TrainingSession, learner: Person, trainer: Person, business_unit: Person
) -> None:
    booking = services.booking_create(session=session, learner=learner, by=learner, today=TODAY)
    pre = {"recognise": 2, "procedures": 2, "share": 3, "escalate": 1}
    services.evaluation_submit(
        booking=booking, kind="pre", respondent=learner, answers=pre, today=TODAY
    )
    with pytest.raises(ValidationError, match="Only people who attended"):
        services.evaluation_submit(
            booking=booking, kind="post", respondent=learner, answers=pre, today=TODAY
        )
    services.register_mark(
        session=session, marks={booking.pk: "attended"}, by=trainer, today=session.starts_on
    )
    post = {"recognise": 4, "procedures": 4, "share": 4, "escalate": 4}
    services.evaluation_submit(
        booking=booking, kind="post", respondent=learner, answers=post, today=session.starts_on
    )
    reaction = {"overall": 5, "outcomes_met": 4, "trainer": 5, "relevance": 4}
    ev = services.evaluation_submit(
        booking=booking,
        kind="reaction",
        respondent=learner,
        answers=reaction,
        today=session.starts_on,
    )
    booking.refresh_from_db()
    assert booking.pre_score == 2.0 and booking.post_score == 4.0 and booking.reaction_score == 4.5
    assert ev.question_set.version == 1
    with pytest.raises(ValidationError, match="already been answered"):
        services.evaluation_submit(
            booking=booking,
            kind="reaction",
            respondent=learner,
            answers=reaction,
            today=session.starts_on,
        )
    with pytest.raises(ValidationError, match="from 1 to 5"):
        services.evaluation_submit(
            booking=booking,
            kind="reaction",
            respondent=learner,
            answers={**reaction, "overall": 9},
            today=session.starts_on,
        )
    finding = services.evaluation_to_finding(
        evaluation=ev,
        by=business_unit,
        title="Feedback praises the neglect toolkit",
        text="Learners found the toolkit useful.",
        kind="strength",
    )
    assert isinstance(finding, Finding) and finding.source == ev
    assert finding.themes.filter(code="neglect").exists()


def test_follow_up_refused_for_non_attendees(
    session: TrainingSession, learner: Person, trainer: Person
) -> None:
    booking = services.booking_create(session=session, learner=learner, by=learner, today=TODAY)
    services.register_mark(
        session=session, marks={booking.pk: "no_show"}, by=trainer, today=session.starts_on
    )
    with pytest.raises(ValidationError, match="did not attend this session"):
        services.follow_up_send(booking=booking, role=FollowUpRole.PARTICIPANT)


def test_follow_up_sample_is_reproducible_and_sized() -> None:
    from lift.training.rules import follow_up_sample

    ids = list(range(1, 21))
    first = follow_up_sample(7, ids, 50)
    assert len(first) == 10 and first == follow_up_sample(7, list(reversed(ids)), 50)
    assert follow_up_sample(7, [3], 10) == [3]
    assert follow_up_sample(7, [], 50) == []


def test_agency_training_and_needs(
    partnership: Any, agency: Agency, lead: Person, programme: Programme
) -> None:
    entry = services.agency_training_record(
        agency=agency,
        title="Safeguarding induction",
        level=1,
        period_start=dt.date(2025, 4, 1),
        period_end=dt.date(2025, 6, 30),
        number_trained=40,
        themes=["early-help"],
    )
    assert entry.partnership == partnership
    assessment = services.needs_assessment_create(
        partnership=partnership,
        year="2026/27",
        title="Training needs assessment",
        opens_on=dt.date(2025, 11, 1),
        closes_on=dt.date(2025, 12, 15),
        themes=["neglect"],
    )
    answers = {
        "practice_gaps": "Escalation",
        "single_agency": "Induction",
        "format": "briefing",
        "trainers": "yes",
    }
    services.needs_return_submit(
        assessment=assessment,
        agency=agency,
        by=lead,
        answers=answers,
        themes=["online-safety"],
        staff_level2=30,
        staff_level3=4,
    )
    with pytest.raises(ValidationError, match="already made its return"):
        services.needs_return_submit(assessment=assessment, agency=agency, by=lead, answers=answers)
    services.needs_assessment_close(assessment=assessment, informs=programme)
    assert programme.themes.filter(code="online-safety").exists()
    with pytest.raises(ValidationError, match="closed"):
        services.needs_return_submit(assessment=assessment, agency=agency, by=lead, answers=answers)


def test_booking_unique_constraint_message(session: TrainingSession, learner: Person) -> None:
    services.booking_create(session=session, learner=learner, by=learner, today=TODAY)
    assert Booking.objects.filter(learner=learner).count() == 1
