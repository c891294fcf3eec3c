"""Governance's sections of the annual report: governance and membership (the year of every
board and group, in words chosen from its figures) and business plan progress. Registered
with `lift.reports.registry` from the app's `ready()`; read-only, for the whole partnership:
the report shows counts and tables, never a restricted record."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from lift.core.documents import Block, DocTable, Para
from lift.core.wording import counted, listed, noun, sentence, times, was
from lift.reports.registry import register_annual_section

from .choices import GroupKind, MeetingStatus
from .models import Board, BusinessPlan, Meeting, Membership
from .selectors import plan_progress

# --- governance and membership -----------------------------------------------------------


def _months_covered(start: dt.date, end: dt.date, today: dt.date) -> int:
    """Whole months of the year gone by: 12 for a year that is over, fewer for the current
    one (none before it starts)."""
    if today > end:
        return 12
    if today < start:
        return 0
    return (today.year - start.year) * 12 + today.month - start.month


# Beyond this many, the groups that met less often than expected are left to the table.
LISTED_GROUPS = 4


@dataclass(frozen=True)
class GroupYear:
    """One board or group's year: its members, and its meetings held, cancelled, due but
    not recorded as held, and expected (from how often its terms say it meets)."""

    board: Any
    members: int
    held: int
    cancelled: int
    not_recorded: int
    expected: int | None


def governance_year(partnership: Any, start: dt.date, end: dt.date) -> list[GroupYear]:
    """The year of every board and group: the active ones, and any other that had members or
    meetings in the year. Meetings are counted by status; a meeting whose time has passed
    that is still "planned" or "papers sent" was not recorded as held."""
    today = timezone.localdate()
    in_year = Meeting.objects.filter(
        partnership=partnership, starts_at__date__gte=start, starts_at__date__lte=end
    )
    held_statuses = [MeetingStatus.HELD, MeetingStatus.MINUTES_APPROVED]
    due_statuses = [MeetingStatus.PLANNED, MeetingStatus.PAPERS_SENT]
    counts = {
        row["board_id"]: row
        for row in in_year.values("board_id")
        .order_by()
        .annotate(
            held=Count("id", filter=Q(status__in=held_statuses)),
            cancelled=Count("id", filter=Q(status=MeetingStatus.CANCELLED)),
            not_recorded=Count("id", filter=Q(status__in=due_statuses, starts_at__date__lt=today)),
        )
    }
    members = {
        row["board_id"]: row["n"]
        for row in Membership.objects.filter(partnership=partnership, starts_on__lte=end)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=start))
        .values("board_id")
        .order_by()
        .annotate(n=Count("person_id", distinct=True))
    }
    boards = Board.objects.filter(partnership=partnership).filter(
        Q(is_active=True) | Q(pk__in=list(counts)) | Q(pk__in=list(members))
    )
    months = _months_covered(start, end, today)
    out = []
    for b in boards.order_by("kind", "name"):
        row = counts.get(b.pk, {})
        every = b.meets_every_months
        out.append(
            GroupYear(
                board=b,
                members=members.get(b.pk, 0),
                held=row.get("held", 0),
                cancelled=row.get("cancelled", 0),
                not_recorded=row.get("not_recorded", 0),
                expected=months // every if every else None,
            )
        )
    return out


def governance_sentences(groups: list[GroupYear], *, in_progress: bool) -> list[str]:
    """What the figures say, in words chosen from them: never "met as planned" unless every
    group with a set frequency held at least the meetings its terms expect."""
    period = "so far this year" if in_progress else "in the year"
    held = sum(g.held for g in groups)
    met = [g for g in groups if g.held]
    out = [f"The partnership had {counted(len(groups), 'board or group', 'boards and groups')}."]
    if not held:
        out.append(f"No meetings were held {period}.")
    elif len(met) == len(groups):
        out.append(
            f"All of them met {period}, holding {counted(held, 'meeting')} between them."
            if len(groups) > 1
            else f"It met {times(held)} {period}."
        )
    else:
        out.append(
            f"{len(met):,} of them met {period}, holding {counted(held, 'meeting')}"
            + (" between them." if len(met) > 1 else ".")
        )
    short = [g for g in groups if g.expected is not None and g.held < g.expected]
    measured = [g for g in groups if g.expected]
    if short:
        lead = (
            f"{sentence(counted(len(short), 'group'))} met less often than "
            f"{noun(len(short), 'its', 'their')} terms of reference expect"
        )
        if len(short) <= LISTED_GROUPS:
            named = [
                f"{g.board.name} ({g.held:,} of {counted(g.expected or 0, 'meeting')})"
                for g in short
            ]
            out.append(f"{lead}: {listed(named)}.")
        else:
            out.append(f"{lead}; the table shows each group's meetings held and expected.")
    elif measured:
        out.append(
            "Every group with a set frequency met at least as often as its terms of "
            "reference expect."
            if len(measured) > 1
            else f"{measured[0].board.name} met at least as often as its terms of reference expect."
        )
    cancelled = sum(g.cancelled for g in groups)
    if cancelled:
        out.append(f"{sentence(counted(cancelled, 'meeting'))} {was(cancelled)} cancelled.")
    missing = sum(g.not_recorded for g in groups)
    if missing:
        out.append(
            f"{sentence(counted(missing, 'meeting'))} that {was(missing)} due "
            f"{noun(missing, 'is', 'are')} not recorded as held or cancelled."
        )
    return out


def governance_section(partnership: Any, start: dt.date, end: dt.date) -> list[Block] | None:
    """The partnership's own boards and groups; partner boards (other bodies' boards it works
    with) are named, not counted as its own."""
    everyone = governance_year(partnership, start, end)
    groups = [g for g in everyone if g.board.kind != GroupKind.PARTNER_BOARD]
    partners = [g.board.name for g in everyone if g.board.kind == GroupKind.PARTNER_BOARD]
    if not groups:
        return None
    in_progress = start <= timezone.localdate() <= end
    words = governance_sentences(groups, in_progress=in_progress)
    if partners:
        words.append(
            f"It worked with {counted(len(partners), 'partner board')}: {listed(partners)}."
        )
    rows = [
        [
            g.board.name,
            g.board.get_kind_display(),
            g.members,
            g.held,
            g.cancelled,
            "" if g.expected is None else g.expected,
        ]
        for g in groups
    ]
    return [
        Para(" ".join(words)),
        DocTable(
            "Boards and groups: members and meetings in the year",
            [
                "Group",
                "Kind",
                "Members in the year",
                "Meetings held",
                "Meetings cancelled",
                "Meetings expected" + (" to date" if in_progress else ""),
            ],
            rows,
            numeric=(2, 3, 4, 5),
        ),
    ]


# --- business plan -----------------------------------------------------------------------


def business_plan_section(partnership: Any, start: dt.date, end: dt.date) -> list[Block] | None:
    from lift.voice.rules import year_of

    plan = BusinessPlan.objects.filter(partnership=partnership, year=year_of(start)).first()
    if plan is None:
        return None
    priorities = list(plan.priorities.all())
    if not priorities:
        return None
    progress = plan_progress(priorities)
    rows = [
        [
            p.title,
            progress[p.pk].total,
            progress[p.pk].complete,
            progress[p.pk].on_track,
            progress[p.pk].overdue,
        ]
        for p in priorities
    ]
    return [
        Para(f"{plan.title}: progress of each priority from the actions linked to it."),
        DocTable(
            "Business plan priorities: actions",
            ["Priority", "Actions", "Complete", "On track", "Overdue"],
            rows,
            numeric=(1, 2, 3, 4),
        ),
    ]


def register() -> None:
    register_annual_section("governance", "Governance and membership", 10, governance_section)
    register_annual_section("business_plan", "Business plan progress", 70, business_plan_section)
