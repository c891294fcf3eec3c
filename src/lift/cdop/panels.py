"""The coordinator's panels on "my work": outstanding agency forms, cases for the next
meeting."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone

from . import selectors
from .models import CdopMeeting, ChildDeath

LIMIT = 8


def outstanding_forms(request: Any) -> dict[str, Any] | None:
    partnership = getattr(request, "partnership", None)
    if partnership is None or not selectors.is_coordinator(request.user, partnership):
        return None
    today = timezone.localdate()
    reports = list(selectors.outstanding_reports(request.user, partnership)[:LIMIT])
    return {
        "title": "Outstanding agency reporting forms",
        "items": [
            {
                "label": f"{r.case.reference}: {r.agency.name}",
                "url": r.case.get_absolute_url(),
                "hint": f"Due {r.due_on:%-d %B %Y}.",
                "tag": "Overdue" if r.due_on < today else "Outstanding",
                "colour": "red" if r.due_on < today else "yellow",
            }
            for r in reports
        ],
        "empty": "No reporting form is outstanding.",
        "more_url": reverse("cdop:childdeath_list") + "?status=gathering",
        "more_label": "Cases gathering information",
    }


def next_meeting(request: Any) -> dict[str, Any] | None:
    partnership = getattr(request, "partnership", None)
    if partnership is None or not selectors.is_coordinator(request.user, partnership):
        return None
    meeting = (
        CdopMeeting.objects.restrict(request.user, "view")
        .filter(partnership=partnership, held_on__gte=timezone.localdate())
        .order_by("held_on")
        .first()
    )
    if meeting is None:
        return {
            "title": "Next CDOP meeting",
            "items": [],
            "empty": "No CDOP meeting planned.",
            "more_url": reverse("cdop:cdopmeeting_list"),
            "more_label": "CDOP meetings",
        }
    cases = ChildDeath.objects.restrict(request.user, "view").filter(meeting=meeting)
    return {
        "title": f"Cases for {meeting}",
        "items": [
            {
                "label": c.reference,
                "url": c.get_absolute_url(),
                "hint": c.get_status_display(),
                "tag": "Reviewed" if c.status == "reviewed" else "To review",
                "colour": "green" if c.status == "reviewed" else "blue",
            }
            for c in cases.order_by("reference")[:LIMIT]
        ],
        "empty": "No cases listed yet.",
        "more_url": meeting.get_absolute_url(),
        "more_label": "Open the meeting",
    }
