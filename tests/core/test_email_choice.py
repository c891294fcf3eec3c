"""How LIFT e-mails you: each choice, the page, the API, and nobody else may choose for you."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.test import Client

from lift.core import notify as svc
from lift.core.history import for_object
from lift.core.models import Notification, OutboundEmail, Person
from lift.core.models.people import EmailChoice

pytestmark = pytest.mark.django_db

PAGE = "/accounts/emails/"


def _choose(person: Person, choice: str) -> None:
    Person.objects.filter(pk=person.pk).update(email_choice=choice)
    person.email_choice = choice


def _notify(person: Person, key: str, capture: Any, **kw: Any) -> Notification:
    with capture(execute=True):
        return svc.notify(person=person, key=key, title="Due soon: Annual report", **kw)


def test_everyone_starts_on_the_daily_digest(business_unit: Person) -> None:
    business_unit.refresh_from_db()
    assert business_unit.email_choice == EmailChoice.DIGEST


def test_immediate_sends_the_email_now(
    lead: Person, django_capture_on_commit_callbacks: Any
) -> None:
    _choose(lead, EmailChoice.IMMEDIATE)
    note = _notify(lead, "choice:1", django_capture_on_commit_callbacks)
    assert [m.to for m in mail.outbox] == [[lead.email]]
    assert not note.email_pending


def test_digest_sends_nothing_now_and_waits_for_the_digest(
    lead: Person, django_capture_on_commit_callbacks: Any
) -> None:
    note = _notify(lead, "choice:2", django_capture_on_commit_callbacks)
    assert mail.outbox == [] and not OutboundEmail.objects.exists()
    note.refresh_from_db()
    assert note.email_pending


def test_none_sends_nothing_and_nothing_waits(
    lead: Person, django_capture_on_commit_callbacks: Any
) -> None:
    _choose(lead, EmailChoice.NONE)
    note = _notify(lead, "choice:3", django_capture_on_commit_callbacks)
    assert mail.outbox == [] and not OutboundEmail.objects.exists()
    note.refresh_from_db()
    assert not note.email_pending


@pytest.mark.parametrize("choice", [EmailChoice.DIGEST, EmailChoice.NONE])
def test_an_immediate_notification_goes_now_whatever_the_choice(
    lead: Person, choice: str, django_capture_on_commit_callbacks: Any
) -> None:
    _choose(lead, choice)
    note = _notify(lead, f"choice:4:{choice}", django_capture_on_commit_callbacks, immediate=True)
    assert [m.to for m in mail.outbox] == [[lead.email]]
    note.refresh_from_db()
    assert not note.email_pending


def test_a_password_reset_is_sent_to_someone_who_chose_no_emails(
    client: Client, lead: Person
) -> None:
    _choose(lead, EmailChoice.NONE)
    client.post("/accounts/password-reset/", {"email": lead.email})
    assert [m.subject for m in mail.outbox] == ["Reset your LIFT password"]


# --- the page ---------------------------------------------------------------------------


def test_the_page_shows_the_choice_and_saves_a_new_one(client_for: Any, lead: Person) -> None:
    c = client_for(lead)
    html = c.get(PAGE).content.decode()
    assert "How LIFT e-mails you" in html
    assert 'type="radio" value="digest" checked' in html
    assert "govuk-radios" in html
    response = c.post(PAGE, {"email_choice": "none"}, follow=True)
    assert response.redirect_chain[-1][0] == "/notifications/"
    page = response.content.decode()
    assert "LIFT will not e-mail you your notifications." in page
    assert "No e-mails: I will check my notifications in LIFT" in page  # the summary there
    lead.refresh_from_db()
    assert lead.email_choice == EmailChoice.NONE
    entry = for_object(lead).first()
    assert entry is not None and "email_choice" in entry.changes


def test_no_choice_or_an_unknown_one_is_an_error_and_changes_nothing(
    client_for: Any, lead: Person
) -> None:
    c = client_for(lead)
    for data in ({}, {"email_choice": "hourly"}):
        response = c.post(PAGE, data)
        assert response.status_code == 400
        assert "Select how you want LIFT to e-mail you" in response.content.decode()
    lead.refresh_from_db()
    assert lead.email_choice == EmailChoice.DIGEST


def test_the_business_unit_cannot_choose_for_someone_else(
    client_for: Any, business_unit: Person, lead: Person
) -> None:
    """A forged form naming another person is refused, clearly, and changes nothing."""
    response = client_for(business_unit).post(
        PAGE, {"email_choice": "none", "person": str(lead.pk)}
    )
    assert response.status_code == 403
    assert "You can only choose how LIFT e-mails you" in response.content.decode()
    lead.refresh_from_db()
    business_unit.refresh_from_db()
    assert lead.email_choice == business_unit.email_choice == EmailChoice.DIGEST
    assert mail.outbox == []


def test_the_service_refuses_anyone_but_the_person(business_unit: Person, lead: Person) -> None:
    with pytest.raises(PermissionDenied):
        svc.email_choice_set(person=lead, choice=EmailChoice.NONE, by=business_unit)
    lead.refresh_from_db()
    assert lead.email_choice == EmailChoice.DIGEST


def test_signed_out_is_sent_to_sign_in(client: Client) -> None:
    response = client.get(PAGE)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# --- the API ----------------------------------------------------------------------------


def _api(person: Person) -> Any:
    from rest_framework.test import APIClient

    c = APIClient()
    c.force_authenticate(person)
    return c


def test_api_reads_and_sets_your_own_choice(lead: Person) -> None:
    c = _api(lead)
    url = "/api/v1/people/me/email-choice/"
    assert c.get(url).json() == {"email_choice": "digest"}
    response = c.put(url, {"email_choice": "immediate"}, format="json")
    assert response.status_code == 200 and response.json() == {"email_choice": "immediate"}
    lead.refresh_from_db()
    assert lead.email_choice == EmailChoice.IMMEDIATE
    assert c.get(f"/api/v1/people/{lead.pk}/email-choice/").json() == {"email_choice": "immediate"}
    bad = c.put(url, {"email_choice": "hourly"}, format="json")
    assert bad.status_code == 400 and "email_choice" in bad.json()["errors"]
    lead.refresh_from_db()
    assert lead.email_choice == EmailChoice.IMMEDIATE


def test_api_refuses_someone_elses_choice(
    business_unit: Person, lead: Person, outsider: Person
) -> None:
    c = _api(business_unit)
    url = f"/api/v1/people/{lead.pk}/email-choice/"
    response = c.put(url, {"email_choice": "none"}, format="json")
    assert response.status_code == 403
    assert "You can only choose how LIFT e-mails you" in str(response.json())
    assert c.get(url).status_code == 403
    lead.refresh_from_db()
    assert lead.email_choice == EmailChoice.DIGEST
    # Someone in another partnership is not found at all.
    assert c.get(f"/api/v1/people/{outsider.pk}/email-choice/").status_code == 404


def test_api_schema_documents_the_choice(client_for: Any, lead: Person) -> None:
    schema = client_for(lead).get("/api/v1/schema/").content.decode()
    assert "/api/v1/people/{id}/email-choice/" in schema
    assert "EmailChoice" in schema
