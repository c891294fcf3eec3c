"""Signing in and out, lockout, passwords and two-factor authentication, through HTTP."""

from __future__ import annotations

import datetime as dt
import re
from io import StringIO
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from lift.core.accounts_forms import ENTER_CODE, WRONG_CODE
from lift.core.models import Agency, Partnership, Person, RoleAssignment
from lift.core.views.accounts import backup_codes_create, ensure_totp_device, totp_now

pytestmark = pytest.mark.django_db

PASSWORD = "lantern-orchard-velvet-42"
BAD_LOGIN = "Enter a correct email address and password"
DEMO_KEY = "3132333435363738393031323334353637383930"  # RFC 6238's test key, hex

LOGIN = "/accounts/login/"
MFA = "/accounts/mfa/"


@pytest.fixture(autouse=True)
def _enforce_mfa(settings: Any, _no_mfa_by_default: None) -> None:
    """These tests are about MFA, so it is on (the shared conftest turns it off)."""
    settings.LIFT_ENFORCE_MFA = True


@pytest.fixture(autouse=True)
def _fresh_axes() -> None:
    from axes.utils import reset

    reset()


@pytest.fixture
def area(db: Any) -> Partnership:
    return Partnership.objects.create(
        name="Fernleigh Vale Safeguarding Partnership (fictional)",
        short_name="Fernleigh Vale",
        slug="fernleigh-vale",
        area="Fernleigh Vale (fictional)",
        regime="lscb-2015",
    )


@pytest.fixture
def school(area: Partnership) -> Agency:
    return Agency.objects.create(
        partnership=area, name="Fernleigh Primary", agency_type="education"
    )


def person(email: str, role: str, area: Partnership, agency: Agency | None = None) -> Person:
    p = Person.objects.create_user(email, PASSWORD, full_name=email.split("@")[0].title())
    RoleAssignment.objects.create(person=p, partnership=area, role=role, agency=agency)
    return p


@pytest.fixture
def learner_p(area: Partnership, school: Agency) -> Person:
    return person("lena@fernleigh.example", "learner", area, school)


@pytest.fixture
def bu(area: Partnership) -> Person:
    return person("bukola@fernleigh.example", "business_unit", area)


def sign_in(client: Client, email: str, password: str = PASSWORD, next_url: str = "") -> Any:
    data = {"username": email, "password": password}
    if next_url:
        data["next"] = next_url
    return client.post(LOGIN, data)


def signed_in_id(client: Client) -> str | None:
    return client.session.get("_auth_user_id")


# --- Signing in and out -------------------------------------------------------------------


def test_login_page_is_public_and_labels_the_email_field(client: Client) -> None:
    response = client.get(LOGIN)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="username"' in html
    assert "Email address" in html
    assert 'type="email"' in html


def test_sign_in_and_out(client: Client, learner_p: Person) -> None:
    response = sign_in(client, "Lena@Fernleigh.example")
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert signed_in_id(client) == str(learner_p.pk)

    assert client.get("/accounts/logout/").status_code == 405
    response = client.post("/accounts/logout/")
    assert response["Location"] == reverse("accounts:signed_out")
    assert signed_in_id(client) is None
    assert "You have signed out" in client.get(response["Location"]).content.decode()


@pytest.mark.parametrize(
    ("email", "password"),
    [("lena@fernleigh.example", "not-her-password"), ("nobody@fernleigh.example", PASSWORD)],
)
def test_wrong_email_or_password_gets_one_message(
    client: Client, learner_p: Person, email: str, password: str
) -> None:
    response = sign_in(client, email, password)
    assert response.status_code == 200
    html = response.content.decode()
    assert BAD_LOGIN in html
    assert "govuk-error-summary" in html
    assert signed_in_id(client) is None


def test_empty_form_says_what_to_enter(client: Client) -> None:
    html = client.post(LOGIN, {"username": "", "password": ""}).content.decode()
    assert "Enter your email address" in html
    assert "Enter your password" in html


def test_lockout_after_five_failures(client: Client, learner_p: Person) -> None:
    for _ in range(4):
        assert sign_in(client, learner_p.email, "wrong-password-xx").status_code == 200
    locked = sign_in(client, learner_p.email, "wrong-password-xx")
    assert locked.status_code == 429
    html = locked.content.decode()
    assert "locked for 30 minutes" in html
    assert reverse("accounts:password_reset") in html

    # Even the right password is refused while locked.
    assert sign_in(client, learner_p.email).status_code == 429
    assert signed_in_id(client) is None


def test_lockout_is_per_account_and_address(client: Client, learner_p: Person, bu: Person) -> None:
    for _ in range(5):
        sign_in(client, learner_p.email, "wrong-password-xx")
    assert sign_in(client, bu.email).status_code == 302


