"""Selectors: upcoming meetings, my meetings, attendance and quorum, progress, forward plan."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lift.governance import selectors, services
from lift.governance.choices import AttendanceStatus, MeetingStatus
from lift.governance.forward_plan import (
    register_forward_plan_source,
    unregister_forward_plan_source,
)

from .conftest import World, make_action

pytestmark = pytest.mark.django_db


def test_meetings_upcoming_by_kind_and_scope(world: World, chair: Any, outsider: Any) -> None:
    assert list(selectors.meetings_upcoming(chair)) == [world.li_meeting, world.upcoming]
    assert list(selectors.meetings_upcoming(chair, "board")) == [world.upcoming]
    assert list(selectors.meetings_upcoming(outsider)) == []


def test_members_see_only_their_groups(world: World) -> None:
    # A trainer (not an oversight role) sees only the L&I sub-group they sit on.
    assert list(selectors.meetings_upcoming(world.trainer)) == [world.li_meeting]


def test_my_meetings_are_my_groups(world: World, chair: Any) -> None:
    assert selectors.my_meetings(chair, world.board.partnership) == [world.upcoming]
    assert selectors.my_meetings(world.trainer, world.board.partnership) == [world.li_meeting]


def test_attendance_summary_and_quorum(world: World, business_unit: Any, chair: Any) -> None:
    services.attendance_record(
        meeting=world.past, person=chair, status=AttendanceStatus.ATTENDED, by=business_unit
    )
    summary = selectors.attendance_summary(world.past)
    assert (summary.members, summary.present, summary.not_recorded) == (2, 1, 1)
    assert not summary.quorate  # quorum 2
    services.attendance_record(
        meeting=world.past,
        person=world.member,
        status=AttendanceStatus.APOLOGIES,
        deputy="Dee Puty",
        by=business_unit,
    )
    summary = selectors.attendance_summary(world.past)
    assert (summary.present, summary.deputies, summary.apologies) == (2, 1, 1)
    assert summary.quorate


def test_plan_progress_counts_in_one_query(
    world: World, business_unit: Any, partnership: Any, agency: Any
) -> None:
    done = make_action(partnership, agency, due_days=5)
    done.status = "completed"
    done.save()
    on_track = make_action(partnership, agency, due_days=5)
    overdue = make_action(partnership, agency, due_days=-5)
    dropped = make_action(partnership, agency, due_days=5, status="proposed")
    dropped.status = "not_accepted"
    dropped.save()
    for target in (done, on_track, overdue, dropped, world.board):
        services.priority_link_add(priority=world.priority, linked=target, by=business_unit)
    other = services.priority_create(
        plan=world.plan, title="Early help", success_measures="x", by=business_unit
    )
    with CaptureQueriesContext(connection) as queries:
        progress = selectors.plan_progress([world.priority, other])
    assert len(queries) <= 2  # the content type may be cached already
    p = progress[world.priority.pk]
    assert (p.total, p.complete, p.on_track, p.overdue, p.other_links) == (3, 1, 1, 1, 1)
    assert p.complete_pct == 33
    assert progress[other.pk].total == 0


def test_forward_plan_groups_meetings_and_ready_items(world: World, chair: Any) -> None:
    def source(partnership: Any) -> list[dict[str, Any]]:
        return [
            {
                "title": "Audit report ready",
                "url": "/audits/1/",
                "group_kind": "board",
                "due": dt.date(2030, 1, 1),
            },
            {"title": "CDOP annual report", "url": "", "group_kind": "cdop", "due": None},
        ]

    register_forward_plan_source(source)
    try:
        plan = selectors.forward_plan(chair, world.board.partnership)
    finally:
        unregister_forward_plan_source(source)
    by_board = {e["board"].name if e["board"] else None: e for e in plan}
    assert by_board["The Board"]["meetings"] == [world.upcoming]
    assert [i.title for i in by_board["The Board"]["ready"]] == ["Audit report ready"]
    assert [i.title for i in by_board[None]["ready"]] == ["CDOP annual report"]


def test_cancelled_meetings_are_not_upcoming(world: World, business_unit: Any, chair: Any) -> None:
    services.meeting_status_set(
        meeting=world.upcoming, status=MeetingStatus.CANCELLED, by=business_unit
    )
    assert world.upcoming not in selectors.meetings_upcoming(chair)


def test_current_year() -> None:
    assert selectors.current_year(dt.date(2016, 3, 31)) == "2015/16"
    assert selectors.current_year(dt.date(2016, 4, 1)) == "2016/17"


def test_responsibility_checklist(world: World, business_unit: Any) -> None:
    services.responsibility_report(
        board=world.li,
        code="li-learning-reviews",
        year="2015/16",
        status="at_risk",
        by=business_unit,
    )
    rows = selectors.responsibility_checklist(world.li, "2015/16")
    assert len(rows) == 7
    assert [r["status"] for r in rows[:2]] == ["not_started", "at_risk"]
    assert selectors.responsibility_checklist(world.board, "2015/16") == []


def test_visible_links_hide_what_the_user_cannot_see(
    world: World, business_unit: Any, learner: Any, chair: Any
) -> None:
    item = services.agenda_item_add(
        meeting=world.upcoming, title="x", linked=world.plan, by=business_unit
    )
    (seen,) = selectors.visible_links(chair, [item])
    assert seen.visible and seen.url == world.plan.get_absolute_url()
    (hidden,) = selectors.visible_links(learner, [item])
    assert not hidden.visible
    assert hidden.label.startswith("A business plan you cannot see")
