"""The programme and its courses: drafting, Executive approval, in-year changes, courses,
level 3 commissions, cascade materials, sessions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from lift.core import history
from lift.core.files import attachment_create
from lift.core.models import Agency, Attachment, Partnership, Person
from lift.core.notify import notify
from lift.core.services import changes_apply
from lift.learning.models import Finding, Recommendation, Theme
from lift.learning.services import themes_by_code

from .. import rules
from ..choices import ACTIVE, BookingStatus, ChangeReason, ProgrammeStatus, SessionStatus
from ..models import (
    Commission,
    Course,
    Programme,
    ProgrammeChange,
    ProgrammePriority,
    TrainingSession,
    TrainingSettings,
)


def _themes(partnership: Partnership, themes: Iterable[Theme | str]) -> list[Theme]:
    items = list(themes)
    codes = [t for t in items if isinstance(t, str)]
    objs = [t for t in items if isinstance(t, Theme)]
    return objs + (themes_by_code(partnership, codes) if codes else [])


def training_settings(partnership: Partnership) -> TrainingSettings:
    """The partnership's training settings, created with the defaults on first use."""
    found = TrainingSettings.objects.filter(partnership=partnership).first()
    if found is not None:
        return found
    with transaction.atomic():
        found, _ = TrainingSettings.objects.get_or_create(partnership=partnership)
    return found


TRAINING_SETTINGS_EDITABLE = frozenset(
    {
        "requires_manager_approval",
        "cancellation_notice_days",
        "non_attendance_charge",
        "offer_hold_days",
        "session_reminder_days",
        "follow_up_interval_months",
        "follow_up_sample_percent",
        "follow_up_reminder_days",
    }
)


@transaction.atomic
def training_settings_update(
    *, training_settings: TrainingSettings, by: Person, **fields: Any
) -> TrainingSettings:
    """Change the partnership's training settings (bookings, reminders and follow-ups use
    them from now on; no stored date is moved: a follow-up's due date is worked out when
    needed)."""
    return changes_apply(training_settings, fields, editable=TRAINING_SETTINGS_EDITABLE)


@transaction.atomic
def programme_create(
    *,
    partnership: Partnership,
    year: str,
    title: str,
    starts_on: dt.date,
    ends_on: dt.date,
    summary: str = "",
    themes: Iterable[Theme | str] = (),
) -> Programme:
    """Draft the annual programme (the Training sub-group's work, seed (iv))."""
    programme = Programme(
        partnership=partnership,
        year=year,
        title=title,
        starts_on=starts_on,
        ends_on=ends_on,
        summary=summary,
    )
    programme.full_clean()
    programme.save()
    programme.themes.set(_themes(partnership, themes))
    return programme


PROGRAMME_EDITABLE = frozenset({"year", "title", "summary", "starts_on", "ends_on", "themes"})


@transaction.atomic
def programme_update(*, programme: Programme, by: Person, **fields: Any) -> Programme:
    """Change a programme's year, title, summary, dates or themes (no clock counts from
    them)."""
    return changes_apply(programme, fields, editable=PROGRAMME_EDITABLE)


@transaction.atomic
def programme_link_priority(
    *,
    programme: Programme,
    priority: models.Model | None = None,
    title: str = "",
    themes: Iterable[Theme | str] = (),
) -> ProgrammePriority:
    """Link the programme to a business plan priority: any record (the governance priority)
    linked generically, or a title and themes when the priority is kept elsewhere. The
    priority's own themes are copied so coverage can be reported either way."""
    if (
        priority is not None
        and getattr(priority, "partnership_id", None) != programme.partnership_id
    ):
        raise ValidationError("The priority must belong to the programme's partnership.")
    link = ProgrammePriority(
        partnership=programme.partnership,
        programme=programme,
        title=title or str(priority or ""),
    )
    if priority is not None:
        link.priority_type = ContentType.objects.get_for_model(priority)
        link.priority_id = priority.pk
    link.full_clean()
    link.save()
    chosen = _themes(programme.partnership, themes)
    own = getattr(priority, "themes", None)
    if own is not None and hasattr(own, "all"):
        chosen += list(own.all())
    link.themes.set({t.pk: t for t in chosen}.values())
    programme.themes.add(*chosen)
    return link


