"""Every page of young people's voice, with its permissions."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils.html import escape

from lift.voice import services
from tests.permissions import assert_permissions

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(partnership, forum, youth, member, terms, consultation, business_unit):
    meeting = services.chair_meeting_record(
        forum=forum, by=youth, meets_on=dt.date(2015, 10, 5), status="held", topics="Buses"
    )
    session = services.session_add(
        forum=forum, by=youth, held_on=dt.date(2015, 9, 20), title="Welcome", attended=9
    )
    event = services.event_create(
        partnership=partnership,
        by=youth,
        kind="engagement",
        title="Safer online",
        theme="Cyber bullying",
        held_on=dt.date(2015, 10, 20),
        audience="Year 8",
        attended=40,
    )
    view = services.view_add(consultation=consultation, by=youth, said="Apps are confusing")
    presentation = services.presentation_schedule(
        partnership=partnership, by=youth, year="2015/16", title="Our year", meeting=None
    )
    return {
        "meeting": meeting,
        "session": session,
        "event": event,
        "view": view,
        "presentation": presentation,
    }


def test_members_only_for_the_coordinator_and_the_chair(
    world, youth, chair, business_unit, board_member, outsider, member
):
    for url in (
        reverse("voice:forummember_list"),
        reverse("voice:forummember_add"),
    ):
        assert_permissions(url, allowed=[youth, chair], forbidden=[business_unit, board_member])
    for name in ("detail", "edit", "history"):
        url = reverse(f"voice:forummember_{name}", args=[member.pk])
        # Members' details are not in the business unit's sight at all (404, ADR 0007).
        assert_permissions(url, allowed=[youth, chair], not_found=[outsider, business_unit])


def test_forum_page_shows_counts_not_names(world, client_for, board_member, youth):
    page = client_for(board_member).get(reverse("voice:forum")).content.decode()
    assert "Ash" not in page and "Current members" in page
    page = client_for(youth).get(reverse("voice:forummember_list")).content.decode()
    assert "Ash" in page


def test_work_pages(
    world, youth, chair, business_unit, board_member, learner, outsider, consultation, terms
):
    lists = [
        "voice:forum",
        "voice:forumsession_list",
        "voice:term_list",
        "voice:event_list",
        "voice:consultation_list",
        "voice:presentation_list",
    ]
    for name in lists:
        assert_permissions(
            reverse(name), allowed=[youth, chair, business_unit, board_member], forbidden=[learner]
        )
    adds = [
        "voice:forumsession_add",
        "voice:term_add",
        "voice:chairmeeting_add",
        "voice:event_add",
        "voice:consultation_add",
        "voice:presentation_add",
        "voice:forum_edit",
    ]
    for name in adds:
        assert_permissions(reverse(name), allowed=[youth, business_unit], forbidden=[board_member])
    objects = {
        "forumsession": world["session"],
        "term": terms[0],
        "chairmeeting": world["meeting"],
        "event": world["event"],
        "consultation": consultation,
    }
    for prefix, obj in objects.items():
        for suffix in ("detail", "history"):
            assert_permissions(
                reverse(f"voice:{prefix}_{suffix}", args=[obj.pk]),
                allowed=[youth, board_member],
                not_found=[outsider, learner],  # a learner sees none of it
            )
        assert_permissions(
            reverse(f"voice:{prefix}_edit", args=[obj.pk]),
            allowed=[youth],
            not_found=[outsider],
            forbidden=[board_member],
        )
    p = world["presentation"]
    for name in ("presentation_detail", "presentation_history"):
        assert_permissions(
            reverse(f"voice:{name}", args=[p.pk]),
            allowed=[youth, board_member],
            not_found=[outsider],
        )
    assert_permissions(
        reverse("voice:material_add", args=[p.pk]), allowed=[youth], forbidden=[board_member]
    )
    for name in ("consultation_yousaid",):
        assert_permissions(
            reverse(f"voice:{name}", args=[consultation.pk]),
            allowed=[youth, board_member],
            not_found=[outsider],
        )
    for name in ("view_add", "consultation_publish"):
        assert_permissions(
            reverse(f"voice:{name}", args=[consultation.pk]),
            allowed=[youth],
            not_found=[outsider],
            forbidden=[board_member],
        )
    assert_permissions(
        reverse("voice:view_respond", args=[world["view"].pk]),
        allowed=[youth],
        not_found=[outsider],
        forbidden=[board_member],
    )


def test_you_said_we_did_journey(world, client_for, youth, consultation):
    c = client_for(youth)
    url = reverse("voice:view_respond", args=[world["view"].pk])
    response = c.post(
        url,
        {"response": "we_did", "response_text": "A new app guide", "responded_on": "2016-01-04"},
    )
    assert response.status_code == 302
    response = c.post(reverse("voice:consultation_publish", args=[consultation.pk]), {})
    assert response.status_code == 302
    consultation.refresh_from_db()
    assert consultation.published_on is not None
    page = c.get(reverse("voice:consultation_yousaid", args=[consultation.pk])).content.decode()
    assert "A new app guide" in page
    pdf = c.get(reverse("voice:consultation_yousaid", args=[consultation.pk]) + "?format=pdf")
    assert pdf.content.startswith(b"%PDF")


def test_publish_refused_with_pending_views(world, client_for, youth, consultation):
    response = client_for(youth).post(
        reverse("voice:consultation_publish", args=[consultation.pk]), {}
    )
    assert response.status_code == 200
    assert "still needs a response" in response.content.decode()


def test_chair_home_panel(forum, client_for, chair, youth, partnership):
    from django.utils import timezone

    today = timezone.localdate()
    services.term_create(
        partnership=partnership,
        by=youth,
        name="This term",
        starts_on=today - dt.timedelta(days=10),
        ends_on=today + dt.timedelta(days=30),
    )
    page = client_for(chair).get(reverse("core:home")).content.decode()
    # Not yet met: the meeting is on the Chair's to-do list (docs/voice.md), and the panel
    # leaves out its line rather than list the step twice.
    assert "Meet the Youth Forum this term (This term)" in page
    assert f'href="{reverse("voice:chairmeeting_add")}"' in page
    assert "Youth Forum: this term" in page and "Not yet met" not in page
    services.chair_meeting_record(forum=forum, by=youth, meets_on=today, status="held")
    page = client_for(chair).get(reverse("core:home")).content.decode()
    assert "Meet the Youth Forum this term" not in page
    assert "Met on" in page


def test_forum_form_offers_and_accepts_only_this_partnerships_agencies(
    forum, youth, agency, other_partnership, client_for
):
    """The supporting agency's choices: this partnership's agencies only, on the page and
    in what the form accepts (a forged id of another partnership's agency is refused)."""
    from lift.core.services import agency_create

    other_agency = agency_create(
        partnership=other_partnership, name="Elsewhere Youth Service", agency_type="voluntary"
    )
    client = client_for(youth)
    url = reverse("voice:forum_edit")
    page = client.get(url).content.decode()
    assert escape(agency.name) in page
    assert escape(other_agency.name) not in page
    data = {
        "name": forum.name,
        "youth_service": forum.youth_service,
        "agency": other_agency.pk,
        "description": forum.description,
        "guardian_consent_under": forum.guardian_consent_under,
        "events_target": forum.events_target,
        "retention_months": forum.retention_months,
    }
    response = client.post(url, data)
    assert response.status_code == 200  # the form again, with the error
    assert "Select a valid choice" in response.content.decode()
    forum.refresh_from_db()
    assert forum.agency_id != other_agency.pk
    data["agency"] = agency.pk
    assert client.post(url, data).status_code == 302
    forum.refresh_from_db()
    assert forum.agency_id == agency.pk