@pytest.mark.parametrize(
    ("next_url", "expected"),
    [
        ("//evil.example/", "/"),
        ("https://evil.example/steal", "/"),
        ("javascript:alert(1)", "/"),
        ("/accounts/password/", "/accounts/password/"),
    ],
)
def test_next_must_stay_on_this_site(
    client: Client, learner_p: Person, next_url: str, expected: str
) -> None:
    response = sign_in(client, learner_p.email, next_url=next_url)
    assert response.status_code == 302
    assert response["Location"] == expected


def test_signed_in_visit_to_login_page_goes_home(client: Client, learner_p: Person) -> None:
    sign_in(client, learner_p.email)
    response = client.get(f"{LOGIN}?next={LOGIN}")
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_signed_out_visitor_is_sent_to_login_with_next(client: Client) -> None:
    response = client.get("/accounts/password/")
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN + "?next=")


def test_idle_session_expires(settings: Any, client: Client, learner_p: Person) -> None:
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    sign_in(client, learner_p.email)
    session = client.session
    session.set_expiry(-1)  # as if 30 idle minutes had passed
    session.save()
    response = client.get("/accounts/password/")
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN + "?next=")


def test_activity_renews_the_session_at_most_once_a_minute(
    settings: Any, client: Client, learner_p: Person
) -> None:
    import time_machine
    from django.contrib.sessions.models import Session
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.LIFT_SESSION_REFRESH_SECONDS = 60
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        sign_in(client, learner_p.email)
        client.get("/")
    key = client.session.session_key

    def expiry() -> Any:
        return Session.objects.get(session_key=key).expire_date

    first = expiry()
    with (
        time_machine.travel(start + dt.timedelta(seconds=30), tick=False),
        CaptureQueriesContext(connection) as queries,
    ):
        assert client.get("/").status_code == 200
    assert not any("UPDATE" in q["sql"] and "django_session" in q["sql"] for q in queries)
    assert expiry() == first  # within the minute: no write
    with time_machine.travel(start + dt.timedelta(minutes=25), tick=False):
        assert client.get("/").status_code == 200
    assert expiry() == first + dt.timedelta(minutes=25)  # renewed by the activity
    with time_machine.travel(start + dt.timedelta(minutes=50), tick=False):
        assert client.get("/").status_code == 200  # 25 idle minutes after the renewal
    with time_machine.travel(start + dt.timedelta(minutes=50 + 31), tick=False):
        response = client.get("/accounts/password/")  # 31 idle minutes
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN + "?next=")


# --- Passwords ----------------------------------------------------------------------------


def reset_link(client: Client, email: str) -> str:
    response = client.post("/accounts/password-reset/", {"email": email})
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [email]
    assert message.subject == "Reset your LIFT password"
    match = re.search(r"http://testserver(/accounts/password-reset/\S+/)", message.body)
    assert match, message.body
    return match.group(1)


def test_password_reset_by_email(client: Client, learner_p: Person) -> None:
    link = reset_link(client, learner_p.email)
    response = client.get(link)
    assert response.status_code == 302  # Django moves the token out of the URL
    form_url = response["Location"]
    assert "Choose a new password" in client.get(form_url).content.decode()

    response = client.post(
        form_url,
        {"new_password1": "quiet-meadow-copper-7", "new_password2": "quiet-meadow-copper-7"},
    )
    assert response["Location"] == reverse("accounts:password_reset_complete")
    assert sign_in(Client(), learner_p.email, "quiet-meadow-copper-7").status_code == 302
    # The link works once.
    assert "This link does not work" in client.get(link, follow=True).content.decode()


def test_password_reset_for_unknown_address_says_the_same_and_sends_nothing(
    client: Client, learner_p: Person
) -> None:
    response = client.post("/accounts/password-reset/", {"email": "stranger@fernleigh.example"})
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert mail.outbox == []


def test_password_reset_lifts_the_lockout(client: Client, learner_p: Person) -> None:
    for _ in range(5):
        sign_in(client, learner_p.email, "wrong-password-xx")
    assert sign_in(client, learner_p.email).status_code == 429
    form_url = client.get(reset_link(client, learner_p.email))["Location"]
    client.post(
        form_url, {"new_password1": "amber-pylon-harbour", "new_password2": "amber-pylon-harbour"}
    )
    assert sign_in(client, learner_p.email, "amber-pylon-harbour").status_code == 302


@pytest.mark.parametrize(
    ("new_password", "message"),
    [
        ("password1234", "This password is too common"),
        ("sh0rt-pw", "at least 12 characters"),
        ("483920174638", "entirely numeric"),
    ],
)
def test_password_rules(client: Client, learner_p: Person, new_password: str, message: str) -> None:
    form_url = client.get(reset_link(client, learner_p.email))["Location"]
    response = client.post(form_url, {"new_password1": new_password, "new_password2": new_password})
    assert response.status_code == 200
    assert message in response.content.decode()
    learner_p.refresh_from_db()
    assert learner_p.check_password(PASSWORD)


