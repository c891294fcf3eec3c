"""Governance in a real browser: the business unit opens the Board meeting, sees its agenda
items linked to their records, and records attendance; the main pages are axe-clean."""

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
from lift.governance import services
from lift.governance.choices import GroupKind, MemberRole
from lift.governance.models import Attendance, BusinessPlan, Meeting

AccessibilityCheck = Callable[[Page], None]
LoginHelper = Callable[[Page, str, str], None]
PASSWORD = "correct horse battery staple"


@dataclass
class Cast:
    bu: Person
    chair: Person
    member: Person
    meeting: Meeting
    plan: BusinessPlan


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
    police = Agency.objects.create(partnership=p, name="Ashbrook Vale Police", agency_type="police")

    def person(email: str, name: str, role: str, agency: Agency | None = None) -> Person:
        someone = Person.objects.create_user(email, PASSWORD, full_name=name, agency=agency)
        RoleAssignment.objects.create(person=someone, partnership=p, role=role, agency=agency)
        return someone

    bu = person("alex.unit@example.org", "Alex Pemberton-Lowe", Role.BUSINESS_UNIT)
    TOTPDevice.objects.create(user=bu, name="Authenticator app", confirmed=True)
    chair = person("jo.chair@example.org", "Jo Ravensworth", Role.CHAIR)
    member = person("dee.member@example.org", "Dee Hollins", Role.BOARD_MEMBER, police)
    board = services.board_create(
        partnership=p, kind=GroupKind.BOARD, name="Ashbrook Vale LSCB", quorum=2, by=bu
    )
    since = timezone.localdate() - dt.timedelta(days=100)
    services.membership_add(
        board=board, person=chair, role=MemberRole.CHAIR, starts_on=since, by=bu
    )
    services.membership_add(board=board, person=member, agency=police, starts_on=since, by=bu)
    plan = services.business_plan_create(
        partnership=p, year="2015/16", title="Business plan", by=bu
    )
    priority = services.priority_create(
        plan=plan, title="Tackle neglect", success_measures="Fewer re-referrals", by=bu
    )
    start = timezone.now() - dt.timedelta(hours=1)
    meeting = services.meeting_create(board=board, starts_at=start, location="Room 2", by=bu)
    services.agenda_item_add(
        meeting=meeting, title="Business plan progress", linked=plan, purpose="assurance", by=bu
    )
    services.agenda_item_add(
        meeting=meeting, title="Neglect priority", linked=priority, purpose="decision", by=bu
    )
    services.agenda_item_add(
        meeting=meeting, title="Police update", linked=police, purpose="information", by=bu
    )
    return Cast(bu, chair, member, meeting, plan)


@pytest.mark.mfa
def test_business_unit_records_attendance_at_the_board_meeting(
    page: Page, cast: Cast, login: LoginHelper, assert_accessible: AccessibilityCheck
) -> None:
    login(page, cast.bu.email, PASSWORD)
    page.goto("/meetings/")
    assert_accessible(page)
    page.get_by_role("link", name=str(cast.meeting)).click()
    assert page.get_by_role("heading", level=1, name=str(cast.meeting)).is_visible()
    agenda = page.locator("#agenda + table")
    for title in ("Business plan progress", "Neglect priority", "Police update"):
        assert agenda.get_by_role("link", name=title, exact=False).count() >= 1
    plan_link = agenda.get_by_role("link", name=str(cast.plan))
    assert plan_link.get_attribute("href") == cast.plan.get_absolute_url()
    assert agenda.get_by_role("link", name="Tackle neglect").is_visible()
    assert agenda.get_by_role("link", name="Ashbrook Vale Police").is_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Record attendance").click()
    assert_accessible(page)
    page.get_by_role("group", name=cast.chair.full_name).get_by_label("Attended").check()
    page.get_by_role("group", name=cast.member.full_name).get_by_label("Apologies").check()
    page.get_by_label(f"Deputy for {cast.member.full_name}").fill("DS Sam Whitlow")
    page.get_by_role("button", name="Save attendance").click()
    page.wait_for_load_state()
    assert "Attendance saved" in page.content()
    assert "2 of 2 members present" in page.locator("#attendance + p").inner_text()
    assert Attendance.objects.get(meeting=cast.meeting, person=cast.member).deputy == (
        "DS Sam Whitlow"
    )
    assert_accessible(page)

    plan_link = page.locator("#agenda + table").get_by_role("link", name=str(cast.plan))
    plan_link.click()
    assert page.get_by_role("heading", level=1).inner_text() == str(cast.plan)
    assert_accessible(page)


@pytest.mark.mfa
def test_governance_pages_are_accessible(
    page: Page, cast: Cast, login: LoginHelper, assert_accessible: AccessibilityCheck
) -> None:
    login(page, cast.bu.email, PASSWORD)
    for path in [
        "/boards/",
        cast.meeting.board.get_absolute_url(),
        "/boards/members/",
        "/meetings/forward-plan/",
        "/meetings/calendar/",
        "/meetings/add/",
        "/business-plan/",
        cast.plan.get_absolute_url(),
        cast.plan.priorities.get().get_absolute_url(),
        "/",
    ]:
        response = page.goto(path)
        assert response is not None and response.status == 200, path
        assert_accessible(page)
