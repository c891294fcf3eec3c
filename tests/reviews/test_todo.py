"""The reviews area's kinds of to-do: each appears for the person whose step it is, while
it is due, for no one else (another agency, another partnership, a learner), and goes when
the step is done through its service."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from lift.core import todo
from lift.core.models import Agency, Notification, Partnership, Person
from lift.reviews import services
from lift.reviews import todo as kinds
from lift.reviews.choices import DecisionOutcome, LetterKind, ReplyKind, RequestKind
from lift.reviews.models import Incident, Letter

from ..factories import AgencyFactory, person_with_role
from .conftest import attach_notification
from .test_services import decide


def mine(person: Person, partnership: Partnership, kind: str) -> list[todo.ToDo]:
    person = Person.objects.get(pk=person.pk)  # roles read afresh
    return todo.items_for(person, partnership, only=[kind])


@pytest.fixture
def other_chair(other_partnership: Partnership) -> Person:
    return person_with_role("chair", other_partnership, full_name="Olwen Otherchair")


@pytest.fixture
def police_lead(make_person: Callable[..., Person], other_agency: Agency) -> Person:
    return make_person("safeguarding_lead", agency=other_agency, full_name="Pat Police")


# --- the Chair's decision -----------------------------------------------------------------


def test_the_chair_decides_on_a_notified_incident_with_its_clock(
    incident: Incident,
    chair: Person,
    business_unit: Person,
    lead: Person,
    learner: Person,
    other_chair: Person,
    partnership: Partnership,
    other_partnership: Partnership,
) -> None:
    [item] = mine(chair, partnership, kinds.DECIDE)
    assert item.title == f"Decide whether to hold a Serious Case Review for {incident}"
    assert item.url == f"/incidents/{incident.pk}/decision/"
    assert item.subject == incident
    # The 2015 decision clock: one month from the notification on 2 May, due today.
    assert item.due_on == dt.date(2025, 6, 2)
    assert item.clock_state == "due_soon"
    for someone in (business_unit, lead, learner):
        assert mine(someone, partnership, kinds.DECIDE) == []
    assert mine(other_chair, other_partnership, kinds.DECIDE) == []
    assert mine(other_chair, partnership, kinds.DECIDE) == []

    decide(incident, chair)
    assert mine(chair, partnership, kinds.DECIDE) == []


def test_an_incident_not_yet_notified_waits_for_no_decision(
    partnership: Partnership, business_unit: Person, chair: Person
) -> None:
    services.incident_create(
        partnership=partnership,
        by=business_unit,
        pseudonym="Child B",
        incident_type="death",
        incident_on=dt.date(2025, 5, 20),
        became_aware_on=dt.date(2025, 5, 21),
    )
    assert mine(chair, partnership, kinds.DECIDE) == []


def test_under_current_rules_the_decision_follows_the_panel_response(
    partnership: Partnership, business_unit: Person, chair: Person, agency: Agency
) -> None:
    partnership.regime = "current"
    partnership.save()
    incident = services.incident_create(
        partnership=partnership,
        by=business_unit,
        pseudonym="Child C",
        incident_type="serious_harm",
        incident_on=dt.date(2025, 5, 1),
        became_aware_on=dt.date(2025, 5, 2),
        notified_on=dt.date(2025, 5, 6),
        agencies=[agency],
    )
    assert mine(chair, partnership, kinds.DECIDE) == []
    rr = services.rapid_review_start(incident=incident, by=business_unit)
    rr.recommendation = "local"
    rr.save()
    services.rapid_review_send(rapid_review=rr, sent_on=dt.date(2025, 5, 27), by=business_unit)
    assert mine(chair, partnership, kinds.DECIDE) == []
    services.rapid_review_panel_response(
        rapid_review=rr,
        response="agrees",
        responded_on=dt.date(2025, 5, 30),
        notes="",
        by=business_unit,
    )
    [item] = mine(chair, partnership, kinds.DECIDE)
    assert item.subject == incident


def test_the_decision_clears_the_decision_needed_notification(
    chair: Person,
    incident: Incident,
    client_for: Callable[[Person], Client],
) -> None:
    """The bug: the Chair's "My work" kept "Decision needed" after the decision."""
    note = Notification.objects.get(person=chair, key__contains="decision-needed")
    assert note.read_at is None
    home = client_for(chair).get("/").content.decode()
    # Listed once: the to-do item (the notification about the same incident is left out).
    assert "Decide whether to hold a Serious Case Review" in home
    assert "Decision needed" not in home

    decide(incident, chair)
    note.refresh_from_db()
    assert note.read_at is not None
    home = client_for(chair).get("/").content.decode()
    assert "Decision needed" not in home
    assert "Decide whether to hold" not in home


