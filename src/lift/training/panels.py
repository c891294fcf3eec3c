"""The "My training" panel on the My work page."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone

from . import selectors


def my_training(request: Any) -> dict[str, Any] | None:
    """My bookings coming up, questionnaires and follow-ups to answer, approvals waiting."""
    partnership = getattr(request, "partnership", None)
    if partnership is None:
        return None
    user = request.user
    today = timezone.localdate()
    items: list[dict[str, Any]] = []
    has_bookings, has_approvals, has_follow_ups = selectors.home_work(user, partnership)
    approvals = selectors.approvals_waiting(user, partnership)[:5] if has_approvals else []
    for b in approvals:
        items.append(
            {
                "label": f"Approve: {b.learner}, {b.session.course.title}",
                "url": reverse("training:booking_approve", args=[b.pk]),
                "hint": b.session.dates_text,
                "tag": "Approval",
                "colour": "orange",
            }
        )
    follow_ups = selectors.follow_ups_to_answer(user, partnership)[:5] if has_follow_ups else []
    for f in follow_ups:
        items.append(
            {
                "label": f"Impact follow-up: {f.booking.session.course.title}",
                "url": f.get_absolute_url(),
                "hint": f"Sent {f.sent_on:%-d %B %Y}",
                "tag": "To answer",
                "colour": "orange",
            }
        )
    to_answer, upcoming = (
        selectors.home_bookings(user, partnership, today) if has_bookings else ([], [])
    )
    for item in to_answer:
        items.append(
            {
                "label": f"{item['label']}: {item['booking'].session.course.title}",
                "url": reverse(
                    "training:booking_evaluate", args=[item["booking"].pk, item["kind"]]
                ),
                "tag": "To answer",
                "colour": "blue",
            }
        )
    for b in upcoming:
        items.append(
            {
                "label": b.session.course.title,
                "url": b.get_absolute_url(),
                "hint": b.session.dates_text,
                "tag": b.get_status_display(),
                "colour": "green" if b.status == "confirmed" else "grey",
            }
        )
    return {
        "title": "My training",
        "items": items,
        "empty": "You have no training booked.",
        "more_url": reverse("training:mine"),
        "more_label": "All my training",
    }
