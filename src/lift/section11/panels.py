"""The "Our Section 11 return" panel on "My work": the progress of my agency's open returns
(the lead's and the panel's steps are on the to-do list, `section11/todo.py`)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from . import selectors
from .choices import ReturnStatus

LIMIT = 6
COLOURS: dict[str, str] = {
    ReturnStatus.DRAFT: "grey",
    ReturnStatus.SUBMITTED: "blue",
    ReturnStatus.UNDER_CHALLENGE: "orange",
    ReturnStatus.MODERATED: "green",
}


def my_return_panel(request: Any) -> dict[str, Any] | None:
    partnership = getattr(request, "partnership", None)
    if partnership is None or not request.user.is_authenticated:
        return None
    returns = list(selectors.my_returns(request.user, partnership)[:LIMIT])
    if not returns:
        return None
    return {
        "title": "Our Section 11 return",
        "items": [
            {
                "label": f"{r.agency.name}: {r.cycle.name}",
                "url": r.get_absolute_url(),
                "hint": f"{r.answered_count} of {r.total_count} requirements answered. "  # type: ignore[attr-defined]
                f"Deadline {r.cycle.deadline:%-d %B %Y}.",
                "tag": r.get_status_display(),
                "colour": COLOURS.get(r.status, "grey"),
            }
            for r in returns
        ],
        "empty": "No return is open.",
        "more_url": reverse("section11:cycle_list"),
        "more_label": "All Section 11 cycles",
    }
