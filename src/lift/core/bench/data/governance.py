"""Governance's generator: boards, members, meetings, agenda items, attendance."""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from .context import BenchContext, pick, row_factory
from .learning import TOPICS
from .scales import Scale

BOARDS = [
    ("board", "Safeguarding Children Board", "Board"),
    ("executive", "Executive Group", "Exec"),
    ("subgroup", "Learning and Improvement Sub-group", "L&I"),
    ("subgroup", "Quality Assurance Sub-group", "QA"),
    ("subgroup", "Training Sub-group", "Training"),
    ("cdop", "Child Death Overview Panel", "CDOP"),
]


def generate_governance(ctx: BenchContext, scale: Scale, rng: random.Random) -> None:
    from lift.governance.models import AgendaItem, Attendance, Board, Meeting, Membership

    per_board = scale.count("meetings_per_board", 12)
    new_attendance, new_item = row_factory(Attendance), row_factory(AgendaItem)
    tz = timezone.get_current_timezone()
    for bp in ctx.partnerships:
        boards = ctx.insert(
            Board,
            (
                Board(partnership_id=bp.pk, kind=kind, name=name, short_name=short, quorum=3)
                for kind, name, short in BOARDS
            ),
        )
        members = (
            bp.by_role.get("board_member", [])
            + bp.by_role.get("subgroup_member", [])
            + bp.by_role.get("subgroup_chair", [])
            + bp.by_role.get("lay_member", [])
        ) or bp.person_ids[:10]
        if bp.index == 1:
            members = [ctx.people[k] for k in ("bu", "chair", "board") if k in ctx.people] + members
        seats: dict[int, list[int]] = {}
        membership_rows = []
        for board in boards:
            chosen = members[:3] + rng.sample(members, min(len(members), 12))
            seats[board.pk] = list(dict.fromkeys(chosen))[:14]
            for k, person_id in enumerate(seats[board.pk]):
                membership_rows.append(
                    Membership(
                        partnership_id=bp.pk,
                        board_id=board.pk,
                        person_id=person_id,
                        role="chair" if k == 0 else "member",
                        agency_id=bp.agency_of.get(person_id),
                        starts_on=ctx.today - dt.timedelta(days=800),
                    )
                )
        ctx.insert(Membership, membership_rows)
        meeting_rows = []
        for board in boards:
            for m in range(per_board):
                when = dt.datetime.combine(
                    ctx.today + dt.timedelta(days=(m - per_board + 2) * 30),
                    dt.time(10, 0),
                    tzinfo=tz,
                )
                meeting_rows.append(
                    Meeting(
                        partnership_id=bp.pk,
                        board_id=board.pk,
                        starts_at=when,
                        ends_at=when + dt.timedelta(hours=2),
                        location="Room 1, Bench House (fictional)",
                        status="held" if when.date() < ctx.today else "planned",
                    )
                )
        meetings = ctx.insert(Meeting, meeting_rows)
        ctx.insert(
            AgendaItem,
            (
                new_item(
                    partnership_id=bp.pk,
                    meeting_id=mt.pk,
                    order=k + 1,
                    title=f"Item {k + 1}: {pick(rng, TOPICS)}"[:250],
                    presenter_id=pick(rng, seats[mt.board_id]),
                    purpose=pick(rng, ["decision", "discussion", "information", "assurance"]),
                )
                for mt in meetings
                for k in range(6)
            ),
        )
        ctx.insert(
            Attendance,
            (
                new_attendance(
                    partnership_id=bp.pk,
                    meeting_id=mt.pk,
                    person_id=person_id,
                    status=rng.choices(["attended", "apologies", "absent"], [8, 2, 1])[0],
                )
                for mt in meetings
                if mt.status == "held"
                for person_id in seats[mt.board_id]
            ),
        )
        bp.extra["board_ids"] = [b.pk for b in boards]
