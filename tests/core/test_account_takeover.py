"""The account-takeover path a probe found, written as the attack: each test failed on the
code before the fix.

1. A password-only session of someone whose role needs two-factor authentication reached
   `/accounts/api-token/`, made a token, and the token read every API endpoint.
2. One partnership's business unit changed another partnership's person's e-mail address to
   their own, asked for a password reset and signed in as them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from lift.core.models import Partnership, Person, RoleAssignment
from lift.core.services import role_end
from lift.core.views.accounts import ensure_totp_device, totp_now

from ..factories import PASSWORD, give_role, person_with_role

pytestmark = pytest.mark.django_db

KEY = "3132333435363738393031323334353637383930"
MFA = "/accounts/mfa/"
TOKEN_PAGE = "/accounts/api-token/"


def sign_in(client: Client, email: str, password: str = PASSWORD) -> Any:
    return client.post("/accounts/login/", {"username": email, "password": password})


def verify(client: Client, person: Person) -> None:
    device = TOTPDevice.objects.get(user=person, confirmed=True)
    assert client.post(MFA, {"code": totp_now(device)}).status_code == 302


def api(token: str, path: str, method: str = "get", **data: Any) -> Any:
    return getattr(Client(), method)(
        path, data, HTTP_AUTHORIZATION=f"Token {token}", content_type="application/json"
    )


@pytest.fixture
def capture(django_capture_on_commit_callbacks: Any) -> Callable[[], Any]:
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def coordinator(partnership: Partnership) -> Person:
    person = person_with_role("cdop_coordinator", partnership, full_name="Cora Coordinator")
    ensure_totp_device(person=person, secret_hex=KEY)
    return person


# --- 1. The second factor on every route to data -------------------------------------------


@pytest.mark.mfa
def test_a_password_only_session_cannot_make_an_api_token(client: Client, coordinator: Person):
    assert sign_in(client, coordinator.email)["Location"] == MFA
    page = client.get(TOKEN_PAGE)
    assert page.status_code == 302 and page["Location"].startswith(MFA)
    made = client.post(TOKEN_PAGE, {"action": "create"})
    assert made.status_code == 302 and made["Location"].startswith(MFA)
    assert not Token.objects.filter(user=coordinator).exists()
    # Nor any other account page that changes the account, nor the API by session.
    assert client.get("/accounts/password/")["Location"].startswith(MFA)
    assert client.get("/api/v1/restricted-records/").status_code == 403
    assert client.get("/api/v1/people/").status_code == 403


@pytest.mark.mfa
def test_a_verified_session_makes_a_token_that_works(client: Client, coordinator: Person):
    sign_in(client, coordinator.email)
    verify(client, coordinator)
    assert client.get(TOKEN_PAGE).status_code == 200
    client.post(TOKEN_PAGE, {"action": "create"})
    token = Token.objects.get(user=coordinator)
    page = client.get(TOKEN_PAGE).content.decode()
    assert token.key in page  # shown once
    assert "It works until" in page
    assert api(token.key, "/api/v1/people/").status_code == 200


@pytest.mark.mfa
def test_tokens_expire(settings: Any, coordinator: Person):
    token = Token.objects.create(user=coordinator)
    assert api(token.key, "/api/v1/people/").status_code == 200
    Token.objects.filter(pk=token.pk).update(created=timezone.now() - dt.timedelta(days=91))
    expired = api(token.key, "/api/v1/people/")
    assert expired.status_code in (401, 403)
    assert "expired" in expired.json()["detail"]
    settings.LIFT_API_TOKEN_DAYS = 120
    assert api(token.key, "/api/v1/people/").status_code == 200


@pytest.mark.mfa
def test_a_token_dies_with_a_password_change_and_a_deactivation(coordinator: Person):
    token = Token.objects.create(user=coordinator)
    coordinator.set_password("a-new-long-password-for-cora")
    coordinator.save()
    assert api(token.key, "/api/v1/people/").status_code in (401, 403)
    token = Token.objects.create(user=coordinator)
    coordinator.is_active = False
    coordinator.save()
    assert not Token.objects.filter(user=coordinator).exists()
    assert api(token.key, "/api/v1/people/").status_code in (401, 403)


@pytest.mark.mfa
def test_a_token_can_be_revoked(client: Client, coordinator: Person):
    sign_in(client, coordinator.email)
    verify(client, coordinator)
    client.post(TOKEN_PAGE, {"action": "create"})
    key = Token.objects.get(user=coordinator).key
    client.post(TOKEN_PAGE, {"action": "revoke"})
    assert api(key, "/api/v1/people/").status_code in (401, 403)


@pytest.mark.mfa
def test_a_password_alone_cannot_choose_the_second_factor(
    client: Client, partnership: Partnership, capture: Callable[[], Any]
):
    """Whoever knows the password of a business unit member who has no authenticator yet
    must not be able to add their own: setting one up needs a link sent to the e-mail."""
    bu = person_with_role("business_unit", partnership, full_name="Nova New")
    sign_in(client, bu.email)
    page = client.get(MFA)
    assert "Send me a link" in page.content.decode()
    assert "secret-key" not in page.content.decode()
    refused = client.post(MFA, {"code": "123456"})
    assert refused.status_code == 403
    assert not TOTPDevice.objects.filter(user=bu, confirmed=True).exists()
    # Someone else's link does not help either.
    other = person_with_role("business_unit", partnership, full_name="Other Person")
    with capture():
        client.post(MFA, {"action": "send-link"})
    link = re.search(r"(/accounts/mfa/enrol/\S+/)", mail.outbox[-1].body)
    assert link is not None
    thief = Client()
    thief.force_login(other)
    assert thief.get(link.group(1)).status_code == 400
    # The person it was sent to may then set up their app.
    assert client.get(link.group(1))["Location"] == MFA
    assert "secret-key" in client.get(MFA).content.decode()


@pytest.mark.mfa
def test_a_password_reset_lets_a_new_business_unit_member_set_up_two_factor(
    client: Client, partnership: Partnership, capture: Callable[[], Any]
):
    bu = person_with_role("business_unit", partnership, full_name="Rita Reset")
    with capture():
        client.post("/accounts/password-reset/", {"email": bu.email})
    link = re.search(r"(/accounts/password-reset/\S+/\S+/)", mail.outbox[-1].body)
    assert link is not None
    form = client.get(link.group(1), follow=True)
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "plum-harbour-lantern", "new_password2": "plum-harbour-lantern"},
    )
    assert done["Location"] == MFA
    assert "secret-key" in client.get(MFA).content.decode()
    # Until a code is entered, nothing else is reachable.
    assert client.get("/")["Location"].startswith(MFA)


# --- 2. An account belongs to one partnership ------------------------------------------------


@pytest.fixture
def shared(partnership: Partnership, other_partnership: Partnership) -> Person:
    """Harrowmere's business unit, who also holds a role in the other partnership."""
    person = person_with_role("business_unit", partnership, full_name="Hana Harrowmere")
    give_role(person, "learner", other_partnership)
    return person


