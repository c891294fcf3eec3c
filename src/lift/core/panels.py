"""Core panels on the "my work" page: my deadlines, my unread notifications and, for the
business unit, whether background work is running."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from . import roles as r
from .access import has_role
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


def _ago(seconds: int) -> str:
    if seconds < 60:
        return f"{seconds} second{'s' if seconds != 1 else ''} ago"
    minutes = seconds // 60
    if minutes < 60:
        return f"{minutes} minute{'s' if minutes != 1 else ''} ago"
    hours = minutes // 60
    if hours < 48:
        return f"{hours} hour{'s' if hours != 1 else ''} ago"
    return f"{hours // 24} days ago"


def _waiting(n: int, thing: str) -> str:
    return f"{n} {thing}{'s' if n != 1 else ''} waiting"


def background_work(request: Any) -> dict[str, Any] | None:
    """For the business unit: when a task worker was last seen and what is waiting for one
    ("Worker last seen 12 seconds ago", "3 tasks waiting"). Not shown when tasks run at once
    rather than through the database queue."""
    from .workers import MAKE_COMMAND, WORKER_COMMAND, uses_worker, worker_status

    if not has_role(request.user, request.partnership, r.ADMINS) or not uses_worker():
        return None
    status = worker_status()
    if status.seconds_since_seen is None:
        seen = "No worker has been seen"
    else:
        seen = f"Worker last seen {_ago(status.seconds_since_seen)}"
    start = f"Start one with {WORKER_COMMAND} (or {MAKE_COMMAND})."
    items: list[dict[str, Any]] = [
        {
            "label": seen,
            "tag": "Running" if status.alive else "Not running",
            "colour": "green" if status.alive else "red",
            "hint": ""
            if status.alive
            else f"Documents and e-mails wait until a worker runs. {start}",
        }
    ]
    tasks = {"label": _waiting(status.queue_length, "task")}
    if status.oldest_waiting_seconds is not None:
        tasks["hint"] = f"The oldest was queued {_ago(status.oldest_waiting_seconds)}."
    items.append(tasks)
    if status.emails_waiting:
        items.append(
            {
                "label": _waiting(status.emails_waiting, "e-mail"),
                "hint": "Not sent for a minute or more.",
            }
        )
    return {"title": "Background work", "items": items}
