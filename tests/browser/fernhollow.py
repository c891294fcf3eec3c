"""The fictional Fernhollow partnership the to-do journeys are played in: its police, the
people of a journey, and the police action overdue by six days that the journeys follow."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.utils import timezone
from playwright.sync_api import Page

from lift.core.models import Agency, Partnership, Person, RoleAssignment
from lift.learning import services
from lift.learning.choices import ActionStatus
from lift.learning.models import Action

AccessibilityCheck = Callable[[Page], None]
LoginHelper = Callable[[Page, str, str], None]
PASSWORD = "correct horse battery staple"
TITLE = "Brief response officers on the neglect screening tool"


def partnership_and_police() -> tuple[Partnership, Agency]:
    p = Partnership.objects.create(
        name="Fernhollow Safeguarding Children Partnership",
        short_name="Fernhollow SCP",
        slug="fernhollow",
        area="Fernhollow",
        regime="lscb-2015",
    )
    police = Agency.objects.create(partnership=p, name="Fernhollow Police", agency_type="police")
    return p, police


def member(
    p: Partnership, email: str, name: str, role: str, agency: Agency | None = None, **extra: Any
) -> Person:
    """Someone with the demo password and one role in `p`."""
    someone = Person.objects.create_user(email, PASSWORD, full_name=name, agency=agency, **extra)
    RoleAssignment.objects.create(person=someone, partnership=p, role=role, agency=agency)
    return someone


def two_factor(person: Person) -> None:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.create(user=person, name="Authenticator app", confirmed=True)


def overdue_action(police: Agency, owner: Person, measure: str) -> Action:
    return services.action_create(
        title=TITLE,
        owner_agency=police,
        owner=owner,
        due_on=timezone.localdate() - dt.timedelta(days=6),
        success_measure=measure,
        status=ActionStatus.IN_PROGRESS,
    )


def submit(page: Page, name: str) -> None:
    page.get_by_role("button", name=name).click()
    page.wait_for_load_state()
