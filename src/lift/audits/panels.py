"""The "My audit work" panel on the home page: assignments awaiting a declaration or a
return. Names the case reference only, never the child."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone

from .choices import Declaration
from .selectors import my_open_assignments

LIMIT = 8


def my_audit_work(request: Any) -> dict[str, Any] | None:
    partnership = getattr(request, "partnership", None)
    if partnership is None or not request.user.is_authenticated:
        return None
    assignments = list(my_open_assignments(request.user, partnership)[: LIMIT + 1])
    if not assignments:
        return None
    today = timezone.localdate()
    items = []
    for x in assignments[:LIMIT]:
        awaiting = x.declaration == Declaration.AWAITING
        late = x.due_on is not None and x.due_on < today
        if awaiting:
            tag, colour = "Declaration needed", "orange"
        elif late:
            tag, colour = "Overdue", "red"
        else:
            tag, colour = "Return in draft", "blue"
        due = f" Due {x.due_on:%-d %B %Y}." if x.due_on else ""
        items.append(
            {
                "label": f"{x.case.reference}: {x.audit.title}",
                "url": x.get_absolute_url(),
                "hint": f"{x.agency.name}.{due}",
                "tag": tag,
                "colour": colour,
            }
        )
    return {
        "title": "My audit work",
        "items": items,
        "empty": "No audit work waiting.",
        "more_url": reverse("audits:assignment_list"),
        "more_label": "All my assignments",
    }