# --- letters and the panel's requests -------------------------------------------------------


def test_the_no_letter_is_the_owners_to_send_by_its_clock(
    incident: Incident,
    chair: Person,
    business_unit: Person,
    make_person: Callable[..., Person],
    partnership: Partnership,
) -> None:
    colleague = make_person("business_unit", full_name="Cai Colleague")
    decide(incident, chair, outcome=DecisionOutcome.NO_REVIEW)
    letter = Letter.objects.get(incident=incident, kind=LetterKind.INITIATION_NO)
    [item] = mine(business_unit, partnership, kinds.LETTER)
    assert item.url == f"/letters/{letter.pk}/"
    assert item.subject == incident
    # The national panel is told within 15 working days of the decision on 20 May.
    assert item.due_on == letter.due_on is not None
    assert item.clock_state in ("running", "due_soon")
    # The incident names its owner: not every colleague's, nor the Chair's.
    assert mine(colleague, partnership, kinds.LETTER) == []
    assert mine(chair, partnership, kinds.LETTER) == []

    attach_notification(letter, business_unit)
    services.letter_mark_sent(letter=letter, sent_on=dt.date(2025, 6, 2), by=business_unit)
    assert mine(business_unit, partnership, kinds.LETTER) == []


def test_a_case_owned_by_no_one_in_the_business_unit_is_the_whole_units(
    incident: Incident,
    chair: Person,
    business_unit: Person,
    lead: Person,
    make_person: Callable[..., Person],
    partnership: Partnership,
    outsider: Person,
    other_partnership: Partnership,
) -> None:
    colleague = make_person("business_unit", full_name="Cai Colleague")
    decide(incident, chair, outcome=DecisionOutcome.NO_REVIEW)
    # Recorded by the local authority's lead, say: they cannot send the panel's letters.
    Incident.objects.filter(pk=incident.pk).update(owner=lead)
    assert len(mine(business_unit, partnership, kinds.LETTER)) == 1
    assert len(mine(colleague, partnership, kinds.LETTER)) == 1
    assert mine(lead, partnership, kinds.LETTER) == []
    assert mine(outsider, other_partnership, kinds.LETTER) == []
    assert mine(outsider, partnership, kinds.LETTER) == []


def test_a_request_for_information_from_the_panel_until_answered(
    incident: Incident,
    business_unit: Person,
    chair: Person,
    lead: Person,
    partnership: Partnership,
) -> None:
    reply = services.panel_reply_record(
        incident=incident,
        kind=ReplyKind.REQUEST,
        received_on=dt.date(2025, 5, 28),
        summary="The panel asks for the chronology of Child A's health visits.",
        by=business_unit,
        response_due_on=dt.date(2025, 6, 11),
    )
    services.panel_reply_record(
        incident=incident,
        kind=ReplyKind.ACKNOWLEDGEMENT,
        received_on=dt.date(2025, 5, 29),
        summary="Received.",
        by=business_unit,
    )
    [item] = mine(business_unit, partnership, kinds.PANEL_REPLY)
    assert item.title == "Reply to the panel's request for information"
    assert item.url == f"/replies/{reply.pk}/respond/"
    assert item.due_on == dt.date(2025, 6, 11)
    assert mine(lead, partnership, kinds.PANEL_REPLY) == []
    assert mine(chair, partnership, kinds.PANEL_REPLY) == []

    services.panel_reply_respond(reply=reply, responded_on=dt.date(2025, 6, 2), by=business_unit)
    assert mine(business_unit, partnership, kinds.PANEL_REPLY) == []


