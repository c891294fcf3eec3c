"""Case-team scope and restricted identifiers.

- A person whose only reach over a child death is a `case_team` role on it sees that case and
  gets 404 on another case of the same partnership.
- The restricted identifiers of a child (the cdop child death identity, the audits sampled
  case identity and the reviews child identity: every model with `history_restricted`
  identifier fields) never appear in a page, history tab, CSV export or API answer opened by
  someone the restricted record's own `Access` does not let view it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.db.models import Model

from lift.core.models import Person
from lift.core.roles import Role

from ..core.test_url_permissions import all_patterns, declared
from .test_matrix_details import detail_routes, record_for, url_of
from .world import AUDIT_CHILD, CDOP_CHILD, CDOP_NHS, World, body, client_for, may, module_world

ARG = re.compile(r"<(?:(?P<conv>\w+):)?(?P<name>\w+)>")
APPS = ("cdop", "audits", "reviews")
# People checked for leaks: every kind of reach over the child records.
CHECKED = [
    Role.BUSINESS_UNIT,
    Role.CHAIR,
    Role.BOARD_MEMBER,
    Role.SCRUTINEER,
    Role.SAFEGUARDING_LEAD,
    Role.AUDITOR,
    Role.CDOP_COORDINATOR,
    Role.LEARNER,
]


@pytest.fixture(scope="module")
def world(django_db_setup: Any, django_db_blocker: Any) -> Iterator[World]:
    yield from module_world(django_db_blocker)


@pytest.fixture
def db_world(world: World, db: Any) -> World:
    return world


def _secrets(world: World) -> list[tuple[Model, list[str]]]:
    """Each restricted identity record with the identifying strings it holds."""
    from lift.reviews.models import ChildIdentity

    out: list[tuple[Model, list[str]]] = [
        (world.records["child_death_identity"], [CDOP_CHILD[1], CDOP_NHS]),
        (world.records["case_identity"], [AUDIT_CHILD]),
    ]
    for identity in ChildIdentity.objects.filter(partnership=world.home).exclude(full_name=""):
        out.append((identity, [identity.full_name]))
    return out


def _outputs(world: World) -> list[str]:
    """Pages of the child areas: lists with their CSV exports, record pages with
    their history tabs, and the API lists and details."""
    urls = []
    for route, p in all_patterns():
        plain = "<" not in route and "(?P" not in route and "^" not in route
        if not plain or declared(p.callback) == "public" or not route.startswith(APPS):
            continue
        urls += ["/" + route, "/" + route + "?export=csv"]
    for route, label, _main, action in detail_routes():
        obj = record_for(world, label)
        if obj is not None and action == "view" and route.startswith(APPS):
            urls.append(url_of(route, obj))
    for regex, p in all_patterns():
        route = regex.replace("^", "").replace("$", "")
        cls = getattr(p.callback, "cls", None)
        actions = getattr(p.callback, "actions", None) or {}
        if not route.startswith(tuple(f"api/v1/{a}" for a in APPS)) or cls is None:
            continue
        if "<" not in route and "(?P" not in route and actions.get("get") == "list":
            urls.append("/" + route)
            model = cls.queryset.model
            obj = record_for(world, model._meta.label)
            if obj is not None:
                urls.append(f"/{route}{obj.pk}/")
    return urls


def _people(world: World) -> list[Person]:
    people = [world.home_people[r] for r in CHECKED]
    people += [world.police_people[Role.SAFEGUARDING_LEAD], world.cdop_team]
    return people


def test_restricted_identifiers_stay_with_their_case_team(db_world: World) -> None:
    secrets = _secrets(db_world)
    assert len(secrets) >= 3, "the reviews demo should hold a child identity"
    urls = _outputs(db_world)
    assert len(urls) > 60
    leaks = []
    for person in _people(db_world):
        hidden = [s for identity, values in secrets if not may(person, identity) for s in values]
        if not hidden:
            continue
        client = client_for(person)
        for url in urls:
            response = client.get(url)
            if response.status_code != 200:
                continue
            text = body(response)
            leaks += [(str(person), url, s) for s in hidden if s in text]
    assert not leaks, f"restricted identifiers shown outside the case team: {leaks}"


def test_the_identifiers_are_there_for_the_case_team(db_world: World) -> None:
    """The check above can fail: the coordinator sees the child's name on the restricted page."""
    identity = db_world.records["child_death_identity"]
    coordinator = db_world.home_people[Role.CDOP_COORDINATOR]
    assert may(coordinator, identity)
    response = client_for(coordinator).get(f"/cdop/restricted/{identity.pk}/")
    assert response.status_code == 200
    assert CDOP_CHILD[1] in body(response)


def test_a_case_team_member_sees_their_case_and_not_another(db_world: World) -> None:
    from lift.cdop import services

    case = db_world.records["child_death"]
    other = services.childdeath_notify(
        partnership=db_world.home,
        by=db_world.home_people[Role.CDOP_COORDINATOR],
        notifier_name="Dr Osric Bellweather",
        notifier_email="osric.bellweather@example.test",
        first_name="Hesper",
        family_name="Quarrington",
        date_of_birth=dt.date(2023, 1, 5),
        date_of_death=dt.date(2025, 4, 2),
        expected="expected",
        notified_on=dt.date(2025, 4, 3),
    )
    client = client_for(db_world.cdop_team)
    assert client.get(f"/cdop/cases/{case.pk}/").status_code == 200
    assert client.get(f"/cdop/cases/{other.pk}/").status_code == 404
    assert client.get(f"/cdop/cases/{other.pk}/history/").status_code in (403, 404)
    assert client.get(f"/api/v1/cdop/cases/{other.pk}/").status_code == 404
    listing = client.get("/api/v1/cdop/cases/", HTTP_ACCEPT="application/json").json()
    rows = listing.get("results", listing) if isinstance(listing, dict) else listing
    assert {row["id"] for row in rows} == {case.pk}
