"""restrict(): each scope, deny by default, and other partnerships never visible."""

from __future__ import annotations

import datetime as dt

import pytest

from lift.core.access import A, Access, P, S, grants
from lift.core.models import Agency, Clock, Notification, RoleAssignment

from ..factories import AgencyFactory, give_role, person_with_role

pytestmark = pytest.mark.django_db

D1, D2 = dt.date(2025, 1, 1), dt.date(2025, 1, 8)


def test_agency_scope_sees_only_own_agency(partnership, agency, other_agency, lead, chair):
    Clock.objects.create(
        partnership=partnership,
        content_type_id=1,
        object_id=1,
        rule="r",
        label="mine",
        start_event="e",
        started_on=D1,
        due_on=D2,
        agency=agency,
    )
    Clock.objects.create(
        partnership=partnership,
        content_type_id=1,
        object_id=2,
        rule="r",
        label="theirs",
        start_event="e",
        started_on=D1,
        due_on=D2,
        agency=other_agency,
    )
    assert list(Clock.objects.restrict(lead, "view").values_list("label", flat=True)) == ["mine"]
    assert sorted(Clock.objects.restrict(chair, "view").values_list("label", flat=True)) == [
        "mine",
        "theirs",
    ]
    assert not Clock.objects.restrict(lead, "change").exists()


def test_other_partnership_invisible(partnership, other_partnership, outsider, agency):
    AgencyFactory(partnership=other_partnership, name="Far away")
    names = set(Agency.objects.restrict(outsider, "view").values_list("name", flat=True))
    assert names == {"Far away"}


def test_anonymous_and_inactive_see_nothing(partnership, agency, business_unit):
    from django.contrib.auth.models import AnonymousUser

    assert not Agency.objects.restrict(AnonymousUser(), "view").exists()
    business_unit.is_active = False
    assert not Agency.objects.restrict(business_unit, "view").exists()


def test_unknown_action_denied(business_unit, agency):
    assert not Agency.objects.restrict(business_unit, "launch").exists()


def test_case_scope(partnership, agency):
    # A case-scoped role grants nothing partnership-wide, only its case.
    policy = Access(grants(view={P: {"board_member"}, A: {"auditor"}}), agency="pk")
    member = person_with_role("board_member", partnership, case=agency)
    q = policy.q(Agency, member, "view")
    assert q is None


def test_self_scope(partnership, learner, lead):
    Notification.objects.create(key="a", person=learner, title="For the learner")
    Notification.objects.create(key="b", person=lead, title="For the lead")
    assert [n.title for n in Notification.objects.restrict(learner)] == ["For the learner"]


def test_allows_for_add(partnership, other_partnership, business_unit, lead, agency):
    assert Agency.access.allows(business_unit, "add", partnership)
    assert not Agency.access.allows(business_unit, "add", other_partnership)
    assert not Agency.access.allows(lead, "add", partnership)
    assert Agency.access.allows(lead, "change", partnership, agency=agency)


def test_ended_role_grants_nothing(partnership, agency):
    person = person_with_role("business_unit", partnership)
    RoleAssignment.objects.filter(person=person).update(
        starts_on=dt.date(2020, 1, 1), ends_on=dt.date(2020, 12, 31)
    )
    person.refresh_from_db()
    assert not Agency.objects.restrict(person, "view").exists()


def test_policy_scopes_are_data():
    policy = Access(grants(view={S: {"learner"}}), person="person")
    assert policy.actions() == ["view"]


def test_role_added_takes_effect(partnership, agency):
    person = person_with_role("learner", partnership, agency=agency)
    assert not Agency.objects.restrict(person, "add").exists()
    give_role(person, "business_unit", partnership)
    assert Agency.access.allows(person, "add", partnership)
