"""Training in a real browser: a learner finds a session in the catalogue, books it and sees
it in My training; the catalogue, session and booking pages (and the public catalogue) are
axe-clean."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from lift.core.models import Agency, Partnership, Person, RoleAssignment
from lift.core.roles import Role
from lift.training import services
from lift.training.models import Booking

AccessibilityCheck = Callable[[Page], None]
LoginHelper = Callable[[Page, str, str], None]
PASSWORD = "correct horse battery staple"
COURSE = "Neglect: recognising cumulative harm"


@pytest.fixture
def learner(transactional_db: Any) -> Person:
    partnership = Partnership.objects.create(
        name="Ashbrook Vale Safeguarding Children Partnership",
        short_name="Ashbrook Vale SCP",
        slug="ashbrook-vale",
        area="Ashbrook Vale",
        regime="lscb-2015",
    )
    health = Agency.objects.create(
        partnership=partnership,
        name="Ashbrook Vale Community Health",
        agency_type="health_provider",
    )
    learner = Person.objects.create_user(
        "robin.learner@example.org", PASSWORD, full_name="Robin Fairweather", agency=health
    )
    RoleAssignment.objects.create(
        person=learner, partnership=partnership, role=Role.LEARNER, agency=health
    )
    course = services.course_create(
        partnership=partnership,
        title=COURSE,
        level=2,
        format="workshop",
        learning_outcomes="Recognise cumulative harm\nUse the neglect screening tool",
        trainer_kind="external",
        trainer_name="Jo Whitfield (fictional)",
        themes=["neglect"],
        summary="A workshop on recognising neglect that builds up over time.",
    )
    services.session_create(
        course=course,
        starts_on=timezone.localdate() + dt.timedelta(days=21),
        capacity=12,
        venue="Ashbrook Vale Civic Centre, Room 2",
    )
    return learner


def test_learner_books_from_the_catalogue(
    page: Page, login: LoginHelper, assert_accessible: AccessibilityCheck, learner: Person
) -> None:
    page.goto("/public/training/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Safeguarding training")
    expect(page.get_by_text(COURSE)).to_be_visible()
    assert_accessible(page)

    login(page, learner.email, PASSWORD)
    page.goto("/training/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Training")
    assert_accessible(page)
    page.get_by_role("link", name=COURSE, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(COURSE)
    assert_accessible(page)
    page.get_by_role("link", name="Book a place").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Book a place")
    assert_accessible(page)
    page.get_by_role("button", name="Book").click()
    page.wait_for_url(re.compile(r"/training/mine/$"))
    expect(page.get_by_text("Your place is booked")).to_be_visible()
    expect(page.get_by_role("link", name=COURSE, exact=True)).to_be_visible()
    assert_accessible(page)
    assert Booking.objects.get(learner=learner).status == "confirmed"

    page.get_by_role("link", name=COURSE, exact=True).click()
    expect(page.get_by_role("link", name="Cancel the booking")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Before the course: confidence and knowledge (level 2)").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Before the course")
    assert_accessible(page)


def test_register_and_dashboard_are_accessible(
    page: Page, login: LoginHelper, assert_accessible: AccessibilityCheck, learner: Person
) -> None:
    partnership = Partnership.objects.get(slug="ashbrook-vale")
    trainer = Person.objects.create_user(
        "tess.trainer@example.org", PASSWORD, full_name="Tess Trainer"
    )
    RoleAssignment.objects.create(person=trainer, partnership=partnership, role=Role.TRAINER)
    session = services.session_create(
        course=services.course_create(
            partnership=partnership,
            title="Working Together: core multi-agency safeguarding",
            level=2,
            format="course",
            learning_outcomes="Know the thresholds",
            trainer_kind="external",
        ),
        starts_on=timezone.localdate() - dt.timedelta(days=1),
        capacity=10,
        venue="Room 1",
    )
    services.booking_create(
        session=session,
        learner=learner,
        by=learner,
        today=timezone.localdate() - dt.timedelta(days=5),
    )
    login(page, trainer.email, PASSWORD)
    page.goto(f"/training/sessions/{session.pk}/register/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Register")
    assert_accessible(page)
    page.get_by_label("Attended", exact=True).check()
    page.get_by_role("button", name="Save attendance").click()
    expect(page.get_by_text("Attendance saved.")).to_be_visible()
    page.goto("/training/dashboard/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Training dashboard")
    assert_accessible(page)
