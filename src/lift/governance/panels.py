"""The "My meetings" panel on the home page: the next meetings of groups I belong to."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone

from lift.core.wording import long_date

from . import selectors
from .choices import MEETING_COLOURS, MeetingStatus


def my_meetings_panel(request: Any) -> dict[str, Any] | None:
    partnership = getattr(request, "partnership", None)
    if partnership is None:
        return None
    meetings = selectors.my_meetings(request.user, partnership)
    items = [
        {
            "label": str(m),
            "url": m.get_absolute_url(),
            "hint": f"{long_date(m.starts_at)}, "
            + timezone.localtime(m.starts_at).strftime("%-I:%M%p").lower()  # "2:00pm"
            + (f", {m.location}" if m.location else ""),
            "tag": m.get_status_display(),
            "colour": MEETING_COLOURS[MeetingStatus(m.status)],
        }
        for m in meetings
    ]
    return {
        "title": "My meetings",
        "items": items,
        "empty": "No meetings are planned for the groups you belong to.",
        "more_url": reverse("governance:meeting_list"),
        "more_label": "All meetings",
    }
