"""The partnership's to-do list in a real browser: the business unit (two-factor sign-in)
follows the link from "My work", finds the police lead's overdue action under the police,
chases it (one e-mail to the lead), is told a second chase the same day is not sent, and
every page is axe-clean."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page

from lift.core.models import OutboundEmail, Person
from lift.core.roles import Role

from .fernhollow import (
    PASSWORD,
    TITLE,
    AccessibilityCheck,
    LoginHelper,
    member,
    overdue_action,
    partnership_and_police,
    two_factor,
)


@pytest.fixture
def business_unit(transactional_db: Any) -> Person:
    p, police = partnership_and_police()
    lead = member(p, "dee.inspector@example.org", "Dee Marchbank", Role.SAFEGUARDING_LEAD, police)
    bu = member(p, "bo.unit@example.org", "Bo Unitt", Role.BUSINESS_UNIT)
    two_factor(bu)
    overdue_action(police, lead, "Every response team briefed.")
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
