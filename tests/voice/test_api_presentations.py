"""The API of the forum's annual presentation to the Board: list/detail for the readers,
create and update (If-Match/ETag) for the editors through the same service as the page (it
goes on the Board meeting's agenda), 404 out of scope, 403 for a reader who may not change."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils import timezone

from lift.governance import services as gov
from lift.governance.models import AgendaItem
from lift.voice import services
from lift.voice.models import Presentation
from tests.factories import person_with_role

pytestmark = pytest.mark.django_db

URL = "/api/v1/voice/presentations/"


def _send(client, method, url, data=None, **headers):
    return getattr(client, method)(
        url, json.dumps(data or {}), content_type="application/json", **headers
    )


@pytest.fixture
def meeting(partnership, business_unit):
    board = gov.board_create(partnership=partnership, by=business_unit, kind="board", name="LSCB")
    return gov.meeting_create(
        board=board, by=business_unit, starts_at=timezone.now() + dt.timedelta(days=30)
    )


@pytest.fixture
def presentation(partnership, youth):
    return services.presentation_schedule(
        partnership=partnership, by=youth, year="2015/16", title="Our year", meeting=None
    )


def test_list_and_detail_for_readers(presentation, youth, board_member, client_for):
    for person in (youth, board_member):
        client = client_for(person)
        body = client.get(URL).json()
        assert [p["title"] for p in body["results"]] == ["Our year"]
        detail = client.get(f"{URL}{presentation.pk}/")
        assert detail.status_code == 200
        assert detail.json() == {
            "id": presentation.pk,
            "year": "2015/16",
            "title": "Our year",
            "summary": "",
            "meeting": None,
            "agenda_item": None,
        }
        assert detail["ETag"]
    assert client_for(youth).get(URL, {"year": "2016/17"}).json()["results"] == []
    assert len(client_for(youth).get(URL, {"year": "2015/16"}).json()["results"]) == 1
    assert client_for(youth).get(URL, {"meeting": 999999}).json()["results"] == []
    for odd in ("x", "1.5", "1e30", "-1", str(2**70)):
        assert client_for(youth).get(URL, {"meeting": odd}).status_code == 400, odd


def test_created_through_the_service_onto_the_board_agenda(
    partnership, meeting, business_unit, client_for
):
    data = {"year": "2015/16", "title": "What we did", "summary": "Ten.", "meeting": meeting.pk}
    response = _send(client_for(business_unit), "post", URL, data)
    assert response.status_code == 201, response.content
    created = Presentation.objects.get(pk=response.json()["id"])
    assert created.partnership == partnership and created.meeting == meeting
    item = AgendaItem.objects.get(pk=created.agenda_item_id)
    assert item.meeting == meeting and item.linked == created
    assert response.json()["agenda_item"] == item.pk


def test_create_refuses_a_second_for_the_year_a_bad_year_and_a_past_meeting(
    partnership, presentation, business_unit, youth, client_for
):
    client = client_for(youth)
    again = _send(client, "post", URL, {"year": "2015/16", "title": "Twice"})
    assert again.status_code == 400 and "errors" in again.json()
    bad = _send(client, "post", URL, {"year": "2016/18", "title": "Odd"})
    assert bad.status_code == 400 and "year" in bad.json()["errors"]
    board = gov.board_create(partnership=partnership, by=business_unit, kind="board", name="B")
    past = gov.meeting_create(
        board=board, by=business_unit, starts_at=timezone.now() - dt.timedelta(days=3)
    )
    late = _send(client, "post", URL, {"year": "2016/17", "title": "Late", "meeting": past.pk})
    assert late.status_code == 400 and "meeting" in late.json()["errors"]
    assert Presentation.objects.filter(partnership=partnership).count() == 1


def test_another_partnerships_meeting_is_refused(
    presentation, youth, other_partnership, client_for
):
    elsewhere_bu = person_with_role("business_unit", other_partnership)
    board = gov.board_create(
        partnership=other_partnership, by=elsewhere_bu, kind="board", name="KB"
    )
    theirs = gov.meeting_create(
        board=board, by=elsewhere_bu, starts_at=timezone.now() + dt.timedelta(days=9)
    )
    url = f"{URL}{presentation.pk}/"
    response = _send(client_for(youth), "patch", url, {"meeting": theirs.pk})
    assert response.status_code == 400 and "meeting" in response.json()["errors"]


def test_meetings_offered_as_on_the_page(presentation, meeting, youth, client_for):
    """The page offers the Board meetings the person can see: the coordinator does not see
    the Board's meetings, so cannot name one (the business unit or the Chair does)."""
    url = f"{URL}{presentation.pk}/"
    response = _send(client_for(youth), "patch", url, {"meeting": meeting.pk})
    assert response.status_code == 400 and "meeting" in response.json()["errors"]
    assert _send(client_for(youth), "patch", url, {"summary": "Ten events."}).status_code == 200


