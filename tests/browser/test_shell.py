"""The page shell in a real browser: signing in, the service navigation each role sees, the
error pages - and axe-core finds no accessibility violation on any of them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from playwright.sync_api import Page

from lift.core.models import Agency, Partnership, Person, RoleAssignment
from lift.core.roles import Role

AccessibilityCheck = Callable[[Page], None]
LoginHelper = Callable[[Page, str, str], None]
PASSWORD = "correct horse battery staple"
# Service navigation links, whichever GOV.UK navigation pattern the shell uses.
NAV_LINKS = (
    ".govuk-service-navigation__list a, .govuk-header__navigation-list a, "
    "nav[aria-label='Menu'] a, nav[aria-label='Service navigation'] a"
)


@dataclass
class Cast:
    partnership: Partnership
    learner: Person
    lead: Person


@pytest.fixture
def cast(transactional_db: Any) -> Cast:
    """A fictional partnership with two agencies, a learner and a safeguarding lead."""
    partnership = Partnership.objects.create(
        name="Ashbrook Vale Safeguarding Children Partnership",
        short_name="Ashbrook Vale SCP",
        slug="ashbrook-vale",
        area="Ashbrook Vale",
        regime="lscb-2015",
    )
    social_care = Agency.objects.create(
        partnership=partnership, name="Ashbrook Vale Children's Services", agency_type="social_care"
    )
    health = Agency.objects.create(
        partnership=partnership,
        name="Ashbrook Vale Community Health",
        agency_type="health_provider",
    )
    learner = Person.objects.create_user(
        "robin.learner@example.org", PASSWORD, full_name="Robin Fairweather", agency=health
    )
    lead = Person.objects.create_user(
        "sam.lead@example.org", PASSWORD, full_name="Sam Okonkwo-Hale", agency=social_care
    )
    RoleAssignment.objects.create(
        person=learner, partnership=partnership, role=Role.LEARNER, agency=health
    )
    RoleAssignment.objects.create(
        person=lead, partnership=partnership, role=Role.SAFEGUARDING_LEAD, agency=social_care
    )
    return Cast(partnership, learner, lead)


def nav_links(page: Page) -> dict[str, str]:
    links = page.locator(NAV_LINKS)
    return {
        (links.nth(i).inner_text().strip()): (links.nth(i).get_attribute("href") or "")
        for i in range(links.count())
    }


def test_sign_in_page_is_accessible(page: Page, assert_accessible: AccessibilityCheck) -> None:
    response = page.goto("/accounts/login/")
    assert response is not None and response.status == 200
    assert page.get_by_role("heading", level=1).is_visible()
    assert page.get_by_label("Email address").is_visible()
    assert page.get_by_role("button", name="Sign in").is_visible()
    assert_accessible(page)


def test_signed_out_visitor_is_sent_to_sign_in(page: Page) -> None:
    page.goto("/")
    assert "/accounts/login/" in page.url


def test_wrong_password_shows_an_accessible_error(
    page: Page, cast: Cast, assert_accessible: AccessibilityCheck
) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill(cast.learner.email)
    page.locator("input[name=password]").fill("not the password at all")
    page.get_by_role("button", name="Sign in").click()
    assert "/accounts/login/" in page.url
    assert page.locator(".govuk-error-summary").is_visible()
    assert_accessible(page)


def test_not_found_page_is_accessible(page: Page, assert_accessible: AccessibilityCheck) -> None:
    response = page.goto("/no-such-page/")
    assert response is not None and response.status == 404
    assert page.get_by_role("heading", level=1).is_visible()
    assert_accessible(page)


@pytest.mark.parametrize("who", ["learner", "lead"])
def test_every_page_in_the_navigation_is_accessible(
    who: str, page: Page, cast: Cast, login: LoginHelper, assert_accessible: AccessibilityCheck
) -> None:
    person = getattr(cast, who)
    login(page, person.email, PASSWORD)
    response = page.goto("/")
    assert response is not None and response.status == 200
    assert page.get_by_role("heading", level=1, name="My work").is_visible()
    role = Role.LEARNER if who == "learner" else Role.SAFEGUARDING_LEAD
    assert role.label.lower() in page.locator("main").inner_text(), "the home page names the role"
    assert_accessible(page)

    links = nav_links(page)
    assert "My work" in links, f"no 'My work' in the navigation: {links}"
    for label, href in links.items():
        response = page.goto(href)
        assert response is not None and response.status == 200, f"{label} ({href})"
        assert page.get_by_role("heading", level=1).is_visible(), f"{label} has no h1"
        assert_accessible(page)


def section_links(page: Page) -> dict[str, str]:
    links = page.locator("main nav[aria-labelledby=area-sections-heading] a")
    return {
        (links.nth(i).inner_text().strip()): (links.nth(i).get_attribute("href") or "")
        for i in range(links.count())
    }


def test_navigation_follows_roles(page: Page, cast: Cast, login: LoginHelper) -> None:
    """The safeguarding lead sees the people in their agency (under Data); a learner does not;
    every section either may open answers 200."""
    login(page, cast.lead.email, PASSWORD)
    page.goto("/")
    assert len(nav_links(page)) <= 8
    page.goto(nav_links(page)["Data"])
    assert "People" in section_links(page)

    page.context.clear_cookies()
    login(page, cast.learner.email, PASSWORD)
    page.goto("/")
    links = nav_links(page)
    assert "My work" in links
    for label, href in links.items():
        page.goto(href)
        for section, url in section_links(page).items():
            assert section != "People", f"a learner is offered People under {label}"
            response = page.goto(url)
            assert response is not None and response.status == 200, f"{section} ({url})"


def test_signed_in_not_found_page_is_accessible(
    page: Page, cast: Cast, login: LoginHelper, assert_accessible: AccessibilityCheck
) -> None:
    login(page, cast.learner.email, PASSWORD)
    response = page.goto("/no-such-page/")
    assert response is not None and response.status == 404
    assert page.get_by_role("heading", level=1).is_visible()
    assert_accessible(page)


@pytest.fixture
def business_unit(cast: Cast) -> Person:
    """A business unit officer: the role must verify a second factor before seeing anything."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    person = Person.objects.create_user(
        "alex.unit@example.org", PASSWORD, full_name="Alex Pemberton-Lowe"
    )
    RoleAssignment.objects.create(
        person=person, partnership=cast.partnership, role=Role.BUSINESS_UNIT
    )
    TOTPDevice.objects.create(user=person, name="Authenticator app", confirmed=True)
    return person


@pytest.mark.mfa
def test_second_factor_page_is_accessible(
    page: Page, business_unit: Person, assert_accessible: AccessibilityCheck
) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill(business_unit.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    assert "/accounts/mfa/" in page.url
    assert page.locator("input[name=code]").is_visible()
    assert_accessible(page)
    page.goto("/")
    assert "/accounts/mfa/" in page.url, "nothing is shown before the second factor"


@pytest.mark.mfa
def test_login_helper_passes_the_second_factor(
    page: Page, business_unit: Person, login: LoginHelper, assert_accessible: AccessibilityCheck
) -> None:
    login(page, business_unit.email, PASSWORD)
    response = page.goto("/")
    assert response is not None and response.status == 200
    assert "/accounts/" not in page.url
    assert page.get_by_role("heading", level=1, name="My work").is_visible()
    assert "Data" in nav_links(page), "the business unit sees the Data area"
    page.goto("/data/")
    history = page.get_by_role("link", name="History", exact=True)
    assert history.is_visible(), "the business unit is offered the change history"
    assert_accessible(page)
