"""The public site in a real browser, signed out: home, awareness campaigns, briefings,
the annual report and the way to notify a child death are reachable, branded, cacheable
and axe-clean; an unpublished campaign never appears."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Page

from lift.cdop.services import campaign_create
from lift.core.models import Partnership
from lift.learning.services import dissemination_create
from lift.reports import services as reports

AccessibilityCheck = Callable[[Page], None]


@pytest.fixture
def site(transactional_db: Any) -> Partnership:
    p = Partnership.objects.create(
        name="Fernley Moor Safeguarding Children Partnership",
        short_name="Fernley Moor SCP",
        slug="fernley-moor",
        area="Fernley Moor",
        regime="current",
        brand_colour="#5b2a86",
        report_concern_text="Call Fernley Moor children's services on 01632 960123 (fictional).",
    )
    common: dict[str, Any] = {"partnership": p, "kind": "campaign", "audience": "public"}
    campaign_create(
        title="Button batteries: keep them out of reach",
        started_on=dt.date(2016, 2, 1),
        description="Stickers and leaflets in every children's centre.",
        published=True,
        by=None,
        **common,
    )
    campaign_create(
        title="Unpublished draft campaign", started_on=dt.date(2016, 3, 1), by=None, **common
    )
    briefing = dissemination_create(
        partnership=p,
        by=None,
        kind="newsletter",
        title="Partnership newsletter, spring",
        held_on=dt.date(2016, 4, 1),
        audience="Everyone",
    )
    briefing.is_public = True
    briefing.save()
    report = reports.annual_report_create(partnership=p, by=None, year="2015/16")
    reports.annual_report_update(report=report, by=None, foreword="Our year in brief.")
    reports.annual_report_sign_off(report=report, by=None)
    return p


def test_public_site_signed_out(
    site: Partnership, page: Page, live_server: Any, assert_accessible: AccessibilityCheck
) -> None:
    response = page.goto(f"{live_server.url}/public/")
    assert response is not None and response.headers["cache-control"] == "public, max-age=300"
    assert "Fernley Moor Safeguarding Children Partnership" in page.inner_text("h1")
    content = page.content()
    assert "01632 960123" in content
    assert reverse("core:brand_css", args=[site.pk]) in content  # the partnership's colours
    assert "Unpublished draft campaign" not in content
    assert_accessible(page)

    page.get_by_role("link", name="About the partnership's awareness campaigns").click()
    assert "Button batteries: keep them out of reach" in page.content()
    assert "Unpublished draft campaign" not in page.content()
    assert_accessible(page)

    page.goto(f"{live_server.url}/public/")
    page.get_by_role("link", name="Read the briefings and newsletters").click()
    assert "Partnership newsletter, spring" in page.content()
    assert_accessible(page)

    page.goto(f"{live_server.url}/public/")
    page.get_by_role("link", name="Annual report 2015/16").click()
    assert "Our year in brief." in page.content()
    assert_accessible(page)

    page.goto(f"{live_server.url}/public/")
    page.get_by_role("link", name="notify the partnership of a child's death").click()
    assert page.url.startswith(f"{live_server.url}/public/notify-child-death/")
    assert_accessible(page)


def test_a_published_review_can_be_read_and_downloaded(
    transactional_db: Any, page: Page, live_server: Any, assert_accessible: AccessibilityCheck
) -> None:
    from tests.factories import PartnershipFactory
    from tests.reviews.test_public import _review

    site = PartnershipFactory(name="Ashgrove Partnership", slug="ashgrove")
    review = _review(site, "Child F", "Ashgrove lessons: Child F's agencies.")
    page.goto(f"{live_server.url}/public/reviews/?partnership={site.slug}")
    page.get_by_role("link", name=review.title).click()
    assert page.get_by_role("heading", level=1, name=review.title).is_visible()
    assert "At least 2 June 2026" in page.content()
    assert_accessible(page)
    with page.expect_download() as found:
        page.get_by_role("link", name="The report (PDF)").click()
    download = found.value
    assert download.suggested_filename.endswith(".pdf")
    with open(download.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"


def test_footer_pages_signed_out_at_every_width(
    site: Partnership, page: Page, live_server: Any, assert_accessible: AccessibilityCheck
) -> None:
    """The footer's accessibility statement, privacy notice, cookies and contact pages, and
    the page-not-found page, are reachable from the public site's footer and axe-clean, on a
    wide screen and a phone."""
    # A long address, which must wrap rather than widen the page on a phone.
    email = "safeguarding-partnership-business-unit@fernley-moor.example"
    site.contact_email = email
    site.save()
    for width, height in ((1280, 900), (320, 640)):
        page.set_viewport_size({"width": width, "height": height})
        for name, heading in (
            ("Accessibility statement", "Accessibility statement for LIFT"),
            ("Privacy notice", "Privacy notice"),
            ("Cookies", "Cookies"),
            ("Contact", "Contact"),
        ):
            page.goto(f"{live_server.url}/public/")
            page.locator("footer").get_by_role("link", name=name, exact=True).click()
            assert page.get_by_role("heading", level=1, name=heading).is_visible()
            assert page.url.endswith(f"?partnership={site.slug}")
            if name != "Cookies":
                assert email in page.content()
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 0, f"{name} scrolls sideways at {width} px"
            assert_accessible(page)
        response = page.goto(f"{live_server.url}/no-such-page/")
        assert response is not None and response.status == 404
        assert page.get_by_role("heading", level=1, name="Page not found").is_visible()
        assert_accessible(page)
