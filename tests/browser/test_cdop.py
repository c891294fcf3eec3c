"""Child death reviews in a real browser: a professional notifies a death through the
public form without an account; the CDOP coordinator (two-factor sign-in) sees the new case
by its number and opens the restricted record; the main pages are axe-clean."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page

from lift.cdop import services
from lift.cdop.models import ChildDeath
from lift.core.models import Agency, Partnership, Person, RoleAssignment
from lift.core.roles import Role

from .conftest import AccessibilityCheck, LoginHelper
from .dates import fill_date

PASSWORD = "correct horse battery staple"


@dataclass
class Cast:
    partnership: Partnership
    coordinator: Person
    chair: Person
    existing: ChildDeath


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
    health = Agency.objects.create(
        partnership=p, name="Ashbrook Vale Health", agency_type="health_provider"
    )

    def person(email: str, name: str, role: str) -> Person:
        someone = Person.objects.create_user(email, PASSWORD, full_name=name)
        RoleAssignment.objects.create(person=someone, partnership=p, role=role)
        return someone

    coordinator = person("cora.cdop@example.org", "Cora Whitfield", Role.CDOP_COORDINATOR)
    TOTPDevice.objects.create(user=coordinator, name="Authenticator app", confirmed=True)
    chair = person("jo.chair@example.org", "Jo Ravensworth", Role.CHAIR)
    TOTPDevice.objects.create(user=chair, name="Authenticator app", confirmed=True)
    existing = services.childdeath_notify(
        partnership=p,
        by=coordinator,
        notifier_name="Ward manager",
        first_name="Existingchild",
        date_of_death=timezone.localdate() - dt.timedelta(days=30),
        expected="expected",
    )
    _report, token = services.agency_report_request(
        case=existing,
        agency=health,
        contact_name="Named nurse",
        contact_email="nurse@example.org",
        by=coordinator,
    )
    services.agency_report_submit(
        token=token, answers={"involvement": "Community nursing."}, completed_by="Nurse"
    )
    services.analysis_record(
        case=existing,
        by=coordinator,
        category="chronic-medical",
        modifiable="none",
        scores={"child": 2, "social": 1, "physical": 1, "service": 1},
    )
    return Cast(p, coordinator, chair, existing)


@pytest.mark.mfa
def test_professional_notifies_and_coordinator_sees_the_case(
    page: Page, cast: Cast, login: LoginHelper, assert_accessible: AccessibilityCheck
) -> None:
    page.goto("/public/notify-child-death/")
    assert_accessible(page)
    assert cast.existing.reference not in page.content()
    page.get_by_label("Ashbrook Vale Safeguarding Children Partnership").check()
    page.get_by_label("Your name").fill("Dr Imogen Faulkner")
    page.get_by_label("Your e-mail address").fill("imogen@hospital.example")
    page.get_by_label("Child's first name").fill("Rowan")
    fill_date(page, "Date of death", timezone.localdate() - dt.timedelta(days=2))
    page.get_by_role("group", name="Was the death expected?").get_by_label("Unexpected").check()
    page.get_by_label("The death is sudden and there is no immediately apparent cause").check()
    page.get_by_role("button", name="Send the notification").click()
    page.wait_for_load_state()
    made = ChildDeath.objects.exclude(pk=cast.existing.pk).get()
    assert made.reference in page.locator(".govuk-panel").inner_text()
    assert "Rowan" not in page.content() and cast.existing.reference not in page.content()
    assert_accessible(page)

    login(page, cast.coordinator.email, PASSWORD)
    page.goto("/cdop/cases/")
    assert_accessible(page)
    page.get_by_role("link", name=made.reference).click()
    assert page.get_by_role("heading", level=1, name=made.reference).is_visible()
    assert "Rowan" not in page.content()
    assert_accessible(page)
    page.get_by_role("link", name="Restricted record").click()
    assert "Rowan" in page.content()
    assert_accessible(page)


@pytest.mark.mfa
def test_cdop_pages_are_accessible(
    page: Page, cast: Cast, login: LoginHelper, assert_accessible: AccessibilityCheck
) -> None:
    login(page, cast.coordinator.email, PASSWORD)
    case = cast.existing
    for path in [
        case.get_absolute_url(),
        f"/cdop/cases/{case.pk}/analysis/",
        f"/cdop/cases/{case.pk}/reports/add/",
        case.analysis.get_absolute_url(),
        case.reports.get().get_absolute_url(),
        "/cdop/meetings/",
        "/cdop/campaigns/",
        "/cdop/trends/",
        "/cdop/annual-report/",
        "/cdop/cases/add/",
        "/",
    ]:
        response = page.goto(path)
        assert response is not None and response.status == 200, path
        assert_accessible(page)


@pytest.mark.mfa
def test_inspection_pages_are_accessible(
    page: Page, cast: Cast, login: LoginHelper, assert_accessible: AccessibilityCheck
) -> None:
    """Learning from inspection (its pages share this file: the area has no browser file)."""
    from lift.inspections import services as inspections

    chair_role = RoleAssignment.objects.get(person=cast.chair)
    chair_role.role = Role.BUSINESS_UNIT  # the business unit records inspections
    chair_role.save()
    inspection = inspections.inspection_create(
        partnership=cast.partnership,
        inspectorate="ofsted",
        title="Ofsted inspection of children's services",
        started_on=dt.date(2025, 1, 13),
        ended_on=dt.date(2025, 1, 24),
        published_on=dt.date(2025, 3, 4),
        by=cast.chair,
    )
    inspections.judgement_add(
        inspection=inspection, area="Overall effectiveness", grade="good", by=None
    )
    inspections.inspection_recommend(inspection=inspection, text="Improve supervision.", by=None)
    login(page, cast.chair.email, PASSWORD)
    report = inspection.progress_reports.get()
    for path in [
        "/inspections/",
        "/inspections/add/",
        inspection.get_absolute_url(),
        f"/inspections/{inspection.pk}/judgements/add/",
        f"/inspections/{inspection.pk}/actions/add/",
        report.get_absolute_url(),
        f"/inspections/progress-reports/{report.pk}/present/",
    ]:
        response = page.goto(path)
        assert response is not None and response.status == 200, path
        assert_accessible(page)
