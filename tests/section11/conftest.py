"""Section 11 fixtures: frameworks of any size, cycles and returns, people of each part."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
import yaml

from lift.core.models import Agency, Partnership, Person
from lift.section11 import services
from lift.section11.frameworks import framework_load, parse_text
from lift.section11.models import Cycle, Framework, Section11Return

from ..factories import AgencyFactory


def framework_yaml(
    *,
    code: str = "test-frame",
    version: int = 1,
    standards: int = 2,
    per_standard: int = 2,
    scale: str = "rag",
) -> str:
    urn = f"urn:lift:section11:{code}"
    levels = {
        "rag": [
            {"value": "fully", "label": "Fully met", "score": 3, "colour": "green"},
            {"value": "partially", "label": "Partially met", "score": 2, "colour": "yellow"},
            {"value": "not-met", "label": "Not met", "score": 1, "colour": "red"},
        ],
        "score": [
            {"value": str(n), "label": f"Score {n}", "score": n, "colour": c}
            for n, c in ((3, "green"), (2, "light-blue"), (1, "yellow"), (0, "red"))
        ],
    }[scale]
    data = {
        "id": code,
        "urn": urn,
        "version": version,
        "name": f"Test framework {code}",
        "short_name": "Test",
        "scale": {"key": scale, "name": scale, "levels": levels},
        "standards": [
            {
                "ref": str(s),
                "urn": f"{urn}:standard:{s}",
                "title": f"Standard {s} title",
                "requirements": [
                    {
                        "ref": f"{s}.{q}",
                        "urn": f"{urn}:requirement:{s}.{q}",
                        "text": f"Requirement {s}.{q}",
                        "essential": q == 1,
                    }
                    for q in range(1, per_standard + 1)
                ],
            }
            for s in range(1, standards + 1)
        ],
    }
    return yaml.safe_dump(data, sort_keys=False)


@pytest.fixture
def make_framework(partnership: Partnership) -> Callable[..., Framework]:
    def make(**kwargs: Any) -> Framework:
        parsed = parse_text(framework_yaml(**kwargs), "test.yaml")
        framework, _ = framework_load(parsed=parsed, partnership=partnership)
        return framework

    return make


@pytest.fixture
def pan_london(db: Any) -> Framework:
    return Framework.objects.get(urn="urn:lift:section11:pan-london", partnership=None)


@pytest.fixture
def make_cycle(partnership: Partnership, business_unit: Person) -> Callable[..., Cycle]:
    def make(
        framework: Framework,
        agencies: list[Agency],
        *,
        name: str = "2015-17",
        previous: Cycle | None = None,
        open_: bool = True,
        carry_forward: tuple[Agency, ...] = (),
        start: dt.date = dt.date(2015, 9, 1),
    ) -> Cycle:
        cycle = services.cycle_create(
            partnership=partnership,
            name=name,
            framework=framework,
            agencies=agencies,
            starts_on=start,
            deadline=start + dt.timedelta(days=90),
            challenge_starts_on=start + dt.timedelta(days=100),
            challenge_ends_on=start + dt.timedelta(days=130),
            previous=previous,
            by=business_unit,
        )
        if open_:
            services.cycle_open(cycle=cycle, by=business_unit, carry_forward=carry_forward)
            cycle.refresh_from_db()
        return cycle

    return make


def rate_all(ret: Section11Return, by: Person, rating: str = "fully") -> None:
    for answer in ret.answers.all():
        services.answer_save(answer=answer, by=by, self_rating=rating, narrative="We do this.")


@pytest.fixture
def lay(make_person: Callable[..., Person]) -> Person:
    return make_person("lay_member", full_name="Lara Lay")


@pytest.fixture
def third_agency(partnership: Partnership) -> Agency:
    return AgencyFactory(
        partnership=partnership, name="Harrowmere Health", agency_type="health_provider"
    )
