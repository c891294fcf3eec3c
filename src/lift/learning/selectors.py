"""Reads of the learning chain, always for a user in a partnership (restrict() first)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Max, Min, Q, QuerySet, Sum
from django.db.models.functions import ExtractYear
from django.utils import timezone

from lift.core.access import assignments_for, has_role
from lift.core.models import Agency, Partnership
from lift.core.roles import R

from .choices import LIVE_STATUSES, ActionStatus
from .models import Action, Dissemination, Finding, Recommendation, Theme

# People for whom "overdue and escalated across agencies" is their job.
OVERSIGHT_OF_ACTIONS = frozenset({R.CHAIR, R.BUSINESS_UNIT})


@dataclass(frozen=True)
class Chain:
    """The learning that came from one source, as one reader may see it. Each level is
    a lazy queryset narrowed by `restrict(user, "view")`: nothing is read until used."""

    findings: QuerySet[Finding]
    recommendations: QuerySet[Recommendation]
    actions: QuerySet[Action]


def chain_for(user: Any, source: Any) -> Chain:
    """The findings, recommendations and actions whose source is `source` (a review, an
    audit, a return...) that `user` may view. Actions are those sourced from it and those
    carrying one of its recommendations the user may view. Pages, documents and forms
    read the chain here, never unrestricted, so a page never lists a record that answers
    "not found" to its reader."""
    findings = Finding.objects.from_source(source).restrict(user, "view")
    recommendations = Recommendation.objects.from_source(source).restrict(user, "view")
    ct = ContentType.objects.get_for_model(source)
    actions = Action.objects.restrict(user, "view").filter(
        Q(source_type=ct, source_id=source.pk)
        | Q(recommendation__in=recommendations.order_by().values("pk"))
    )
    return Chain(findings=findings, recommendations=recommendations, actions=actions)


def actions_visible(user: Any, partnership: Partnership | int) -> QuerySet[Action]:
    """Every action the user may see in the partnership."""
    return Action.objects.restrict(user, "view").filter(partnership=partnership)


def action_tracker(user: Any, partnership: Partnership | int) -> QuerySet[Action]:
    """The tracker: all visible actions across every source, with what the table shows
    loaded in the same query (the themes in one more), so the page's query count does not
    grow with the number of actions."""
    return (
        actions_visible(user, partnership)
        .select_related("owner_agency", "owner", "recommendation")
        .prefetch_related("themes")
    )


def overdue(qs: QuerySet[Action], today: dt.date | None = None) -> QuerySet[Action]:
    today = today or timezone.localdate()
    return qs.filter(status__in=LIVE_STATUSES, due_on__lt=today)


def due_within(qs: QuerySet[Action], days: int, today: dt.date | None = None) -> QuerySet[Action]:
    today = today or timezone.localdate()
    return qs.filter(
        status__in=LIVE_STATUSES, due_on__gte=today, due_on__lte=today + dt.timedelta(days=days)
    )


@dataclass(frozen=True)
class Counts:
    """Actions by agency (rows) and status (columns), with totals."""

    statuses: list[tuple[str, str]]
    rows: list[dict[str, Any]]
    totals: dict[str, int]
    total: int


def action_counts(qs: QuerySet[Action]) -> Counts:
    """Counts by owner agency and status, computed in the database in one aggregate query
    grouped by the columns of an index (partnership, owner agency, status), so no sort of
    the actions; the agency's name rides along as an aggregate, and rows are put in name
    order here (there are tens of agencies, not thousands)."""
    found = sorted(
        qs.order_by()
        .values("owner_agency_id", "status")
        .annotate(n=Count("id"), name=Max("owner_agency__name"))
        .values_list("owner_agency_id", "status", "n", "name"),
        key=lambda row: (row[3] or "", row[0]),
    )
    by_agency: dict[int, dict[str, Any]] = {}
    totals: dict[str, int] = defaultdict(int)
    for agency_id, status, n, name in found:
        entry = by_agency.setdefault(
            agency_id,
            {
                "agency_id": agency_id,
                "agency": name,
                "counts": defaultdict(int),
                "total": 0,
            },
        )
        entry["counts"][status] += n
        entry["total"] += n
        totals[status] += n
    rows = []
    for entry in by_agency.values():
        entry["cells"] = [entry["counts"].get(s, 0) for s in ActionStatus.values]
        rows.append(entry)
    return Counts(
        statuses=list(ActionStatus.choices),
        rows=rows,
        totals={s: totals.get(s, 0) for s in ActionStatus.values},
        total=sum(totals.values()),
    )


def led_agency_ids(user: Any, partnership: Partnership | int) -> set[int]:
    """Agencies the user is a safeguarding lead for in the partnership."""
    pid = getattr(partnership, "pk", partnership)
    return {
        a.agency_id
        for a in assignments_for(user)
        if a.partnership_id == pid
        and a.role == R.SAFEGUARDING_LEAD
        and a.agency_id is not None
        and a.case_type_id is None
    }


def our_actions(user: Any, partnership: Partnership | int) -> QuerySet[Action]:
    """ "Our agency's actions": those of the agencies the user leads on safeguarding, and
    any the user owns."""
    agencies = led_agency_ids(user, partnership)
    return action_tracker(user, partnership).filter(Q(owner_agency_id__in=agencies) | Q(owner=user))


def overdue_and_escalated(
    user: Any, partnership: Partnership | int, today: dt.date | None = None
) -> QuerySet[Action]:
    """For the Chair: live actions past their due date, and every escalated one still live,
    across agencies (the ones escalated first)."""
    today = today or timezone.localdate()
    return (
        action_tracker(user, partnership)
        .filter(status__in=LIVE_STATUSES)
        .filter(Q(due_on__lt=today) | Q(escalated_on__isnull=False))
        .order_by("escalated_on", "due_on", "pk")
    )


def sees_oversight(user: Any, partnership: Partnership | int) -> bool:
    return has_role(user, partnership, OVERSIGHT_OF_ACTIONS)


def my_actions(user: Any, partnership: Partnership | int) -> QuerySet[Action]:
    """For the home page: live actions the user owns, or their agency's for a lead."""
    return our_actions(user, partnership).filter(status__in=LIVE_STATUSES).order_by("due_on", "pk")


