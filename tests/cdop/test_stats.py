"""Trends and the annual report: small numbers suppressed so no aggregate reveals a child."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from lift.cdop import services, stats
from lift.core.documents import render_html

from .conftest import analysis_kwargs

pytestmark = pytest.mark.django_db


def _notify(partnership, coordinator, n, *, expected="expected", year=2024, dob=None):
    made = []
    for i in range(n):
        made.append(
            services.childdeath_notify(
                partnership=partnership,
                by=coordinator,
                notifier_name="N",
                first_name=f"K{i}",
                date_of_birth=dob,
                date_of_death=dt.date(year, 5, 1 + i % 27),
                expected=expected,
                notified_on=dt.date(year, 6, 1),
            )
        )
    return made


def test_single_unexpected_death_is_not_revealed(partnership, coordinator):
    _notify(partnership, coordinator, 8, expected="expected")
    _notify(partnership, coordinator, 1, expected="unexpected")
    t = stats.trends(partnership, [2024])
    assert t.expected.value("Unexpected", 2024) is None
    # 9 - 8 would reveal the one: the expected count is withheld too.
    assert t.expected.value("Expected", 2024) is None
    assert t.deaths.value("All deaths", 2024) == 9
    html = render_html(stats.annual_report(partnership, 2024))
    assert "fewer than 5" in html
    assert not re.search(r">\s*1\s*<", html.split("Deaths over the years")[1].split("Learning")[0])


def test_threshold_configurable_per_partnership(partnership, coordinator):
    cfg = services.settings_for(partnership)
    cfg.suppression_threshold = 3
    cfg.save()
    _notify(partnership, coordinator, 3, expected="unexpected")
    _notify(partnership, coordinator, 6, expected="expected")
    t = stats.trends(partnership, [2024])
    assert t.expected.value("Unexpected", 2024) == 3


def test_recurring_factor_counted(partnership, coordinator):
    cases = _notify(partnership, coordinator, 6, expected="expected", dob=dt.date(2024, 1, 1))
    for case in cases:
        services.analysis_record(
            case=case,
            by=coordinator,
            **analysis_kwargs(
                category="chromosomal-genetic-congenital",
                factors=["consanguinity"],
                modifiable_factors=["consanguinity"],
                scores={"child": 2, "social": 1, "physical": 1, "service": 1},
            ),
        )
    t = stats.trends(partnership, [2024])
    assert t.factors.value("Parental consanguinity", 2024) == 6
    assert t.modifiable_share[2024] == "100%"
    assert t.categories.value("7. Chromosomal, genetic and congenital anomalies", 2024) == 6


def test_other_partnership_not_counted(partnership, other_partnership, coordinator):
    from tests.factories import person_with_role

    other = person_with_role("cdop_coordinator", other_partnership)
    _notify(other_partnership, other, 7)
    assert stats.trends(partnership, [2024]).deaths.value("All deaths", 2024) == 0
