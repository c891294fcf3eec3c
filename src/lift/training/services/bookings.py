"""Bookings: places, the waiting list and offers, approval, cancellation, attendance, and
the booking e-mails with their calendar files."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.utils import timezone

from lift.core import history
from lift.core.calendar import add_working_days
from lift.core.models import Person, RoleAssignment
from lift.core.notify import email_body, notify
from lift.core.todo import notifications_done

from .. import rules
from ..choices import ACTIVE, HOLDS_PLACE, Attendance, BookingStatus
from ..models import Booking, BookingEmail, TrainingSession
from .programme import training_settings

log = logging.getLogger(__name__)


def _today(today: dt.date | None) -> dt.date:
    return today or timezone.localdate()


def may_book_for(by: Person, learner: Person, session: TrainingSession) -> bool:
    """Learners book for themselves; training staff, and an agency's lead for its staff,
    book on someone's behalf."""
    if by.pk == learner.pk:
        return Booking.access.allows(by, "add", session.partnership_id)
    return Booking.access.allows(by, "book_for", session.partnership_id, agency=learner.agency_id)


def _locked_session(session: TrainingSession) -> TrainingSession:
    # The lock serialises bookings for one session (PostgreSQL: row lock; SQLite: the
    # IMMEDIATE transaction already holds the database write lock), so the count below is
    # never stale and the last place cannot be given twice.
    return (
        TrainingSession.objects.select_for_update().select_related("partnership").get(pk=session.pk)
    )


def _holding(session: TrainingSession) -> int:
    return Booking.objects.filter(session=session, status__in=HOLDS_PLACE).count()


@transaction.atomic
def booking_create(
    *, session: TrainingSession, learner: Person, by: Person, today: dt.date | None = None
) -> Booking:
    """Book `learner` on `session`: a place if one is left (waiting for line-manager approval
    where the partnership requires it), otherwise the waiting list. A second booking for
    the same person is refused."""
    today = _today(today)
    if not may_book_for(by, learner, session):
        raise PermissionDenied("You may book training only for yourself or your agency's staff.")
    if (
        not RoleAssignment.objects.current()
        .filter(person=learner, partnership_id=session.partnership_id)
        .exists()
    ):
        raise ValidationError(f"{learner} does not work with this partnership.")
    session = _locked_session(session)
    rules.session_open_for_booking(session, today)
    existing = list(Booking.objects.filter(session=session, learner=learner, status__in=ACTIVE))
    rules.no_double_booking(session, learner, existing)
    conf = training_settings(session.partnership)
    left = rules.places_left(session, _holding(session))
    needs_approval = conf.requires_manager_approval and by.pk == learner.pk
    if needs_approval and left and learner.line_manager_id is None:
        raise ValidationError(
            "Your partnership needs your line manager to approve training, and your record "
            "has no line manager: ask your agency's safeguarding lead to book for you."
        )
    if not left:
        status = BookingStatus.WAITLISTED
    elif needs_approval:
        status = BookingStatus.PENDING_APPROVAL
    else:
        status = BookingStatus.CONFIRMED
    booking = Booking(
        partnership=session.partnership,
        session=session,
        learner=learner,
        agency=learner.agency,
        booked_by=by,
        status=status,
    )
    booking.full_clean()
    try:
        with transaction.atomic():
            booking.save()
    except IntegrityError as exc:  # a concurrent request booked the same person
        raise ValidationError(f"{learner} is already booked on this session.") from exc
    _after_status(booking, today)
    return booking


def _after_status(booking: Booking, today: dt.date) -> None:
    """Tell the people concerned about a booking's new status."""
    session = booking.session
    title = session.course.title
    if booking.status == BookingStatus.CONFIRMED:
        notify(
            person=booking.learner,
            key=f"training:booking:{booking.pk}:confirmed",
            title=f"Booked: {title} on {session.dates_text}",
            body="Your place is confirmed. The e-mail has a calendar file.",
            url=booking.get_absolute_url(),
            partnership=session.partnership,
            email=False,
        )
        booking_email_queue(booking, "confirmed")
    elif booking.status == BookingStatus.PENDING_APPROVAL:
        manager = booking.learner.line_manager
        if manager is not None:
            notify(
                person=manager,
                key=f"training:booking:{booking.pk}:approval",
                title=f"Approve training: {booking.learner} on {title}",
                body=f"{booking.learner} has asked to attend {title} on {session.dates_text}.",
                url=booking.get_absolute_url(),
                partnership=session.partnership,
            )
    elif booking.status == BookingStatus.WAITLISTED:
        notify(
            person=booking.learner,
            key=f"training:booking:{booking.pk}:waitlisted",
            title=f"On the waiting list: {title} on {session.dates_text}",
            body="The session is full. You will be offered a place if one frees up.",
            url=booking.get_absolute_url(),
            partnership=session.partnership,
        )
    elif booking.status == BookingStatus.OFFERED:
        notify(
            person=booking.learner,
            key=f"training:booking:{booking.pk}:offer:{booking.offer_expires_on}",
            title=f"A place is free: {title} on {session.dates_text}",
            body=(
                f"A place has come up. Accept it by {booking.offer_expires_on:%-d %B %Y} "
                "or it will be offered to the next person."
            ),
            url=booking.get_absolute_url(),
            partnership=session.partnership,
        )


