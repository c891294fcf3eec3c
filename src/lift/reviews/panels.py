"""The reviews panel on the "my work" page, and the governance forward plan source."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from lift.core import roles as r
from lift.core.access import roles_in
from lift.core.templatetags.govuk import STATE_COLOURS

from . import selectors

PANEL_LIMIT = 6


# Their steps on cases (decisions, letters, returns and IMRs, quality assurance) are on
# their to-do list (lift.reviews.todo), which replaces the panel for them on "My work".
HAVE_CASE_STEPS = r.ADMINS | {r.R.CHAIR, r.R.SAFEGUARDING_LEAD}


def reviews_panel(request: Any) -> dict[str, Any] | None:
    """The incidents and reviews whose open clocks fall due soonest (overdue first), for
    those who may see them and have no steps of their own on cases (Board members,
    sub-groups, scrutineers, case teams): a few narrow queries whatever the number of
    cases. The business unit, the Chair and safeguarding leads have their to-do list
    instead."""
    partnership = getattr(request, "partnership", None)
    if partnership is None:
        return None
    held = roles_in(request.user, partnership)
    if not held or held & HAVE_CASE_STEPS:
        return None
    incidents = selectors.incidents_for(request.user, partnership)
    if (
        incidents.query.is_empty()
        and selectors.reviews_for(request.user, partnership).query.is_empty()
    ):
        return None  # nothing the user may see: no query, no panel
    deadlines = selectors.next_deadlines(request.user, partnership, limit=PANEL_LIMIT)
    if not deadlines and not incidents.exists():
        return None
    items = []
    for row, clock in deadlines:
        items.append(
            {
                "label": row.title,
                "url": row.url,
                "hint": f"{clock.label}: due {clock.due_on:%-d %B %Y}. Next: {row.next_step}",
                "tag": clock.get_state_display(),
                "colour": STATE_COLOURS.get(clock.state, "grey"),
            }
        )
    return {
        "title": "Serious incidents and reviews",
        "items": items,
        "empty": "No review deadlines are running.",
        "more_url": reverse("reviews:dashboard"),
        "more_label": "Review dashboard",
    }


def register_forward_plan() -> None:
    """Offer items ready for a Board or Executive meeting to governance's forward plan, if
    governance provides the registry."""
    try:
        from lift.governance.forward_plan import register_forward_plan_source
    except ImportError:  # governance not installed or not built yet
        return
    register_forward_plan_source(selectors.forward_plan_items)