def test_password_change(client: Client, learner_p: Person) -> None:
    sign_in(client, learner_p.email)
    wrong = client.post(
        "/accounts/password/",
        {
            "old_password": "guess",
            "new_password1": "river-stone-lantern",
            "new_password2": "river-stone-lantern",
        },
    )
    assert "Your current password is not correct" in wrong.content.decode()
    mismatch = client.post(
        "/accounts/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "river-stone-lantern",
            "new_password2": "river-stone-lanterns",
        },
    )
    assert "The passwords do not match" in mismatch.content.decode()
    done = client.post(
        "/accounts/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "river-stone-lantern",
            "new_password2": "river-stone-lantern",
        },
    )
    assert done["Location"] == reverse("accounts:password_change_done")
    assert signed_in_id(client) == str(learner_p.pk)  # still signed in
    learner_p.refresh_from_db()
    assert learner_p.check_password("river-stone-lantern")


# --- Two-factor authentication ----------------------------------------------------------------


def test_learner_is_not_asked_for_a_code(client: Client, learner_p: Person) -> None:
    assert sign_in(client, learner_p.email)["Location"] == "/"
    assert client.get("/").status_code == 200


def test_business_unit_sets_up_an_app_then_reaches_home(
    client: Client, bu: Person, django_capture_on_commit_callbacks: Any
) -> None:
    def django_capture_on_commit() -> Any:
        return django_capture_on_commit_callbacks(execute=True)

    response = sign_in(client, bu.email)
    assert response["Location"] == MFA
    # Anywhere else sends them back to the MFA page until they enter a code.
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == f"{MFA}?next=/"

    # The password alone does not let them choose the second factor: a link is e-mailed.
    page = client.get(response["Location"])
    assert "Send me a link" in page.content.decode()
    assert "lift-qr" not in page.content.decode()
    assert not TOTPDevice.objects.filter(user=bu).exists()
    mail.outbox.clear()
    with django_capture_on_commit():
        sent = client.post(MFA, {"action": "send-link"})
    assert "Check your email" in sent.content.decode()
    assert [m.to for m in mail.outbox] == [[bu.email]]
    link = re.search(r"https?://[^/\s]+(/accounts/mfa/enrol/\S+/)", mail.outbox[0].body)
    assert link is not None
    assert client.get(link.group(1))["Location"] == MFA

    page = client.get(f"{MFA}?next=/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Set up two-factor authentication" in html
    main = html.split("<main", 1)[1].split("</main>", 1)[0]
    assert '<div class="lift-qr"><svg role="img"' in main
    assert "<img" not in main
    assert re.findall(r"<script(?![^>]*\bsrc=)", html) == []  # no inline scripts
    assert 'style="' not in html
    device = TOTPDevice.objects.get(user=bu, confirmed=False)
    secret = html.split('id="secret-key">')[1].split("<")[0].replace(" ", "")
    import base64

    assert base64.b32decode(secret + "=" * (-len(secret) % 8)) == device.bin_key
    # Reloading keeps the same secret (a scanned QR code stays valid).
    client.get(f"{MFA}?next=/")
    assert TOTPDevice.objects.filter(user=bu).count() == 1

    bad = client.post(MFA, {"code": "12345", "next": "/"})
    assert ENTER_CODE in bad.content.decode()

    response = client.post(MFA, {"code": totp_now(device), "next": "/"})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:mfa_backup_codes")
    device.refresh_from_db()
    assert device.confirmed

    codes_page = client.get(response["Location"]).content.decode()
    codes = re.findall(r"<code>([a-z2-7]{8})</code>", codes_page)
    assert len(codes) == 10
    assert set(codes) == set(
        StaticDevice.objects.get(user=bu).token_set.values_list("token", flat=True)
    )
    # Shown once only.
    again = client.get(reverse("accounts:mfa_backup_codes")).content.decode()
    assert re.findall(r"<code>([a-z2-7]{8})</code>", again) == []

    assert client.get("/").status_code == 200


def test_verify_with_app_code(client: Client, bu: Person) -> None:
    device = ensure_totp_device(person=bu, secret_hex=DEMO_KEY)
    sign_in(client, bu.email, next_url="/accounts/password/")
    page = client.get(f"{MFA}?next=/accounts/password/")
    assert "Enter your two-factor code" in page.content.decode()

    wrong_code = "000000" if totp_now(device) != "000000" else "111111"
    response = client.post(MFA, {"code": wrong_code, "next": "/accounts/password/"})
    assert WRONG_CODE in response.content.decode()

    device.refresh_from_db()
    device.throttle_reset()  # skip django-otp's one-second wait after a wrong code
    response = client.post(MFA, {"code": totp_now(device), "next": "https://evil.example/"})
    assert response["Location"] == "/"
    assert client.get("/").status_code == 200


def test_backup_code_works_once(bu: Person) -> None:
    ensure_totp_device(person=bu, secret_hex=DEMO_KEY)
    code = backup_codes_create(person=bu)[0]

    first = Client()
    sign_in(first, bu.email)
    assert first.post(MFA, {"code": code.upper()})["Location"] == "/"
    assert first.get("/").status_code == 200

    second = Client()
    sign_in(second, bu.email)
    response = second.post(MFA, {"code": code})
    assert response.status_code == 200
    assert WRONG_CODE in response.content.decode()
    assert second.get("/").status_code == 302


def test_codes_are_refused_after_five_wrong_ones(settings: Any, client: Client, bu: Person) -> None:
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # no waits between tries, only the lockout
    device = ensure_totp_device(person=bu, secret_hex=DEMO_KEY)
    sign_in(client, bu.email)
    wrong_code = "000000" if totp_now(device) != "000000" else "111111"
    for _ in range(4):
        assert client.post(MFA, {"code": wrong_code}).status_code == 200
    locked = client.post(MFA, {"code": wrong_code})
    assert locked.status_code == 429
    assert "wrong code too many times" in locked.content.decode()
    assert "30 minutes" in locked.content.decode()
    # The right code is refused too until the cool-off ends.
    assert client.post(MFA, {"code": totp_now(device)}).status_code == 429
    assert client.get("/").status_code == 302


def test_django_otp_wait_between_wrong_codes_is_explained(client: Client, bu: Person) -> None:
    device = ensure_totp_device(person=bu, secret_hex=DEMO_KEY)
    device.throttling_failure_count = 3
    from django.utils import timezone

    device.throttling_failure_timestamp = timezone.now()
    device.save()
    sign_in(client, bu.email)
    response = client.post(MFA, {"code": totp_now(device)})
    assert response.status_code == 429
    assert re.search(r"Wait \d seconds, then enter a new code", response.content.decode())


def test_a_learner_may_choose_two_factor_and_is_then_asked(
    client: Client, learner_p: Person
) -> None:
    ensure_totp_device(person=learner_p, secret_hex=DEMO_KEY)
    assert sign_in(client, learner_p.email)["Location"] == MFA


def test_new_backup_codes_need_a_verified_session(client: Client, bu: Person) -> None:
    device = ensure_totp_device(person=bu, secret_hex=DEMO_KEY)
    old = backup_codes_create(person=bu)
    sign_in(client, bu.email)
    assert client.post(reverse("accounts:mfa_backup_codes")).status_code == 403
    client.post(MFA, {"code": totp_now(device)})
    response = client.post(reverse("accounts:mfa_backup_codes"))
    new = re.findall(
        r"<code>([a-z2-7]{8})</code>", client.get(response["Location"]).content.decode()
    )
    assert len(new) == 10
    assert not set(new) & set(old)


def test_ensure_totp_device_is_idempotent(bu: Person) -> None:
    first = ensure_totp_device(person=bu, secret_hex=DEMO_KEY)
    second = ensure_totp_device(person=bu, secret_hex=DEMO_KEY.upper())
    assert first.pk == second.pk
    assert second.confirmed and second.key == DEMO_KEY
    assert TOTPDevice.objects.filter(user=bu).count() == 1


def test_demo_otp_only_in_the_demo(settings: Any, bu: Person) -> None:
    device = ensure_totp_device(person=bu, secret_hex=DEMO_KEY)
    settings.LIFT_DEMO = False
    settings.DEBUG = True  # debug alone is not the demo
    with pytest.raises(CommandError, match="LIFT_DEMO"):
        call_command("demo_otp", bu.email)
    settings.DEBUG = False
    settings.LIFT_DEMO = True
    out = StringIO()
    call_command("demo_otp", bu.email.upper(), stdout=out)
    first_line, second_line = out.getvalue().splitlines()
    assert first_line == totp_now(device)
    assert "GEZD GNBV" in second_line  # the key in base 32, as apps take it


def test_changing_password_keeps_two_factor_verification(client: Client, bu: Person) -> None:
    device = ensure_totp_device(person=bu, secret_hex=DEMO_KEY)
    sign_in(client, bu.email)
    client.post(MFA, {"code": totp_now(device)})
    response = client.post(
        "/accounts/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "harbour-willow-ember",
            "new_password2": "harbour-willow-ember",
        },
    )
    assert response["Location"] == reverse("accounts:password_change_done")
    assert client.get("/").status_code == 200
