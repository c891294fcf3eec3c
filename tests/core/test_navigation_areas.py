"""The service navigation (issue 22, item 3): at most eight areas, each leading to a landing
page at its prefix that says what the area is for, the sections the person may open, and
what needs doing there; no link in the menu or on a landing page answers 403."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils.html import escape

from lift.core import navigation, todo
from lift.core.models import Person

from .test_step_declarations import one_person_per_role_set

pytestmark = pytest.mark.django_db


def _menu(client: Client) -> list[dict[str, Any]]:
    response = client.get("/")
    assert response.status_code == 200
    return list(response.context["nav_items"])


def test_every_demo_login_has_eight_areas_at_most_and_no_link_to_a_403(built: Any) -> None:
    checked = 0
    for person in one_person_per_role_set():
        client = Client()
        client.force_login(person)
        menu = _menu(client)
        assert 1 <= len(menu) <= 8, (person, [m["label"] for m in menu])
        assert menu[0]["label"] == "My work"
        for entry in menu[1:]:
            landing = client.get(entry["url"])
            assert landing.status_code == 200, (person, entry)
            for section in landing.context.get("sections", []):
                got = client.get(section["url"]).status_code
                assert got == 200, f"{person}: {section['label']} ({section['url']}) gave {got}"
                checked += 1
    assert checked > 50


def test_the_child_deaths_and_reports_areas_have_landing_pages(built: Any) -> None:
    coordinator = Person.objects.filter(role_assignments__role="cdop_coordinator").first()
    business_unit = Person.objects.filter(role_assignments__role="business_unit").first()
    assert coordinator is not None and business_unit is not None
    client = Client()
    client.force_login(coordinator)
    page = client.get("/cdop/")
    assert page.status_code == 200
    text = page.content.decode()
    assert '<h1 class="govuk-heading-l">Child deaths</h1>' in text
    assert escape(navigation.AREAS["cdop"].intro) in text
    labels = [s["label"] for s in page.context["sections"]]
    assert "Child deaths" in labels and "Trends" in labels
    client.force_login(business_unit)
    reports = client.get("/reports/")
    assert reports.status_code == 200
    assert "Annual reports" in [s["label"] for s in reports.context["sections"]]
    board = client.get("/board/")
    assert "Reports" in [s["label"] for s in board.context["sections"]]


def test_a_landing_page_lists_the_steps_of_its_area(built: Any) -> None:
    for person in one_person_per_role_set():
        steps = todo.items_for(person, person.role_assignments.first().partnership)
        learning = [s for s in steps if s.kind.startswith("learning.")]
        if learning:
            break
    else:
        pytest.fail("no demo login has a learning step to do")
    client = Client()
    client.force_login(person)
    page = client.get("/learning/")
    assert page.status_code == 200
    assert page.context["todo_count"] == len(learning)
    assert learning[0].title in page.content.decode()


def test_a_person_who_may_open_nothing_in_an_area_is_forbidden(built: Any) -> None:
    learner = Person.objects.filter(role_assignments__role="learner").exclude(
        role_assignments__role__in=["business_unit", "chair", "cdop_coordinator", "board_member"]
    )[0]
    client = Client()
    client.force_login(learner)
    assert "Child deaths" not in [m["label"] for m in _menu(client)]
    assert client.get("/cdop/").status_code == 403
    assert Client().get("/cdop/").status_code == 302  # signed out: sign in
