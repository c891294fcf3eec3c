"""Tables of the learning lists: the same columns on the page and in CSV/XLSX exports."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from lift.core.tables import Column, Table
from lift.core.wording import shortened

from .choices import LIVE_STATUSES


def _themes(row: Any) -> str:
    return ", ".join(t.name for t in row.themes.all())


def _is_overdue(row: Any) -> str:
    return "Overdue" if row.status in LIVE_STATUSES and row.due_on < timezone.localdate() else ""


def _source(row: Any) -> str:
    return str(row.source) if row.source_type_id else ""


ACTION_TABLE = Table(
    [
        Column("title", "Action", link=True),
        Column("owner_agency.name", "Agency", sort="owner_agency__name"),
        Column("owner", "Owner", sort="owner__full_name"),
        Column("source_area", "Source area", sort=None),
        Column("status", "Status"),
        Column("priority", "Priority"),
        Column("due_on", "Due"),
        Column("overdue", "Overdue", value=_is_overdue),
        Column("original_due_on", "Originally due"),
        Column("escalated_on", "Escalated"),
        Column("themes", "Themes", value=_themes),
    ]
)

FINDING_TABLE = Table(
    [
        Column("title", "Finding", link=True),
        Column("kind", "Kind"),
        Column("source_area", "Source area", sort=None),
        Column("source", "Source", value=_source),
        Column("identified_on", "Identified"),
        Column("applies_locally", "Applies locally"),
        Column("themes", "Themes", value=_themes),
    ]
)

RECOMMENDATION_TABLE = Table(
    [
        Column("reference", "Ref"),
        Column("text", "Recommendation", link=True, value=lambda r: shortened(r.text, 120)),
        Column("addressee", "Addressed to"),
        Column("agencies", "Agencies", value=lambda r: ", ".join(a.name for a in r.agencies.all())),
        Column("status", "Status"),
        Column("response", "Response"),
        Column("responded_on", "Responded"),
        Column("action_count", "Actions", sort="action_count", numeric=True),
    ]
)

LIBRARY_TABLE = Table(
    [
        Column("title", "Title", link=True),
        Column("kind", "Kind"),
        Column("author", "Author or partnership"),
        Column("published_on", "Published"),
        Column("considered_on", "Considered"),
        Column("themes", "Themes", value=_themes),
    ]
)

DISSEMINATION_TABLE = Table(
    [
        Column("title", "Title", link=True),
        Column("kind", "Kind"),
        Column("held_on", "Date"),
        Column("audience", "Audience"),
        Column("agency_count", "Agencies reached", sort="agency_count", numeric=True),
        Column("people_reached", "People reached", numeric=True),
        Column("finding_count", "Findings carried", sort="finding_count", numeric=True),
    ]
)

THEME_TABLE = Table(
    [
        Column("name", "Theme", link=True),
        Column("code", "Code"),
        Column(
            "shared",
            "From",
            sort=None,
            value=lambda t: "Partnership" if t.partnership_id else "Shared taxonomy",
        ),
        Column("is_active", "In use"),
    ]
)

RECURRING_TABLE = Table(
    [
        Column("name", "Theme", sort=None),
        Column("findings", "Findings", sort=None, numeric=True),
        Column("areas", "Source areas", sort=None, numeric=True),
        Column("years", "Years", sort=None, numeric=True),
        Column("first_year", "First year", sort=None, numeric=True),
        Column("last_year", "Last year", sort=None, numeric=True),
    ]
)