def _offer_next(session: TrainingSession, today: dt.date) -> list[Booking]:
    """Offer freed places to the waiting list, first come first served. The session row
    must be locked by the caller."""
    conf = training_settings(session.partnership)
    offered: list[Booking] = []
    left = rules.places_left(session, _holding(session))
    if left <= 0 or session.is_cancelled or session.starts_on <= today:
        return offered
    waiting = Booking.objects.filter(session=session, status=BookingStatus.WAITLISTED).order_by(
        "created_at", "pk"
    )[:left]
    last_day = session.starts_on - dt.timedelta(days=1)
    expires = min(add_working_days(today, conf.offer_hold_days), last_day)
    for booking in waiting.select_related("learner", "session__course"):
        booking.status = BookingStatus.OFFERED
        booking.offer_expires_on = max(expires, today)
        booking.save()
        _after_status(booking, today)
        offered.append(booking)
    return offered


@transaction.atomic
def booking_approve(
    *, booking: Booking, by: Person, approve: bool, reason: str = "", today: dt.date | None = None
) -> Booking:
    """The learner's line manager approves (or does not approve) a booking."""
    today = _today(today)
    booking = Booking.objects.select_related("learner", "session__course").get(pk=booking.pk)
    if by.pk != booking.learner.line_manager_id and not Booking.access.allows(
        by, "approve", booking.partnership_id
    ):
        raise PermissionDenied("Only the learner's line manager can approve this booking.")
    session = _locked_session(booking.session)
    booking.refresh_from_db()
    if booking.status != BookingStatus.PENDING_APPROVAL:
        raise ValidationError("This booking is not waiting for approval.")
    booking.approved_by = by
    booking.decided_on = today
    if approve:
        booking.status = BookingStatus.CONFIRMED
    else:
        if not reason.strip():
            raise ValidationError({"reason": "Say why the booking is not approved."})
        booking.status = BookingStatus.DECLINED
        booking.cancel_reason = reason.strip()
    with history.change_reason(reason or ("Approved" if approve else "Not approved")):
        booking.save()
    notifications_done(f"training:booking:{booking.pk}:approval")  # the manager's request
    if approve:
        _after_status(booking, today)
    else:
        notify(
            person=booking.learner,
            key=f"training:booking:{booking.pk}:declined",
            title=f"Not approved: {session.course.title}",
            body=f"Your line manager did not approve this booking: {reason.strip()}",
            url=booking.get_absolute_url(),
            partnership=session.partnership,
        )
        _offer_next(session, today)
    return booking


@transaction.atomic
def booking_cancel(
    *, booking: Booking, by: Person, reason: str = "", today: dt.date | None = None
) -> Booking:
    """Cancel a booking. Inside the partnership's notice period it is a late cancellation
    (charged where the partnership sets a charge). A freed place is offered to the waiting
    list."""
    today = _today(today)
    session = _locked_session(booking.session)
    booking = Booking.objects.select_for_update().get(pk=booking.pk)
    if booking.status not in ACTIVE:
        raise ValidationError("This booking is already cancelled.")
    rules.can_cancel(session, today)
    conf = training_settings(session.partnership)
    held = booking.status in HOLDS_PLACE
    booking.status = BookingStatus.CANCELLED
    booking.cancelled_on = today
    booking.cancel_reason = reason.strip()
    if held:
        booking.cancelled_late = rules.cancellation_is_late(session, conf, today)
        if booking.cancelled_late:
            booking.attendance = Attendance.CANCELLED_LATE
            booking.charge = rules.non_attendance_charge(Attendance.CANCELLED_LATE, conf)
    with history.change_reason(reason or "Cancelled"):
        booking.save()
    notifications_done(f"training:booking:{booking.pk}:approval")  # nothing left to approve
    if held:
        booking_email_queue(booking, "cancelled")
        _offer_next(session, today)
    return booking


