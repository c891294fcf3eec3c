"""The young people's voice kind of to-do: the Chair meets the Youth Forum at least once a
term (rules.ChairMeetsForumEachTerm). Read from this term's meetings (at most three
queries, for the Chair only)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.urls import reverse
from django.utils import timezone

from lift.core.access import roles_in
from lift.core.roles import R
from lift.core.todo import ToDo

from . import selectors
from .choices import MeetingStatus, TermStatus

CHAIR_MEETING = "voice.chair_meeting"


def chair_meeting(person: Any, partnership: Any) -> Iterator[ToDo]:
    """While this term has no meeting of the Chair with the Youth Forum held: record the one
    planned (once held), or plan one, by the last day of term."""
    if R.CHAIR not in roles_in(person, partnership):
        return
    data = selectors.chair_panel_data(partnership, timezone.localdate())
    if data is None or data["status"] != TermStatus.NOT_YET_MET:
        return
    term = data["term"]
    planned = [m for m in data["meetings"] if m.status == MeetingStatus.PLANNED]
    if planned:
        meeting = planned[0]
        url = reverse("voice:chairmeeting_edit", args=[meeting.pk])
        hint = f"Planned for {meeting.meets_on:%-d %B %Y}: record it once held."
    elif not data["meetings"] and selectors.forum_for(partnership) is None:
        return  # no Youth Forum set up yet: nobody to meet
    else:
        url = reverse("voice:chairmeeting_add")
        hint = "No meeting is planned yet."
    yield ToDo(
        kind=CHAIR_MEETING,
        title=f"Meet the Youth Forum this term ({term.name})",
        url=url,
        subject=term,
        due_on=term.ends_on,
        hint=hint,
    )
