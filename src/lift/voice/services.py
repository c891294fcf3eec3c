"""Writes to young people's voice. Keyword-only, validated, atomic."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.utils import timezone

from lift.core import calendar
from lift.core.models import Attachment, Partnership, Person
from lift.learning.choices import FindingKind
from lift.learning.services import finding_create

from . import rules
from .choices import ResponseKind
from .models import (
    ChairMeeting,
    Consultation,
    Event,
    ForumMember,
    ForumSession,
    Presentation,
    Term,
    YoungPeoplesView,
    YouthForum,
)

ANONYMISED_NAME = "Anonymised"


def _save(obj: models.Model) -> Any:
    obj.full_clean()
    obj.save()
    return obj


def _set(obj: models.Model, fields: dict[str, Any]) -> None:
    for name, value in fields.items():
        setattr(obj, name, value)


@transaction.atomic
def forum_save(*, partnership: Partnership, by: Person | None, **fields: Any) -> YouthForum:
    """Set up the partnership's Youth Forum, or change its details and settings."""
    forum = YouthForum.objects.filter(partnership=partnership).first() or YouthForum(
        partnership=partnership
    )
    _set(forum, fields)
    return _save(forum)


@transaction.atomic
def member_add(
    *,
    forum: YouthForum,
    by: Person | None,
    name: str,
    age_band: str,
    joined_on: dt.date,
    consent_on: dt.date,
    guardian_consent_on: dt.date | None = None,
    retain_until: dt.date | None = None,
    left_on: dt.date | None = None,
) -> ForumMember:
    """Add a young person to the forum with the least data it needs. Without a retention
    date, details are kept for the forum's retention period from joining."""
    member = ForumMember(
        partnership=forum.partnership,
        forum=forum,
        name=name.strip(),
        age_band=age_band,
        joined_on=joined_on,
        consent_on=consent_on,
        guardian_consent_on=guardian_consent_on,
        left_on=left_on,
        retain_until=retain_until or calendar.add_months(joined_on, forum.retention_months),
    )
    return _save(member)


@transaction.atomic
def member_update(*, member: ForumMember, by: Person | None, **fields: Any) -> ForumMember:
    if member.anonymised_on:
        raise ValidationError("This member's details were anonymised and cannot be changed.")
    _set(member, fields)
    return _save(member)


@transaction.atomic
def member_anonymise(*, member: ForumMember, today: dt.date) -> ForumMember:
    """Remove a member's personal data, keeping only what counts need (age band, dates)."""
    member.name = ANONYMISED_NAME
    member.anonymised_on = today
    member.save(update_fields=["name", "anonymised_on", "updated_at"])
    return member


def members_retention(today: dt.date) -> int:
    """Tick step: anonymise every member whose retention date has come (idempotent: an
    anonymised member is never picked again)."""
    done = 0
    due = ForumMember.objects.filter(anonymised_on__isnull=True, retain_until__lte=today)
    for member in due.select_related("forum").iterator(chunk_size=500):
        if rules.retention_due(member.retain_until, member.anonymised_on, today):
            member_anonymise(member=member, today=today)
            done += 1
    return done


@transaction.atomic
def session_add(*, forum: YouthForum, by: Person | None, **fields: Any) -> ForumSession:
    return _save(ForumSession(partnership=forum.partnership, forum=forum, **fields))


@transaction.atomic
def term_create(
    *, partnership: Partnership, by: Person | None, name: str, starts_on: dt.date, ends_on: dt.date
) -> Term:
    return _save(Term(partnership=partnership, name=name, starts_on=starts_on, ends_on=ends_on))


@transaction.atomic
def chair_meeting_record(*, forum: YouthForum, by: Person | None, **fields: Any) -> ChairMeeting:
    """Plan or record a meeting of the Chair with the forum (status planned, held or
    cancelled), with the topics the young people raised."""
    return _save(ChairMeeting(partnership=forum.partnership, forum=forum, **fields))


@transaction.atomic
def event_create(*, partnership: Partnership, by: Person | None, **fields: Any) -> Event:
    return _save(Event(partnership=partnership, **fields))


@transaction.atomic
def consultation_create(
    *,
    partnership: Partnership,
    by: Person | None,
    topic: str,
    opened_on: dt.date,
    description: str = "",
    closed_on: dt.date | None = None,
    informs: models.Model | None = None,
) -> Consultation:
    """Open a consultation, optionally to inform another record of the partnership (an
    audit, a review, a policy): a generic link so no area depends on this one."""
    consultation = Consultation(
        partnership=partnership,
        topic=topic,
        description=description,
        opened_on=opened_on,
        closed_on=closed_on,
    )
    if informs is not None:
        if getattr(informs, "partnership_id", partnership.pk) != partnership.pk:
            raise ValidationError("The record it informs belongs to another partnership.")
        consultation.informs_type = ContentType.objects.get_for_model(informs)
        consultation.informs_id = informs.pk
    return _save(consultation)


