"""The permission matrix for the detail pages of audits, section11, cdop, training and
performance: every one-argument page of theirs, for every role, in and out of scope.

The world (tests/security/world.py) holds one or two records of each model with a detail
page, made with the areas' services in Harrowmere. Checks:

- no page is a server error for any role of Harrowmere or Kingsbrook;
- every Kingsbrook role gets 404 on every Harrowmere record (or the 403 a record that does not
  exist gets too, for a role refused before any lookup);
- an anonymous visitor is sent to sign in;
- the main detail page of each model answers 200 exactly to the Harrowmere people the
  model's declared `Access` lets view the record, and 403/404 to the others (so a view that
  grants what the policy does not, or refuses what it grants, fails);
- no other page of a record (edit, history, sub-pages) answers 200 to someone the policy does
  not let view the record, and none answers 404 to someone it does (a 403 or 405 is fine).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.db.models import Model
from django.urls import URLPattern

from lift.core.models import Person
from lift.core.roles import AGENCY_ROLES, Role
from lift.core.views.generic import ObjectDetailView

from ..core.test_url_permissions import all_patterns, declared
from .world import ROLES, SLOW_APPS, World, client_for, may, module_world

ARG = re.compile(r"<(?:(?P<conv>\w+):)?(?P<name>\w+)>")
# Views that take a record's pk but declare no model: the model their pk belongs to.
NO_MODEL = {
    "training/sessions/<int:pk>/register/": "training.TrainingSession",
    "training/sessions/<int:pk>/calendar.ics": "training.TrainingSession",
    "training/bookings/<int:pk>/certificate/": "training.Booking",
    "performance/meetings/<int:pk>/board-pack/": "governance.Meeting",
}
# Models left out of the world, and why.
NOT_BUILT = {
    # An escalation letter needs a closed cycle, its overview report and the follow-up.
    "section11.Escalation",
}
# Pages that look a record up among those in the state they act on (a booking waiting for
# approval, an offered place, an assignment not yet declared, a waiver asked for): 404 for a
# record in another state, whoever asks.
STATE_PAGES = {
    "training/bookings/<int:pk>/approve/",
    "training/bookings/<int:pk>/offer/",
    "audits/assignments/<int:pk>/declare/",
    "audits/<int:pk>/young-people/approve/",
}
# Pages whose GET only redirects or answers 405 (a POST-only action) need not be 200.
OK_STATUSES = {200, 302, 403, 404, 405}


def _app_of(p: URLPattern) -> str:
    view_class = getattr(p.callback, "view_class", None)
    module = view_class.__module__ if view_class is not None else p.callback.__module__
    return module.split(".")[1]


def detail_routes() -> list[tuple[str, str, bool, str]]:
    """(route, model label, is the main detail page, the action the page needs) of the slow
    apps' one-pk pages."""
    out = []
    for route, p in all_patterns():
        if route.startswith("api/") or declared(p.callback) == "public":
            continue
        if _app_of(p) not in SLOW_APPS:
            continue
        args = ARG.findall(route)
        if len(args) != 1 or args[0][1] != "pk":
            continue
        view_class = getattr(p.callback, "view_class", None)
        model = getattr(view_class, "model", None)
        label = model._meta.label if model is not None else NO_MODEL.get(route)
        assert label is not None, f"{route}: add the model of its pk to NO_MODEL"
        main = view_class is not None and issubclass(view_class, ObjectDetailView)
        action = getattr(view_class, "permission", None) or "view"
        out.append((route, label, main, action))
    return out


def record_for(world: World, label: str) -> Model | None:
    for obj in world.records.values():
        if obj._meta.label == label:
            return obj
    return None


def url_of(route: str, obj: Model) -> str:
    return "/" + ARG.sub(str(obj.pk), route)


@pytest.fixture(scope="module")
def world(django_db_setup: Any, django_db_blocker: Any) -> Iterator[World]:
    yield from module_world(django_db_blocker)


@pytest.fixture
def db_world(world: World, db: Any) -> World:
    return world