def test_another_partnership_cannot_take_over_an_account(
    shared: Person, outsider: Person, capture: Callable[[], Any]
):
    """The probe's attack: the other partnership's business unit changes the shared person's
    e-mail address to their own, then asks for a password reset."""
    assert (
        shared.home_partnership
        == RoleAssignment.objects.get(person=shared, role="business_unit").partnership
    )
    attacker = Client()
    attacker.force_login(outsider)
    assert attacker.get(f"/people/{shared.pk}/").status_code == 200  # may see them
    assert attacker.get(f"/people/{shared.pk}/edit/").status_code == 403  # but not edit
    data = {"full_name": shared.full_name, "email": "olly@attacker.example", "is_active": "on"}
    assert attacker.post(f"/people/{shared.pk}/edit/", data).status_code == 403
    shared.refresh_from_db()
    assert shared.email != "olly@attacker.example"
    with capture():
        Client().post("/accounts/password-reset/", {"email": "olly@attacker.example"})
    assert all("olly@attacker.example" not in m.to for m in mail.outbox)
    assert "/edit/" not in attacker.get(f"/people/{shared.pk}/").content.decode()


def test_another_partnership_still_manages_its_own_roles(
    shared: Person, outsider: Person, other_partnership: Partnership
):
    client = Client()
    client.force_login(outsider)
    added = client.post(
        "/roles/add/", {"person": shared.pk, "role": "chair", "starts_on": "2026-01-05"}
    )
    assert added.status_code == 302
    assert RoleAssignment.objects.filter(
        person=shared, partnership=other_partnership, role="chair"
    ).exists()


