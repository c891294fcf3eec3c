"""Core panels on the "my work" page: my deadlines and my unread notifications."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from .models import Clock, Notification
from .models.clocks import OPEN_STATES
from .templatetags.govuk import STATE_COLOURS


def my_deadlines(request: Any) -> dict[str, Any] | None:
    clocks = (
        Clock.objects.restrict(request.user, "view")
        .filter(owner=request.user, partnership=request.partnership, state__in=OPEN_STATES)
        .select_related("content_type")
        .prefetch_related("subject")
        .order_by("due_on")[:10]
    )
    items = [
        {
            "label": c.label,
            "url": _subject_url(c),
            "tag": c.get_state_display(),
            "colour": STATE_COLOURS.get(c.state, "grey"),
            "hint": f"Due {c.due_on:%-d %B %Y}",
        }
        for c in clocks
    ]
    return {"title": "My deadlines", "items": items, "empty": "No deadlines are running for you."}


def _subject_url(clock: Clock) -> str:
    subject: Any = clock.subject
    return subject.get_absolute_url() if hasattr(subject, "get_absolute_url") else ""


def my_notifications(request: Any) -> dict[str, Any] | None:
    unread = Notification.objects.restrict(request.user, "view").filter(read_at__isnull=True)
    items = [{"label": n.title, "url": n.url, "hint": n.body[:150]} for n in unread[:5]]
    return {
        "title": "Notifications",
        "items": items,
        "empty": "You have no unread notifications.",
        "more_url": reverse("core:notification_list"),
        "more_label": "All notifications",
    }