@transaction.atomic
def offer_respond(
    *, booking: Booking, by: Person, accept: bool, today: dt.date | None = None
) -> Booking:
    """Accept or decline a place offered from the waiting list."""
    today = _today(today)
    session = _locked_session(booking.session)
    booking = Booking.objects.select_for_update().select_related("learner").get(pk=booking.pk)
    if by.pk != booking.learner_id and not may_book_for(by, booking.learner, session):
        raise PermissionDenied("Only the learner (or whoever books for them) can answer.")
    if booking.status != BookingStatus.OFFERED:
        raise ValidationError("No place is on offer for this booking.")
    if booking.offer_expires_on and booking.offer_expires_on < today:
        raise ValidationError("This offer has lapsed.")
    if not accept:
        booking.status = BookingStatus.CANCELLED
        booking.cancelled_on = today
        booking.cancel_reason = "Declined the offered place."
        booking.save()
        _offer_next(session, today)
        return booking
    conf = training_settings(session.partnership)
    needs_approval = (
        conf.requires_manager_approval
        and booking.booked_by_id == booking.learner_id
        and booking.learner.line_manager_id is not None
    )
    booking.status = BookingStatus.PENDING_APPROVAL if needs_approval else BookingStatus.CONFIRMED
    booking.offer_expires_on = None
    booking.save()
    _after_status(booking, today)
    return booking


def offers_lapse(today: dt.date) -> int:
    """Tick step: offers not accepted in time lapse and go to the next person waiting."""
    done = 0
    lapsed = (
        Booking.objects.filter(status=BookingStatus.OFFERED, offer_expires_on__lt=today)
        .order_by("session_id", "pk")
        .values_list("pk", "session_id")
    )
    for pk, session_id in list(lapsed[:1000]):
        with transaction.atomic():
            session = _locked_session(TrainingSession(pk=session_id))
            booking = Booking.objects.select_for_update().get(pk=pk)
            if booking.status != BookingStatus.OFFERED:
                continue
            booking.status = BookingStatus.CANCELLED
            booking.cancelled_on = today
            booking.cancel_reason = "The offered place was not accepted in time."
            booking.save()
            _offer_next(session, today)
            done += 1
    return done


# --- attendance -----------------------------------------------------------------------


@transaction.atomic
def register_mark(
    *,
    session: TrainingSession,
    marks: Mapping[int, str],
    by: Person,
    today: dt.date | None = None,
) -> list[Booking]:
    """Record attendance on the register: attended, partial, did not attend or cancelled
    late, for confirmed bookings of a session that has started and is not cancelled.
    Non-attendance is charged where the partnership sets a charge; attendees are asked for
    their feedback."""
    today = _today(today)
    session = _locked_session(session)
    rules.attendance_needs_live_session(session, today)
    valid = set(Attendance.values)
    conf = training_settings(session.partnership)
    bookings = {
        b.pk: b
        for b in Booking.objects.filter(session=session, pk__in=list(marks)).select_related(
            "learner"
        )
    }
    missing = set(marks) - set(bookings)
    if missing:
        raise ValidationError("Some bookings are not on this session's register.")
    changed = []
    for pk, attendance in marks.items():
        booking = bookings[pk]
        if attendance not in valid:
            raise ValidationError(f"Unknown attendance {attendance!r}.")
        if booking.status == BookingStatus.CANCELLED and booking.cancelled_late:
            if attendance != Attendance.CANCELLED_LATE:
                rules.attendance_needs_place(booking)
        else:
            rules.attendance_needs_place(booking)
        if booking.attendance == attendance:
            continue
        booking.attendance = attendance
        booking.attendance_marked_by = by
        booking.charge = rules.non_attendance_charge(attendance, conf)
        booking.save()
        changed.append(booking)
        if attendance in (Attendance.ATTENDED, Attendance.PARTIAL):
            notify(
                person=booking.learner,
                key=f"training:booking:{booking.pk}:evaluate",
                title=f"Tell us how it went: {session.course.title}",
                body="Please give your feedback and answer the after-course questions.",
                url=booking.get_absolute_url(),
                partnership=session.partnership,
            )
    return changed


