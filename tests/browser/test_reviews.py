"""Serious incidents in a real browser: the Chair records a decision (one question per page,
then check your answers), the business unit opens and downloads the panel letter; axe finds
no accessibility violation on the pages visited. Every name here is fictional."""

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
from lift.core.views.accounts import ensure_totp_device
from lift.reviews import services
from lift.reviews.models import Decision, Incident, Letter
from lift.reviews.reference import reference

from .dates import fill_date

AccessibilityCheck = Callable[[Page], None]
LoginHelper = Callable[[Page, str, str], None]
PASSWORD = "correct horse battery staple"


@dataclass
class Cast:
    partnership: Partnership
    bu: Person
    chair: Person
    incident: Incident


@pytest.fixture
def cast(transactional_db: Any) -> Cast:
    partnership = Partnership.objects.create(
        name="Ashbrook Vale Safeguarding Children Partnership",
        short_name="Ashbrook Vale SCP",
        slug="ashbrook-vale",
        area="Ashbrook Vale",
        regime="lscb-2015",
    )
    agency = Agency.objects.create(
        partnership=partnership, name="Ashbrook Vale Children's Services", agency_type="social_care"
    )
    bu = Person.objects.create_user("bu@ashbrook.example", PASSWORD, full_name="Mina Okafor")
    chair = Person.objects.create_user("chair@ashbrook.example", PASSWORD, full_name="Tobias Wren")
    RoleAssignment.objects.create(person=bu, partnership=partnership, role=Role.BUSINESS_UNIT)
    RoleAssignment.objects.create(person=chair, partnership=partnership, role=Role.CHAIR)
    # Both roles sign in with a second factor (the login helper reads the code).
    ensure_totp_device(bu, "6132333435363738393031323334353637383930")
    ensure_totp_device(chair, "7132333435363738393031323334353637383930")
    today = timezone.localdate()
    incident = services.incident_create(
        partnership=partnership,
        by=bu,
        pseudonym="Child A",
        incident_type="serious_harm",
        incident_on=today - dt.timedelta(days=12),
        became_aware_on=today - dt.timedelta(days=12),
        notified_on=today - dt.timedelta(days=9),
        criteria=["abuse-or-neglect", "seriously-harmed"],
        agencies=[agency],
    )
    return Cast(partnership, bu, chair, incident)


def test_chair_decides_and_business_unit_renders_the_letter(
    page: Page, cast: Cast, login: LoginHelper, assert_accessible: AccessibilityCheck
) -> None:
    login(page, cast.chair.email, PASSWORD)
    page.goto(cast.incident.get_absolute_url())
    assert_accessible(page)
    page.get_by_role("link", name="Record the decision").click()

    fill_date(page, "When was the decision made?", timezone.localdate())
    assert_accessible(page)
    page.get_by_role("button", name="Continue").click()

    page.get_by_label("Serious Case Review").check()
    assert_accessible(page)
    page.get_by_role("button", name="Continue").click()

    page.get_by_label("Why was this decision made?").fill("Serious harm, abuse suspected.")
    page.get_by_role("button", name="Continue").click()

    for criterion in reference().for_regime("lscb-2015").at("review"):
        page.get_by_label(criterion.label).fill("Considered at the meeting.")
        page.get_by_role("button", name="Continue").click()

    assert "/decision/check/" in page.url
    assert page.get_by_role("heading", level=1).inner_text().startswith("Check your answers")
    assert_accessible(page)
    # Change one answer from the check page and come straight back.
    page.get_by_role("link", name="Change reasons").click()
    page.get_by_label("Why was this decision made?").fill(
        "Serious harm; abuse suspected; agencies."
    )
    page.get_by_role("button", name="Continue").click()
    assert "/decision/check/" in page.url
    page.get_by_role("button", name="Record the decision").click()
    assert page.url.endswith(cast.incident.get_absolute_url())
    decision = Decision.objects.get(incident=cast.incident)
    assert decision.reasons == "Serious harm; abuse suspected; agencies."

    page.context.clear_cookies()
    login(page, cast.bu.email, PASSWORD)
    letter = Letter.objects.get(incident=cast.incident)
    page.goto(cast.incident.get_absolute_url())
    assert_accessible(page)
    page.get_by_role("link", name=letter.get_kind_display()).click()
    assert page.get_by_role("heading", level=1, name=letter.subject).is_visible()
    assert_accessible(page)
    pdf = page.request.get(f"/letters/{letter.pk}/pdf/")
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
    docx = page.request.get(f"/letters/{letter.pk}/docx/")
    assert docx.status == 200 and docx.body()[:2] == b"PK"
    review = cast.incident.reviews.get()
    for url in (
        review.get_absolute_url(),
        f"/reviews/{review.pk}/guard/",
        f"/reviews/{review.pk}/reviewers/add/",
        f"/letters/{letter.pk}/sent/",
        f"/letter-templates/{services.lettertemplate_for(cast.partnership, letter.kind).pk}/",
    ):
        page.goto(url)
        assert page.get_by_role("heading", level=1).is_visible(), url
        assert_accessible(page)


