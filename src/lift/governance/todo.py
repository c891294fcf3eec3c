"""The governance kind of to-do: the minutes of a meeting that has been held wait to be
recorded and approved (a meeting moves from "held" to "minutes approved" once every agenda
item has its minutes). Decisions have no waiting state, so they are no kind of to-do.

The step is the business unit's, which records the minutes and moves every meeting on, and
the Chair's for the groups they chair (both may change meetings). One query.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import Exists, OuterRef
from django.utils import timezone

from lift.core.access import has_role
from lift.core.roles import ADMINS
from lift.core.todo import ToDo

from .choices import MeetingStatus
from .models import AgendaItem, Meeting

MINUTES = "governance.minutes"


def minutes(person: Any, partnership: Any) -> Iterator[ToDo]:
    """Held meetings whose minutes are not yet approved."""
    rows = Meeting.objects.restrict(person, "change").filter(
        partnership=partnership, status=MeetingStatus.HELD
    )
    if not has_role(person, partnership, ADMINS):
        rows = rows.filter(board__chair=person.pk)
    rows = (
        rows.annotate(
            has_items=Exists(AgendaItem.objects.filter(meeting=OuterRef("pk"))),
            missing=Exists(AgendaItem.objects.filter(meeting=OuterRef("pk"), minutes="")),
        )
        .select_related("board")
        .order_by("starts_at", "pk")
    )
    for meeting in rows:
        when = timezone.localtime(meeting.starts_at)
        if meeting.missing or not meeting.has_items:
            title = f"Record the minutes of {meeting}"
            hint = "Every agenda item needs its minutes before they are approved."
        else:
            title = f"Approve the minutes of {meeting}"
            hint = "Every agenda item has its minutes."
        yield ToDo(
            kind=MINUTES,
            title=title,
            url=meeting.get_absolute_url(),
            subject=meeting,
            hint=f"Held {when:%-d %B %Y}. {hint}",
        )
