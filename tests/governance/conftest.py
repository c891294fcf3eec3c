"""A small governance world: a Board with members, a sub-group, meetings and a plan."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from lift.core.models import Agency, Partnership, Person
from lift.governance import services
from lift.governance.choices import GroupKind, MemberRole
from lift.governance.models import Board, BusinessPlan, Meeting, Priority


@dataclass
class World:
    board: Board
    li: Board
    member: Person  # a board member (role board_member) sitting on the Board
    trainer: Person  # a trainer who sits on the L&I sub-group only
    past: Meeting
    upcoming: Meeting
    li_meeting: Meeting
    plan: BusinessPlan
    priority: Priority
    other_board: Board


def at(days: int, hour: int = 10) -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


@pytest.fixture
def world(
    partnership: Partnership,
    other_partnership: Partnership,
    agency: Agency,
    business_unit: Person,
    chair: Person,
    make_person: Callable[..., Person],
    outsider: Person,
) -> World:
    bu = business_unit
    member = make_person("board_member", agency=agency, full_name="Mo Member")
    trainer = make_person("trainer", full_name="Tess Trainer")
    board = services.board_create(
        partnership=partnership, kind=GroupKind.BOARD, name="The Board", quorum=2, by=bu
    )
    li = services.board_create(
        partnership=partnership,
        kind=GroupKind.SUBGROUP,
        name="L&I sub-group",
        responsibility_set="learning-improvement",
        reports_to=board,
        by=bu,
    )
    since = timezone.localdate() - dt.timedelta(days=400)
    services.membership_add(
        board=board, person=chair, role=MemberRole.CHAIR, starts_on=since, by=bu
    )
    services.membership_add(board=board, person=member, agency=agency, starts_on=since, by=bu)
    services.membership_add(board=li, person=trainer, starts_on=since, by=bu)
    past = services.meeting_create(board=board, starts_at=at(-30), by=bu)
    upcoming = services.meeting_create(board=board, starts_at=at(10), location="Room 1", by=bu)
    li_meeting = services.meeting_create(board=li, starts_at=at(5), by=bu)
    plan = services.business_plan_create(
        partnership=partnership, year="2015/16", title="Business plan", by=bu
    )
    priority = services.priority_create(
        plan=plan, title="Neglect", success_measures="Fewer re-referrals", themes=["neglect"], by=bu
    )
    other_board = services.board_create(
        partnership=other_partnership, kind=GroupKind.BOARD, name="Elsewhere Board", by=outsider
    )
    return World(
        board, li, member, trainer, past, upcoming, li_meeting, plan, priority, other_board
    )


def make_action(
    partnership: Partnership, agency: Agency, *, due_days: int, status: str = "agreed"
) -> Any:
    from lift.learning.services import action_create

    return action_create(
        title=f"Action due in {due_days}",
        owner_agency=agency,
        due_on=timezone.localdate() + dt.timedelta(days=due_days),
        success_measure="Something measurable",
        status=status,
        partnership=partnership,
    )
