"""CDOP meetings: members, cases, papers and the review meeting's record."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from lift.core.files import attachment_create
from lift.core.models import Attachment, Partnership, Person, RoleAssignment
from lift.core.services import changes_apply, role_assign

from ..models import (
    CdopMeeting,
    ChildDeath,
    ReviewMeeting,
)
from .base import R

# --- meetings --------------------------------------------------------------------------------


@transaction.atomic
def cdopmeeting_create(
    *,
    partnership: Partnership,
    held_on: dt.date,
    by: Person | None,
    title: str = "",
    location: str = "",
    notes: str = "",
) -> CdopMeeting:
    meeting = CdopMeeting(
        partnership=partnership, held_on=held_on, title=title, location=location, notes=notes
    )
    meeting.full_clean()
    meeting.save()
    return meeting


CDOPMEETING_EDITABLE = frozenset({"held_on", "title", "location", "notes"})


@transaction.atomic
def cdopmeeting_update(*, cdopmeeting: CdopMeeting, by: Person, **fields: Any) -> CdopMeeting:
    """Correct a panel meeting's date, title, place or notes (its members and cases stay)."""
    return changes_apply(cdopmeeting, fields, editable=CDOPMEETING_EDITABLE)


def _members(meeting: CdopMeeting) -> list[Person]:
    from django.contrib.contenttypes.models import ContentType

    return [
        a.person
        for a in RoleAssignment.objects.current()
        .filter(
            role=R.CASE_TEAM,
            case_type=ContentType.objects.get_for_model(CdopMeeting),
            case_id=meeting.pk,
        )
        .select_related("person")
    ]


def meeting_members(meeting: CdopMeeting) -> list[Person]:
    return _members(meeting)


@transaction.atomic
def meeting_member_add(*, meeting: CdopMeeting, person: Person, by: Person | None) -> None:
    """Make someone a panel member for this meeting: they see the meeting, its papers and
    its cases, including the restricted records (each read logged)."""
    if not person.role_assignments.filter(partnership=meeting.partnership).exists():
        raise ValidationError({"person": "Choose someone with a role in this partnership."})
    role_assign(partnership=meeting.partnership, person=person, role=R.CASE_TEAM, case=meeting)
    for case in meeting.cases.all():
        role_assign(partnership=meeting.partnership, person=person, role=R.CASE_TEAM, case=case)


@transaction.atomic
def meeting_case_add(*, meeting: CdopMeeting, case: ChildDeath, by: Person | None) -> ChildDeath:
    """List a case for a CDOP meeting; the meeting's members join its panel."""
    if case.partnership_id != meeting.partnership_id:
        raise ValidationError("The case belongs to another partnership.")
    case.meeting = meeting
    case.full_clean()
    case.save()
    for person in _members(meeting):
        role_assign(partnership=meeting.partnership, person=person, role=R.CASE_TEAM, case=case)
    return case


@transaction.atomic
def meeting_paper_attach(
    *, meeting: CdopMeeting, uploaded_file: Any, by: Person | None, description: str = ""
) -> Attachment:
    """A paper for the meeting, readable beforehand by whoever may see the meeting."""
    return attachment_create(
        subject=meeting, uploaded_file=uploaded_file, uploaded_by=by, description=description
    )


@transaction.atomic
def review_meeting_record(
    *,
    case: ChildDeath,
    held_on: dt.date,
    attendees: str,
    summary: str,
    by: Person | None,
    issues_for_panel: str = "",
) -> ReviewMeeting:
    """Record the child death review meeting of the professionals involved."""
    meeting = ReviewMeeting(
        partnership=case.partnership,
        case=case,
        held_on=held_on,
        attendees=attendees.strip(),
        summary=summary.strip(),
        issues_for_panel=issues_for_panel.strip(),
    )
    meeting.full_clean()
    meeting.save()
    return meeting
