"""Young people's voice and the public site in a real browser: the public home and the
signed-off annual report need no sign-in and are axe-clean; the youth forum coordinator
answers a view ("you said, we did") and a Board member reads the annual report."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page

from lift.core.models import Partnership, Person, RoleAssignment
from lift.core.roles import Role
from lift.learning.services import dissemination_create
from lift.reports import services as reports
from lift.voice import services as voice

AccessibilityCheck = Callable[[Page], None]
LoginHelper = Callable[[Page, str, str], None]
PASSWORD = "correct horse battery staple"


@pytest.fixture
def world(transactional_db: Any) -> dict[str, Any]:
    p = Partnership.objects.create(
        name="Ashbrook Vale Safeguarding Children Partnership",
        short_name="Ashbrook Vale SCP",
        slug="ashbrook-vale",
        area="Ashbrook Vale",
        regime="lscb-2015",
        report_concern_text="Call the children's front door on 01632 960000 (fictional).",
    )

    def person(email: str, name: str, role: str) -> Person:
        someone = Person.objects.create_user(email, PASSWORD, full_name=name)
        RoleAssignment.objects.create(person=someone, partnership=p, role=role)
        return someone

    youth = person("yara.youth@example.org", "Yara Fenwick", Role.YOUTH_COORDINATOR)
    person("dee.member@example.org", "Dee Hollins", Role.BOARD_MEMBER)
    forum = voice.forum_save(partnership=p, by=youth, youth_service="Ashbrook Teen Hub")
    voice.event_create(
        partnership=p,
        by=youth,
        kind="information",
        title="Safer Internet Day",
        theme="Cyber bullying",
        held_on=dt.date(2015, 10, 14),
        audience="Year 8",
        attended=120,
    )
    consultation = voice.consultation_create(
        partnership=p, by=youth, topic="Feeling safe online", opened_on=dt.date(2015, 10, 1)
    )
    view = voice.view_add(consultation=consultation, by=youth, said="Tell us what happens next")
    briefing = dissemination_create(
        partnership=p,
        by=youth,
        kind="briefing",
        title="Seven-minute briefing: online safety",
        held_on=dt.date(2016, 1, 10),
        audience="Everyone",
    )
    briefing.is_public = True
    briefing.save()
    report = reports.annual_report_create(partnership=p, by=None, year="2015/16")
    reports.annual_report_update(report=report, by=None, foreword="A year of listening.")
    reports.annual_report_sign_off(report=report, by=None)
    return {"forum": forum, "consultation": consultation, "view": view, "report": report}


def test_public_pages_are_accessible(
    world: dict[str, Any], page: Page, live_server: Any, assert_accessible: AccessibilityCheck
) -> None:
    page.goto(f"{live_server.url}/public/")
    assert "Ashbrook Vale Safeguarding Children Partnership" in page.inner_text("h1")
    assert "01632 960000" in page.content()
    assert_accessible(page)
    page.get_by_role("link", name="Annual report 2015/16").click()
    assert "A year of listening." in page.content()
    assert_accessible(page)
    page.goto(f"{live_server.url}/public/learning/")
    assert "Seven-minute briefing: online safety" in page.content()
    assert_accessible(page)


def test_you_said_we_did_and_the_annual_report(
    world: dict[str, Any],
    page: Page,
    live_server: Any,
    login: LoginHelper,
    assert_accessible: AccessibilityCheck,
) -> None:
    login(page, "yara.youth@example.org", PASSWORD)
    page.goto(f"{live_server.url}/voice/")
    assert_accessible(page)
    page.goto(f"{live_server.url}/voice/consultations/{world['consultation'].pk}/")
    assert_accessible(page)
    page.get_by_role("link", name="Respond to view 1").click()
    page.get_by_label("You said, we did").check()
    page.get_by_label("What we did, or why we could not").fill("A what-happens-next leaflet")
    page.get_by_role("button", name="Save").click()
    assert "A what-happens-next leaflet" in page.content()
    page.goto(f"{live_server.url}/voice/consultations/{world['consultation'].pk}/you-said-we-did/")
    assert_accessible(page)
    page.goto(f"{live_server.url}/voice/terms/")
    assert_accessible(page)
    page.goto(f"{live_server.url}/voice/events/")
    assert_accessible(page)

    page.context.clear_cookies()
    login(page, "dee.member@example.org", PASSWORD)
    page.goto(f"{live_server.url}/reports/annual/{world['report'].pk}/")
    assert "Young people's voice" in page.content()
    assert_accessible(page)
