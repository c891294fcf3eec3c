"""The voice API: members for the coordinator and the Chair only, scoping (404), roles
(403), optimistic concurrency (412), and the consultation workflow through the services."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from lift.learning.models import Finding
from lift.voice import services
from lift.voice.models import ForumMember
from tests.factories import person_with_role

pytestmark = pytest.mark.django_db

MEMBERS = "/api/v1/voice/members/"


def _send(client, method, url, data=None, **headers):
    return getattr(client, method)(
        url, json.dumps(data or {}), content_type="application/json", **headers
    )


@pytest.fixture
def session(forum, youth):
    return services.session_add(
        forum=forum, by=youth, held_on=dt.date(2015, 10, 6), title="Online safety", attended=9
    )


def test_members_only_for_the_coordinator_and_the_chair(
    member, youth, chair, business_unit, board_member, learner, other_partnership, client_for
):
    for person in (youth, chair):
        body = client_for(person).get(MEMBERS).json()
        assert [m["name"] for m in body["results"]] == ["Ash"]
        assert client_for(person).get(f"{MEMBERS}{member.pk}/").status_code == 200
    elsewhere = person_with_role("youth_coordinator", other_partnership)
    for person in (business_unit, board_member, learner, elsewhere):
        assert client_for(person).get(MEMBERS).json()["results"] == []
        assert client_for(person).get(f"{MEMBERS}{member.pk}/").status_code == 404
        assert (
            _send(client_for(person), "patch", f"{MEMBERS}{member.pk}/", {"name": "X"}).status_code
            == 404
        )


def test_members_names_never_reach_other_roles(
    member, session, consultation, youth, business_unit, board_member, client_for
):
    services.view_add(consultation=consultation, by=youth, said="More youth workers in parks")
    for person in (business_unit, board_member):
        client = client_for(person)
        for url in (
            MEMBERS,
            "/api/v1/voice/sessions/",
            "/api/v1/voice/consultations/",
            "/api/v1/voice/events/",
            "/api/v1/voice/terms/",
            "/api/v1/voice/chair-meetings/",
            f"/api/v1/history/?object_type=voice.forummember&object_id={member.pk}",
        ):
            response = client.get(url)
            assert "Ash" not in response.content.decode(), url


def test_member_added_and_changed_by_the_coordinator(forum, youth, business_unit, client_for):
    response = _send(
        client_for(youth),
        "post",
        MEMBERS,
        {
            "name": "Rowan",
            "age_band": "16_17",
            "joined_on": "2016-01-04",
            "consent_on": "2016-01-04",
        },
    )
    assert response.status_code == 201, response.content
    member = ForumMember.objects.get(pk=response.json()["id"])
    assert member.forum == forum and member.retain_until == dt.date(2018, 1, 4)
    refused = _send(
        client_for(business_unit),
        "post",
        MEMBERS,
        {"name": "Sam", "age_band": "16_17", "joined_on": "2016-01-04", "consent_on": "2016-01-04"},
    )
    assert refused.status_code == 403
    bad = _send(
        client_for(youth),
        "post",
        MEMBERS,
        {
            "name": "Kit",
            "age_band": "under_13",
            "joined_on": "2016-01-04",
            "consent_on": "2016-01-04",
        },
    )
    assert bad.status_code == 400 and "errors" in bad.json()


def test_wrong_role_is_forbidden_and_out_of_scope_not_found(
    session, youth, board_member, learner, outsider, client_for
):
    url = f"/api/v1/voice/sessions/{session.pk}/"
    assert client_for(board_member).get(url).status_code == 200
    assert _send(client_for(board_member), "patch", url, {"attended": 3}).status_code == 403
    assert client_for(board_member).delete(url).status_code == 403
    assert client_for(learner).get(url).status_code == 404
    assert client_for(outsider).get(url).status_code == 404
    assert _send(client_for(youth), "patch", url, {"attended": 11}).status_code == 200
    session.refresh_from_db()
    assert session.attended == 11


def test_stale_if_match_is_refused(session, youth, client_for):
    url = f"/api/v1/voice/sessions/{session.pk}/"
    client = client_for(youth)
    etag = client.get(url)["ETag"]
    assert _send(client, "patch", url, {"attended": 10}, HTTP_IF_MATCH=etag).status_code == 200
    stale = _send(client, "patch", url, {"attended": 2}, HTTP_IF_MATCH=etag)
    assert stale.status_code == 412
    session.refresh_from_db()
    assert session.attended == 10


def test_consultation_views_responses_and_publishing(consultation, youth, board_member, client_for):
    base = f"/api/v1/voice/consultations/{consultation.pk}/"
    client = client_for(youth)
    added = _send(client, "post", base + "views/", {"said": "Teach us about sextortion in Year 8"})
    assert added.status_code == 201, added.content
    view = added.json()["views"][0]
    finding = Finding.objects.get(pk=view["finding"])
    assert finding.source == consultation
    early = _send(client, "post", base + "publish/")
    assert early.status_code == 400 and "still need" in str(early.json())
    assert (
        _send(
            client_for(board_member),
            "post",
            base + f"views/{view['id']}/respond/",
            {"response": "we_did"},
        ).status_code
        == 403
    )
    answered = _send(
        client,
        "post",
        base + f"views/{view['id']}/respond/",
        {"response": "we_did", "response_text": "Added to the PSHE plan for Year 8."},
    )
    assert answered.status_code == 200
    assert answered.json()["views"][0]["response"] == "we_did"
    assert (
        _send(client, "post", base + "views/999999/respond/", {"response": "we_did"}).status_code
        == 404
    )
    published = _send(client, "post", base + "publish/", {"on": "2016-01-15"})
    assert published.status_code == 200 and published.json()["published_on"] == "2016-01-15"


def test_terms_show_the_chairs_meetings(forum, terms, youth, board_member, client_for):
    services.chair_meeting_record(
        forum=forum, by=youth, meets_on=dt.date(2015, 11, 5), status="held", topics="Buses\nParks"
    )
    rows = client_for(board_member).get("/api/v1/voice/terms/").json()["results"]
    assert [(r["name"], r["status"]) for r in rows] == [
        ("Autumn 2015", "met"),
        ("Spring 2016", "missed"),
        ("Summer 2016", "missed"),
    ]
    assert rows[0]["topics"] == ["Buses", "Parks"]


def test_chair_meeting_recorded_through_the_api(forum, youth, client_for):
    response = _send(
        client_for(youth),
        "post",
        "/api/v1/voice/chair-meetings/",
        {"meets_on": "2016-02-10", "status": "held", "topics": "Knife crime", "attended": 12},
    )
    assert response.status_code == 201, response.content
    assert response.json()["topic_list"] == ["Knife crime"]


def test_events_against_the_yearly_target(partnership, forum, youth, board_member, client_for):
    for day in (dt.date(2015, 6, 1), dt.date(2015, 11, 1)):
        services.event_create(
            partnership=partnership,
            by=youth,
            kind="information",
            title=f"Event {day}",
            theme="Cyber bullying",
            held_on=day,
            audience="Year 9",
            attended=30,
        )
    data = client_for(board_member).get("/api/v1/voice/events/year/?year=2015/16").json()
    assert (data["count"], data["target"], data["met"]) == (2, 3, False)
    assert data["by_theme"] == {"Cyber bullying": 2}
    assert client_for(board_member).get("/api/v1/voice/events/year/?year=nope").status_code == 404
