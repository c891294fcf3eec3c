"""Shared fixtures: two partnerships, agencies, and a person per role."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.test import Client
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from lift.core.models import Agency, Partnership, Person

from .factories import PASSWORD, AgencyFactory, PartnershipFactory, person_with_role

# No per-example deadline: CI machines are shared and slow examples are not failures.
hypothesis_settings.register_profile(
    "lift", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
hypothesis_settings.load_profile("lift")


@pytest.fixture(autouse=True)
def _no_mfa_by_default(settings: Any, request: pytest.FixtureRequest) -> None:
    """MFA is tested on its own; other tests sign in people of every role without it."""
    if "mfa" not in request.keywords:
        settings.LIFT_ENFORCE_MFA = False


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """Cached charts and report bodies are keyed on primary keys and data versions, which
    repeat from one test's database to the next: every test starts with an empty cache."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _reset_axes(request: pytest.FixtureRequest) -> None:
    if request.node.get_closest_marker("django_db") or {"db", "transactional_db"} & set(
        request.fixturenames
    ):
        from axes.utils import reset

        request.getfixturevalue("db")
        reset()


@pytest.fixture
def partnership(db: Any) -> Partnership:
    return PartnershipFactory(
        name="Harrowmere Test Partnership", short_name="Harrowmere", slug="harrowmere-test"
    )


@pytest.fixture
def other_partnership(db: Any) -> Partnership:
    return PartnershipFactory(
        name="Elsewhere Test Partnership", short_name="Elsewhere", slug="elsewhere-test"
    )


@pytest.fixture
def agency(partnership: Partnership) -> Agency:
    return AgencyFactory(partnership=partnership, name="Harrowmere Children's Services")


@pytest.fixture
def other_agency(partnership: Partnership) -> Agency:
    return AgencyFactory(partnership=partnership, name="Harrowmere Police", agency_type="police")


@pytest.fixture
def make_person(partnership: Partnership) -> Callable[..., Person]:
    def make(
        role: str,
        *,
        agency: Agency | None = None,
        partnership_: Partnership | None = None,
        case: Any = None,
        **fields: Any,
    ) -> Person:
        return person_with_role(
            role, partnership_ or partnership, agency=agency, case=case, **fields
        )

    return make


@pytest.fixture
def business_unit(make_person: Callable[..., Person]) -> Person:
    return make_person("business_unit", full_name="Bea Business")


@pytest.fixture
def chair(make_person: Callable[..., Person]) -> Person:
    return make_person("chair", full_name="Chris Chair")


@pytest.fixture
def lead(make_person: Callable[..., Person], agency: Agency) -> Person:
    return make_person("safeguarding_lead", agency=agency, full_name="Lee Lead")


@pytest.fixture
def learner(make_person: Callable[..., Person], agency: Agency) -> Person:
    return make_person("learner", agency=agency, full_name="Lou Learner")


@pytest.fixture
def outsider(other_partnership: Partnership) -> Person:
    return person_with_role("business_unit", other_partnership, full_name="Olly Outsider")


@pytest.fixture
def client_for() -> Callable[[Person | None], Client]:
    def make(person: Person | None) -> Client:
        c = Client()
        if person is not None:
            c.force_login(person)
        return c

    return make


__all__ = ["PASSWORD"]


@pytest.fixture(scope="module")
def built(django_db_setup: Any, django_db_blocker: Any) -> Iterator[Any]:
    """The whole demo (`lift demo`), built once for a test module inside a transaction
    rolled back after it, so a module that changes it changes no other module's."""
    from django.db import transaction

    from tests.core.demo_checks import build_demo

    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield build_demo()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