def test_a_new_email_address_takes_effect_only_once_confirmed(
    shared: Person, partnership: Partnership, capture: Callable[[], Any]
):
    owner = person_with_role("business_unit", partnership, full_name="Bea Business")
    client = Client()
    client.force_login(owner)
    old = shared.email
    with capture():
        saved = client.post(
            f"/people/{shared.pk}/edit/",
            {"full_name": "Hana Harrowmere", "email": "hana.new@example.test", "is_active": "on"},
        )
    assert saved.status_code == 302
    shared.refresh_from_db()
    assert shared.email == old  # not yet
    (confirm,) = [m for m in mail.outbox if m.to == ["hana.new@example.test"]]
    link = re.search(r"(/accounts/email/confirm/\S+/)", confirm.body)
    assert link is not None
    visitor = Client()
    assert "Confirm my new email address" in visitor.get(link.group(1)).content.decode()
    shared.refresh_from_db()
    assert shared.email == old  # opening the link (a mail preview) changes nothing
    mail.outbox.clear()
    with capture():
        assert visitor.post(link.group(1)).status_code == 200
    shared.refresh_from_db()
    assert shared.email == "hana.new@example.test"
    assert [m.to for m in mail.outbox] == [[old]]  # the old address is told
    assert "h***@example.test" in mail.outbox[0].body
    assert visitor.post(link.group(1)).status_code == 400  # once only
    assert visitor.get("/accounts/email/confirm/not-a-token/").status_code == 400


def test_the_last_business_unit_role_cannot_be_removed(
    partnership: Partnership, capture: Callable[[], Any]
):
    bu = person_with_role("business_unit", partnership, full_name="Solo Business")
    role = RoleAssignment.objects.get(person=bu, role="business_unit")
    client = Client()
    client.force_login(bu)
    refused = client.post(f"/roles/{role.pk}/delete/", {"reason": "Leaving", "confirm": "yes"})
    assert refused.status_code == 200
    assert "last business unit role" in refused.content.decode()
    edit = client.post(
        f"/roles/{role.pk}/edit/",
        {"person": bu.pk, "role": "chair", "starts_on": role.starts_on.isoformat()},
    )
    assert "last business unit role" in edit.content.decode()
    with pytest.raises(Exception, match="last business unit role"):
        role_end(assignment=role)
    token = Token.objects.create(user=bu)
    assert api(token.key, f"/api/v1/roles/{role.pk}/", "delete").status_code == 409
    role.refresh_from_db()
    assert role.role == "business_unit" and role.ends_on is None
    # With a second business unit member the first may go.
    person_with_role("business_unit", partnership, full_name="Second Business")
    client.force_login(bu)
    done = client.post(f"/roles/{role.pk}/delete/", {"reason": "Leaving", "confirm": "yes"})
    assert done.status_code == 302
    assert not RoleAssignment.objects.filter(pk=role.pk).exists()


def test_the_only_business_unit_member_cannot_be_deactivated(partnership: Partnership):
    solo = person_with_role("business_unit", partnership, full_name="Solo Business")
    other = person_with_role("business_unit", partnership, full_name="Ending Soon")
    RoleAssignment.objects.filter(person=other).update(ends_on=timezone.localdate())
    client = Client()
    client.force_login(other)
    response = client.post(
        f"/people/{solo.pk}/edit/", {"full_name": solo.full_name, "email": solo.email}
    )
    assert "last business unit role" in response.content.decode()
    solo.refresh_from_db()
    assert solo.is_active
    assert reverse("core:person_edit", args=[solo.pk]) == f"/people/{solo.pk}/edit/"


