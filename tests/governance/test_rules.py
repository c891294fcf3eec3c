"""One test per governance rule."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from lift.governance import rules, services
from lift.governance.choices import AttendanceStatus, GroupKind, MeetingStatus, MemberRole

from .conftest import World, at

pytestmark = pytest.mark.django_db


def test_rule_messages_come_from_docstrings() -> None:
    assert rules.OneChairAtATime.message().startswith("A group has one chair at a time")
    with pytest.raises(ValidationError) as err:
        rules.OneChairAtATime.require(False)
    assert "role" in err.value.message_dict
    assert err.value.error_dict["role"][0].code == "OneChairAtATime"


@pytest.mark.parametrize(
    ("year", "ok"),
    [
        ("2015/16", True),
        ("1999/00", True),
        ("2015/17", False),
        ("2015-16", False),
        ("15/16", False),
    ],
)
def test_year_format(year: str, ok: bool) -> None:
    assert rules.YearFormat.holds(year) is ok


def test_business_plan_year_must_follow_the_rule(partnership: Any, business_unit: Any) -> None:
    with pytest.raises(ValidationError, match="2015/16"):
        services.business_plan_create(
            partnership=partnership, year="2015", title="x", by=business_unit
        )


def test_joint_group_names_two_groups(world: World, business_unit: Any) -> None:
    with pytest.raises(ValidationError, match="at least two groups"):
        services.board_create(
            partnership=world.board.partnership,
            kind=GroupKind.JOINT,
            name="Joint",
            joint_of=[world.board],
            by=business_unit,
        )
    joint = services.board_create(
        partnership=world.board.partnership,
        kind=GroupKind.JOINT,
        name="Joint",
        joint_of=[world.board, world.li],
        by=business_unit,
    )
    assert set(joint.joint_of.all()) == {world.board, world.li}


def test_only_joint_groups_join_groups(world: World, business_unit: Any) -> None:
    with pytest.raises(ValidationError, match="Only a group of kind"):
        services.board_create(
            partnership=world.board.partnership,
            kind=GroupKind.SUBGROUP,
            name="Odd",
            joint_of=[world.board, world.li],
            by=business_unit,
        )


def test_one_chair_at_a_time(world: World, business_unit: Any) -> None:
    with pytest.raises(ValidationError, match="one chair at a time"):
        services.membership_add(
            board=world.board, person=world.member, role=MemberRole.CHAIR, by=business_unit
        )
    # A chair who starts after the current one has ended is fine.
    chair_seat = world.board.memberships.get(role=MemberRole.CHAIR)
    services.membership_end(
        membership=chair_seat, ends_on=timezone.localdate() - dt.timedelta(days=1), by=business_unit
    )
    services.membership_add(
        board=world.board, person=world.member, role=MemberRole.CHAIR, by=business_unit
    )
    world.board.refresh_from_db()
    assert world.board.chair == world.member


def test_attendance_only_for_members(world: World, business_unit: Any) -> None:
    with pytest.raises(ValidationError, match="members of the group"):
        services.attendance_record(
            meeting=world.past,
            person=world.trainer,
            status=AttendanceStatus.ATTENDED,
            by=business_unit,
        )


def test_meeting_status_order(world: World, business_unit: Any) -> None:
    with pytest.raises(ValidationError, match="in that order"):
        services.meeting_status_set(
            meeting=world.past, status=MeetingStatus.MINUTES_APPROVED, by=business_unit
        )
    assert rules.MeetingStatusOrder.holds(MeetingStatus.PLANNED, MeetingStatus.CANCELLED)
    assert not rules.MeetingStatusOrder.holds(MeetingStatus.HELD, MeetingStatus.CANCELLED)


def test_held_only_after_start(world: World, business_unit: Any) -> None:
    with pytest.raises(ValidationError, match="before it has started"):
        services.meeting_status_set(
            meeting=world.upcoming, status=MeetingStatus.HELD, by=business_unit
        )


def test_minutes_before_approval(world: World, business_unit: Any) -> None:
    item = services.agenda_item_add(meeting=world.past, title="Item", by=business_unit)
    services.meeting_status_set(meeting=world.past, status=MeetingStatus.HELD, by=business_unit)
    with pytest.raises(ValidationError, match="every agenda item"):
        services.meeting_status_set(
            meeting=world.past, status=MeetingStatus.MINUTES_APPROVED, by=business_unit
        )
    services.minutes_record(item=item, minutes="Noted.", by=business_unit)
    services.meeting_status_set(
        meeting=world.past, status=MeetingStatus.MINUTES_APPROVED, by=business_unit
    )
    assert world.past.status == MeetingStatus.MINUTES_APPROVED


def test_actions_only_from_held_meetings(world: World, business_unit: Any, agency: Any) -> None:
    decision = services.decision_record(meeting=world.upcoming, text="Do it", by=business_unit)
    with pytest.raises(ValidationError, match="once its meeting has been held"):
        services.decision_action_create(
            decision=decision,
            title="Do it",
            owner_agency=agency,
            due_on=timezone.localdate(),
            success_measure="Done",
            by=business_unit,
        )


def test_responsibility_of_the_group(world: World, business_unit: Any) -> None:
    with pytest.raises(ValidationError, match="its own set"):
        services.responsibility_report(
            board=world.li,
            code="tr-needs-assessment",
            year="2015/16",
            status="on_track",
            by=business_unit,
        )
    with pytest.raises(ValidationError, match="its own set"):
        services.responsibility_report(
            board=world.board,
            code="li-audit-programme",
            year="2015/16",
            status="on_track",
            by=business_unit,
        )


def test_link_in_same_partnership(world: World, business_unit: Any) -> None:
    with pytest.raises(ValidationError, match="same partnership"):
        services.agenda_item_add(
            meeting=world.upcoming, title="x", linked=world.other_board, by=business_unit
        )
    with pytest.raises(ValidationError, match="same partnership"):
        services.priority_link_add(
            priority=world.priority, linked=world.other_board, by=business_unit
        )


def test_meeting_not_cancelled(world: World, business_unit: Any) -> None:
    services.meeting_status_set(
        meeting=world.upcoming, status=MeetingStatus.CANCELLED, by=business_unit
    )
    with pytest.raises(ValidationError, match="cancelled meeting"):
        services.agenda_item_add(meeting=world.upcoming, title="x", by=business_unit)


@pytest.mark.parametrize(("quorum", "attending", "ok"), [(0, 0, True), (3, 2, False), (3, 3, True)])
def test_quorate(quorum: int, attending: int, ok: bool) -> None:
    assert rules.quorate(quorum, attending) is ok


def test_meeting_must_end_after_it_starts(world: World, business_unit: Any) -> None:
    with pytest.raises(ValidationError):
        services.meeting_create(
            board=world.board,
            starts_at=at(3),
            ends_at=at(3) - dt.timedelta(hours=1),
            by=business_unit,
        )


def test_papers_are_due_a_week_before_the_meeting(world: World) -> None:
    starts = world.upcoming.starts_at
    assert rules.papers_deadline(starts) == starts - dt.timedelta(days=7)
    assert not services.paper_is_late(world.upcoming, at=starts - dt.timedelta(days=8))
    assert services.paper_is_late(world.upcoming, at=starts - dt.timedelta(days=6))
