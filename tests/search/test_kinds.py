"""Every kind of record is found by a stemmed word by a person who may see it, and never by
one who may not (another partnership; another agency or role where the kind is narrower)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from lift.core.models import Person
from lift.search.kinds import KINDS

from .conftest import Made, found

pytestmark = pytest.mark.django_db

TEXT = "Practitioners did not see that the children were neglected at home."
ALL_KINDS = [k.key for k in KINDS]

# Kinds a safeguarding lead sees for their own agency only (its owner, its agencies).
AGENCY_SCOPED = ["learning.action", "reviews.review", "section11.return"]
# Kinds a learner (any agency) may not see at all.
NOT_FOR_LEARNERS = [
    "learning.finding",
    "learning.recommendation",
    "learning.action",
    "reviews.review",
    "audits.audit",
    "section11.return",
    "inspections.inspection",
    "governance.meeting",
    "governance.decision",
    "voice.consultation",
]


def test_every_kind_is_tested() -> None:
    assert len(ALL_KINDS) == 12
    assert set(AGENCY_SCOPED) | set(NOT_FOR_LEARNERS) <= set(ALL_KINDS)


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_found_by_a_stemmed_word(
    kind: str, make: Callable[..., Made], business_unit: Person, partnership: Any
) -> None:
    made = make(kind, TEXT)
    # "neglect" finds "neglected"; "neglecting" finds it too (both stem to "neglect").
    assert made.key in found(business_unit, partnership, "neglect")
    assert made.key in found(business_unit, partnership, "Neglecting children")
    assert made.key not in found(business_unit, partnership, "neglect hospital")


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_not_found_from_another_partnership(
    kind: str,
    make: Callable[..., Made],
    outsider: Person,
    other_partnership: Any,
    partnership: Any,
) -> None:
    made = make(kind, TEXT)
    assert made.key not in found(outsider, other_partnership, "neglected")
    # Not even by naming the record's own partnership: they hold no role there.
    assert not found(outsider, partnership, "neglected")


@pytest.mark.parametrize("kind", AGENCY_SCOPED)
def test_a_lead_finds_their_agency_only(
    kind: str, make: Callable[..., Made], lead: Person, other_lead: Person, partnership: Any
) -> None:
    made = make(kind, TEXT)
    assert made.key in found(lead, partnership, "neglected")
    assert made.key not in found(other_lead, partnership, "neglected")


@pytest.mark.parametrize("kind", NOT_FOR_LEARNERS)
def test_a_learner_does_not_find_what_they_may_not_see(
    kind: str, make: Callable[..., Made], learner: Person, partnership: Any
) -> None:
    made = make(kind, TEXT)
    assert made.key not in found(learner, partnership, "neglected")


@pytest.mark.parametrize("kind", ["learning.libraryitem", "training.course"])
def test_a_learner_finds_what_everyone_sees(
    kind: str, make: Callable[..., Made], learner: Person, partnership: Any
) -> None:
    made = make(kind, TEXT)
    assert made.key in found(learner, partnership, "neglected")


def test_a_review_is_found_by_its_case_team(
    make: Callable[..., Made],
    make_person: Callable[..., Person],
    partnership: Any,
    other_lead: Person,
    business_unit: Person,
    committing: Callable[..., Any],
) -> None:
    from lift.reviews import services

    made = make("reviews.review", TEXT)
    incident = services.incident_create(
        partnership=partnership,
        by=business_unit,
        pseudonym="Child B",
        incident_type="serious_harm",
        incident_on=dt.date(2026, 1, 5),
        became_aware_on=dt.date(2026, 1, 6),
        notified_on=dt.date(2026, 1, 7),
        criteria=["abuse-or-neglect", "seriously-harmed"],
        summary="Child B was harmed.",
        agencies=[],
    )
    review = made.obj
    with committing():
        review.incident = incident
        review.save()
    member = make_person("case_team", case=incident, full_name="Tess Team")
    assert made.key in found(member, partnership, "neglected")
    assert made.key not in found(other_lead, partnership, "neglected")
