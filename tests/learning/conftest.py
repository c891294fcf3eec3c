"""Fixtures of the learning chain tests. Every name here is fictional."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from lift.core.models import Agency, Partnership, Person
from lift.learning import services
from lift.learning.choices import ActionStatus, LibraryKind
from lift.learning.models import Action, Finding, LibraryItem

from ..factories import AgencyFactory, person_with_role

TODAY = dt.date(2025, 3, 10)


@pytest.fixture
def police_lead(make_person: Callable[..., Person], other_agency: Agency) -> Person:
    return make_person("safeguarding_lead", agency=other_agency, full_name="Pat Police")


@pytest.fixture
def board_member(make_person: Callable[..., Person]) -> Person:
    return make_person("board_member", full_name="Bo Board")


@pytest.fixture
def subgroup_member(make_person: Callable[..., Person]) -> Person:
    return make_person("subgroup_member", full_name="Sue Subgroup")


@pytest.fixture
def other_lead(other_partnership: Partnership) -> Person:
    """A safeguarding lead in another partnership."""
    elsewhere = AgencyFactory(partnership=other_partnership, name="Elsewhere Council")
    return person_with_role(
        "safeguarding_lead", other_partnership, agency=elsewhere, full_name="Ella Elsewhere"
    )


@pytest.fixture
def make_action(agency: Agency, lead: Person) -> Callable[..., Action]:
    def make(**fields: Any) -> Action:
        values: dict[str, Any] = {
            "title": "Refresh neglect screening tool training",
            "owner_agency": agency,
            "owner": lead,
            "due_on": timezone.localdate() + dt.timedelta(days=30),
            "success_measure": "Re-audit shows the screening tool used in 80% of cases.",
            "status": ActionStatus.IN_PROGRESS,
        }
        values.update(fields)
        return services.action_create(**values)

    return make


@pytest.fixture
def action(make_action: Callable[..., Action]) -> Action:
    return make_action()


@pytest.fixture
def library_item(partnership: Partnership, business_unit: Person) -> LibraryItem:
    return services.library_item_create(
        partnership=partnership,
        by=business_unit,
        kind=LibraryKind.RESEARCH,
        title="Fictional study of neglect thresholds",
        summary="A fictional study for tests.",
        themes=["neglect"],
    )


@pytest.fixture
def lesson(library_item: LibraryItem, business_unit: Person) -> Finding:
    return services.lesson_add(
        item=library_item,
        by=business_unit,
        title="Chronologies help see cumulative neglect",
        text="Practitioners missed the pattern without a chronology.",
        themes=["neglect"],
        identified_on=TODAY,
    )


def completed(action: Action, by: Person) -> Action:
    """Drive an in-progress action to completed with a progress update."""
    services.action_update_add(action=action, by=by, text="Training delivered to 40 staff.")
    return services.action_transition(action=action, to=ActionStatus.COMPLETED, by=by)


def with_link_evidence(action: Action, by: Person) -> None:
    services.evidence_add(
        action=action,
        by=by,
        kind="link",
        description="Attendance register",
        url="https://example.org/register",
    )
