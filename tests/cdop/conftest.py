"""Fixtures of the child death review tests: a coordinator, a notified case and a panel."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from lift.cdop import services
from lift.cdop.models import ChildDeath
from lift.core.models import Agency, Partnership, Person

DEATH = dt.date(2025, 3, 10)


@pytest.fixture
def coordinator(make_person: Callable[..., Person]) -> Person:
    return make_person("cdop_coordinator", full_name="Cora Coordinator")


@pytest.fixture
def case(partnership: Partnership, coordinator: Person) -> ChildDeath:
    return services.childdeath_notify(
        partnership=partnership,
        by=coordinator,
        notifier_name="Dr Nadia Test",
        notifier_email="nadia@example.test",
        first_name="Amelie",
        family_name="Testcase",
        date_of_birth=dt.date(2024, 11, 2),
        date_of_death=DEATH,
        nhs_number="485 777 3456",
        expected="unexpected",
        jar_criteria=["sudden-no-apparent-cause"],
        jar_started_on=DEATH,
        notified_on=dt.date(2025, 3, 11),
    )


@pytest.fixture
def panel_member(make_person: Callable[..., Person], case: ChildDeath, agency: Agency) -> Person:
    person = make_person("safeguarding_lead", agency=agency, full_name="Pat Panel")
    from lift.core.services import role_assign

    role_assign(partnership=case.partnership, person=person, role="case_team", case=case)
    return person


def analysis_kwargs(**extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "category": "sudden-unexpected-unexplained",
        "modifiable": "identified",
        "scores": {"child": 1, "social": 2, "physical": 1, "service": 0},
        "factors": ["unsafe-sleeping", "parental-smoking"],
        "modifiable_factors": ["unsafe-sleeping"],
        "learning_points": "Safer sleep advice was not repeated at the six-week check.",
    }
    data.update(extra)
    return data
