"""Restricted records (a child's real identifiers, in reviews, audits and CDOP) are never
indexed: no restricted model is a kind, and an identifier typed into a record's text is
masked before the text reaches the index, so no search finds it, whoever searches."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from lift.core.models import Person
from lift.core.portability import is_restricted_model
from lift.learning.models import Action, Finding, Recommendation
from lift.search.index import rebuild
from lift.search.kinds import KINDS
from lift.search.models import SearchEntry

from .conftest import found, make_record

pytestmark = pytest.mark.django_db

REVIEW_CHILD = ("Jayden Thornbury-Quell", "Thornbury", "943 476 5919", "HM4 7QZ")
AUDIT_CHILD = ("Marlowe Pennyfeather", "Pennyfeather", "CSC-778812")
DEATH_CHILD = ("Amelie Testcase-Vorn", "Vorn", "485 777 3456")


def test_no_kind_is_a_restricted_model() -> None:
    assert not [k.key for k in KINDS if is_restricted_model(k.model)]


@pytest.fixture
def cases(
    partnership: Any,
    agency: Any,
    business_unit: Person,
    make_person: Callable[..., Person],
    committing: Callable[..., Any],
) -> dict[str, Any]:
    """A restricted record in each area that has them, and records whose text names the
    child (as a careless draft might), sourced from the case."""
    from lift.audits import services as audits
    from lift.cdop import services as cdop
    from lift.reviews import services as reviews

    coordinator = make_person("cdop_coordinator", full_name="Cora Coordinator")
    with committing():
        incident = reviews.incident_create(
            partnership=partnership,
            by=business_unit,
            pseudonym="Child A",
            incident_type="serious_harm",
            incident_on=dt.date(2026, 1, 5),
            became_aware_on=dt.date(2026, 1, 6),
            notified_on=dt.date(2026, 1, 7),
            criteria=["abuse-or-neglect", "seriously-harmed"],
            summary="Child A was harmed.",
            agencies=[agency],
        )
        reviews.identity_create(
            incident=incident,
            by=business_unit,
            pseudonym="Child A",
            is_subject=True,
            full_name=REVIEW_CHILD[0],
            date_of_birth=dt.date(2019, 3, 4),
            address="14 Larkspur Close\nHarrowmere",
            postcode=REVIEW_CHILD[3],
            nhs_number=REVIEW_CHILD[2],
        )
        review = make_record(
            "reviews.review",
            partnership,
            agency,
            f"{REVIEW_CHILD[0]} (NHS {REVIEW_CHILD[2]}, {REVIEW_CHILD[3]}) was neglected.",
        )
        review.incident = incident
        review.title = f"Review of {REVIEW_CHILD[1]} neglect"
        review.save()
        Finding.objects.create(
            partnership=partnership,
            title="Neglect was missed",
            text=f"Nobody asked {REVIEW_CHILD[1]} about the neglect.",
            identified_on=dt.date(2026, 2, 1),
            source_type=ContentType.objects.get_for_model(review),
            source_id=review.pk,
        )
        Recommendation.objects.create(
            partnership=partnership,
            text=f"Check on Jayden's neglect; {REVIEW_CHILD[0]}.",
            source_type=ContentType.objects.get_for_model(incident),
            source_id=incident.pk,
        )

        audit = make_record("audits.audit", partnership, agency, "Neglect audit.")
        audits.sample_case_add(
            audit=audit,
            reference="Case MA-01",
            by=business_unit,
            full_name=AUDIT_CHILD[0],
            record_numbers=AUDIT_CHILD[2],
        )
        audit.overview_summary = f"{AUDIT_CHILD[0]} ({AUDIT_CHILD[2]}) showed neglect."
        audit.save()
        Action.objects.create(
            partnership=partnership,
            title=f"Follow up {AUDIT_CHILD[1]}",
            description="Neglect review of the case.",
            owner_agency=agency,
            due_on=dt.date(2026, 6, 1),
            success_measure="Seen.",
            source_type=ContentType.objects.get_for_model(audit),
            source_id=audit.pk,
        )

        death = cdop.childdeath_notify(
            partnership=partnership,
            by=coordinator,
            notifier_name="Dr Nadia Test",
            first_name="Amelie",
            family_name="Testcase-Vorn",
            date_of_birth=dt.date(2024, 11, 2),
            date_of_death=dt.date(2025, 3, 1),
            nhs_number=DEATH_CHILD[2],
            expected="unexpected",
            notified_on=dt.date(2025, 3, 11),
        )
        Finding.objects.create(
            partnership=partnership,
            title="Safe sleep and neglect",
            text=f"{DEATH_CHILD[0]}'s parents had no safe sleep advice (neglect).",
            identified_on=dt.date(2026, 2, 1),
            source_type=ContentType.objects.get_for_model(death),
            source_id=death.pk,
        )
    return {"coordinator": coordinator, "incident": incident, "audit": audit, "death": death}


IDENTIFIERS = [*REVIEW_CHILD, *AUDIT_CHILD, *DEATH_CHILD, "Jayden", "Amelie", "Marlowe"]


def _leaks() -> list[tuple[str, str]]:
    leaks = []
    for identifier in IDENTIFIERS:
        q = Q(title__icontains=identifier) | Q(body__icontains=identifier)
        leaks += [(identifier, str(e)) for e in SearchEntry.objects.filter(q)]
    return leaks


def _searches(person: Person, partnership: Any) -> dict[str, set[str]]:
    words = ["Thornbury", "Quell", "Jayden", "HM4", "943", "Pennyfeather", "778812", "Amelie"]
    words += ["Vorn", "Testcase", "Larkspur"]
    return {w: hits for w in words if (hits := found(person, partnership, w))}


def test_identifiers_never_reach_the_index(
    cases: dict[str, Any], partnership: Any, business_unit: Person, make_person: Callable
) -> None:
    team = make_person("case_team", case=cases["incident"], full_name="Tess Team")
    assert SearchEntry.objects.filter(kind="reviews.review").exists()
    assert SearchEntry.objects.filter(kind="learning.finding").count() == 2
    assert not _leaks()
    # Whoever searches, not even the case team or the coordinator, who may see the child.
    for person in (business_unit, team, cases["coordinator"]):
        assert not _searches(person, partnership)
    # The records are there, found by their other words.
    assert len(found(business_unit, partnership, "neglect")) == 6


def test_nor_after_a_rebuild(cases: dict[str, Any], partnership: Any, business_unit: Person):
    counts = rebuild()
    assert counts["learning.finding"] == 2
    assert not _leaks()
    assert not _searches(business_unit, partnership)


def test_no_entry_points_at_a_restricted_record(cases: dict[str, Any]) -> None:
    kinds = set(SearchEntry.objects.values_list("kind", flat=True))
    assert kinds <= {k.key for k in KINDS}
    rebuild()
    assert set(SearchEntry.objects.values_list("kind", flat=True)) <= {k.key for k in KINDS}
