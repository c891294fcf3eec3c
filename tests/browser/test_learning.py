"""The learning chain in a real browser: a safeguarding lead updates their agency's action
with a progress note and link evidence and marks it completed; the Chair (two-factor
sign-in) records an impact check and verifies it, closing the action. The tracker, the
action page and the forms are axe-clean."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page

from lift.core.models import Agency, Partnership, Person, RoleAssignment
from lift.core.roles import Role
from lift.learning import services
from lift.learning.choices import ActionStatus
from lift.learning.models import Action

AccessibilityCheck = Callable[[Page], None]
LoginHelper = Callable[[Page, str, str], None]
PASSWORD = "correct horse battery staple"


@dataclass
class Cast:
    lead: Person
    chair: Person
    action: Action
    other_action: Action


@pytest.fixture
def cast(transactional_db: Any) -> Cast:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    p = Partnership.objects.create(
        name="Ashbrook Vale Safeguarding Children Partnership",
        short_name="Ashbrook Vale SCP",
        slug="ashbrook-vale",
        area="Ashbrook Vale",
        regime="lscb-2015",
    )
    social_care = Agency.objects.create(
        partnership=p, name="Ashbrook Vale Children's Services", agency_type="social_care"
    )
    police = Agency.objects.create(partnership=p, name="Ashbrook Vale Police", agency_type="police")

    def person(email: str, name: str, role: str, agency: Agency | None = None) -> Person:
        someone = Person.objects.create_user(email, PASSWORD, full_name=name, agency=agency)
        RoleAssignment.objects.create(person=someone, partnership=p, role=role, agency=agency)
        return someone

    lead = person("sam.lead@example.org", "Sam Okonkwo-Hale", Role.SAFEGUARDING_LEAD, social_care)
    social_care.safeguarding_lead = lead
    social_care.save()
    chair = person("jo.chair@example.org", "Jo Ravensworth", Role.CHAIR)
    TOTPDevice.objects.create(user=chair, name="Authenticator app", confirmed=True)
    action = services.action_create(
        title="Train assessment teams in the chronology template",
        owner_agency=social_care,
        owner=lead,
        due_on=timezone.localdate() + dt.timedelta(days=20),
        success_measure="A re-audit finds a chronology on 8 of 10 neglect files.",
        status=ActionStatus.IN_PROGRESS,
    )
    other = services.action_create(
        title="Police neglect briefing",
        owner_agency=police,
        due_on=timezone.localdate() - dt.timedelta(days=3),
        success_measure="Every neighbourhood team briefed.",
        status=ActionStatus.AGREED,
    )
    return Cast(lead, chair, action, other)


def submit(page: Page, name: str) -> None:
    page.get_by_role("button", name=name).click()
    page.wait_for_load_state()


@pytest.mark.mfa
def test_lead_updates_and_chair_verifies_impact(
    page: Page, cast: Cast, login: LoginHelper, assert_accessible: AccessibilityCheck
) -> None:
    login(page, cast.lead.email, PASSWORD)
    page.goto("/actions/ours/")
    assert_accessible(page)
    assert page.get_by_role("link", name=cast.action.title).is_visible()
    assert page.get_by_role("link", name=cast.other_action.title).count() == 0
    # Another agency's action is not found for this lead.
    response = page.goto(cast.other_action.get_absolute_url())
    assert response is not None and response.status == 404

    page.goto("/actions/ours/")
    page.get_by_role("link", name=cast.action.title).click()
    assert page.get_by_role("heading", level=1, name=cast.action.title).is_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Add a progress update").click()
    assert_accessible(page)
    page.get_by_label("What has happened since the last update?").fill(
        "All three assessment teams trained: 48 staff."
    )
    submit(page, "Add update")
    assert "Update added." in page.content()

    page.get_by_role("link", name="Add evidence").click()
    page.get_by_label("Link", exact=True).check()
    page.get_by_label("Describe the evidence").fill("Training register")
    page.get_by_label("Link (for a link)").fill("https://example.org/register")
    assert_accessible(page)
    submit(page, "Add evidence")
    assert page.get_by_role("link", name="https://example.org/register").is_visible()

    page.get_by_role("link", name="Mark as completed").click()
    assert_accessible(page)
    submit(page, "Confirm")
    assert "The action is now completed." in page.content()
    cast.action.refresh_from_db()
    assert cast.action.status == ActionStatus.COMPLETED
    assert page.get_by_role("link", name="Verify impact").count() == 0

    page.context.clear_cookies()
    login(page, cast.chair.email, PASSWORD)
    page.goto("/actions/")
    assert_accessible(page)
    assert page.get_by_role("link", name=cast.other_action.title).is_visible()
    page.goto("/actions/overdue/")
    assert page.get_by_role("link", name=cast.other_action.title).is_visible()
    assert_accessible(page)

    page.goto(cast.action.get_absolute_url())
    page.get_by_role("link", name="Record an impact check").click()
    page.get_by_label("Re-audit").check()
    page.get_by_label("What was measured, and how?").fill("Chronologies on 10 neglect files")
    page.get_by_label("The result").fill("9 of 10 files had a chronology (was 4 of 10)")
    page.get_by_label("Practice improved").check()
    assert_accessible(page)
    submit(page, "Record impact check")
    assert "Impact check recorded." in page.content()

    page.get_by_role("link", name="Verify impact").click()
    assert_accessible(page)
    page.get_by_label(
        "I have read the evidence and the impact check, and I verify the impact"
    ).check()
    submit(page, "Verify impact and close the action")
    assert "Impact verified. The action is closed." in page.content()
    cast.action.refresh_from_db()
    assert cast.action.status == ActionStatus.CLOSED
    assert_accessible(page)


def test_learning_pages_are_accessible(
    page: Page, cast: Cast, login: LoginHelper, assert_accessible: AccessibilityCheck
) -> None:
    login(page, cast.lead.email, PASSWORD)
    for path in [
        "/",
        "/actions/",
        f"/actions/{cast.action.pk}/due-date/",
        f"/actions/{cast.action.pk}/history/",
        "/findings/",
        "/recommendations/",
        "/themes/",
        "/themes/recurring/",
        "/library/",
        "/dissemination/",
    ]:
        response = page.goto(path)
        assert response is not None and response.status == 200, path
        assert_accessible(page)
