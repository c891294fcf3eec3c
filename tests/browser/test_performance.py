"""The performance dataset in a real browser: the health lead opens the dataset, follows an
indicator to its page (chart, control limits, values), enters the next month's value; the
dataset and indicator pages are axe-clean."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from playwright.sync_api import Page

from lift.core.models import Agency, Partnership, Person, RoleAssignment
from lift.core.roles import Role
from lift.performance import services
from lift.performance.models import Indicator, IndicatorValue

AccessibilityCheck = Callable[[Page], None]
LoginHelper = Callable[[Page, str, str], None]
PASSWORD = "correct horse battery staple"


@pytest.fixture
def dataset(transactional_db: Any) -> tuple[Person, Indicator]:
    p = Partnership.objects.create(
        name="Ashbrook Vale Safeguarding Children Partnership",
        short_name="Ashbrook Vale SCP",
        slug="ashbrook-vale",
        area="Ashbrook Vale",
        regime="lscb-2015",
    )
    health = Agency.objects.create(partnership=p, name="Ashbrook Vale Health", agency_type="health")
    lead = Person.objects.create_user(
        "pat.health@example.org", PASSWORD, full_name="Pat Merriweather", agency=health
    )
    RoleAssignment.objects.create(
        person=lead, partnership=p, role=Role.SAFEGUARDING_LEAD, agency=health
    )
    ind = services.indicator_create(
        partnership=p,
        code="pbv14",
        title="New birth visits within 14 days",
        owner_agency=health,
        unit="percent",
        polarity="higher",
        frequency="monthly",
        definition="New birth visits within 14 days of birth, as a share of births.",
        source="Fictional health visiting records",
        effective_from=dt.date(2014, 4, 1),
        target=Decimal(90),
        tolerance=Decimal(3),
    )
    for i, v in enumerate([80, 82, 84, 81, 83, 85, 84, 86, 87, 85, 88, 86]):
        services.value_enter(
            indicator=ind,
            period_start=dt.date(2014 + (3 + i) // 12, (3 + i) % 12 + 1, 1),
            value=Decimal(v),
            national=Decimal(88),
            by=None,
        )
    return lead, ind


def test_lead_reads_the_dataset_and_enters_a_value(
    page: Page,
    dataset: tuple[Person, Indicator],
    login: LoginHelper,
    assert_accessible: AccessibilityCheck,
) -> None:
    lead, ind = dataset
    login(page, lead.email, PASSWORD)
    page.goto("/performance/")
    assert_accessible(page)
    assert page.get_by_role("img", name="Trend of the last 12 values", exact=False).count() == 1
    page.get_by_role("link", name=ind.title).click()
    assert page.get_by_role("heading", level=1).inner_text() == str(ind)
    assert "Upper control limit" in page.content()
    assert_accessible(page)

    page.get_by_role("link", name="Enter a value").click()
    assert_accessible(page)
    page.get_by_label("Period").fill("2015-04")
    page.get_by_label("Value", exact=True).fill("91")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    assert "Value recorded" in page.content()
    assert IndicatorValue.objects.filter(indicator=ind, period_start=dt.date(2015, 4, 1)).exists()
    assert_accessible(page)
