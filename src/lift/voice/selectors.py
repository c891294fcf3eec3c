"""Reads of young people's voice. Counts of members are open to every reader of the forum's
work; members' details only through ForumMember.objects.restrict()."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, QuerySet

from lift.core.models import Partnership

from . import rules
from .choices import AgeBand, MeetingStatus, TermStatus
from .models import ChairMeeting, Event, ForumMember, Term, YouthForum


def forum_for(partnership: Partnership | int) -> YouthForum | None:
    return YouthForum.objects.filter(partnership=partnership).first()


@dataclass(frozen=True)
class MemberCounts:
    total: int
    by_band: list[tuple[str, int]]


def member_counts(partnership: Partnership | int, on: dt.date) -> MemberCounts:
    """Current members by age band (no names): what everyone but the coordinator and the
    Chair sees. One aggregate query."""
    rows = (
        ForumMember.objects.filter(partnership=partnership, anonymised_on__isnull=True)
        .filter(joined_on__lte=on)
        .exclude(left_on__lt=on)
        .order_by()
        .values("age_band")
        .annotate(n=Count("id"))
    )
    found = {r["age_band"]: r["n"] for r in rows}
    by_band = [(label, found.get(value, 0)) for value, label in AgeBand.choices]
    return MemberCounts(total=sum(found.values()), by_band=by_band)


@dataclass(frozen=True)
class TermRow:
    term: Term
    status: TermStatus
    meetings: list[ChairMeeting]

    @property
    def topics(self) -> list[str]:
        return [t for m in self.meetings if m.status == MeetingStatus.HELD for t in m.topic_list()]


def term_rows(
    partnership: Partnership | int,
    today: dt.date,
    terms: Iterable[Term] | None = None,
) -> list[TermRow]:
    """Each term with the Chair's meetings in it and its status (two queries)."""
    terms_list = list(terms if terms is not None else Term.objects.filter(partnership=partnership))
    if not terms_list:
        return []
    first = min(t.starts_on for t in terms_list)
    last = max(t.ends_on for t in terms_list)
    meetings = list(
        ChairMeeting.objects.filter(
            partnership=partnership, meets_on__gte=first, meets_on__lte=last
        ).order_by("meets_on", "pk")
    )
    out = []
    for term in terms_list:
        mine = [m for m in meetings if term.starts_on <= m.meets_on <= term.ends_on]
        out.append(TermRow(term, rules.ChairMeetsForumEachTerm.status(term, mine, today), mine))
    return out


def current_term(partnership: Partnership | int, today: dt.date) -> Term | None:
    return Term.objects.filter(
        partnership=partnership, starts_on__lte=today, ends_on__gte=today
    ).first()


@dataclass(frozen=True)
class EventYear:
    year: str
    count: int
    target: int
    by_kind: dict[str, int]
    by_theme: list[tuple[str, int]]
    attended: int

    @property
    def against(self) -> rules.Against:
        return rules.events_against_target(self.count, self.target)


def events_year(
    partnership: Partnership | int, year: str, qs: QuerySet[Event] | None = None
) -> EventYear:
    """The year's events against the forum's target."""
    start, end = rules.year_bounds(year)
    forum = forum_for(partnership)
    target = forum.events_target if forum else 3
    events = list(
        (qs if qs is not None else Event.objects.filter(partnership=partnership))
        .filter(held_on__gte=start, held_on__lte=end)
        .only("kind", "theme", "attended")
    )
    kinds: Counter[str] = Counter(e.get_kind_display() for e in events)
    themes: Counter[str] = Counter(e.theme for e in events)
    return EventYear(
        year=year,
        count=len(events),
        target=target,
        by_kind=dict(kinds),
        by_theme=sorted(themes.items()),
        attended=sum(e.attended for e in events),
    )


def event_years(partnership: Partnership | int) -> list[str]:
    """Every financial year with an event, newest first."""
    days = Event.objects.filter(partnership=partnership).dates("held_on", "month", order="DESC")
    seen: list[str] = []
    for day in days:
        label = rules.year_of(day)
        if label not in seen:
            seen.append(label)
    return seen


def chair_panel_data(partnership: Partnership | int, today: dt.date) -> dict[str, Any] | None:
    term = current_term(partnership, today)
    if term is None:
        return None
    row = term_rows(partnership, today, [term])[0]
    return {"term": term, "status": row.status, "meetings": row.meetings}
