"""An invitation in a real browser: the police's safeguarding lead has left, with an overdue
action still in their name. The business unit (two-factor sign-in) adds the new lead on
"Add a person"; the invitation e-mail's link lets her choose a password, which signs her
in; she signs out and in again with it, and her "My work" lists the leaver's overdue action
to take over, which she follows. The link then works no more. Every page is axe-clean."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pytest
from django.core import mail
from playwright.sync_api import Page

from lift.core.models import Agency, Person
from lift.core.roles import Role
from lift.core.services import person_update
from lift.learning.models import Action

from .fernhollow import (
    PASSWORD,
    AccessibilityCheck,
    LoginHelper,
    member,
    overdue_action,
    partnership_and_police,
    submit,
    two_factor,
)

NEW_PASSWORD = "meadow-lantern-copper-9"


@dataclass
class Cast:
    business_unit: Person
    police: Agency
    leaver: Person
    action: Action


@pytest.fixture
def cast(transactional_db: Any) -> Cast:
    p, police = partnership_and_police()
    bu = member(p, "bea.unit@example.org", "Bea Aldwick", Role.BUSINESS_UNIT, home_partnership=p)
    two_factor(bu)
    member(p, "sam.unit@example.org", "Sam Aldwick", Role.BUSINESS_UNIT, home_partnership=p)
    leaver = member(
        p,
        "dee.inspector@example.org",
        "Dee Marchbank",
        Role.SAFEGUARDING_LEAD,
        police,
        home_partnership=p,
    )
    action = overdue_action(police, leaver, "Every response team briefed; referrals name the tool.")
    person_update(person=leaver, by=bu, is_active=False)
    return Cast(bu, police, leaver, action)


def invitation_link(to: str) -> str:
    [message] = [m for m in mail.outbox if m.to == [to]]
    assert "invited" in message.subject
    found = re.search(r"https?://[^/\s]+(/accounts/invitation/\S+/)", message.body)
    assert found is not None, message.body
    return found.group(1)


@pytest.mark.mfa
def test_the_business_unit_adds_a_person_who_sets_a_password_and_finds_their_to_do(
    page: Page, cast: Cast, login: LoginHelper, assert_accessible: AccessibilityCheck
) -> None:
    new_email = "nia.newlead@example.org"
    step = (
        f"Take over or reassign {cast.leaver}'s step: Update the overdue action {cast.action.title}"
    )

    # The business unit adds the new lead.
    login(page, cast.business_unit.email, PASSWORD)
    page.goto("/people/add/")
    assert_accessible(page)
    page.get_by_label("Full name").fill("Nia Newlead")
    page.get_by_label("Email", exact=True).fill(new_email)
    page.get_by_label("Agency (optional)").select_option(label=cast.police.name)
    page.get_by_label("First role in this partnership").select_option(
        label="Agency safeguarding lead"
    )
    submit(page, "Save")
    assert "We have sent an invitation to nia.newlead@example.org" in page.content()
    assert_accessible(page)
    page.goto("/people/")
    row = page.get_by_role("row").filter(has_text="Nia Newlead")
    assert "Invited" in row.inner_text()
    assert_accessible(page)
    link = invitation_link(new_email)
    page.context.clear_cookies()

    # The new lead follows the link and chooses a password: she is signed in.
    page.goto(link)
    assert page.get_by_role("heading", name="Choose your password").is_visible()
    assert_accessible(page)
    page.get_by_label("New password", exact=True).fill("short")
    page.get_by_label("Confirm new password").fill("short")
    submit(page, "Save password and sign in")
    assert page.locator(".govuk-error-summary").is_visible()
    assert_accessible(page)
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Confirm new password").fill(NEW_PASSWORD)
    submit(page, "Save password and sign in")
    assert page.url.endswith("/")
    assert page.get_by_role("link", name=step).is_visible()

    # She signs in again with the password she chose; the leaver's step is on "My work".
    page.context.clear_cookies()
    login(page, new_email, NEW_PASSWORD)
    page.goto("/")
    assert_accessible(page)
    assert page.get_by_role("link", name=step).count() == 1
    page.get_by_role("link", name=step).click()
    assert page.get_by_role("heading", level=1, name=cast.action.title).is_visible()
    assert_accessible(page)

    # The link works once.
    page.context.clear_cookies()
    page.goto(link)
    assert page.get_by_role("heading", name="This invitation cannot be used").is_visible()
    assert_accessible(page)
    assert Person.objects.get(email=new_email).invitation_state == "Signed in"
