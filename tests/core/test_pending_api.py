"""/api/v1/todo-partnership/: the partnership's pending steps and chasing them, for the
business unit and the Chair only; the same refusals as the page."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.test import Client

from lift.core import history
from lift.core.calendar import add_working_days
from lift.core.models import Agency, Notification, Person
from lift.learning import services

URL = "/api/v1/todo-partnership/"


@pytest.fixture(autouse=True)
def _frozen() -> Iterator[None]:
    with time_machine.travel(dt.datetime(2025, 3, 10, 9, 0), tick=False):
        yield


@pytest.fixture
def owner(make_person: Callable[..., Person], agency: Agency) -> Person:
    return make_person("auditor", agency=agency, full_name="Omar Owner")


def _late(agency: Agency, owner: Person, days: int = 3) -> Any:
    return services.action_create(
        title="Refresh the neglect toolkit",
        owner_agency=agency,
        owner=owner,
        due_on=add_working_days(dt.date(2025, 3, 10), -days),
        success_measure="Fictional measure.",
        status="in_progress",
    )


def test_the_list_gives_everyones_steps_to_the_business_unit_and_the_chair(
    agency: Agency,
    owner: Person,
    lead: Person,
    business_unit: Person,
    chair: Person,
    client_for: Callable[..., Client],
) -> None:
    _late(agency, owner, 4)
    for person in (business_unit, chair):
        body = client_for(person).get(URL).json()
        assert body["count"] == 2  # the owner's and their agency's lead's
        mine = next(r for r in body["results"] if r["owner"]["id"] == owner.pk)
        assert mine["kind"] == "learning.overdue_action"
        assert mine["agency"] == {"id": agency.pk, "name": agency.name}
        assert mine["working_days_overdue"] == 4 and mine["state"] == "overdue"
    c = client_for(business_unit)
    assert c.get(URL, {"agency": "none"}).json()["count"] == 0
    assert c.get(URL, {"when": "overdue", "kind": "learning.overdue_action"}).json()["count"] == 2
    assert c.get(URL, {"when": "someday"}).status_code == 400


def test_others_are_refused(
    lead: Person, learner: Person, client_for: Callable[..., Client]
) -> None:
    assert client_for(None).get(URL).status_code in (401, 403)
    for person in (lead, learner):
        assert client_for(person).get(URL).status_code == 403
        response = client_for(person).post(
            f"{URL}chase/", {"items": ["x"]}, content_type="application/json"
        )
        assert response.status_code == 403
    assert mail.outbox == []


def test_chase_once_a_day_logged_and_refused_for_a_forged_id(
    agency: Agency,
    owner: Person,
    business_unit: Person,
    client_for: Callable[..., Client],
    django_capture_on_commit_callbacks: Any,
) -> None:
    action = _late(agency, owner)
    c = client_for(business_unit)
    [item] = [r for r in c.get(URL).json()["results"] if r["owner"]["id"] == owner.pk]
    with django_capture_on_commit_callbacks(execute=True):
        first = c.post(f"{URL}chase/", {"items": [item["id"]]}, content_type="application/json")
        again = c.post(f"{URL}chase/", {"items": [item["id"]]}, content_type="application/json")
    assert first.status_code == 200 and len(first.json()["sent"]) == 1
    assert again.status_code == 200 and len(again.json()["already_chased_today"]) == 1
    assert [m.to for m in mail.outbox] == [[owner.email]]
    entry = history.for_object(action).filter(actor=business_unit).get()
    assert entry.source == "api"
    forged = c.post(f"{URL}chase/", {"items": [item["id"] + "x"]}, content_type="application/json")
    assert forged.status_code == 400 and "not recognised" in str(forged.json())
    empty = c.post(f"{URL}chase/", {"items": []}, content_type="application/json")
    assert empty.status_code == 400
    assert Notification.objects.filter(key__startswith="todo:chase:").count() == 1
