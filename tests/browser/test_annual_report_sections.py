"""A sub-group's chair writes their section of the annual report in a real browser: the
Training sub-group's chair (a trainer, with no role that reads the whole report) finds the
step on their to-do list, saves a draft, submits it; a Board member reads the report with
the state of the chairs' sections. Every page axe-clean."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page

from lift.core.models import Partnership, Person, RoleAssignment
from lift.core.roles import Role
from lift.governance import services as governance
from lift.governance.choices import GroupKind, MemberRole
from lift.reports import services as reports
from lift.reports.models import Narrative

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
    )

    def person(email: str, name: str, role: str) -> Person:
        someone = Person.objects.create_user(email, PASSWORD, full_name=name)
        RoleAssignment.objects.create(person=someone, partnership=p, role=role)
        return someone

    trainer = person("tess.trainer@example.org", "Tess Okafor", Role.TRAINER)
    person("dee.member@example.org", "Dee Hollins", Role.BOARD_MEMBER)
    group = governance.board_create(
        partnership=p,
        kind=GroupKind.SUBGROUP,
        name="Training sub-group",
        short_name="Training",
        by=None,
    )
    governance.membership_add(
        board=group,
        person=trainer,
        role=MemberRole.CHAIR,
        starts_on=dt.date.today() - dt.timedelta(days=400),
        by=None,
    )
    group.refresh_from_db()
    report = reports.annual_report_create(partnership=p, by=None, year="2025/26")
    reports.section_assign(
        report=report,
        key="training",
        board=group,
        due_on=dt.date.today() + dt.timedelta(days=14),
        by=None,
    )
    return {"report": report}


def test_the_chair_writes_and_submits_their_section(
    world: dict[str, Any],
    page: Page,
    live_server: Any,
    login: LoginHelper,
    assert_accessible: AccessibilityCheck,
) -> None:
    report = world["report"]
    login(page, "tess.trainer@example.org", PASSWORD)
    page.goto(f"{live_server.url}/todo/")
    step = page.get_by_role("link", name="Write the Training section of Annual report 2025/26")
    step.first.click()
    assert f"/reports/annual/{report.pk}/sections/training/" in page.url
    assert_accessible(page)
    page.get_by_label("Your section").fill("Courses filled well.\n\nManagers now confirm places.")
    page.get_by_role("button", name="Save as a draft").click()
    assert "Saved as a draft." in page.content()
    page.get_by_role("button", name="Save and submit to the business unit").click()
    assert "Submitted to the business unit." in page.content()
    assert_accessible(page)
    assert Narrative.objects.get(report=report, key="training").is_submitted

    page.context.clear_cookies()
    login(page, "dee.member@example.org", PASSWORD)
    page.goto(f"{live_server.url}/reports/annual/{report.pk}/")
    table = page.locator("table", has_text="Written by")
    assert "Training sub-group (chair: Tess Okafor)" in table.inner_text()
    assert "Submitted" in table.inner_text()
    assert "Managers now confirm places." in page.content()
    assert_accessible(page)
