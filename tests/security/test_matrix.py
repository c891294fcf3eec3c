"""The permission matrix: every URL pattern and every API list endpoint, for every role, in
the partnership that owns the data and in another partnership.

One world is built per test module (the fictional Harrowmere demo story of the apps that
build quickly, plus a Kingsbrook partnership with one person per role) inside an outer
transaction that is rolled back at the end. Checks:

- no page, detail page or API list answers a server error, for any role, in or out of scope;
- a detail page of a Harrowmere record is 404 for every Kingsbrook role, and sends an
  anonymous visitor to sign in (an API detail is 401/403);
- no page, CSV export, iCalendar feed, search result or API list that a Kingsbrook person can
  open mentions Harrowmere (its name, places and the e-mail domain of its people);
- no API list shows a Kingsbrook person a Harrowmere record's id.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from importlib import import_module
from typing import Any

import pytest
from django.db import transaction
from django.db.models import Model
from django.test import Client
from django.urls import URLPattern

from lift.core import demo, history
from lift.core.models import Agency, Partnership, Person, RoleAssignment
from lift.core.roles import AGENCY_ROLES, Role

from ..core.test_url_permissions import all_patterns, declared
from ..factories import AgencyFactory, person_with_role

# The demo stories built for the matrix: the ones that build in seconds. (audits, section11,
# cdop, training and performance take minutes; their list pages and APIs are still walked.)
DEMO_APPS = ("governance", "learning", "reviews", "inspections", "voice", "reports", "search")
ROLES = [r for r in Role if r != Role.CASE_TEAM]  # case teams are covered per case type
LEAK = re.compile(r"harrowmere", re.I)
# Pages known to show another partnership's data, each with a strict xfail test of its own.
ARG = re.compile(r"<(?:(?P<conv>\w+):)?(?P<name>\w+)>")


def _pk_patterns() -> list[tuple[str, URLPattern, type[Model]]]:
    """Web detail-like patterns with one primary key argument and a model to find it in."""
    found = []
    for route, p in all_patterns():
        if route.startswith("api/") or declared(p.callback) == "public":
            continue
        args = ARG.findall(route)
        if len(args) != 1 or args[0][1] != "pk":
            continue
        model = getattr(getattr(p.callback, "view_class", None), "model", None)
        if model is not None:
            found.append((route, p, model))
    return found


def _plain_pages() -> list[str]:
    return [
        "/" + route
        for route, p in all_patterns()
        if "<" not in route
        and "(?P" not in route
        and "^" not in route
        and not route.startswith(("api/", "accounts/logout"))
        and declared(p.callback) != "public"
    ]


def _api_lists() -> list[tuple[str, Any]]:
    out = []
    for regex_route, p in all_patterns():
        route = regex_route.replace("^", "").replace("$", "")  # the router's regex patterns
        cls = getattr(p.callback, "cls", None)
        actions = getattr(p.callback, "actions", None) or {}
        plain = "<" not in route and "(?P" not in route
        if route.startswith("api/") and plain and cls is not None and actions.get("get") == "list":
            out.append(("/" + route, cls))
    return out


class World:
    def __init__(self) -> None:
        ctx = demo.build_core()
        for app in DEMO_APPS:
            import_module(f"lift.{app}.demo").build(ctx)
        self.home: Partnership = ctx.partnership
        self.away: Partnership = ctx.other_partnership
        # The demo business manager also supports Kingsbrook; here Kingsbrook's people are
        # its own only, so any Harrowmere name they see is a leak.
        RoleAssignment.objects.filter(partnership=self.away).delete()
        home_agency = ctx.agencies["social_care"]
        away_agency: Any = AgencyFactory(partnership=self.away, name="Kingsbrook Family Help")
        self.home_people: dict[str, Person] = {}
        self.away_people: dict[str, Person] = {}
        for role in ROLES:
            self.home_people[role] = person_with_role(
                role, self.home, agency=home_agency if role in AGENCY_ROLES else None
            )
            self.away_people[role] = person_with_role(
                role, self.away, agency=away_agency if role in AGENCY_ROLES else None
            )


@pytest.fixture(scope="module")
def world(django_db_setup: Any, django_db_blocker: Any) -> Iterator[World]:
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            with history.acting(source="command", reason="Permission matrix"):
                yield World()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def _client(person: Person | None) -> Client:
    client = Client(raise_request_exception=False)
    if person is not None:
        client.force_login(person)
    return client


def _first(model: type[Model], partnership: Partnership) -> Model | None:
    manager = model._base_manager
    if any(f.name == "partnership" for f in model._meta.get_fields()):
        return manager.filter(partnership=partnership).order_by("pk").first()
    if model is Partnership:
        return partnership
    return None


@pytest.fixture
def db_world(world: World, db: Any, settings: Any) -> World:
    settings.LIFT_ENFORCE_MFA = False
    return world


def _body(response: Any) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


@pytest.mark.parametrize("role", ROLES, ids=str)
def test_no_page_is_a_server_error_for_any_role(role: str, db_world: World) -> None:
    person = db_world.home_people[role]
    client = _client(person)
    errors = []
    for url in _plain_pages():
        status = client.get(url).status_code
        if status >= 500:
            errors.append((url, status))
    for route, _p, model in _pk_patterns():
        obj = _first(model, db_world.home)
        if obj is not None:
            url = "/" + ARG.sub(str(obj.pk), route)
            status = client.get(url).status_code
            if status >= 500:
                errors.append((url, status))
    for url, _cls in _api_lists():
        status = client.get(url, HTTP_ACCEPT="application/json").status_code
        if status >= 500:
            errors.append((url, status))
    assert not errors, f"{role}: {errors}"


@pytest.mark.parametrize("role", ROLES, ids=str)
def test_another_partnerships_records_are_not_found(role: str, db_world: World) -> None:
    client = _client(db_world.away_people[role])
    wrong = []
    checked = 0
    for route, _p, model in _pk_patterns():
        obj = _first(model, db_world.home)
        if obj is None or model is Partnership:
            continue
        url = "/" + ARG.sub(str(obj.pk), route)
        status = client.get(url).status_code
        checked += 1
        # 404, or the same 403 a record that does not exist gets (a role without the
        # permission at all is refused before any lookup): never an answer that tells.
        if status != 404:
            absent = client.get("/" + ARG.sub("987654321", route)).status_code
            if status != 403 or absent != 403:
                wrong.append((url, status, absent))
    assert checked > 20, "the world should hold records for most detail pages"
    assert not wrong, f"{role} in Kingsbrook reached Harrowmere records: {wrong}"


def test_detail_pages_send_anonymous_visitors_to_sign_in(db_world: World) -> None:
    client = _client(None)
    wrong = []
    for route, _p, model in _pk_patterns():
        obj = _first(model, db_world.home)
        if obj is None:
            continue
        url = "/" + ARG.sub(str(obj.pk), route)
        response = client.get(url)
        if response.status_code != 302 or not response["Location"].startswith("/accounts/login/"):
            wrong.append((url, response.status_code))
    assert not wrong, wrong


def test_api_lists_need_authentication(db_world: World) -> None:
    client = _client(None)
    wrong = [
        (url, s)
        for url, _cls in _api_lists()
        if (s := client.get(url, HTTP_ACCEPT="application/json").status_code) not in (401, 403)
    ]
    assert not wrong, wrong


@pytest.mark.parametrize("role", ROLES, ids=str)
def test_nothing_a_kingsbrook_person_opens_mentions_harrowmere(role: str, db_world: World) -> None:
    """Pages, CSV exports, iCalendar feeds, searches and API lists of another partnership."""
    client = _client(db_world.away_people[role])
    leaks = []
    urls = list(_plain_pages())
    urls += [u + "?export=csv" for u in urls]
    # A search page shows the words searched for, so it searches for words Harrowmere's
    # records hold (tests/search checks every kind of record against another partnership).
    urls += [u + "?q=neglect" for u in _plain_pages() if "search" in u]
    urls += [u + "?q=neglect" for u, _cls in _api_lists() if "search" in u]
    urls += [u for u, _cls in _api_lists()]
    for url in urls:
        response = client.get(url)
        if response.status_code == 200 and (found := LEAK.search(body := _body(response))):
            leaks.append((url, body[max(0, found.start() - 80) : found.end() + 40]))
    assert not leaks, f"{role} in Kingsbrook sees Harrowmere data at {leaks}"


@pytest.mark.parametrize("role", [Role.BUSINESS_UNIT, Role.CHAIR, Role.SCRUTINEER], ids=str)
def test_api_lists_never_show_another_partnerships_ids(role: str, db_world: World) -> None:
    client = _client(db_world.away_people[role])
    leaks = []
    for url, cls in _api_lists():
        queryset = getattr(cls, "queryset", None)
        if queryset is None:
            continue
        model = queryset.model
        obj = _first(model, db_world.home)
        if obj is None or model is Partnership:
            continue
        response = client.get(url, {"page_size": 1000}, HTTP_ACCEPT="application/json")
        if response.status_code != 200:
            continue
        data = response.json()
        rows = data.get("results", data) if isinstance(data, dict) else data
        home_ids = set(
            model._base_manager.filter(partnership=db_world.home).values_list("pk", flat=True)
        )
        shown = {row.get("id") for row in rows if isinstance(row, dict)}
        if shown & home_ids:
            leaks.append((url, sorted(str(pk) for pk in shown & home_ids)[:5]))
    assert not leaks, leaks


def test_the_matrix_covers_the_site(db_world: World) -> None:
    assert len(_plain_pages()) > 50
    assert len(_pk_patterns()) > 30
    assert len(_api_lists()) > 40
    assert Agency.objects.filter(partnership=db_world.away).exists()
