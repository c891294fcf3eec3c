"""Every governance page: anonymous -> sign in, out of scope -> 404, no permission -> 403,
in scope -> 200; the forms work; lists export; list query counts stay flat."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from lift.governance import services
from lift.governance.choices import AttendanceStatus, MeetingStatus
from lift.governance.models import Attendance, Board, Decision, Meeting
from lift.learning.models import Action

from ..permissions import assert_permissions
from .conftest import World, make_action

pytestmark = pytest.mark.django_db


@pytest.fixture
def things(world: World, business_unit: Any) -> dict[str, Any]:
    item = services.agenda_item_add(
        meeting=world.upcoming, title="Plan progress", linked=world.plan, by=business_unit
    )
    decision = services.decision_record(meeting=world.past, text="Do the thing", by=business_unit)
    link = services.priority_link_add(priority=world.priority, linked=world.plan, by=business_unit)
    membership = world.board.memberships.get(person=world.member)
    return {"item": item, "decision": decision, "link": link, "membership": membership}


def test_list_pages(
    world: World, business_unit: Any, chair: Any, learner: Any, outsider: Any
) -> None:
    for name in [
        "board_list",
        "membership_list",
        "meeting_list",
        "agendaitem_list",
        "decision_list",
        "forward_plan",
        "calendar",
        "calendar_ics",
    ]:
        assert_permissions(
            reverse(f"governance:{name}"), allowed=[business_unit, chair, world.trainer]
        )
    for name in ["businessplan_list", "priority_list"]:
        assert_permissions(
            reverse(f"governance:{name}"), allowed=[business_unit, chair], forbidden=[learner]
        )


def test_detail_pages(
    world: World,
    things: dict[str, Any],
    business_unit: Any,
    chair: Any,
    learner: Any,
    outsider: Any,
) -> None:
    w = world
    for name, obj in [
        ("board", w.board),
        ("meeting", w.upcoming),
        ("agendaitem", things["item"]),
        ("decision", things["decision"]),
        ("membership", things["membership"]),
        ("businessplan", w.plan),
        ("priority", w.priority),
    ]:
        for suffix in ("detail", "history"):
            assert_permissions(
                reverse(f"governance:{name}_{suffix}", args=[obj.pk]),
                allowed=[business_unit, chair],
                not_found=[outsider, learner],  # a learner sees none of it
            )
    # A trainer on the L&I sub-group reads it, but not the Board.
    assert_permissions(
        reverse("governance:board_detail", args=[w.li.pk]),
        allowed=[w.trainer],
        not_found=[outsider],
    )
    assert_permissions(reverse("governance:board_detail", args=[w.board.pk]), not_found=[w.trainer])
    assert_permissions(
        reverse("governance:board_responsibilities", args=[w.li.pk]),
        allowed=[business_unit, chair, w.trainer],
        not_found=[outsider, learner],
    )


def test_edit_and_add_pages(
    world: World, things: dict[str, Any], business_unit: Any, chair: Any, outsider: Any
) -> None:
    w = world
    member = w.member  # a board member: reads, may not change
    for url in [
        reverse("governance:board_add"),
        reverse("governance:board_edit", args=[w.board.pk]),
        reverse("governance:board_delete", args=[w.board.pk]),
        reverse("governance:membership_add"),
        reverse("governance:membership_edit", args=[things["membership"].pk]),
        reverse("governance:businessplan_add"),
        reverse("governance:businessplan_edit", args=[w.plan.pk]),
        reverse("governance:priority_add", args=[w.plan.pk]),
        reverse("governance:priority_edit", args=[w.priority.pk]),
        reverse("governance:prioritylink_add", args=[w.priority.pk]),
        reverse("governance:board_report", args=[w.li.pk, "li-audit-programme"]),
    ]:
        assert_permissions(url, allowed=[business_unit], forbidden=[member])
    for url in [
        reverse("governance:meeting_add"),
        reverse("governance:meeting_edit", args=[w.upcoming.pk]),
        reverse("governance:meeting_attendance", args=[w.past.pk]),
        reverse("governance:agendaitem_add", args=[w.upcoming.pk]),
        reverse("governance:agendaitem_edit", args=[things["item"].pk]),
        reverse("governance:agendaitem_papers", args=[things["item"].pk]),
        reverse("governance:decision_add", args=[w.past.pk]),
        reverse("governance:decision_edit", args=[things["decision"].pk]),
        reverse("governance:decision_action_add", args=[things["decision"].pk]),
    ]:
        assert_permissions(url, allowed=[business_unit, chair], forbidden=[member])
    for url in [
        reverse("governance:meeting_edit", args=[w.upcoming.pk]),
        reverse("governance:agendaitem_add", args=[w.upcoming.pk]),
        reverse("governance:board_edit", args=[w.board.pk]),
    ]:
        assert_permissions(url, not_found=[outsider])


def test_board_create_with_terms_file(business_unit: Any, client_for: Any) -> None:
    response = client_for(business_unit).post(
        reverse("governance:board_add"),
        {
            "kind": "subgroup",
            "name": "Neglect task group",
            "quorum": "0",
            "responsibility_set": "",
            "is_active": "on",
            "terms_upload": SimpleUploadedFile("tor.txt", b"Terms", content_type="text/plain"),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    board = Board.objects.get(name="Neglect task group")
    assert board.terms_file is not None
    assert client_for(business_unit).get(board.terms_file.get_absolute_url()).status_code == 200


def test_meeting_page_shows_linked_items_and_attendance(
    world: World, things: dict[str, Any], business_unit: Any, client_for: Any
) -> None:
    page = client_for(business_unit).get(world.upcoming.get_absolute_url()).content.decode()
    assert "Plan progress" in page
    assert world.plan.get_absolute_url() in page
    assert "Record attendance" in page


def test_record_attendance(world: World, business_unit: Any, chair: Any, client_for: Any) -> None:
    url = reverse("governance:meeting_attendance", args=[world.past.pk])
    response = client_for(business_unit).post(
        url,
        {
            f"status_{chair.pk}": AttendanceStatus.ATTENDED,
            f"status_{world.member.pk}": AttendanceStatus.APOLOGIES,
            f"deputy_{world.member.pk}": "Dee Puty",
        },
    )
    assert response.status_code == 302
    assert Attendance.objects.get(meeting=world.past, person=world.member).deputy == "Dee Puty"


def test_meeting_status_and_action_from_decision(
    world: World, things: dict[str, Any], business_unit: Any, agency: Any, client_for: Any
) -> None:
    c = client_for(business_unit)
    c.post(reverse("governance:meeting_status", args=[world.past.pk]), {"status": "held"})
    world.past.refresh_from_db()
    assert world.past.status == MeetingStatus.HELD
    response = c.post(
        reverse("governance:decision_action_add", args=[things["decision"].pk]),
        {
            "title": "Audit again",
            "owner_agency": agency.pk,
            "due_on": (timezone.localdate() + dt.timedelta(days=10)).isoformat(),
            "success_measure": "Better",
            "priority": "high",
            "serves": world.priority.pk,
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    action = Action.objects.get(title="Audit again")
    assert action.source == things["decision"]
    page = c.get(world.priority.get_absolute_url()).content.decode()
    assert action.get_absolute_url() in page


def test_meeting_status_refused_is_shown(world: World, business_unit: Any, client_for: Any) -> None:
    c = client_for(business_unit)
    response = c.post(
        reverse("governance:meeting_status", args=[world.upcoming.pk]),
        {"status": "held"},
        follow=True,
    )
    assert "before it has started" in response.content.decode()


def test_agenda_item_link_by_address(world: World, business_unit: Any, client_for: Any) -> None:
    c = client_for(business_unit)
    url = reverse("governance:agendaitem_add", args=[world.upcoming.pk])
    bad = c.post(url, {"title": "x", "purpose": "discussion", "link": "/nowhere/"})
    assert bad.status_code == 200 and "Enter the address of a record" in bad.content.decode()
    ok = c.post(
        url,
        {
            "title": "Priority",
            "purpose": "decision",
            "link": "http://testserver" + world.priority.get_absolute_url(),
        },
    )
    assert ok.status_code == 302
    assert world.upcoming.items.get(title="Priority").linked == world.priority


def test_report_a_responsibility(world: World, business_unit: Any, client_for: Any) -> None:
    url = reverse("governance:board_report", args=[world.li.pk, "li-audit-programme"])
    response = client_for(business_unit).post(
        url + "?year=2015/16", {"status": "at_risk", "note": "Behind"}
    )
    assert response.status_code == 302
    assert world.li.reports.get().status == "at_risk"
    missing = reverse("governance:board_report", args=[world.li.pk, "tr-needs-assessment"])
    assert client_for(business_unit).get(missing).status_code == 404


def test_priority_link_add_and_remove(
    world: World, things: dict[str, Any], business_unit: Any, chair: Any, client_for: Any
) -> None:
    remove = reverse("governance:prioritylink_remove", args=[things["link"].pk])
    assert client_for(chair).post(remove).status_code in (403, 404)
    assert client_for(business_unit).post(remove).status_code == 302
    assert not world.priority.links.exists()


def test_lists_export(world: World, business_unit: Any, client_for: Any) -> None:
    c = client_for(business_unit)
    for name in ["board_list", "membership_list", "meeting_list", "businessplan_list"]:
        response = c.get(reverse(f"governance:{name}") + "?export=csv")
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/csv")
    xlsx = c.get(reverse("governance:meeting_list") + "?export=xlsx")
    assert xlsx.status_code == 200


def test_meeting_list_query_count_is_flat(
    world: World, business_unit: Any, client_for: Any, django_assert_max_num_queries: Any
) -> None:
    for days in range(20):
        services.meeting_create(
            board=world.board,
            starts_at=timezone.now() + dt.timedelta(days=days + 40),
            by=business_unit,
        )
    c = client_for(business_unit)
    c.get(reverse("governance:meeting_list"))
    with django_assert_max_num_queries(20):
        assert c.get(reverse("governance:meeting_list")).status_code == 200
    with django_assert_max_num_queries(20):
        assert c.get(reverse("governance:board_list")).status_code == 200


def test_business_plan_page_progress_query_count(
    world: World,
    business_unit: Any,
    partnership: Any,
    agency: Any,
    client_for: Any,
    django_assert_max_num_queries: Any,
) -> None:
    for i in range(10):
        action = make_action(partnership, agency, due_days=i - 5)
        services.priority_link_add(priority=world.priority, linked=action, by=business_unit)
    c = client_for(business_unit)
    c.get(world.plan.get_absolute_url())
    with django_assert_max_num_queries(20):
        page = c.get(world.plan.get_absolute_url()).content.decode()
    assert "10 linked actions" in page


def test_home_panel_lists_my_meetings(world: World, chair: Any, client_for: Any) -> None:
    page = client_for(chair).get("/").content.decode()
    assert "My meetings" in page
    assert world.upcoming.get_absolute_url() in page


def test_navigation(world: World, chair: Any, learner: Any, client_for: Any) -> None:
    # The menu leads to the Board area; its landing page lists governance's pages.
    home = client_for(chair).get("/").content.decode()
    assert 'class="govuk-service-navigation__link" href="/board/"' in home
    page = client_for(chair).get("/board/").content.decode()
    for url in ("/boards/", "/meetings/", "/business-plan/"):
        assert f'<a class="govuk-link" href="{url}">' in page
    learner_home = client_for(learner).get("/").content.decode()
    assert 'href="/business-plan/"' not in learner_home
    assert 'class="govuk-service-navigation__link" href="/board/"' not in learner_home


def test_calendar_feeds(world: World, chair: Any, business_unit: Any, client_for: Any) -> None:
    from icalendar import Calendar

    mine = client_for(chair).get(reverse("governance:calendar_ics"))
    cal = Calendar.from_ical(mine.content)
    summaries = {str(e["summary"]) for e in cal.walk("VEVENT")}
    assert summaries == {"The Board"}  # the chair's group only
    everything = Calendar.from_ical(
        client_for(business_unit).get(reverse("governance:calendar_ics")).content
    )
    assert {str(e["summary"]) for e in everything.walk("VEVENT")} == {"The Board", "L&I sub-group"}

    feed = services.calendar_feed_get(person=chair, partnership=world.board.partnership)
    public = client_for(None).get(reverse("governance:calendar_public", args=[feed.token]))
    assert public.status_code == 200
    assert public["Content-Type"].startswith("text/calendar")
    assert b"The Board" in public.content
    assert (
        client_for(None).get(reverse("governance:calendar_public", args=["nope"])).status_code
        == 404
    )
    client_for(chair).post(reverse("governance:calendar"))
    assert (
        client_for(None).get(reverse("governance:calendar_public", args=[feed.token])).status_code
        == 404
    )


def test_decision_and_meeting_delete(
    world: World, things: dict[str, Any], business_unit: Any, client_for: Any
) -> None:
    c = client_for(business_unit)
    response = c.post(
        reverse("governance:decision_delete", args=[things["decision"].pk]), {"reason": "Duplicate"}
    )
    assert response.status_code == 302
    assert not Decision.objects.filter(pk=things["decision"].pk).exists()
    response = c.post(
        reverse("governance:meeting_delete", args=[world.li_meeting.pk]), {"reason": "x"}
    )
    assert response.status_code == 302
    assert not Meeting.objects.filter(pk=world.li_meeting.pk).exists()
