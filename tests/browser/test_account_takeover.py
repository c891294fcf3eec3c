"""The probe's account takeover, walked in the browser as the attacker would: it now stops at
the second-factor page (1) and at a 404 (2). See tests/core/test_account_takeover.py for the
same steps through HTTP."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page
from rest_framework.authtoken.models import Token

from lift.core.models import Partnership, Person, RoleAssignment
from lift.core.views.accounts import ensure_totp_device

AccessibilityCheck = Callable[[Page], None]
LoginHelper = Callable[[Page, str, str], None]
PASSWORD = "juniper-lantern-harbour"
KEY = "3132333435363738393031323334353637383930"


def partnership(name: str, slug: str) -> Partnership:
    return Partnership.objects.create(
        name=f"{name} Safeguarding Children Partnership",
        short_name=name,
        slug=slug,
        area=name,
        regime="lscb-2015",
    )


def person(email: str, name: str, role: str, where: Partnership) -> Person:
    someone = Person.objects.create_user(email, PASSWORD, full_name=name)
    RoleAssignment.objects.create(person=someone, partnership=where, role=role)
    someone.home_partnership = where
    someone.save(update_fields=["home_partnership"])
    return someone


@pytest.mark.mfa
def test_a_password_alone_stops_at_the_second_factor(
    transactional_db: Any, page: Page, assert_accessible: AccessibilityCheck
) -> None:
    harrowmere = partnership("Harrowmere", "harrowmere-b")
    coordinator = person(
        "cora@harrowmere.example", "Cora Coordinator", "cdop_coordinator", harrowmere
    )
    ensure_totp_device(person=coordinator, secret_hex=KEY)
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill(coordinator.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    assert "/accounts/mfa/" in page.url
    # Straight to the token page, as the probe did: back to the second factor.
    page.goto("/accounts/api-token/")
    assert "/accounts/mfa/" in page.url
    assert page.get_by_role("heading", name="Enter your two-factor code").is_visible()
    assert_accessible(page)
    page.goto("/accounts/password/")
    assert "/accounts/mfa/" in page.url
    response = page.request.get("/api/v1/restricted-records/")
    assert response.status == 403
    assert not Token.objects.filter(user=coordinator).exists()


@pytest.mark.mfa
def test_a_new_business_unit_member_is_sent_a_link_not_a_qr_code(
    transactional_db: Any, page: Page, assert_accessible: AccessibilityCheck
) -> None:
    harrowmere = partnership("Harrowmere", "harrowmere-c")
    newcomer = person("nova@harrowmere.example", "Nova New", "business_unit", harrowmere)
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill(newcomer.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    assert "/accounts/mfa/" in page.url
    assert page.locator(".lift-qr").count() == 0
    assert_accessible(page)
    page.get_by_role("button", name="Send me a link").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Check your email").is_visible()
    assert_accessible(page)
    assert not TOTPDevice.objects.filter(user=newcomer).exists()


def test_another_partnership_cannot_change_the_email_address(
    transactional_db: Any, page: Page, login: LoginHelper
) -> None:
    harrowmere = partnership("Harrowmere", "harrowmere-d")
    kingsbrook = partnership("Kingsbrook", "kingsbrook-d")
    victim = person("hana@harrowmere.example", "Hana Harrowmere", "business_unit", harrowmere)
    RoleAssignment.objects.create(person=victim, partnership=kingsbrook, role="learner")
    attacker = person("olly@kingsbrook.example", "Olly Kingsbrook", "business_unit", kingsbrook)
    ensure_totp_device(person=attacker, secret_hex=KEY)
    login(page, attacker.email, PASSWORD)
    page.goto(f"/people/{victim.pk}/")
    assert page.get_by_role("heading", name="Hana Harrowmere").is_visible()
    assert page.get_by_role("link", name="Edit").count() == 0
    response = page.goto(f"/people/{victim.pk}/edit/")  # seen but not theirs to edit (ADR 0007)
    assert response is not None and response.status == 403
    victim.refresh_from_db()
    assert victim.email == "hana@harrowmere.example"