def calendar_actions(person: Any) -> QuerySet[Action]:
    """The person's own actions with a deadline still to meet, in any partnership."""
    return (
        Action.objects.restrict(person, "view")
        .filter(owner=person, status__in=LIVE_STATUSES)
        .select_related("owner_agency", "partnership")
        .order_by("due_on", "pk")
    )


@dataclass(frozen=True)
class RecurringTheme:
    theme_id: int
    code: str
    name: str
    findings: int
    areas: int
    years: int
    first_year: int
    last_year: int


def recurring_themes(user: Any, partnership: Partnership | int) -> list[RecurringTheme]:
    """Themes in findings from more than one source area (the app of the source) or more
    than one year: one aggregate query over the findings the user may see."""
    rows = (
        Finding.objects.restrict(user, "view")
        .filter(partnership=partnership, themes__isnull=False)
        .order_by()
        .values("themes__id", "themes__code", "themes__name")
        .annotate(
            findings=Count("id", distinct=True),
            areas=Count("source_type__app_label", distinct=True),
            years=Count(ExtractYear("identified_on"), distinct=True),
            first_year=Min(ExtractYear("identified_on")),
            last_year=Max(ExtractYear("identified_on")),
        )
        .filter(Q(areas__gt=1) | Q(years__gt=1))
        .order_by("-findings", "themes__name")
    )
    return [
        RecurringTheme(
            theme_id=r["themes__id"],
            code=r["themes__code"],
            name=r["themes__name"],
            findings=r["findings"],
            areas=r["areas"],
            years=r["years"],
            first_year=r["first_year"],
            last_year=r["last_year"],
        )
        for r in rows
    ]


def themes_for(user: Any, partnership: Partnership | int) -> QuerySet[Theme]:
    """The shared themes and the partnership's own."""
    return Theme.objects.restrict(user, "view").for_partnership(partnership)


@dataclass(frozen=True)
class Reach:
    disseminations: list[Dissemination]
    people: int
    agencies: list[Agency]


def finding_reach(user: Any, finding: Finding) -> Reach:
    """Where a finding has been disseminated: the events, people reached and agencies."""
    events = Dissemination.objects.restrict(user, "view").filter(
        partnership_id=finding.partnership_id, findings=finding
    )
    people = events.aggregate(n=Sum("people_reached"))["n"] or 0
    agencies = list(
        Agency.objects.filter(
            pk__in=events.values("agencies_reached"), partnership_id=finding.partnership_id
        ).order_by("name")
    )
    return Reach(disseminations=list(events.order_by("-held_on")), people=people, agencies=agencies)