def test_only_the_managing_partnership_resets_two_factor(
    shared: Person, outsider: Person, partnership: Partnership, capture: Callable[[], Any]
):
    ensure_totp_device(person=shared, secret_hex=KEY)
    url = f"/people/{shared.pk}/two-factor/reset/"
    attacker = Client()
    attacker.force_login(outsider)
    assert attacker.get(url).status_code == 403  # sees the person, may not reset (ADR 0007)
    assert attacker.post(url).status_code == 403
    assert TOTPDevice.objects.filter(user=shared).exists()
    itself = Client()
    itself.force_login(shared)
    itself.post(url)
    assert TOTPDevice.objects.filter(user=shared).exists()  # not for yourself
    owner = person_with_role("business_unit", partnership, full_name="Bea Business")
    client = Client()
    client.force_login(owner)
    assert "Reset two-factor authentication" in client.get(f"/people/{shared.pk}/").content.decode()
    with capture():
        assert client.post(url).status_code == 302
    assert not TOTPDevice.objects.filter(user=shared).exists()
    assert any(m.to == [shared.email] and "reset" in m.subject for m in mail.outbox)
    history = client.get(f"/people/{shared.pk}/history/").content.decode()
    assert "Two-factor authentication" in history


# --- Separation of duties (issue 18, gap 6) ---------------------------------------------------


def test_nobody_gives_themselves_a_role(partnership: Partnership):
    """The business unit could grant itself the Chair role through the API and then record
    the decisions the framework reserves to the Chair."""
    bu = person_with_role("business_unit", partnership, full_name="Bea Business")
    token = Token.objects.create(user=bu)
    made = Client().post(
        "/api/v1/roles/",
        {"person": bu.pk, "role": "chair"},
        HTTP_AUTHORIZATION=f"Token {token.key}",
        content_type="application/json",
    )
    assert made.status_code == 400
    assert "yourself" in str(made.json())
    client = Client()
    client.force_login(bu)
    page = client.post("/roles/add/", {"person": bu.pk, "role": "chair", "starts_on": "2026-01-05"})
    assert page.status_code == 200 and "yourself" in page.content.decode()
    role = RoleAssignment.objects.get(person=bu)
    changed = Client().patch(
        f"/api/v1/roles/{role.pk}/",
        {"role": "chair"},
        HTTP_AUTHORIZATION=f"Token {token.key}",
        content_type="application/json",
    )
    assert changed.status_code == 400
    assert not RoleAssignment.objects.filter(person=bu, role="chair").exists()


def test_a_sensitive_role_given_is_announced_to_the_chair_and_business_unit(
    partnership: Partnership, capture: Callable[[], Any]
):
    bu = person_with_role("business_unit", partnership, full_name="Bea Business")
    chair = person_with_role("chair", partnership, full_name="Chris Chair")
    newcomer = person_with_role("learner", partnership, full_name="Nia Newcomer")
    client = Client()
    client.force_login(bu)
    with capture():
        added = client.post(
            "/roles/add/",
            {"person": newcomer.pk, "role": "cdop_coordinator", "starts_on": "2026-01-05"},
        )
    assert added.status_code == 302
    told = sorted(m.to[0] for m in mail.outbox if "CDOP coordinator" in m.subject)
    assert told == sorted([bu.email, chair.email])
    role = RoleAssignment.objects.get(person=newcomer, role="cdop_coordinator")
    history = client.get(f"/roles/{role.pk}/history/").content.decode()
    assert "Bea Business" in history
    # An ordinary role is not announced.
    mail.outbox.clear()
    with capture():
        client.post(
            "/roles/add/", {"person": newcomer.pk, "role": "auditor", "starts_on": "2026-01-05"}
        )
    assert mail.outbox == []
