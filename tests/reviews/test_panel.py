"""The reviews panel on the "my work" page: the cases whose open clocks fall due soonest,
read clock first, in a number of queries that does not grow with the cases. It is for
those who see cases without steps of their own (here a Board member); the business unit
and the Chair have their to-do list instead (tests/reviews/test_todo.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from lift.core.models import Partnership, Person
from lift.reviews import services
from lift.reviews.choices import ReviewKind
from lift.reviews.models import Incident
from lift.reviews.panels import PANEL_LIMIT, reviews_panel
from tests.reviews.test_services import decide


def _incident(partnership: Partnership, by: Person, n: int, notified: dt.date) -> Incident:
    return services.incident_create(
        partnership=partnership,
        by=by,
        pseudonym=f"Child P{n}",
        incident_type="serious_harm",
        incident_on=notified - dt.timedelta(days=3),
        became_aware_on=notified - dt.timedelta(days=2),
        notified_on=notified,
    )


def _cases(
    partnership: Partnership, bu: Person, chair: Person, count: int, first: int = 0
) -> list[Incident]:
    """`count` incidents notified three days apart (so their decision clocks fall due
    three days apart); every third decided, with a statutory review (its completion
    clock)."""
    made = []
    for n in range(first, first + count):
        inc = _incident(partnership, bu, n, dt.date(2025, 3, 3) + dt.timedelta(days=3 * n))
        if n % 3 == 2:
            decide(inc, chair, decided_on=dt.date(2025, 5, 20))
            services.review_create(
                partnership=partnership,
                kind=ReviewKind.STATUTORY,
                decided_on=dt.date(2025, 5, 20),
                by=bu,
                incident=inc,
                title=f"Review of Child P{n}",
            )
        made.append(inc)
    return made


@pytest.fixture
def board_member(make_person: Callable[..., Person]) -> Person:
    return make_person("board_member", full_name="Bo Board")


def _panel(person: Person, partnership: Partnership) -> dict[str, Any] | None:
    return reviews_panel(SimpleNamespace(user=person, partnership=partnership))


def test_panel_lists_soonest_clocks_first(
    partnership: Partnership, business_unit: Person, chair: Person, board_member: Person
) -> None:
    _cases(partnership, business_unit, chair, 10)
    panel = _panel(board_member, partnership)
    assert panel is not None
    items = panel["items"]
    assert len(items) == PANEL_LIMIT
    # The first incidents' decision clocks (a month after notification) are overdue on
    # 2 June 2025 and come first, soonest due first; each case appears once.
    assert items[0]["label"].endswith("Child P0") and items[0]["tag"] == "Overdue"
    assert items[1]["label"].endswith("Child P1")
    labels = [i["label"] for i in items]
    assert len(set(labels)) == len(labels)
    due = [
        dt.datetime.strptime(i["hint"].split("due ")[1].split(".")[0], "%d %B %Y") for i in items
    ]
    assert due == sorted(due)
    assert all(i["url"].startswith(("/incidents/", "/reviews/")) for i in items)


def test_panel_hidden_from_those_who_may_not_see_cases(
    partnership: Partnership, business_unit: Person, chair: Person, learner: Person
) -> None:
    _cases(partnership, business_unit, chair, 3)
    _panel(learner, partnership)  # warm the role cache
    with CaptureQueriesContext(connection) as queries:
        assert _panel(learner, partnership) is None
    assert len(queries) == 0  # nothing they may see: no query


def test_panel_queries_do_not_grow_with_cases(
    partnership: Partnership, business_unit: Person, chair: Person, board_member: Person
) -> None:
    _cases(partnership, business_unit, chair, 4)
    _panel(board_member, partnership)  # warm the role and content type caches
    with CaptureQueriesContext(connection) as few:
        assert _panel(board_member, partnership)
    _cases(partnership, business_unit, chair, 18, first=4)
    with CaptureQueriesContext(connection) as many:
        panel = _panel(board_member, partnership)
    assert panel and len(panel["items"]) == PANEL_LIMIT
    # A review among the cases shown costs one query more; never one a case.
    assert len(many) <= len(few) <= 5


def test_home_page_for_a_board_member_within_budget(
    partnership: Partnership,
    business_unit: Person,
    chair: Person,
    board_member: Person,
    client_for: Callable[[Person], Client],
    django_assert_max_num_queries: Any,
) -> None:
    _cases(partnership, business_unit, chair, 15)
    c = client_for(board_member)
    c.get("/")
    with django_assert_max_num_queries(20):
        response = c.get("/")
    assert response.status_code == 200
    assert b"Serious incidents and reviews" in response.content


def test_those_with_steps_on_cases_have_their_to_do_list_instead(
    partnership: Partnership, business_unit: Person, chair: Person, lead: Person
) -> None:
    """Their steps on cases (the Chair's decisions, the business unit's letters, a lead's
    IMRs) are on their to-do list: the panel would list the same cases again."""
    _cases(partnership, business_unit, chair, 3)
    assert _panel(business_unit, partnership) is None
    assert _panel(chair, partnership) is None
    assert _panel(lead, partnership) is None


def test_panel_builds_only_the_rows_it_shows(
    partnership: Partnership,
    business_unit: Person,
    chair: Person,
    board_member: Person,
    monkeypatch: Any,
) -> None:
    """The panel used to build every open case's dashboard row to pick six: the cost grew
    with the cases. Only the cases shown are loaded and staged now."""
    from lift.reviews import selectors

    _cases(partnership, business_unit, chair, 20)
    staged: list[int] = []
    real_stage = selectors.incident_stage

    def counting(incident: Incident) -> Any:
        staged.append(incident.pk)
        return real_stage(incident)

    monkeypatch.setattr(selectors, "incident_stage", counting)
    panel = _panel(board_member, partnership)
    assert panel and len(panel["items"]) == PANEL_LIMIT
    assert len(staged) <= PANEL_LIMIT