def test_update_with_if_match_and_a_stale_version_refused(
    presentation, meeting, business_unit, client_for
):
    client = client_for(business_unit)
    url = f"{URL}{presentation.pk}/"
    etag = client.get(url)["ETag"]
    changed = _send(
        client, "patch", url, {"title": "Our busy year", "meeting": meeting.pk}, HTTP_IF_MATCH=etag
    )
    assert changed.status_code == 200, changed.content
    assert changed["ETag"] and changed["ETag"] != etag
    presentation.refresh_from_db()
    assert presentation.title == "Our busy year" and presentation.meeting == meeting
    assert AgendaItem.objects.get(pk=presentation.agenda_item_id).meeting == meeting
    stale = _send(client, "patch", url, {"title": "Overwritten"}, HTTP_IF_MATCH=etag)
    assert stale.status_code == 412
    assert stale.json()["current"]["title"] == "Our busy year"
    presentation.refresh_from_db()
    assert presentation.title == "Our busy year"
    put = _send(
        client,
        "put",
        url,
        {"year": "2015/16", "title": "Final", "summary": "", "meeting": meeting.pk},
        HTTP_IF_MATCH=changed["ETag"],
    )
    assert put.status_code == 200, put.content
    moved_year = _send(client, "patch", url, {"year": "2016/17"})
    assert moved_year.status_code == 400 and "year" in moved_year.json()["errors"]


def test_role_without_permission_403_and_out_of_scope_404(
    presentation, board_member, learner, outsider, other_partnership, client_for
):
    url = f"{URL}{presentation.pk}/"
    reader = client_for(board_member)
    assert reader.get(url).status_code == 200
    assert _send(reader, "patch", url, {"title": "Mine"}).status_code == 403
    assert _send(reader, "post", URL, {"year": "2016/17", "title": "Mine"}).status_code == 403
    elsewhere = person_with_role("youth_coordinator", other_partnership)
    for person in (learner, outsider, elsewhere):
        client = client_for(person)
        assert client.get(url).status_code == 404
        assert _send(client, "patch", url, {"title": "X"}).status_code == 404
        assert client.get(URL).json()["results"] == []
    presentation.refresh_from_db()
    assert presentation.title == "Our year"


def test_not_deleted_through_the_api(presentation, youth, client_for):
    response = client_for(youth).delete(f"{URL}{presentation.pk}/")
    assert response.status_code == 405
    assert Presentation.objects.filter(pk=presentation.pk).exists()


def test_moving_to_another_meeting_moves_the_agenda_item(
    presentation, meeting, partnership, business_unit, client_for
):
    client = client_for(business_unit)
    url = f"{URL}{presentation.pk}/"
    first = _send(
        client, "patch", url, {"meeting": meeting.pk}, HTTP_IF_MATCH=client.get(url)["ETag"]
    )
    assert first.status_code == 200, first.content
    later = gov.meeting_create(
        board=meeting.board, by=business_unit, starts_at=timezone.now() + dt.timedelta(days=60)
    )
    moved = _send(client, "patch", url, {"meeting": later.pk}, HTTP_IF_MATCH=first["ETag"])
    assert moved.status_code == 200, moved.content
    assert not AgendaItem.objects.filter(meeting=meeting).exists()
    presentation.refresh_from_db()
    assert AgendaItem.objects.get(pk=presentation.agenda_item_id).meeting == later
    later.status = "held"
    later.save()
    back = _send(client, "patch", url, {"meeting": meeting.pk}, HTTP_IF_MATCH=moved["ETag"])
    assert back.status_code == 400 and "has been held" in json.dumps(back.json())
    assert AgendaItem.objects.get(pk=presentation.agenda_item_id).meeting == later
