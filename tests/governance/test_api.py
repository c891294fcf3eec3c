"""The governance API: scoping, services behind writes, bad input in one error shape."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from lift.governance import services
from lift.governance.choices import MeetingStatus
from lift.learning.models import Action

from .conftest import World, at

pytestmark = pytest.mark.django_db


def test_lists_are_scoped(world: World, business_unit: Any, outsider: Any, client_for: Any) -> None:
    for path in [
        "boards",
        "board-memberships",
        "meetings",
        "agenda-items",
        "decisions",
        "business-plans",
        "priorities",
    ]:
        mine = client_for(business_unit).get(f"/api/v1/{path}/")
        assert mine.status_code == 200, path
        theirs = client_for(outsider).get(f"/api/v1/{path}/")
        assert theirs.status_code == 200
        ids = {row["id"] for row in theirs.json()["results"]}
        own = {row["id"] for row in mine.json()["results"]}
        if path == "boards":
            assert ids == {world.other_board.pk}
        else:
            assert not ids & own
    assert client_for(outsider).get(f"/api/v1/boards/{world.board.pk}/").status_code == 404
    assert client_for(None).get("/api/v1/boards/").status_code in (401, 403)


def test_member_sees_only_their_groups(world: World, client_for: Any) -> None:
    rows = client_for(world.trainer).get("/api/v1/meetings/").json()["results"]
    assert [r["id"] for r in rows] == [world.li_meeting.pk]


def test_create_board_and_joint_rule(world: World, business_unit: Any, client_for: Any) -> None:
    c = client_for(business_unit)
    bad = c.post(
        "/api/v1/boards/",
        {"kind": "joint", "name": "Joint", "joint_of": [world.board.pk]},
        content_type="application/json",
    )
    assert bad.status_code == 400
    assert "joint_of" in bad.json()["errors"]
    ok = c.post(
        "/api/v1/boards/",
        {"kind": "joint", "name": "Joint", "joint_of": [world.board.pk, world.li.pk]},
        content_type="application/json",
    )
    assert ok.status_code == 201, ok.json()
    other = c.post(
        "/api/v1/boards/",
        {"kind": "joint", "name": "J2", "joint_of": [world.board.pk, world.other_board.pk]},
        content_type="application/json",
    )
    assert other.status_code == 400


def test_member_may_not_create(world: World, client_for: Any) -> None:
    response = client_for(world.member).post(
        "/api/v1/boards/", {"kind": "subgroup", "name": "X"}, content_type="application/json"
    )
    assert response.status_code == 403


def test_agenda_item_with_generic_link(world: World, business_unit: Any, client_for: Any) -> None:
    c = client_for(business_unit)
    response = c.post(
        "/api/v1/agenda-items/",
        {
            "meeting": world.upcoming.pk,
            "title": "The plan",
            "purpose": "assurance",
            "linked": {"type": "governance.businessplan", "id": world.plan.pk},
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["linked"]["url"] == world.plan.get_absolute_url()
    bad = c.post(
        "/api/v1/agenda-items/",
        {"meeting": world.upcoming.pk, "title": "x", "linked": {"type": "nope.nope", "id": 1}},
        content_type="application/json",
    )
    assert bad.status_code == 400
    assert "linked" in bad.json()["errors"]
    hidden = c.post(
        "/api/v1/agenda-items/",
        {
            "meeting": world.upcoming.pk,
            "title": "x",
            "linked": {"type": "governance.board", "id": world.other_board.pk},
        },
        content_type="application/json",
    )
    assert hidden.status_code == 400


def test_decision_create_action(
    world: World, business_unit: Any, agency: Any, client_for: Any, chair: Any
) -> None:
    services.meeting_status_set(meeting=world.past, status=MeetingStatus.HELD, by=business_unit)
    decision = services.decision_record(meeting=world.past, text="Act", by=business_unit)
    c = client_for(business_unit)
    url = f"/api/v1/decisions/{decision.pk}/create_action/"
    bad = c.post(url, {"title": "x"}, content_type="application/json")
    assert bad.status_code == 400 and "owner_agency" in bad.json()["errors"]
    due = (timezone.localdate() + dt.timedelta(days=9)).isoformat()
    ok = c.post(
        url,
        {
            "title": "Act now",
            "owner_agency": agency.pk,
            "due_on": due,
            "success_measure": "Done well",
            "themes": ["neglect"],
            "serves": world.priority.pk,
        },
        content_type="application/json",
    )
    assert ok.status_code == 201, ok.json()
    action = Action.objects.get(pk=ok.json()["id"])
    assert action.source == decision
    progress = c.get(f"/api/v1/priorities/{world.priority.pk}/").json()["progress"]
    assert progress["actions"] == 1 and progress["on_track"] == 1
    assert client_for(world.member).post(url, {}, content_type="application/json").status_code in (
        403,
        404,
    )


def test_meeting_status_action_and_upcoming(
    world: World, business_unit: Any, client_for: Any
) -> None:
    c = client_for(business_unit)
    refused = c.post(
        f"/api/v1/meetings/{world.upcoming.pk}/set_status/",
        {"status": "held"},
        content_type="application/json",
    )
    assert refused.status_code == 400
    assert "before it has started" in str(refused.json()["errors"])
    sent = c.post(
        f"/api/v1/meetings/{world.upcoming.pk}/set_status/",
        {"status": "papers_sent"},
        content_type="application/json",
    )
    assert sent.json()["status"] == "papers_sent"
    upcoming = c.get("/api/v1/meetings/upcoming/?group_kind=board").json()["results"]
    assert [m["id"] for m in upcoming] == [world.upcoming.pk]


def test_create_meeting_and_plan_and_priority_link(
    world: World, business_unit: Any, client_for: Any
) -> None:
    c = client_for(business_unit)
    meeting = c.post(
        "/api/v1/meetings/",
        {"board": world.li.pk, "starts_at": at(20).isoformat(), "location": "Room 9"},
        content_type="application/json",
    )
    assert meeting.status_code == 201, meeting.json()
    plan = c.post(
        "/api/v1/business-plans/",
        {"year": "2016/2017", "title": "x"},
        content_type="application/json",
    )
    assert plan.status_code == 400
    plan = c.post(
        "/api/v1/business-plans/",
        {"year": "2016/17", "title": "Plan 16/17"},
        content_type="application/json",
    )
    assert plan.status_code == 201, plan.json()
    priority = c.post(
        "/api/v1/priorities/",
        {"plan": plan.json()["id"], "title": "CSE", "success_measures": "x", "themes": ["neglect"]},
        content_type="application/json",
    )
    assert priority.status_code == 201, priority.json()
    link = c.post(
        f"/api/v1/priorities/{priority.json()['id']}/link/",
        {"linked": {"type": "governance.meeting", "id": meeting.json()["id"]}, "note": "Reviewed"},
        content_type="application/json",
    )
    assert link.status_code == 201, link.json()


def test_membership_api_keeps_one_chair(world: World, business_unit: Any, client_for: Any) -> None:
    response = client_for(business_unit).post(
        "/api/v1/board-memberships/",
        {"board": world.board.pk, "person": world.member.pk, "role": "chair"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "role" in response.json()["errors"]


def test_delete_of_a_group_with_meetings_is_409(
    world: World, business_unit: Any, client_for: Any
) -> None:
    """Issue 17: a group that meetings depend on was a 500 (ProtectedError) through the API."""
    from lift.governance.models import Board

    c = client_for(business_unit)
    response = c.delete(f"/api/v1/boards/{world.board.pk}/")
    assert response.status_code == 409, response.content
    body = response.json()
    assert "cannot be deleted because other records depend on it" in body["detail"]
    assert {"type": "meetings", "count": 2} in body["dependents"]
    assert Board.objects.filter(pk=world.board.pk).exists()