@transaction.atomic
def view_add(
    *,
    consultation: Consultation,
    by: Person | None,
    said: str,
    title: str = "",
    themes: list[str] | None = None,
) -> YoungPeoplesView:
    """Record a view young people gave, and the lesson in the learning chain (a finding
    whose source is the consultation)."""
    said = said.strip()
    view = YoungPeoplesView(
        partnership=consultation.partnership, consultation=consultation, said=said
    )
    view.full_clean(exclude=["finding"])
    finding = finding_create(
        source=consultation,
        title=(title or f"Young people's view: {said}")[:250],
        text=said,
        kind=FindingKind.IMPROVEMENT,
        themes=themes or [],
        identified_on=consultation.closed_on or consultation.opened_on,
        recorded_by=by,
    )
    view.finding = finding
    return _save(view)


@transaction.atomic
def view_respond(
    *,
    view: YoungPeoplesView,
    by: Person | None,
    response: str,
    response_text: str,
    responded_on: dt.date | None = None,
) -> YoungPeoplesView:
    """Answer a view: "you said, we did", or what could not be done and why."""
    view.response = response
    view.response_text = response_text.strip()
    view.responded_on = (
        responded_on or timezone.localdate() if response != ResponseKind.PENDING else None
    )
    view.responded_by = by if response != ResponseKind.PENDING else None
    return _save(view)


@transaction.atomic
def consultation_publish(
    *, consultation: Consultation, by: Person | None, on: dt.date | None = None
) -> Consultation:
    """Share the responses back with the forum. Every view must have a response first."""
    pending = consultation.views.filter(response=ResponseKind.PENDING).count()
    if not consultation.views.exists():
        raise ValidationError("Record the young people's views before sharing responses.")
    if pending:
        raise ValidationError(
            f"{pending} view{'s' if pending != 1 else ''} still need{'s' if pending == 1 else ''} "
            "a response before the responses are shared with the forum."
        )
    consultation.published_on = on or timezone.localdate()
    consultation.save(update_fields=["published_on", "updated_at"])
    return consultation


@transaction.atomic
def presentation_schedule(
    *,
    partnership: Partnership,
    by: Person | None,
    year: str,
    title: str,
    meeting: Any,
    summary: str = "",
    presenter: Person | None = None,
) -> Presentation:
    """Put the forum's annual presentation on a Board meeting's agenda (governance), linked
    to this record so the agenda shows it and its materials."""
    from lift.governance.choices import Purpose
    from lift.governance.services import agenda_item_add

    rules.year_bounds(year)
    if meeting is not None and meeting.partnership_id != partnership.pk:
        raise ValidationError({"meeting": "Choose a meeting of this partnership."})
    presentation = Presentation.objects.filter(partnership=partnership, year=year).first()
    if presentation is None:
        presentation = Presentation(partnership=partnership, year=year)
    elif presentation.agenda_item_id is not None and (
        meeting is None or meeting.pk != presentation.meeting_id
    ):
        _presentation_unschedule(presentation)
    presentation.title = title
    presentation.summary = summary
    presentation.meeting = meeting
    _save(presentation)
    if meeting is not None and presentation.agenda_item_id is None:
        item = agenda_item_add(
            meeting=meeting,
            title=f"Youth Forum: {title}",
            by=by,
            linked=presentation,
            purpose=Purpose.INFORMATION,
            presenter=presenter,
        )
        presentation.agenda_item_id = item.pk
        presentation.save(update_fields=["agenda_item_id", "updated_at"])
    return presentation


def _presentation_unschedule(presentation: Presentation) -> None:
    """Take the presentation off the agenda it was put on (it moves to another meeting, or
    to none), unless that meeting has been held: what was presented stays in its record."""
    from lift.governance.choices import MeetingStatus
    from lift.governance.models import AgendaItem

    item = AgendaItem.objects.select_related("meeting").filter(pk=presentation.agenda_item_id)
    found = item.first()
    if found is not None:
        if found.meeting.status in (MeetingStatus.HELD, MeetingStatus.MINUTES_APPROVED):
            raise ValidationError(
                {
                    "meeting": f"The forum presented this at the {found.meeting} meeting, which "
                    "has been held; it cannot move to another meeting."
                }
            )
        found.delete()
    presentation.agenda_item_id = None


@transaction.atomic
def presentation_material_attach(
    *,
    presentation: Presentation,
    uploaded_file: UploadedFile,
    by: Person | None,
    description: str = "",
) -> Attachment:
    from lift.core.files import attachment_create

    return attachment_create(
        subject=presentation, uploaded_file=uploaded_file, uploaded_by=by, description=description
    )
