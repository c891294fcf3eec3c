"""Every step page answers as its declaration and the model's access policy say (issue 18,
item 1: the permission row generated from the declaration, not written by hand).

For each URL of a `lift.core.views.steps.StepView` that takes only the record's id, on one
record of its model in the demo, and for one demo person of each set of roles:

- signed out: sent to sign in;
- the record outside what the person may view (`restrict(person, "view")` in their
  partnership): 404;
- in sight but the declared `permission` not theirs on it: 403;
- permitted: the page (200), or the step's own answer where it does not apply to the
  record's present state (`check_step`'s 404 or 403, or a redirect to the record), never a
  server error.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.urls import URLPattern

from lift.core.middleware import partnerships_for
from lift.core.models import Person
from lift.core.views.generic import allowed, restricted
from lift.core.views.steps import StepView

from ..permissions import _client, assert_anonymous_redirect
from .test_url_permissions import all_patterns

pytestmark = pytest.mark.django_db


def step_routes() -> list[tuple[str, type[StepView]]]:
    out = []
    for route, pattern in all_patterns():
        assert isinstance(pattern, URLPattern)
        view_class = getattr(pattern.callback, "view_class", None)
        if not (isinstance(view_class, type) and issubclass(view_class, StepView)):
            continue
        if pattern.pattern.converters.keys() != {view_class.lookup_kwarg}:
            continue  # a step taking more than the record (a move's target, a check)
        out.append((route, view_class))
    return out


def one_person_per_role_set() -> list[Person]:
    seen: dict[frozenset[tuple[int, str]], Person] = {}
    people = Person.objects.filter(is_active=True, role_assignments__isnull=False).distinct()
    for person in people.prefetch_related("role_assignments").order_by("pk"):
        key = frozenset((a.partnership_id, a.role) for a in person.role_assignments.all())
        seen.setdefault(key, person)
    return list(seen.values())


def expected(person: Person, view_class: type[StepView], obj: Any) -> str:
    available = partnerships_for(person)
    request: Any = SimpleNamespace(user=person, partnership=available[0] if available else None)
    if request.partnership is None:
        return "forbidden"  # LiftView: no role in any partnership
    permission = view_class.permission or "view"
    if allowed(request, obj, permission):
        return "allowed"  # (a grant may reach wider than view: CDOP's send-link)
    if not restricted(view_class.model, request, "view").filter(pk=obj.pk).exists():
        return "not_found"
    return "forbidden"


def test_the_step_routes_are_found() -> None:
    names = {view_class.__name__ for _, view_class in step_routes()}
    assert {"ActionUpdateAddView", "RecommendationRespondView"} <= names


def test_every_step_page_answers_by_its_declaration(built: Any) -> None:
    people = one_person_per_role_set()
    assert len(people) >= 8
    clients = {p.pk: _client(p) for p in people}
    checked: dict[str, int] = {"not_found": 0, "forbidden": 0, "allowed": 0}
    for route, view_class in step_routes():
        obj = view_class.model._default_manager.order_by("pk").first()
        if obj is None:
            continue
        url = "/" + route.replace(f"<int:{view_class.lookup_kwarg}>", str(obj.pk))
        assert_anonymous_redirect(url)
        for person in people:
            want = expected(person, view_class, obj)
            got = clients[person.pk].get(url).status_code
            checked[want] += 1
            if want == "not_found":
                assert got == 404, f"{person} cannot see {obj!r}: {url} gave {got}"
            elif want == "forbidden":
                assert got == 403, f"{person} sees {obj!r} but may not: {url} gave {got}"
            else:
                assert got in (200, 302, 403, 404), f"{person} may: {url} gave {got}"
    # The demo exercises each answer many times over.
    assert min(checked.values()) > 20, checked