# --- e-mails with a calendar file -------------------------------------------------------

EMAIL_SUBJECTS = {
    "confirmed": "Booking confirmed: {title}, {dates}",
    "reminder": "Reminder: {title}, {dates}",
    "cancelled": "Cancelled: {title}, {dates}",
}


def booking_email_queue(booking: Booking, kind: str, *, suffix: str = "") -> BookingEmail | None:
    """Queue a booking e-mail once (its key is unique); sent by a task after commit.

    core.notify's e-mails cannot carry attachments, so booking e-mails, which carry the
    session's calendar file, are sent here with the same at-most-once guarantee."""
    if not booking.learner.email or not booking.learner.is_active:
        return None
    key = f"training:booking:{booking.pk}:email:{kind}{suffix}"
    email, created = BookingEmail.objects.get_or_create(
        key=key, defaults={"booking": booking, "kind": kind}
    )
    if created:
        transaction.on_commit(lambda: _enqueue(email.pk))
    return email


def _enqueue(email_id: int) -> None:
    from ..tasks import send_booking_email_task

    send_booking_email_task.enqueue(email_id)


def send_booking_email(email_id: int) -> bool:
    """Send one queued booking e-mail if not yet sent (row locked while sending)."""
    from ..ical import session_calendar

    error: Exception | None = None
    with transaction.atomic():
        email = (
            BookingEmail.objects.select_for_update()
            .select_related("booking__learner", "booking__session__course", "booking__partnership")
            .filter(pk=email_id)
            .first()
        )
        if email is None or email.sent_at is not None or email.attempts >= 5:
            return False
        booking = email.booking
        session = booking.session
        email.attempts += 1
        subject = EMAIL_SUBJECTS.get(email.kind, "{title}").format(
            title=session.course.title, dates=session.dates_text
        )
        lines = [
            f"{session.course.title}",
            f"When: {session.dates_text}, {session.start_time:%H:%M} to {session.end_time:%H:%M}",
        ]
        if session.venue:
            lines.append(f"Where: {session.venue}")
        if session.online_url:
            lines.append(f"Online: {session.online_url}")
        if email.kind == "cancelled":
            lines.insert(0, "This booking has been cancelled; the calendar file removes it.")
        body = email_body(
            title=subject,
            body="\n".join(lines),
            url=booking.get_absolute_url(),
            partnership=booking.partnership,
        )
        message = EmailMessage(
            subject=subject,
            body=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[booking.learner.email],
        )
        cancel = email.kind == "cancelled"
        message.attach(
            "session.ics",
            session_calendar(session, booking=booking, cancel=cancel),
            f"text/calendar; method={'CANCEL' if cancel else 'PUBLISH'}",
        )
        try:
            message.send(fail_silently=False)
        except Exception as exc:  # record and let the task fail; a retry sends once
            email.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            error = exc
        else:
            email.sent_at = timezone.now()
            email.last_error = ""
        email.save(update_fields=["attempts", "sent_at", "last_error", "updated_at"])
    if error is not None:
        raise error
    return True


def session_reminders(today: dt.date) -> int:
    """Tick step: remind confirmed learners of a session coming up (once per booking)."""
    sent = 0
    horizon = add_working_days(today, 5)
    upcoming = Booking.objects.filter(
        status=BookingStatus.CONFIRMED,
        session__status="scheduled",
        session__starts_on__gt=today,
        session__starts_on__lte=horizon,
    ).select_related("session__partnership", "session__course", "learner")
    for booking in upcoming.order_by("pk").iterator(chunk_size=500):
        conf = training_settings(booking.session.partnership)
        if booking.session.starts_on > add_working_days(today, conf.session_reminder_days):
            continue
        if BookingEmail.objects.filter(
            key=f"training:booking:{booking.pk}:email:reminder"
        ).exists():
            continue
        with transaction.atomic():
            notify(
                person=booking.learner,
                key=f"training:booking:{booking.pk}:reminder",
                title=f"Coming up: {booking.session.course.title} on {booking.session.dates_text}",
                url=booking.get_absolute_url(),
                partnership=booking.partnership,
                email=False,
            )
            if booking_email_queue(booking, "reminder") is not None:
                sent += 1
    return sent


__all__ = [
    "booking_approve",
    "booking_cancel",
    "booking_create",
    "booking_email_queue",
    "may_book_for",
    "offer_respond",
    "offers_lapse",
    "register_mark",
    "send_booking_email",
    "session_reminders",
]
