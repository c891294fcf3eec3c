"""Services: boards and members, meetings, decisions creating actions, the business plan."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from lift.core.models import ChangeLog
from lift.governance import responsibilities, services
from lift.governance.choices import AttendanceStatus, MeetingStatus, MemberRole
from lift.governance.models import Attendance, PriorityLink
from lift.learning.models import Action

from .conftest import World

pytestmark = pytest.mark.django_db


def test_chair_follows_the_chair_membership(world: World, chair: Any) -> None:
    assert world.board.chair == chair


def test_changes_are_in_the_history(world: World) -> None:
    assert ChangeLog.objects.filter(object_id=str(world.board.pk), action="create").exists() or (
        ChangeLog.objects.filter(object_repr=str(world.board)).exists()
    )


def test_agenda_item_add_links_any_object_and_orders(world: World, business_unit: Any) -> None:
    first = services.agenda_item_add(
        meeting=world.upcoming, title="Plan", linked=world.plan, by=business_unit
    )
    second = services.agenda_item_add(
        meeting=world.upcoming,
        title="Agency",
        linked=business_unit,
        purpose="information",
        by=business_unit,
    )
    assert (first.order, second.order) == (1, 2)
    assert first.linked == world.plan
    assert second.linked == business_unit  # people belong to no partnership: allowed


def test_attendance_record_updates_and_drops_deputy_unless_apologies(
    world: World, business_unit: Any, chair: Any
) -> None:
    services.attendance_record(
        meeting=world.past,
        person=chair,
        status=AttendanceStatus.APOLOGIES,
        deputy="Dee Puty",
        by=business_unit,
    )
    row = services.attendance_record(
        meeting=world.past,
        person=chair,
        status=AttendanceStatus.ATTENDED,
        deputy="Ignored",
        by=business_unit,
    )
    assert row.deputy == ""
    assert Attendance.objects.filter(meeting=world.past).count() == 1


def test_decision_creates_actions_with_the_decision_as_source(
    world: World, business_unit: Any, agency: Any, lead: Any
) -> None:
    services.meeting_status_set(meeting=world.past, status=MeetingStatus.HELD, by=business_unit)
    decision = services.decision_record(meeting=world.past, text="Audit neglect", by=business_unit)
    assert decision.decided_by == "The Board"
    action = services.decision_action_create(
        decision=decision,
        title="Re-audit neglect cases",
        owner_agency=agency,
        owner=lead,
        due_on=timezone.localdate() + dt.timedelta(days=30),
        success_measure="Re-audit shows improvement",
        themes=["neglect"],
        serves=world.priority,
        by=business_unit,
    )
    assert action.source == decision
    assert action.status == "agreed"
    assert list(Action.objects.from_source(decision)) == [action]
    assert PriorityLink.objects.filter(priority=world.priority, linked_id=action.pk).exists()


def test_minutes_cannot_change_once_approved(world: World, business_unit: Any) -> None:
    item = services.agenda_item_add(meeting=world.past, title="Item", by=business_unit)
    services.meeting_status_set(meeting=world.past, status=MeetingStatus.HELD, by=business_unit)
    services.minutes_record(item=item, minutes="Noted.", by=business_unit)
    services.meeting_status_set(
        meeting=world.past, status=MeetingStatus.MINUTES_APPROVED, by=business_unit
    )
    with pytest.raises(Exception, match="approved already"):
        services.minutes_record(item=item, minutes="Changed", by=business_unit)


def test_responsibility_report_upserts(world: World, business_unit: Any) -> None:
    services.responsibility_report(
        board=world.li,
        code="li-audit-programme",
        year="2015/16",
        status="at_risk",
        by=business_unit,
    )
    report = services.responsibility_report(
        board=world.li,
        code="li-audit-programme",
        year="2015/16",
        status="on_track",
        note="Back on track",
        by=business_unit,
    )
    assert world.li.reports.count() == 1
    assert report.status == "on_track"


def test_priority_link_add_is_idempotent(world: World, business_unit: Any) -> None:
    a = services.priority_link_add(priority=world.priority, linked=world.plan, by=business_unit)
    b = services.priority_link_add(priority=world.priority, linked=world.plan, by=business_unit)
    assert a.pk == b.pk
    services.priority_link_remove(link=a, by=business_unit)
    assert not world.priority.links.exists()


def test_priority_themes_by_code(world: World) -> None:
    assert [t.code for t in world.priority.themes.all()] == ["neglect"]


def test_calendar_feed_reset_changes_token(world: World, chair: Any) -> None:
    feed = services.calendar_feed_get(person=chair, partnership=world.board.partnership)
    again = services.calendar_feed_get(person=chair, partnership=world.board.partnership)
    assert feed.token == again.token
    new = services.calendar_feed_reset(person=chair, partnership=world.board.partnership)
    assert new.token != feed.token


def test_membership_end_keeps_the_record(world: World, business_unit: Any) -> None:
    seat = world.board.memberships.get(person=world.member)
    services.membership_end(membership=seat, ends_on=timezone.localdate(), by=business_unit)
    seat.refresh_from_db()
    assert seat.ends_on == timezone.localdate()
    assert seat.role == MemberRole.MEMBER


def test_responsibilities_file_has_the_seed_lists() -> None:
    cat = responsibilities.catalogue()
    li = cat.get("learning-improvement")
    training = cat.get("training")
    assert li is not None and training is not None
    assert [i.number for i in li.items] == ["i", "ii", "iii", "iv", "v", "vi", "vii"]
    assert len(training.items) == 9
    assert li.items[0].urn == "urn:lift:governance:responsibilities:li-audit-programme"


def test_responsibilities_file_errors_name_the_problem(tmp_path: Any) -> None:
    bad = tmp_path / "responsibilities.yaml"
    bad.write_text(
        "urn: urn:lift:x\nversion: 1\nname: x\nsets:\n"
        "  - code: a\n    name: A\n    items:\n      - {code: one, number: i, text: t}\n"
        "  - code: b\n    name: B\n    items:\n      - {code: one, number: i, text: t}\n"
    )
    with pytest.raises(ImproperlyConfigured, match="'one' is used in both"):
        responsibilities.parse(bad)
    bad.write_text("urn: urn:lift:x\nversion: 1\nname: x\nsets:\n  - code: a\n    name: A\n")
    with pytest.raises(ImproperlyConfigured, match="items"):
        responsibilities.parse(bad)
