"""Each governance rule by name (issue 18, item 6): once where it holds and the service goes
ahead, once where it is broken and the service refuses with the rule's message, saving
nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from lift.core.rules import BusinessRule
from lift.governance import rules, services
from lift.governance.choices import AttendanceStatus, GroupKind, MeetingStatus
from lift.governance.models import (
    AgendaItem,
    Attendance,
    Board,
    BoardPack,
    Paper,
    PriorityLink,
    ResponsibilityReport,
)
from lift.learning.models import Action

from .conftest import World
from .papers import pdf_file

pytestmark = pytest.mark.django_db


def _codes(err: ValidationError) -> set[str]:
    if hasattr(err, "error_dict"):
        return {e.code for errors in err.error_dict.values() for e in errors}
    return {e.code for e in err.error_list}


def assert_refused_by(rule: type[BusinessRule], err: ValidationError) -> None:
    """The error is the rule's own: its name as the code, its message as the words."""
    assert rule.__name__ in _codes(err)
    assert rule.message() in err.messages


def test_JointGroupNamesTwoGroups(world: World, business_unit: Any) -> None:
    before = Board.objects.count()
    with pytest.raises(ValidationError) as err:
        services.board_create(
            partnership=world.board.partnership,
            kind=GroupKind.JOINT,
            name="Joint",
            joint_of=[world.board],
            by=business_unit,
        )
    assert_refused_by(rules.JointGroupNamesTwoGroups, err.value)
    assert Board.objects.count() == before
    joint = services.board_create(
        partnership=world.board.partnership,
        kind=GroupKind.JOINT,
        name="Joint",
        joint_of=[world.board, world.li],
        by=business_unit,
    )
    assert set(joint.joint_of.all()) == {world.board, world.li}


def test_OnlyJointGroupsJoinGroups(world: World, business_unit: Any) -> None:
    before = Board.objects.count()
    with pytest.raises(ValidationError) as err:
        services.board_create(
            partnership=world.board.partnership,
            kind=GroupKind.SUBGROUP,
            name="Odd",
            joint_of=[world.board, world.li],
            by=business_unit,
        )
    assert_refused_by(rules.OnlyJointGroupsJoinGroups, err.value)
    assert Board.objects.count() == before
    group = services.board_create(
        partnership=world.board.partnership,
        kind=GroupKind.SUBGROUP,
        name="Plain",
        by=business_unit,
    )
    assert not group.joint_of.exists()


def test_AttendanceOnlyForMembers(world: World, business_unit: Any) -> None:
    with pytest.raises(ValidationError) as err:
        services.attendance_record(
            meeting=world.past,
            person=world.trainer,  # sits on the L&I sub-group, not the Board
            status=AttendanceStatus.ATTENDED,
            by=business_unit,
        )
    assert_refused_by(rules.AttendanceOnlyForMembers, err.value)
    assert not Attendance.objects.filter(meeting=world.past).exists()
    row = services.attendance_record(
        meeting=world.past, person=world.member, status=AttendanceStatus.ATTENDED, by=business_unit
    )
    assert Attendance.objects.get(meeting=world.past).pk == row.pk


def test_HeldOnlyAfterStart(world: World, business_unit: Any) -> None:
    with pytest.raises(ValidationError) as err:
        services.meeting_status_set(
            meeting=world.upcoming, status=MeetingStatus.HELD, by=business_unit
        )
    assert_refused_by(rules.HeldOnlyAfterStart, err.value)
    world.upcoming.refresh_from_db()
    assert world.upcoming.status == MeetingStatus.PLANNED
    services.meeting_status_set(meeting=world.past, status=MeetingStatus.HELD, by=business_unit)
    world.past.refresh_from_db()
    assert world.past.status == MeetingStatus.HELD


def test_MinutesBeforeApproval(world: World, business_unit: Any) -> None:
    item = services.agenda_item_add(meeting=world.past, title="Item", by=business_unit)
    services.meeting_status_set(meeting=world.past, status=MeetingStatus.HELD, by=business_unit)
    with pytest.raises(ValidationError) as err:
        services.meeting_status_set(
            meeting=world.past, status=MeetingStatus.MINUTES_APPROVED, by=business_unit
        )
    assert_refused_by(rules.MinutesBeforeApproval, err.value)
    world.past.refresh_from_db()
    assert world.past.status == MeetingStatus.HELD
    services.minutes_record(item=item, minutes="Noted.", by=business_unit)
    services.meeting_status_set(
        meeting=world.past, status=MeetingStatus.MINUTES_APPROVED, by=business_unit
    )
    world.past.refresh_from_db()
    assert world.past.status == MeetingStatus.MINUTES_APPROVED


def _decide(meeting: Any, bu: Any, agency: Any) -> Action:
    decision = services.decision_record(meeting=meeting, text="Do it", by=bu)
    return services.decision_action_create(
        decision=decision,
        title="Do it",
        owner_agency=agency,
        due_on=timezone.localdate() + dt.timedelta(days=30),
        success_measure="Done",
        by=bu,
    )


def test_ActionsOnlyFromHeldMeetings(world: World, business_unit: Any, agency: Any) -> None:
    with pytest.raises(ValidationError) as err:
        _decide(world.upcoming, business_unit, agency)
    assert_refused_by(rules.ActionsOnlyFromHeldMeetings, err.value)
    assert not Action.objects.filter(title="Do it").exists()
    services.meeting_status_set(meeting=world.past, status=MeetingStatus.HELD, by=business_unit)
    action = _decide(world.past, business_unit, agency)
    assert Action.objects.filter(pk=action.pk, title="Do it").exists()


