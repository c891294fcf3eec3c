"""The to-do list in a real browser: the police lead's overdue action is on their "My work";
they record evidence and an impact check; the Chair (two-factor sign-in) finds "Verify the
impact" on their to-do list, follows it, opens the evidence from the verify page and
verifies; the step is then gone from the Chair's "My work" and to-do page, and the lead's
from theirs. Every page is axe-clean."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from playwright.sync_api import Page

from lift.core.models import OutboundEmail, Person
from lift.core.models.people import EmailChoice
from lift.core.roles import Role
from lift.learning import services
from lift.learning.choices import ActionStatus
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


@dataclass
class Cast:
    police_lead: Person
    chair: Person
    action: Action


@pytest.fixture
def cast(transactional_db: Any) -> Cast:
    p, police = partnership_and_police()
    lead = member(p, "dee.inspector@example.org", "Dee Marchbank", Role.SAFEGUARDING_LEAD, police)
    police.safeguarding_lead = lead
    police.save()
    chair = member(p, "ros.chair@example.org", "Ros Tiverton", Role.CHAIR)
    # The Chair chose an e-mail for each notification (the test checks the one she is sent).
    Person.objects.filter(pk=chair.pk).update(email_choice=EmailChoice.IMMEDIATE)
    two_factor(chair)
    action = overdue_action(police, lead, "Every response team briefed; referrals name the tool.")
    services.action_update_add(
        action=action, by=lead, text="Four of five response teams briefed so far."
    )
    return Cast(lead, chair, action)


def test_the_chair_verifies_impact_from_the_to_do_list(
    page: Page, cast: Cast, login: LoginHelper, assert_accessible: AccessibilityCheck
) -> None:
    title = cast.action.title
    verify_step = f"Verify the impact of {title}"

    # The police lead: their overdue action is on "My work".
    login(page, cast.police_lead.email, PASSWORD)
    page.goto("/")
    assert_accessible(page)
    assert page.get_by_role("heading", name="1 thing to do").is_visible()
    page.get_by_role("link", name=f"Update the overdue action {title}").click()
    assert page.get_by_role("heading", level=1, name=title).is_visible()

    page.get_by_role("link", name="Add evidence").click()
    page.get_by_label("Link", exact=True).check()
    page.get_by_label("Describe the evidence").fill("Briefing attendance sheet")
    page.get_by_label("Link (for a link)").fill("https://example.org/briefings")
    submit(page, "Add evidence")
    page.get_by_role("link", name="Mark as completed").click()
    submit(page, "Confirm")
    assert "The action is now completed." in page.content()

    page.get_by_role("link", name="Record an impact check").click()
    page.get_by_label("Re-audit").check()
    page.get_by_label("What was measured, and how?").fill("Referrals naming the tool, 30 files")
    page.get_by_label("The result").fill("24 of 30 referrals named the tool (was 3 of 30)")
    page.get_by_label("Practice improved").check()
    submit(page, "Record impact check")
    assert "Impact check recorded." in page.content()
    # The step is the Chair's now: nothing left on the lead's list for this action.
    page.goto("/")
    assert page.get_by_role("heading", name="Nothing to do").is_visible()
    assert page.get_by_role("link", name=verify_step).count() == 0
    assert_accessible(page)
    # The Chair is told by e-mail (and in LIFT), once.
    assert OutboundEmail.objects.filter(to=cast.chair.email, subject=f"Verify impact: {title}")
    assert OutboundEmail.objects.filter(to=cast.chair.email).count() == 1

    # The Chair: "Verify the impact" is on their to-do list, listed once on the page.
    page.context.clear_cookies()
    login(page, cast.chair.email, PASSWORD)
    page.goto("/")
    assert_accessible(page)
    assert page.get_by_role("link", name=verify_step).count() == 1
    page.goto("/todo/")
    assert_accessible(page)
    assert page.get_by_role("link", name=verify_step).is_visible()
    page.get_by_role("link", name=verify_step).click()
    assert page.get_by_role("heading", level=1, name="Verify impact").is_visible()
    assert_accessible(page)
    evidence = page.get_by_role("link", name="Briefing attendance sheet")
    assert evidence.get_attribute("href") == "https://example.org/briefings"
    page.get_by_label(
        "I have read the evidence and the impact check, and I verify the impact"
    ).check()
    submit(page, "Verify impact and close the action")
    assert "Impact verified. The action is closed." in page.content()
    cast.action.refresh_from_db()
    assert cast.action.status == ActionStatus.CLOSED

    # Gone from both lists.
    page.goto("/")
    assert page.get_by_role("link", name=verify_step).count() == 0
    assert page.get_by_role("heading", name="Nothing to do").is_visible()
    assert_accessible(page)
    page.goto("/todo/")
    assert page.get_by_role("link", name=verify_step).count() == 0
    assert "0 things to do." in page.content()
    assert_accessible(page)
