"""Home panel for agency leads: values due for my agency's indicators."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from lift.core.access import assignments_for

from . import selectors
from .models import Indicator


def values_due_panel(request: Any) -> dict[str, Any] | None:
    partnership = getattr(request, "partnership", None)
    if partnership is None:
        return None
    agencies = {
        a.agency_id
        for a in assignments_for(request.user)
        if a.partnership_id == partnership.pk and a.role == "safeguarding_lead" and a.agency_id
    }
    if not agencies:
        return None
    due = selectors.values_due(
        Indicator.objects.filter(partnership=partnership, owner_agency_id__in=agencies)
    )
    return {
        "title": "Performance values due",
        "items": [
            {
                "label": f"{d.indicator.title}: {d.label}",
                "url": reverse("performance:indicatorvalue_add", args=[d.indicator.pk]),
                "hint": f"Due {d.due_on:%-d %B %Y}",
                "tag": "Overdue" if d.overdue else "Due",
                "colour": "red" if d.overdue else "yellow",
            }
            for d in due
        ],
        "empty": "No values are due for your agency's indicators.",
        "more_url": reverse("performance:dataset"),
        "more_label": "The performance dataset",
    }