def test_main_review_pages_are_accessible(
    page: Page, cast: Cast, login: LoginHelper, assert_accessible: AccessibilityCheck
) -> None:
    login(page, cast.bu.email, PASSWORD)
    for url in (
        "/incidents/",
        "/reviews/dashboard/",
        "/reviews/",
        "/referrals/",
        "/letter-templates/",
        f"/incidents/{cast.incident.pk}/team/",
        f"/incidents/{cast.incident.pk}/restricted/",
        "/incidents/add/",
        "/referrals/add/",
    ):
        response = page.goto(url)
        assert response is not None and response.status == 200, url
        assert page.get_by_role("heading", level=1).is_visible(), url
        assert_accessible(page)
    page.context.clear_cookies()
    page.goto("/public/reviews/")
    assert page.get_by_role("heading", level=1, name="Published case reviews").is_visible()
    assert_accessible(page)


def test_agency_lead_uploads_and_submits_the_imr(
    page: Page,
    cast: Cast,
    login: LoginHelper,
    assert_accessible: AccessibilityCheck,
    tmp_path: Any,
) -> None:
    from lift.reviews.models import AgencyRequest, ImrFile

    agency = cast.incident.agencies.get()
    lead = Person.objects.create_user(
        "lead@ashbrook.example", PASSWORD, full_name="Priya Lendal", agency=agency
    )
    RoleAssignment.objects.create(
        person=lead, partnership=cast.partnership, role=Role.SAFEGUARDING_LEAD, agency=agency
    )
    today = timezone.localdate()
    request = services.agency_request_create(
        incident=cast.incident,
        agency=agency,
        kind="imr",
        requested_on=today - dt.timedelta(days=2),
        due_on=today + dt.timedelta(days=20),
        by=cast.bu,
    )
    login(page, lead.email, PASSWORD)
    page.goto(request.get_absolute_url())
    assert_accessible(page)
    page.get_by_role("link", name="Upload a file").click()
    assert_accessible(page)
    upload = tmp_path / "imr-childrens-services.txt"
    upload.write_text("Individual Management Review for Child A.\n")
    page.get_by_label("IMR file").set_input_files(str(upload))
    page.get_by_label("Description").fill("IMR, final version")
    page.get_by_role("button", name="Upload").click()
    assert page.url.endswith(request.get_absolute_url())
    assert page.get_by_role("link", name="imr-childrens-services.txt").is_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Submit").click()
    page.get_by_role("button", name="Submit").click()
    request.refresh_from_db()
    assert request.received_on == today and request.submitted_by == lead
    assert ImrFile.objects.filter(request=request).count() == 1
    assert AgencyRequest.objects.get(pk=request.pk).state == "received"
