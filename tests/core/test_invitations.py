"""Invitations: a person added to LIFT is sent a single-use link to choose a password, which
expires, can be sent again, and leads someone whose role needs it to set up two-factor."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from lift.core.identity import invitation_tokens
from lift.core.models import Agency, Partnership, Person

from ..factories import person_with_role

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "meadow-lantern-copper-9"


@pytest.fixture
def capture(django_capture_on_commit_callbacks: Any) -> Callable[[], Any]:
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def bu_client(business_unit: Person) -> Client:
    client = Client()
    client.force_login(business_unit)
    return client


def add_person(client: Client, capture: Callable[[], Any], agency: Agency, **extra: str) -> Any:
    data = {
        "full_name": "Ivy Invited",
        "email": "ivy@example.test",
        "agency": agency.pk,
        "role": "learner",
        **extra,
    }
    with capture():
        return client.post("/people/add/", data)


def link_in(message: Any) -> str:
    found = re.search(r"https?://[^/\s]+(/accounts/invitation/\S+/)", message.body)
    assert found is not None, message.body
    return found.group(1)


def test_a_person_added_is_invited_and_chooses_a_password(
    bu_client: Client, capture: Callable[[], Any], agency: Agency
):
    response = add_person(bu_client, capture, agency)
    assert response.status_code == 302
    ivy = Person.objects.get(email="ivy@example.test")
    assert not ivy.has_usable_password()
    (invitation,) = mail.outbox
    assert invitation.to == ["ivy@example.test"]
    assert "invited" in invitation.subject
    assert ivy.invitation_state == "Invited"
    listing = bu_client.get("/people/").content.decode()
    assert "Invited" in listing
    # The invitee opens the link, chooses a password and is signed in.
    invitee = Client()
    link = link_in(invitation)
    page = invitee.get(link)
    assert page.status_code == 200 and "Choose your password" in page.content.decode()
    weak = invitee.post(link, {"new_password1": "short", "new_password2": "short"})
    assert weak.status_code == 200  # the password rules, shown on the page
    done = invitee.post(link, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done["Location"] == "/"
    assert invitee.get("/").status_code == 200
    ivy.refresh_from_db()
    assert ivy.check_password(NEW_PASSWORD) and ivy.invitation_state == "Signed in"
    # Single use.
    assert Client().get(link).status_code == 400
    assert (
        Client().post(link, {"new_password1": "x" * 14, "new_password2": "x" * 14}).status_code
        == 400
    )


def test_an_invitation_expires_and_can_be_sent_again(
    bu_client: Client, capture: Callable[[], Any], agency: Agency, monkeypatch: Any, settings: Any
):
    add_person(bu_client, capture, agency)
    ivy = Person.objects.get(email="ivy@example.test")
    old_link = link_in(mail.outbox[0])
    later = invitation_tokens._now() + dt.timedelta(days=settings.LIFT_INVITATION_DAYS, hours=1)
    monkeypatch.setattr(invitation_tokens, "_now", lambda: later)
    expired = Client().get(old_link)
    assert expired.status_code == 400
    assert "ask your partnership" in expired.content.decode()
    monkeypatch.undo()
    mail.outbox.clear()
    with capture():
        sent = bu_client.post(f"/people/{ivy.pk}/invitation/")
    assert sent.status_code == 302
    (again,) = mail.outbox
    assert Client().get(old_link).status_code == 400  # replaced by the new one
    assert Client().get(link_in(again)).status_code == 200


def test_only_the_managing_partnership_sends_an_invitation_and_only_before_sign_in(
    bu_client: Client, capture: Callable[[], Any], agency: Agency, outsider: Person
):
    add_person(bu_client, capture, agency)
    ivy = Person.objects.get(email="ivy@example.test")
    stranger = Client()
    stranger.force_login(outsider)
    mail.outbox.clear()
    with capture():
        assert stranger.post(f"/people/{ivy.pk}/invitation/").status_code == 404
    assert mail.outbox == []
    signed_in = person_with_role("learner", agency.partnership, agency=agency)
    with capture():
        refused = bu_client.post(f"/people/{signed_in.pk}/invitation/", follow=True)
    assert "already has a password" in refused.content.decode()
    assert mail.outbox == []


def test_an_address_already_in_use_is_refused_and_nothing_sent(
    bu_client: Client, capture: Callable[[], Any], agency: Agency, lead: Person
):
    response = add_person(bu_client, capture, agency, email=lead.email.upper())
    assert response.status_code == 200
    assert "already exists" in response.content.decode()
    assert mail.outbox == []


def test_an_invited_person_can_use_password_reset(
    bu_client: Client, capture: Callable[[], Any], agency: Agency
):
    add_person(bu_client, capture, agency)
    mail.outbox.clear()
    with capture():
        Client().post("/accounts/password-reset/", {"email": "IVY@example.test"})
    [reset] = mail.outbox
    assert reset.to == ["ivy@example.test"]
    # The reset link lets them choose a password and sign in with it.
    found = re.search(r"https?://[^/\s]+(/accounts/password-reset/\S+/)", reset.body)
    assert found is not None, reset.body
    browser = Client()
    form = browser.get(found.group(1), follow=True)
    assert form.status_code == 200
    chosen = {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    assert browser.post(form.redirect_chain[-1][0], chosen).status_code == 302
    signing_in = Client().post(
        "/accounts/login/", {"username": "ivy@example.test", "password": NEW_PASSWORD}
    )
    assert signing_in.status_code == 302
    assert Person.objects.get(email="ivy@example.test").check_password(NEW_PASSWORD)


def test_the_invitations_lifetime_is_a_setting_shown_in_the_email_and_the_list(
    bu_client: Client, capture: Callable[[], Any], agency: Agency, monkeypatch: Any, settings: Any
):
    settings.LIFT_INVITATION_DAYS = 2
    response = add_person(bu_client, capture, agency)
    assert "the link works for 2 days" in bu_client.get(response["Location"]).content.decode()
    (invitation,) = mail.outbox
    assert "The link works once, for 2 days." in invitation.body
    link = link_in(invitation)
    later = invitation_tokens._now() + dt.timedelta(days=2, hours=1)
    monkeypatch.setattr(invitation_tokens, "_now", lambda: later)
    assert Client().get(link).status_code == 400
    monkeypatch.undo()
    ivy = Person.objects.get(email="ivy@example.test")
    ivy.invited_at = ivy.invited_at - dt.timedelta(days=2, hours=1)
    ivy.save(update_fields=["invited_at"])
    assert "Invitation expired" in bu_client.get("/people/").content.decode()


def test_a_used_or_expired_link_changes_nothing(
    bu_client: Client, capture: Callable[[], Any], agency: Agency, monkeypatch: Any
):
    add_person(bu_client, capture, agency)
    link = link_in(mail.outbox[0])
    later = invitation_tokens._now() + dt.timedelta(days=30)
    monkeypatch.setattr(invitation_tokens, "_now", lambda: later)
    chosen = {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    refused = Client().post(link, chosen)
    assert refused.status_code == 400
    html = refused.content.decode()
    assert "This invitation cannot be used" in html and "has expired" in html
    ivy = Person.objects.get(email="ivy@example.test")
    assert not ivy.has_usable_password() and ivy.last_login is None


def test_a_deactivated_persons_invitation_no_longer_works_and_is_not_sent_again(
    bu_client: Client, capture: Callable[[], Any], agency: Agency
):
    add_person(bu_client, capture, agency)
    link = link_in(mail.outbox[0])
    ivy = Person.objects.get(email="ivy@example.test")
    data = {"full_name": ivy.full_name, "email": ivy.email, "agency": agency.pk}
    assert bu_client.post(f"/people/{ivy.pk}/edit/", data).status_code == 302
    assert Client().get(link).status_code == 400
    mail.outbox.clear()
    with capture():
        refused = bu_client.post(f"/people/{ivy.pk}/invitation/", follow=True)
    assert "reactivate it first" in refused.content.decode()
    assert mail.outbox == []


@pytest.mark.mfa
def test_an_invited_business_unit_member_goes_on_to_set_up_two_factor(
    bu_client: Client,
    capture: Callable[[], Any],
    partnership: Partnership,
    agency: Agency,
    settings: Any,
):
    settings.LIFT_ENFORCE_MFA = False  # the inviter's own second factor is tested elsewhere
    add_person(bu_client, capture, agency, role="business_unit", email="bo@example.test")
    settings.LIFT_ENFORCE_MFA = True
    invitee = Client()
    link = link_in(mail.outbox[-1])
    done = invitee.post(link, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done["Location"] == "/accounts/mfa/"
    assert "secret-key" in invitee.get("/accounts/mfa/").content.decode()
    assert invitee.get("/")["Location"].startswith("/accounts/mfa/")


def test_the_api_adds_a_person_and_invites_them(
    business_unit: Person, lead: Person, agency: Agency, capture: Callable[[], Any]
):
    from rest_framework.authtoken.models import Token

    headers = {"HTTP_AUTHORIZATION": f"Token {Token.objects.create(user=business_unit).key}"}
    data = {
        "full_name": "Api Added",
        "email": "api@example.test",
        "role": "learner",
        "agency": agency.pk,
    }
    with capture():
        made = Client().post("/api/v1/people/", data, content_type="application/json", **headers)
    assert made.status_code == 201, made.content
    assert made.json()["email"] == "api@example.test"
    assert [m.to for m in mail.outbox] == [["api@example.test"]]
    mail.outbox.clear()
    with capture():
        again = Client().post("/api/v1/people/", data, content_type="application/json", **headers)
    assert again.status_code == 400  # the address is in use
    assert "already exists" in again.content.decode()
    assert mail.outbox == [] and Person.objects.filter(email="api@example.test").count() == 1
    lead_headers = {"HTTP_AUTHORIZATION": f"Token {Token.objects.create(user=lead).key}"}
    data["email"] = "other@example.test"
    refused = Client().post(
        "/api/v1/people/", data, content_type="application/json", **lead_headers
    )
    assert refused.status_code == 403
    assert not Person.objects.filter(email="other@example.test").exists()


def upload(text: str) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("people.csv", text.encode(), content_type="text/csv")


def test_importing_people_is_all_or_nothing_and_invites_each(
    bu_client: Client, capture: Callable[[], Any], agency: Agency, lead: Person
):
    bad = (
        "full name,email,role,agency\n"
        f"Ann One,ann@example.test,Learner,{agency.name}\n"
        "Ben Two,not-an-address,Learner,\n"
        f"Cy Three,{lead.email},Safeguarding lead,{agency.name}\n"
        "Di Four,ann@example.test,Learner,\n"
        "Ed Five,ed@example.test,Learner,Nowhere Agency\n"
    )
    with capture():
        page = bu_client.post("/people/import/", {"file": upload(bad)})
    html = page.content.decode()
    assert page.status_code == 200
    assert "not-an-address" in html and "already has a LIFT account" in html
    assert "same email address is on row 2" in html and "Nowhere Agency" in html
    assert not Person.objects.filter(email="ann@example.test").exists()
    assert mail.outbox == []
    good = (
        "Full name,Email,Role,Agency,Job title\n"
        f"Ann One,ann@example.test,Learner,{agency.name},Nurse\n"
        f"Ben Two,ben@example.test,safeguarding_lead,{agency.name},\n"
    )
    with capture():
        done = bu_client.post("/people/import/", {"file": upload(good)})
    assert done["Location"] == "/people/"
    assert sorted(m.to[0] for m in mail.outbox) == ["ann@example.test", "ben@example.test"]
    ann = Person.objects.get(email="ann@example.test")
    assert ann.job_title == "Nurse" and ann.invitation_state == "Invited"
    assert ann.home_partnership == agency.partnership


def test_only_the_business_unit_imports_people(client_for: Any, lead: Person):
    assert client_for(lead).get("/people/import/").status_code == 403


def test_deactivating_a_leaver_signs_them_out_everywhere_and_keeps_their_history(
    bu_client: Client, lead: Person, agency: Agency
):
    from rest_framework.authtoken.models import Token

    browser = Client()
    browser.force_login(lead)
    assert browser.get("/").status_code == 200
    key = Token.objects.create(user=lead).key
    data = {"full_name": lead.full_name, "email": lead.email, "agency": agency.pk}
    assert bu_client.post(f"/people/{lead.pk}/edit/", data).status_code == 302  # not active
    lead.refresh_from_db()
    assert not lead.is_active
    assert browser.get("/")["Location"].startswith("/accounts/login/")
    api = Client().get("/api/v1/people/", HTTP_AUTHORIZATION=f"Token {key}")
    assert api.status_code in (401, 403)
    history = bu_client.get(f"/people/{lead.pk}/history/").content.decode()
    assert "Is active" in history


def test_the_api_sends_the_invitation_again_only_for_the_managing_business_unit(
    business_unit: Person, lead: Person, agency: Agency, capture: Callable[[], Any], outsider: Any
):
    from rest_framework.authtoken.models import Token

    def headers(person: Person) -> dict[str, str]:
        token, _ = Token.objects.get_or_create(user=person)
        return {"HTTP_AUTHORIZATION": f"Token {token.key}"}

    data = {
        "full_name": "Api Added",
        "email": "api@example.test",
        "role": "learner",
        "agency": agency.pk,
    }
    with capture():
        made = Client().post(
            "/api/v1/people/", data, content_type="application/json", **headers(business_unit)
        )
    assert made.json()["invitation_state"] == "Invited"
    pk, (first,) = made.json()["id"], mail.outbox
    mail.outbox.clear()
    url = f"/api/v1/people/{pk}/invitation/"
    with capture():
        # The lead reads the person but may not send: a 403 (docs/adr/0007); the outsider,
        # who cannot see the person, a 404.
        assert Client().get(f"/api/v1/people/{pk}/", **headers(lead)).status_code == 200
        assert Client().post(url, **headers(lead)).status_code == 403
        assert Client().post(url, **headers(outsider)).status_code == 404
    assert mail.outbox == []
    with capture():
        sent = Client().post(url, **headers(business_unit))
    assert sent.status_code == 200, sent.content
    assert sent.json()["invitation_state"] == "Invited"
    (again,) = mail.outbox
    assert Client().get(link_in(first)).status_code == 400  # the earlier link stops working
    invitee = Client()
    assert invitee.get(link_in(again)).status_code == 200
    chosen = invitee.post(
        link_in(again), {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert chosen.status_code == 302
    mail.outbox.clear()
    with capture():
        refused = Client().post(url, **headers(business_unit))
    assert refused.status_code == 400 and "already has a password" in refused.content.decode()
    assert mail.outbox == []