@transaction.atomic
def programme_approve(
    *,
    programme: Programme,
    by: Person,
    approved_on: dt.date,
    body: str = "Executive",
    reference: str = "",
) -> Programme:
    """Record the Executive's approval of the programme (seed (iv))."""
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    if programme.is_approved:
        raise ValidationError("This programme has already been approved.")
    programme.status = ProgrammeStatus.APPROVED
    programme.approved_by_body = body
    programme.approved_on = approved_on
    programme.approval_reference = reference
    programme.approval_recorded_by = by
    rules.programme_approval_recorded(programme)
    programme.full_clean()
    with history.change_reason(f"Approved by the {body} on {approved_on:%-d %B %Y}"):
        programme.save()
    return programme


@transaction.atomic
def programme_change_record(
    *,
    programme: Programme,
    reason: str,
    description: str,
    by: Person | None,
    changed_on: dt.date | None = None,
    course: Course | None = None,
) -> ProgrammeChange:
    """Record a change to the programme during the year, with its reason (the programme is
    flexible enough to respond to audit findings, policy and emerging concerns)."""
    change = ProgrammeChange(
        partnership=programme.partnership,
        programme=programme,
        reason=reason,
        description=description,
        changed_on=changed_on or timezone.localdate(),
        course=course,
        recorded_by=by,
    )
    change.full_clean()
    change.save()
    return change


@transaction.atomic
def course_create(
    *,
    partnership: Partnership,
    title: str,
    level: int,
    format: str,
    learning_outcomes: str,
    trainer_kind: str,
    programme: Programme | None = None,
    summary: str = "",
    themes: Iterable[Theme | str] = (),
    findings: Iterable[Finding] = (),
    recommendations: Iterable[Recommendation] = (),
    trainer_name: str = "",
    trainer_agency: Agency | None = None,
    duration_hours: Decimal | float = Decimal("3"),
    cost: Decimal | float = Decimal("0"),
    paid_by: str = "",
    public: bool = True,
    by: Person | None = None,
    change_reason: str = "",
    change_description: str = "",
) -> Course:
    """Add a course to the catalogue. Adding one to a programme the Executive has approved
    is an in-year change: its reason is recorded with it."""
    course = Course(
        partnership=partnership,
        programme=programme,
        title=title,
        summary=summary,
        level=level,
        format=format,
        learning_outcomes=learning_outcomes,
        trainer_kind=trainer_kind,
        trainer_name=trainer_name,
        trainer_agency=trainer_agency,
        duration_hours=Decimal(str(duration_hours)),
        cost=Decimal(str(cost)),
        public=public,
    )
    if paid_by:
        course.paid_by = paid_by
    if programme is not None and programme.partnership_id != partnership.pk:
        raise ValidationError({"programme": "Choose a programme of this partnership."})
    if programme is not None:
        programme.refresh_from_db(fields=["status"])
    if programme is not None and programme.is_approved and not change_reason:
        raise ValidationError(
            {
                "change_reason": "The programme has been approved: say why this course is "
                "being added during the year."
            }
        )
    course.full_clean()
    course.save()
    course.themes.set(_themes(partnership, themes))
    for finding in findings:
        if finding.partnership_id != partnership.pk:
            raise ValidationError({"findings": "Choose findings of this partnership."})
    course.findings.set(list(findings))
    course.recommendations.set([r for r in recommendations if r.partnership_id == partnership.pk])
    if programme is not None and programme.is_approved:
        programme_change_record(
            programme=programme,
            reason=change_reason or ChangeReason.OTHER,
            description=change_description or f"Course added: {title}.",
            by=by,
            course=course,
        )
    return course


COURSE_EDITABLE = frozenset(
    {
        "title",
        "summary",
        "level",
        "format",
        "learning_outcomes",
        "themes",
        "findings",
        "recommendations",
        "trainer_kind",
        "trainer_name",
        "trainer_agency",
        "duration_hours",
        "cost",
        "paid_by",
        "public",
    }
)


@transaction.atomic
def course_update(*, course: Course, by: Person, **fields: Any) -> Course:
    """Change a course's description, trainer, cost or links (its programme stays: a course
    added to an approved programme is an in-year change recorded when it is added)."""
    return changes_apply(course, fields, editable=COURSE_EDITABLE)


