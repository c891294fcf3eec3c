"""The partnership's to-do list in a real browser: the business unit (two-factor sign-in)
follows the link from "My work", finds the police lead's overdue action under the police,
chases it (one e-mail to the lead), is told a second chase the same day is not sent, and
every page is axe-clean."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page

from lift.core.models import Agency, OutboundEmail, Partnership, Person, RoleAssignment
from lift.core.roles import Role
from lift.learning import services
from lift.learning.choices import ActionStatus

AccessibilityCheck = Callable[[Page], None]
LoginHelper = Callable[[Page, str, str], None]
PASSWORD = "correct horse battery staple"
TITLE = "Brief response officers on the neglect screening tool"


@pytest.fixture
def business_unit(transactional_db: Any) -> Person:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    p = Partnership.objects.create(
        name="Fernhollow Safeguarding Children Partnership",
        short_name="Fernhollow SCP",
        slug="fernhollow",
        area="Fernhollow",
        regime="lscb-2015",
    )
    police = Agency.objects.create(partnership=p, name="Fernhollow Police", agency_type="police")

    def person(email: str, name: str, role: str, agency: Agency | None = None) -> Person:
        someone = Person.objects.create_user(email, PASSWORD, full_name=name, agency=agency)
        RoleAssignment.objects.create(person=someone, partnership=p, role=role, agency=agency)
        return someone

    lead = person("dee.inspector@example.org", "Dee Marchbank", Role.SAFEGUARDING_LEAD, police)
    bu = person("bo.unit@example.org", "Bo Unitt", Role.BUSINESS_UNIT)
    TOTPDevice.objects.create(user=bu, name="Authenticator app", confirmed=True)
    services.action_create(
        title=TITLE,
        owner_agency=police,
        owner=lead,
        due_on=timezone.localdate() - dt.timedelta(days=6),
        success_measure="Every response team briefed.",
        status=ActionStatus.IN_PROGRESS,
    )
    return bu


@pytest.mark.mfa
def test_the_business_unit_chases_the_leads_overdue_action(
    page: Page, business_unit: Person, login: LoginHelper, assert_accessible: AccessibilityCheck
) -> None:
    login(page, business_unit.email, PASSWORD)
    page.goto("/")
    page.get_by_role("link", name="See everything waiting across the partnership").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1, name="The partnership's to-do list").is_visible()
    assert page.get_by_role("heading", name="Fernhollow Police (1)").is_visible()
    assert page.get_by_role("link", name=f"Update the overdue action {TITLE}").is_visible()
    assert_accessible(page)

    page.get_by_role(
        "button", name=f"Chase Dee Marchbank: Update the overdue action {TITLE}"
    ).click()
    page.wait_for_load_state()
    assert "Reminder sent to Dee Marchbank." in page.content()
    assert_accessible(page)
    page.get_by_label(f"Select: Update the overdue action {TITLE}, for Dee Marchbank").check()
    page.get_by_role("button", name="Chase selected").first.click()
    page.wait_for_load_state()
    assert "already chased today" in page.content()
    sent = OutboundEmail.objects.filter(
        to="dee.inspector@example.org", subject__startswith="Reminder"
    )
    assert sent.count() == 1