# --- agency requests and their quality assurance ----------------------------------------------


def test_an_imr_is_the_agency_leads_and_authors_until_received_then_quality_assured(
    incident: Incident,
    business_unit: Person,
    lead: Person,
    police_lead: Person,
    learner: Person,
    agency: Agency,
    make_person: Callable[..., Person],
    partnership: Partnership,
    other_partnership: Partnership,
) -> None:
    author = make_person("auditor", agency=agency, full_name="Ada Author")
    request = services.agency_request_create(
        incident=incident,
        agency=agency,
        kind=RequestKind.IMR,
        requested_on=dt.date(2025, 5, 26),
        due_on=dt.date(2025, 6, 20),
        by=business_unit,
    )
    [item] = mine(lead, partnership, kinds.AGENCY_REQUEST)
    assert item.title == f"Upload and submit {agency.name}'s Individual Management Review"
    assert item.url == f"/agency-requests/{request.pk}/"
    assert item.due_on == dt.date(2025, 6, 20)
    assert item.subject == incident
    for someone in (police_lead, learner, author, business_unit):
        assert mine(someone, partnership, kinds.AGENCY_REQUEST) == []
    elsewhere = AgencyFactory(partnership=other_partnership, name="Elsewhere Council")
    away = person_with_role("safeguarding_lead", other_partnership, agency=elsewhere)
    assert mine(away, other_partnership, kinds.AGENCY_REQUEST) == []

    services.imr_author_nominate(request=request, author=author, by=lead)
    assert len(mine(author, partnership, kinds.AGENCY_REQUEST)) == 1
    assert mine(business_unit, partnership, kinds.QUALITY) == []

    services.agency_request_receive(request=request, received_on=dt.date(2025, 6, 2), by=lead)
    assert mine(lead, partnership, kinds.AGENCY_REQUEST) == []
    assert mine(author, partnership, kinds.AGENCY_REQUEST) == []
    [qa] = mine(business_unit, partnership, kinds.QUALITY)
    assert qa.url == f"/agency-requests/{request.pk}/quality-assured/"
    assert mine(lead, partnership, kinds.QUALITY) == []

    services.agency_request_quality_assure(
        request=request, on=dt.date(2025, 6, 2), by=business_unit
    )
    assert mine(business_unit, partnership, kinds.QUALITY) == []


def test_a_rapid_review_return_is_asked_of_each_involved_agency(
    partnership: Partnership, business_unit: Person, lead: Person, police_lead: Person
) -> None:
    partnership.regime = "current"
    partnership.save()
    incident = services.incident_create(
        partnership=partnership,
        by=business_unit,
        pseudonym="Child D",
        incident_type="serious_harm",
        incident_on=dt.date(2025, 5, 1),
        became_aware_on=dt.date(2025, 5, 2),
        notified_on=dt.date(2025, 5, 6),
        agencies=[lead.agency],
    )
    services.rapid_review_start(incident=incident, by=business_unit)
    [item] = mine(lead, partnership, kinds.AGENCY_REQUEST)
    assert item.title.endswith("'s rapid review return")
    assert mine(police_lead, partnership, kinds.AGENCY_REQUEST) == []


def test_the_providers_ask_nothing_of_people_without_case_steps(
    incident: Incident,
    chair: Person,
    learner: Person,
    partnership: Partnership,
    django_assert_num_queries: Any,
) -> None:
    person = Person.objects.get(pk=learner.pk)
    todo.kinds_for(person, partnership)  # roles loaded once
    for key in (kinds.DECIDE, kinds.LETTER, kinds.PANEL_REPLY, kinds.QUALITY):
        with django_assert_num_queries(0):
            assert todo.items_for(person, partnership, only=[key]) == []
    # A learner works for an agency, so could be named an IMR's author: one query.
    with django_assert_num_queries(1):
        assert todo.items_for(person, partnership, only=[kinds.AGENCY_REQUEST]) == []