def test_ResponsibilityOfTheGroup(world: World, business_unit: Any) -> None:
    with pytest.raises(ValidationError) as err:
        services.responsibility_report(
            board=world.li,
            code="tr-needs-assessment",  # a training responsibility, not L&I's
            year="2015/16",
            status="on_track",
            by=business_unit,
        )
    assert_refused_by(rules.ResponsibilityOfTheGroup, err.value)
    assert not ResponsibilityReport.objects.exists()
    report = services.responsibility_report(
        board=world.li,
        code="li-audit-programme",
        year="2015/16",
        status="on_track",
        by=business_unit,
    )
    assert ResponsibilityReport.objects.get().pk == report.pk


def test_LinkInSamePartnership(world: World, business_unit: Any) -> None:
    with pytest.raises(ValidationError) as err:
        services.agenda_item_add(
            meeting=world.upcoming, title="Elsewhere", linked=world.other_board, by=business_unit
        )
    assert_refused_by(rules.LinkInSamePartnership, err.value)
    assert not AgendaItem.objects.filter(title="Elsewhere").exists()
    with pytest.raises(ValidationError) as err:
        services.priority_link_add(
            priority=world.priority, linked=world.other_board, by=business_unit
        )
    assert_refused_by(rules.LinkInSamePartnership, err.value)
    assert not PriorityLink.objects.exists()
    item = services.agenda_item_add(
        meeting=world.upcoming, title="Here", linked=world.li, by=business_unit
    )
    assert item.linked == world.li


def test_partnership_of(world: World) -> None:
    partnership = world.board.partnership
    assert rules.partnership_of(partnership) == partnership.pk
    assert rules.partnership_of(world.board) == partnership.pk
    assert rules.partnership_of(world.other_board) == world.other_board.partnership_id
    assert rules.partnership_of(world.other_board) != partnership.pk
    assert rules.partnership_of(None) is None


def test_MeetingNotCancelled(world: World, business_unit: Any) -> None:
    item = services.agenda_item_add(meeting=world.upcoming, title="Open", by=business_unit)
    assert item.meeting == world.upcoming
    services.meeting_status_set(
        meeting=world.upcoming, status=MeetingStatus.CANCELLED, by=business_unit
    )
    for write in (
        lambda: services.agenda_item_add(meeting=world.upcoming, title="x", by=business_unit),
        lambda: services.decision_record(meeting=world.upcoming, text="x", by=business_unit),
        lambda: services.attendance_record(
            meeting=world.upcoming,
            person=world.member,
            status=AttendanceStatus.ATTENDED,
            by=business_unit,
        ),
    ):
        with pytest.raises(ValidationError) as err:
            write()
        assert_refused_by(rules.MeetingNotCancelled, err.value)
    assert list(world.upcoming.items.all()) == [item]
    assert not world.upcoming.decisions.exists()
    assert not Attendance.objects.filter(meeting=world.upcoming).exists()


def test_PapersOnlyBeforeMinutesApproved(world: World, business_unit: Any) -> None:
    item = services.agenda_item_add(meeting=world.past, title="Report", by=business_unit)
    paper = services.paper_add(
        item=item, uploaded_file=pdf_file(), title="Report", by=business_unit
    )
    services.paper_replace(paper=paper, uploaded_file=pdf_file(), by=business_unit)
    assert Paper.objects.get(pk=paper.pk).version == 2
    services.minutes_record(item=item, minutes="Noted.", by=business_unit)
    services.meeting_status_set(meeting=world.past, status=MeetingStatus.HELD, by=business_unit)
    services.meeting_status_set(
        meeting=world.past, status=MeetingStatus.MINUTES_APPROVED, by=business_unit
    )
    with pytest.raises(ValidationError) as err:
        services.paper_replace(paper=paper, uploaded_file=pdf_file(), by=business_unit)
    assert_refused_by(rules.PapersOnlyBeforeMinutesApproved, err.value)
    assert Paper.objects.get(pk=paper.pk).version == 2
    assert paper.versions.count() == 2


def test_PaperOfThisItem(world: World, business_unit: Any) -> None:
    item = services.agenda_item_add(meeting=world.upcoming, title="One", by=business_unit)
    a = services.paper_add(item=item, uploaded_file=pdf_file(), title="A", by=business_unit)
    b = services.paper_add(item=item, uploaded_file=pdf_file(), title="B", by=business_unit)
    other = services.paper_add(
        item=services.agenda_item_add(meeting=world.upcoming, title="Two", by=business_unit),
        uploaded_file=pdf_file(),
        title="C",
        by=business_unit,
    )
    with pytest.raises(ValidationError) as err:
        services.papers_reorder(item=item, papers=[b, other], by=business_unit)
    assert_refused_by(rules.PaperOfThisItem, err.value)
    assert list(item.papers.order_by("order").values_list("title", flat=True)) == ["A", "B"]
    services.papers_reorder(item=item, papers=[b, a], by=business_unit)
    assert list(item.papers.order_by("order").values_list("title", flat=True)) == ["B", "A"]


def test_PackOncePerPapersVersion(world: World, business_unit: Any) -> None:
    item = services.agenda_item_add(meeting=world.upcoming, title="Progress", by=business_unit)
    services.paper_add(item=item, uploaded_file=pdf_file(), title="Report", by=business_unit)
    first = services.board_pack_publish(meeting=world.upcoming, by=business_unit)
    assert first.number == 1
    with pytest.raises(ValidationError) as err:
        services.board_pack_publish(meeting=world.upcoming, by=business_unit)
    assert_refused_by(rules.PackOncePerPapersVersion, err.value)
    assert BoardPack.objects.filter(meeting=world.upcoming).count() == 1
    # Once the papers change, a new pack may be built.
    services.paper_mark_late(paper=item.papers.get(), late=True, by=business_unit)
    second = services.board_pack_publish(meeting=world.upcoming, by=business_unit)
    assert second.number == 2
