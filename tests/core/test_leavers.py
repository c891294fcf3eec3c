"""Deactivating a leaver: they are signed out of every browser and their API token ends; their
records and history stay; the steps still waiting on them appear on their agency's
safeguarding lead's to-do list (the business unit's, when they had no agency or it has no
lead) until the step is done or the record given to someone else."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token

from lift.core import handover, todo
from lift.core.models import Agency, Partnership, Person
from lift.core.services import person_update
from lift.learning import services as learning
from lift.learning.models import Action
from lift.reviews import services as reviews
from lift.reviews.choices import RequestKind
from lift.reviews.models import AgencyRequest, Incident

from ..factories import AgencyFactory, person_with_role

pytestmark = pytest.mark.django_db


def fresh(person: Person) -> Person:
    return Person.objects.get(pk=person.pk)  # roles read afresh


def handed(person: Person, partnership: Partnership) -> list[todo.ToDo]:
    return todo.items_for(fresh(person), partnership, only=[handover.HANDOVER])


def deactivate(person: Person, by: Person) -> Person:
    return person_update(person=person, by=by, is_active=False)


def overdue_action(agency: Agency, owner: Person, title: str = "Audit strategy minutes") -> Action:
    from django.utils import timezone

    return learning.action_create(
        title=title,
        owner_agency=agency,
        owner=owner,
        due_on=timezone.localdate() - dt.timedelta(days=3),
        success_measure="Fictional measure.",
        status="in_progress",
    )


@pytest.fixture
def incident(partnership: Partnership, business_unit: Person, agency: Agency) -> Incident:
    return reviews.incident_create(
        partnership=partnership,
        by=business_unit,
        pseudonym="Child L",
        incident_type="serious_harm",
        incident_on=dt.date(2025, 4, 28),
        became_aware_on=dt.date(2025, 4, 29),
        notified_on=dt.date(2025, 5, 2),
        criteria=["abuse-or-neglect", "seriously-harmed"],
        summary="Fictional summary.",
        agencies=[agency],
    )


@pytest.fixture
def leaver(make_person: Callable[..., Person], agency: Agency) -> Person:
    return make_person("auditor", agency=agency, full_name="Liz Leaver")


def imr(incident: Incident, agency: Agency, author: Person, by: Person) -> AgencyRequest:
    request = reviews.agency_request_create(
        incident=incident,
        agency=agency,
        kind=RequestKind.IMR,
        requested_on=dt.date(2025, 5, 26),
        due_on=dt.date(2025, 6, 20),
        by=by,
    )
    return reviews.imr_author_nominate(request=request, author=author, by=by)


# --- signed out everywhere ------------------------------------------------------------------


def test_deactivating_ends_every_session_and_the_api_token_for_good(
    business_unit: Person, leaver: Person, learner: Person
) -> None:
    phone, laptop, colleague = Client(), Client(), Client()
    for client, who in ((phone, leaver), (laptop, leaver), (colleague, learner)):
        client.force_login(who)
        assert client.get("/").status_code == 200
    key = Token.objects.create(user=leaver).key
    assert Client().get("/api/v1/people/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 200
    assert Session.objects.count() == 3

    deactivate(leaver, business_unit)

    assert Session.objects.count() == 1  # the colleague's only
    assert colleague.get("/").status_code == 200
    api = Client().get("/api/v1/people/", HTTP_AUTHORIZATION=f"Token {key}")
    assert api.status_code in (401, 403)
    # Reactivated, they sign in afresh: the old sessions do not come back.
    person_update(person=leaver, by=business_unit, is_active=True)
    for client in (phone, laptop):
        assert client.get("/")["Location"].startswith("/accounts/login/")


def test_a_refused_deactivation_signs_no_one_out(business_unit: Person) -> None:
    browser = Client()
    browser.force_login(business_unit)
    with pytest.raises(ValidationError):
        deactivate(business_unit, business_unit)
    assert browser.get("/").status_code == 200


# --- their steps, handed over ----------------------------------------------------------------


def test_the_leads_list_takes_over_the_leavers_steps_until_done_or_reassigned(
    business_unit: Person,
    lead: Person,
    leaver: Person,
    learner: Person,
    agency: Agency,
    other_agency: Agency,
    incident: Incident,
    make_person: Callable[..., Person],
    partnership: Partnership,
) -> None:
    action = overdue_action(agency, leaver)
    request = imr(incident, agency, leaver, business_unit)
    other_lead = make_person("safeguarding_lead", agency=other_agency, full_name="Ola Other")
    assert handed(lead, partnership) == []  # nobody has left yet

    deactivate(leaver, business_unit)

    items = {i.url: i for i in handed(lead, partnership)}
    assert sorted(items) == sorted([action.get_absolute_url(), request.get_absolute_url()])
    step = items[action.get_absolute_url()]
    assert step.title == (
        "Take over or reassign Liz Leaver's step: Update the overdue action Audit strategy minutes"
    )
    assert step.due_on == action.due_on and step.state() == "overdue"
    assert "Liz Leaver's account is deactivated" in step.hint
    assert items[request.get_absolute_url()].title == (
        f"Take over or reassign Liz Leaver's step: Upload and submit {agency.name}'s "
        "Individual Management Review"
    )
    # On the lead's to-do page too; nobody else's.
    page = Client()
    page.force_login(lead)
    assert "Take over or reassign Liz Leaver" in page.get("/todo/").content.decode()
    for someone in (other_lead, learner, business_unit):
        assert handed(someone, partnership) == []

    # Done: the due date moved on, with the reason.
    learning.action_due_change(
        action=action, by=lead, due_on=dt.date.today() + dt.timedelta(days=30), reason="Handover"
    )
    [left] = handed(lead, partnership)
    assert left.url == request.get_absolute_url()
    # Reassigned: someone else writes the IMR.
    writer = make_person("auditor", agency=agency, full_name="Wyn Writer")
    reviews.imr_author_nominate(request=request, author=writer, by=lead)
    assert handed(lead, partnership) == []

    # The leaver's records and history are kept.
    action.refresh_from_db()
    assert action.owner_id == leaver.pk
    history = Client()
    history.force_login(business_unit)
    assert "Is active" in history.get(f"/people/{leaver.pk}/history/").content.decode()


def test_the_business_unit_takes_over_when_there_is_no_agency_or_no_lead(
    business_unit: Person,
    agency: Agency,
    other_agency: Agency,
    make_person: Callable[..., Person],
    partnership: Partnership,
) -> None:
    board = make_person("board_member", full_name="Bo Board")  # no agency
    overdue_action(agency, board, "Refresh the escalation policy")
    unled = make_person("auditor", agency=other_agency, full_name="Una Unled")
    overdue_action(other_agency, unled, "Train the front door")
    second = make_person("business_unit", full_name="Sam Second")
    deactivate(board, business_unit)
    deactivate(unled, business_unit)
    titles = sorted(i.title for i in handed(second, partnership))
    assert titles == [
        "Take over or reassign Bo Board's step: Update the overdue action Refresh the "
        "escalation policy",
        "Take over or reassign Una Unled's step: Update the overdue action Train the front door",
    ]
    # Once the agency has a lead, its leaver's steps are the lead's, not the business unit's.
    new_lead = make_person("safeguarding_lead", agency=other_agency, full_name="Nia New")
    assert [i.title for i in handed(new_lead, partnership)] == [titles[1]]
    assert [i.title for i in handed(second, partnership)] == [titles[0]]


def test_another_partnerships_leaver_is_not_handed_over(
    lead: Person, other_partnership: Partnership, partnership: Partnership, outsider: Person
) -> None:
    away_agency = AgencyFactory(partnership=other_partnership, name="Elsewhere Police")
    away = person_with_role("auditor", other_partnership, agency=away_agency)
    overdue_action(away_agency, away)
    deactivate(away, outsider)
    assert handed(lead, partnership) == []
    assert handed(outsider, partnership) == []


def test_a_new_lead_is_not_handed_what_is_already_on_their_own_list(
    business_unit: Person, lead: Person, agency: Agency, make_person: Callable[..., Person]
) -> None:
    from lift.learning.choices import Addressee

    partnership = agency.partnership
    recommendation = learning.recommendation_create(
        source=None,
        partnership=partnership,
        text="Agencies should record who attends strategy meetings.",
        addressee=Addressee.AGENCIES,
        agencies=[agency],
    )
    action = overdue_action(agency, lead)
    successor = make_person("safeguarding_lead", agency=agency, full_name="Sue Successor")
    deactivate(lead, business_unit)
    # The recommendation is hers as the agency's lead already; the action names the leaver.
    own = todo.items_for(fresh(successor), partnership, only=["learning.respond_recommendation"])
    assert [i.subject for i in own] == [recommendation]
    assert [i.url for i in handed(successor, partnership)] == [action.get_absolute_url()]


def test_the_leavers_own_learning_is_not_handed_over() -> None:
    personal = {k.key for k in todo.kinds() if k.personal}
    assert personal == {
        "training.evaluation",
        "training.follow_up",
        "audits.case_audit_acknowledge",
    }


def test_the_handover_queries_do_not_grow_with_the_leavers_records(
    business_unit: Person,
    lead: Person,
    leaver: Person,
    agency: Agency,
    partnership: Partnership,
) -> None:
    overdue_action(agency, leaver, "One")
    deactivate(leaver, business_unit)

    def count() -> tuple[int, int]:
        person = fresh(lead)
        with CaptureQueriesContext(connection) as queries:
            n = len(handed(person, partnership))
        return n, len(queries)

    one, few = count()
    for n in range(5):
        overdue_action(agency, leaver, f"More {n}")
    six, more = count()
    assert (one, six) == (1, 6)
    assert more == few


def test_no_leaver_costs_the_lead_one_query(lead: Person, partnership: Partnership) -> None:
    person = fresh(lead)
    list(todo.items_for(person, partnership, only=["learning.overdue_action"]))  # roles loaded
    with CaptureQueriesContext(connection) as queries:
        assert list(handover.handover(person, partnership)) == []
    assert len(queries) == 1


def test_the_business_unit_is_told_what_deactivating_did(
    business_unit: Person, leaver: Person, agency: Agency
) -> None:
    page = Client()
    page.force_login(business_unit)
    data = {"full_name": leaver.full_name, "email": leaver.email, "agency": agency.pk}
    done = page.post(f"/people/{leaver.pk}/edit/", data, follow=True).content.decode()
    assert "Liz Leaver can no longer sign in and has been signed out everywhere" in done
    again = page.post(f"/people/{leaver.pk}/edit/", data, follow=True).content.decode()
    assert "signed out everywhere" not in again  # told once, when it happens