@transaction.atomic
def commission_add(
    *,
    course: Course,
    requesting_agency: Agency,
    funding_agreed: Decimal | float,
    agreed_on: dt.date,
    invoice_reference: str = "",
) -> Commission:
    """Record the agency that commissions a level 3 course and the funding it agreed."""
    if requesting_agency.partnership_id != course.partnership_id:
        raise ValidationError({"requesting_agency": "Choose an agency of this partnership."})
    commission = Commission(
        partnership=course.partnership,
        course=course,
        requesting_agency=requesting_agency,
        funding_agreed=Decimal(str(funding_agreed)),
        agreed_on=agreed_on,
        invoice_reference=invoice_reference,
    )
    commission.full_clean()
    commission.save()
    return commission


@transaction.atomic
def course_material_add(
    *, course: Course, uploaded_file: Any, by: Person | None, description: str = ""
) -> Attachment:
    """Attach course or cascade materials (checked uploads; downloads need view access to
    the course)."""
    return attachment_create(
        subject=course, uploaded_file=uploaded_file, uploaded_by=by, description=description
    )


def course_materials(course: Course) -> list[Attachment]:
    ct = ContentType.objects.get_for_model(Course)
    return list(Attachment.objects.filter(content_type=ct, object_id=course.pk))


@transaction.atomic
def session_create(
    *,
    course: Course,
    starts_on: dt.date,
    capacity: int,
    ends_on: dt.date | None = None,
    start_time: dt.time = dt.time(9, 30),
    end_time: dt.time = dt.time(16, 30),
    venue: str = "",
    online_url: str = "",
    trainer: Person | None = None,
) -> TrainingSession:
    """Schedule a session of a course (level 3 only once commissioned and funded)."""
    rules.level3_session_needs_commission(course)
    session = TrainingSession(
        partnership=course.partnership,
        course=course,
        starts_on=starts_on,
        ends_on=ends_on or starts_on,
        start_time=start_time,
        end_time=end_time,
        venue=venue,
        online_url=online_url,
        capacity=capacity,
        trainer=trainer,
    )
    session.full_clean()
    session.save()
    return session


SESSION_EDITABLE = frozenset(
    {"starts_on", "ends_on", "start_time", "end_time", "venue", "online_url", "capacity", "trainer"}
)


@transaction.atomic
def session_update(
    *, session: TrainingSession, by: Person | None, **fields: Any
) -> TrainingSession:
    """Change a session's dates, times, venue, capacity or trainer (a one-day session when
    no last day is given). Its impact follow-up is due the interval after its last day
    (`rules.follow_up_due_on`), worked out from the saved last day whenever it is needed:
    no clock is stored, so a corrected last day moves it with nothing left behind."""
    unknown = set(fields) - SESSION_EDITABLE
    if unknown:
        raise ValidationError(f"These cannot be changed here: {', '.join(sorted(unknown))}.")
    for name, value in fields.items():
        setattr(session, name, value)
    if not session.ends_on:
        session.ends_on = session.starts_on
    session.full_clean()
    with history.acting(actor=by):
        session.save()
    return session


@transaction.atomic
def session_cancel(*, session: TrainingSession, reason: str, by: Person | None) -> TrainingSession:
    """Cancel a session: every booking is cancelled and each learner told (with a
    calendar cancellation)."""
    from .bookings import booking_email_queue

    session = TrainingSession.objects.select_for_update().get(pk=session.pk)
    if session.is_cancelled:
        raise ValidationError("This session is already cancelled.")
    if not reason.strip():
        raise ValidationError({"cancelled_reason": "Say why the session is cancelled."})
    session.status = SessionStatus.CANCELLED
    session.cancelled_reason = reason.strip()
    with history.change_reason(reason):
        session.save()
        today = timezone.localdate()
        for booking in session.bookings.filter(status__in=ACTIVE).select_related("learner"):
            booking.status = BookingStatus.CANCELLED
            booking.cancelled_on = today
            booking.cancel_reason = f"The session was cancelled: {reason.strip()}"
            booking.save()
            notify(
                person=booking.learner,
                key=f"training:booking:{booking.pk}:session-cancelled",
                title=f"Cancelled: {session.course.title} on {session.dates_text}",
                body=f"The session has been cancelled. Reason: {reason.strip()}",
                url=booking.get_absolute_url(),
                partnership=session.partnership,
                email=False,
            )
            booking_email_queue(booking, "cancelled")
    return session
