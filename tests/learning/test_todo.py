"""The learning chain's kinds of to-do: each appears for the person whose step it is, for no
one else (another agency, another partnership, a learner), and goes when the step is done
through its service. The Chair is told, once, that an impact check waits for them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from lift.core import todo
from lift.core.models import Agency, Notification, OutboundEmail, Partnership, Person
from lift.learning import services
from lift.learning import todo as kinds
from lift.learning.choices import ActionStatus, Addressee, Response
from lift.learning.models import Action, ImpactCheck

from ..factories import immediate_emails, person_with_role
from .conftest import completed, with_link_evidence


def mine(person: Person, partnership: Partnership, kind: str) -> list[todo.ToDo]:
    person = Person.objects.get(pk=person.pk)  # roles read afresh
    return todo.items_for(person, partnership, only=[kind])


@pytest.fixture
def other_chair(other_partnership: Partnership) -> Person:
    return person_with_role("chair", other_partnership, full_name="Olwen Otherchair")


def _check(action: Action, by: Person) -> ImpactCheck:
    return services.impact_check_record(
        action=action,
        by=by,
        method="reaudit",
        measured="Use of the screening tool in a re-audit of 20 cases",
        result="Used in 17 of 20 cases, up from 6 of 20",
        outcome="improved",
    )


# --- verify impact ----------------------------------------------------------------------------


def test_the_chair_verifies_a_recorded_impact_check(
    action: Action,
    lead: Person,
    chair: Person,
    business_unit: Person,
    board_member: Person,
    learner: Person,
    other_chair: Person,
    partnership: Partnership,
    other_partnership: Partnership,
) -> None:
    completed(action, lead)
    with_link_evidence(action, lead)
    assert mine(chair, partnership, kinds.VERIFY_IMPACT) == []  # nothing recorded yet
    check = _check(action, lead)
    [item] = mine(chair, partnership, kinds.VERIFY_IMPACT)
    assert item.title == f"Verify the impact of {action.title}"
    assert item.url == f"/actions/{action.pk}/impact/{check.pk}/verify/"
    assert item.subject == action
    assert "Evidence: 1 item." in item.hint
    for someone in (lead, business_unit, board_member, learner):
        assert mine(someone, partnership, kinds.VERIFY_IMPACT) == []
    assert mine(other_chair, other_partnership, kinds.VERIFY_IMPACT) == []
    assert mine(other_chair, partnership, kinds.VERIFY_IMPACT) == []

    services.impact_verify(check=check, by=chair)
    assert mine(chair, partnership, kinds.VERIFY_IMPACT) == []


def test_a_reopened_action_has_nothing_to_verify(action: Action, lead: Person, chair: Person):
    completed(action, lead)
    _check(action, lead)
    services.action_transition(
        action=action, to=ActionStatus.IN_PROGRESS, by=lead, reason="The re-audit was too small."
    )
    assert mine(chair, action.partnership, kinds.VERIFY_IMPACT) == []


def test_without_evidence_the_step_is_the_owners_then_the_chairs(
    action: Action, lead: Person, chair: Person, learner: Person, partnership: Partnership
) -> None:
    """A completed action with an impact check but no evidence cannot be verified (the
    service refuses it): the owner is asked for the evidence, then the Chair to verify."""
    completed(action, lead)
    assert mine(lead, partnership, kinds.EVIDENCE_NEEDED) == []  # no impact check yet
    check = _check(action, lead)
    assert mine(chair, partnership, kinds.VERIFY_IMPACT) == []
    [item] = mine(lead, partnership, kinds.EVIDENCE_NEEDED)
    assert item.title == f"Add evidence to {action.title} so its impact can be verified"
    assert item.url == f"/actions/{action.pk}/evidence/add/"
    assert mine(learner, partnership, kinds.EVIDENCE_NEEDED) == []
    assert mine(chair, partnership, kinds.EVIDENCE_NEEDED) == []

    with_link_evidence(action, lead)
    assert mine(lead, partnership, kinds.EVIDENCE_NEEDED) == []
    [verify] = mine(chair, partnership, kinds.VERIFY_IMPACT)
    assert verify.url == f"/actions/{action.pk}/impact/{check.pk}/verify/"


def test_the_chair_is_told_once_in_lift_and_by_email(
    action: Action,
    lead: Person,
    chair: Person,
    other_chair: Person,
    django_capture_on_commit_callbacks: Any,
    mailoutbox: list[Any],
) -> None:
    """The bug: after the lead recorded evidence and an impact check, nobody was told the
    Chair must verify it."""
    immediate_emails(chair)  # the Chair chose an e-mail for each notification
    completed(action, lead)
    with_link_evidence(action, lead)
    with django_capture_on_commit_callbacks(execute=True):
        check = _check(action, lead)
    [note] = Notification.objects.filter(key__startswith=f"learning:impact-check:{check.pk}:")
    assert note.person == chair
    assert note.url == f"/actions/{action.pk}/impact/{check.pk}/verify/"
    assert note.title == f"Verify impact: {action.title}"
    [email] = OutboundEmail.objects.filter(key=note.key)
    assert email.to == chair.email
    assert [m.subject for m in mailoutbox] == [note.title]
    assert mailoutbox[0].to == [chair.email]
    assert not Notification.objects.filter(person=other_chair).exists()

    # Once: asking again for the same check sends nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        services._ask_chair_to_verify(check, lead)
    assert Notification.objects.filter(key=note.key).count() == 1
    assert len(mailoutbox) == 1

    services.impact_verify(check=check, by=chair)
    note.refresh_from_db()
    assert note.read_at is not None


def test_a_chair_who_records_the_check_is_not_told_about_it(
    action: Action, lead: Person, chair: Person
) -> None:
    completed(action, lead)
    check = _check(action, chair)
    assert not Notification.objects.filter(key__startswith=f"learning:impact-check:{check.pk}:")


def test_the_verify_page_links_each_piece_of_evidence(
    action: Action, lead: Person, chair: Person, client_for: Callable[[Person], Client]
) -> None:
    completed(action, lead)
    with_link_evidence(action, lead)
    upload = SimpleUploadedFile("register.txt", b"Names of 40 attendees (fictional)\n")
    services.evidence_add(
        action=action, by=lead, kind="file", description="Signed register", uploaded_file=upload
    )
    services.evidence_add(
        action=action, by=lead, kind="note", description="Team manager's note", note="Done."
    )
    check = _check(action, lead)
    page = client_for(chair).get(f"/actions/{action.pk}/impact/{check.pk}/verify/")
    html = page.content.decode()
    assert page.status_code == 200
    file_evidence, note_evidence = (
        action.evidence.get(kind="file"),
        action.evidence.get(kind="note"),
    )
    assert (
        '<a class="govuk-link" href="https://example.org/register" rel="noopener noreferrer">'
        "Attendance register</a>" in html
    )
    assert f'href="/files/{file_evidence.attachment_id}/">Signed register</a>' in html
    assert f'href="/actions/{action.pk}/#evidence-{note_evidence.pk}">Team manager' in html
    detail = client_for(chair).get(f"/actions/{action.pk}/").content.decode()
    assert f'id="evidence-{note_evidence.pk}"' in detail


# --- respond to a recommendation --------------------------------------------------------------


def test_the_lead_of_an_agency_addressed_responds_to_the_recommendation(
    partnership: Partnership,
    agency: Agency,
    lead: Person,
    police_lead: Person,
    other_lead: Person,
    learner: Person,
    business_unit: Person,
    other_partnership: Partnership,
) -> None:
    rec = services.recommendation_create(
        source=None,
        partnership=partnership,
        text="Agencies should use the neglect screening tool at every assessment.",
        addressee=Addressee.AGENCIES,
        agencies=[agency],
        reference="R7",
    )
    services.recommendation_create(
        source=None,
        partnership=partnership,
        text="The partnership should refresh its neglect strategy.",
        addressee=Addressee.PARTNERSHIP,
    )
    [item] = mine(lead, partnership, kinds.RESPOND)
    assert item.title == (
        "Respond to recommendation R7: Agencies should use the neglect screening tool at…"
    )
    assert item.url == f"/recommendations/{rec.pk}/respond/"
    assert item.subject == rec
    for someone in (police_lead, learner, business_unit):
        assert mine(someone, partnership, kinds.RESPOND) == []
    assert mine(other_lead, other_partnership, kinds.RESPOND) == []

    services.recommendation_respond(recommendation=rec, by=lead, response=Response.ACCEPTED)
    assert mine(lead, partnership, kinds.RESPOND) == []


# --- overdue actions --------------------------------------------------------------------------


def test_an_overdue_action_is_its_owners_and_its_agency_leads(
    make_action: Callable[..., Action],
    partnership: Partnership,
    agency: Agency,
    lead: Person,
    police_lead: Person,
    learner: Person,
    make_person: Callable[..., Person],
    other_lead: Person,
    other_partnership: Partnership,
) -> None:
    owner = make_person("auditor", agency=agency, full_name="Olu Owner")
    today = timezone.localdate()
    late = make_action(title="Late action", owner=owner, due_on=today - dt.timedelta(days=4))
    make_action(title="Not yet due", owner=owner, due_on=today + dt.timedelta(days=4))
    refused = make_action(
        title="Refused",
        owner=owner,
        due_on=today - dt.timedelta(days=9),
        status=ActionStatus.AGREED,
    )
    services.action_transition(
        action=refused, to=ActionStatus.NOT_ACCEPTED, by=lead, reason="Not our service."
    )
    for someone in (owner, lead):
        [item] = mine(someone, partnership, kinds.OVERDUE_ACTION)
        assert item.title == "Update the overdue action Late action"
        assert item.url == late.get_absolute_url()
        assert item.due_on == today - dt.timedelta(days=4)
        assert item.state_label == "Overdue"
    for someone in (police_lead, learner):
        assert mine(someone, partnership, kinds.OVERDUE_ACTION) == []
    assert mine(other_lead, other_partnership, kinds.OVERDUE_ACTION) == []

    # A new due date, with its reason, clears it; so does finishing the work.
    services.action_due_change(
        action=late, by=owner, due_on=today + dt.timedelta(days=14), reason="Staff sickness."
    )
    assert mine(owner, partnership, kinds.OVERDUE_ACTION) == []
    Action.objects.filter(pk=late.pk).update(due_on=today - dt.timedelta(days=1))
    assert len(mine(owner, partnership, kinds.OVERDUE_ACTION)) == 1
    completed(late, owner)
    assert mine(owner, partnership, kinds.OVERDUE_ACTION) == []
    assert mine(lead, partnership, kinds.OVERDUE_ACTION) == []


def test_an_owner_who_leads_the_agency_sees_the_action_once(
    make_action: Callable[..., Action], lead: Person, partnership: Partnership
) -> None:
    make_action(title="Late action", due_on=timezone.localdate() - dt.timedelta(days=2))
    assert len(mine(lead, partnership, kinds.OVERDUE_ACTION)) == 1
