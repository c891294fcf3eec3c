"""Panels on the "my work" page: my actions, and overdue and escalated ones for the Chair."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone

from . import rules, selectors
from .models import Action

LIMIT = 8


def _item(action: Action, today: Any) -> dict[str, Any]:
    late = action.due_on < today
    return {
        "label": action.title,
        "url": action.get_absolute_url(),
        "hint": f"{action.owner_agency.name}. Due {action.due_on:%-d %B %Y}.",
        "tag": "Overdue" if late else action.get_status_display(),
        "colour": "red" if late else "blue",
    }


def my_actions(request: Any) -> dict[str, Any] | None:
    partnership = getattr(request, "partnership", None)
    if partnership is None:
        return None
    leads = bool(selectors.led_agency_ids(request.user, partnership))
    # The panel shows no themes: drop the tracker's prefetch of them (one query fewer).
    qs = selectors.my_actions(request.user, partnership).prefetch_related(None)
    actions = list(qs[:LIMIT])
    if not actions and not leads:
        return None
    today = timezone.localdate()
    return {
        "title": "Our agency's actions" if leads else "My actions",
        "items": [_item(a, today) for a in actions],
        "empty": "No open actions.",
        "more_url": reverse("learning:action_ours"),
        "more_label": "All our actions",
    }


def overdue_for_chair(request: Any) -> dict[str, Any] | None:
    partnership = getattr(request, "partnership", None)
    if partnership is None or not selectors.sees_oversight(request.user, partnership):
        return None
    if not Action.access.allows_any(request.user, rules.VERIFY, partnership):
        return None
    today = timezone.localdate()
    late = selectors.overdue_and_escalated(request.user, partnership, today)
    actions = list(late.prefetch_related(None)[:LIMIT])
    items = []
    for a in actions:
        item = _item(a, today)
        if a.escalated_on:
            item["tag"], item["colour"] = "Escalated", "orange"
        items.append(item)
    return {
        "title": "Overdue and escalated actions",
        "items": items,
        "empty": "No action is overdue.",
        "more_url": reverse("learning:action_overdue"),
        "more_label": "All overdue and escalated actions",
    }