# The roles whose people open every page of every record; every other role opens each
# record's main detail page (the pages that can show a record are checked for all roles
# there; the sub-pages of the rest are forms and actions refused the same way). Set
# LIFT_FULL_MATRIX=1 to walk every page for every role (about ten times longer).
WALK_ALL = (
    set(ROLES)
    if os.environ.get("LIFT_FULL_MATRIX")
    else {Role.BUSINESS_UNIT, Role.SAFEGUARDING_LEAD, Role.SCRUTINEER, Role.LEARNER}
)


def _home_people(world: World, role: str) -> list[Person]:
    people = [world.home_people[role]]
    if role in AGENCY_ROLES:
        people.append(world.police_people[role])
    return people


def test_every_detail_page_has_a_record(db_world: World) -> None:
    missing = sorted(
        {
            label
            for _r, label, _m, _a in detail_routes()
            if record_for(db_world, label) is None and label not in NOT_BUILT
        }
    )
    assert not missing, f"the world has no record for {missing}"
    assert len(detail_routes()) > 100


@pytest.mark.parametrize("role", ROLES, ids=str)
def test_harrowmere_roles_get_what_the_policy_allows(role: str, db_world: World) -> None:
    wrong = []
    for person in _home_people(db_world, role):
        client = client_for(person)
        for route, label, main, action in detail_routes():
            everything = role in WALK_ALL and person.agency_id != db_world.second_agency.pk
            if not (main or everything):
                continue
            obj = record_for(db_world, label)
            if obj is None:
                continue
            status = client.get(url_of(route, obj)).status_code
            allowed = may(person, obj)
            declared_action = action != "view" and action in type(obj).access.rules  # type: ignore[attr-defined]
            if main:
                expected_ok = status == 200 if allowed else status in (403, 404)
            elif declared_action and may(person, obj, action):
                # The generic views look a record up among those the user may `action`;
                # an action declared apart from viewing (a lead sending a CDOP form's link
                # again without reading the form) answers whether or not they may view.
                # A page for one state of the record may answer 404 in another.
                expected_ok = status in OK_STATUSES - (set() if route in STATE_PAGES else {404})
            elif not allowed:
                expected_ok = status in OK_STATUSES - {200}
            elif route in STATE_PAGES:
                expected_ok = status in OK_STATUSES
            elif action == "view":
                expected_ok = status in OK_STATUSES - {404}
            else:
                expected_ok = status in OK_STATUSES
            if not expected_ok:
                agency = person.agency.name if person.agency else ""
                wrong.append((url_of(route, obj), status, f"view={allowed}", action, agency))
    assert not wrong, f"{role} in Harrowmere: {wrong}"


@pytest.mark.parametrize("role", ROLES, ids=str)
def test_kingsbrook_roles_never_reach_harrowmere_records(
    role: str,
    db_world: World,
) -> None:
    client = client_for(db_world.away_people[role])
    wrong = []
    for route, label, main, _action in detail_routes():
        obj = record_for(db_world, label)
        if obj is None or not (main or role in WALK_ALL):
            continue
        if getattr(obj, "partnership_id", None) is None:
            continue  # national reference data (templates, frameworks) every partnership uses
        status = client.get(url_of(route, obj)).status_code
        if status != 404:
            absent = client.get("/" + ARG.sub("987654321", route)).status_code
            if status != 403 or absent != 403:
                wrong.append((url_of(route, obj), status, absent))
    assert not wrong, f"{role} in Kingsbrook reached Harrowmere records: {wrong}"


def test_anonymous_visitors_are_sent_to_sign_in(db_world: World) -> None:
    client = client_for(None)
    wrong = []
    for route, label, _main, _action in detail_routes():
        obj = record_for(db_world, label)
        if obj is None:
            continue
        response = client.get(url_of(route, obj))
        if response.status_code != 302 or not response["Location"].startswith("/accounts/login/"):
            wrong.append((url_of(route, obj), response.status_code))
    assert not wrong, wrong
