"""The to-do list: the registry (kinds asked only of people holding their roles, one item a
step, soonest due first, grouped by when due), "My work" (the list first, in a number of
queries that does not grow with the items), `/todo/` with its filters, the CSV export and
the calendar feed (signed in, or at a person's secret address, never another's items)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import time_machine
from django.test import Client
from icalendar import Calendar

from lift.core import todo
from lift.core.models import Agency, Notification, Partnership, Person
from lift.core.notify import notify
from lift.core.views.todo import token_url
from lift.learning import services
from lift.learning.models import Action

TODAY = dt.date(2025, 3, 10)


@pytest.fixture(autouse=True)
def _frozen() -> Iterator[None]:
    with time_machine.travel(dt.datetime(2025, 3, 10, 9, 0), tick=False):
        yield


@pytest.fixture
def registry() -> Iterator[dict[str, todo.Kind]]:
    """The registry as it is, restored after the test (which may add kinds to it)."""
    saved = dict(todo._kinds)
    yield todo._kinds
    todo._kinds.clear()
    todo._kinds.update(saved)


def _action(agency: Agency, owner: Person, title: str, due_on: dt.date) -> Action:
    return services.action_create(
        title=title,
        owner_agency=agency,
        owner=owner,
        due_on=due_on,
        success_measure="Fictional measure.",
        status="in_progress",
    )


# --- the registry -------------------------------------------------------------------------------


def test_a_kind_with_roles_is_asked_only_of_people_holding_one(
    registry: Any, partnership: Partnership, chair: Person, learner: Person
) -> None:
    asked: list[Person] = []

    def provider(person: Any, p: Any) -> Iterator[todo.ToDo]:
        asked.append(person)
        yield todo.ToDo(kind="test.step", title="Sign the minutes", url="/minutes/1/")

    todo.register(
        todo.Kind(key="test.step", label="Sign", provider=provider, roles=frozenset({"chair"}))
    )
    assert [i.title for i in todo.items_for(chair, partnership, only=["test.step"])] == [
        "Sign the minutes"
    ]
    assert todo.items_for(learner, partnership, only=["test.step"]) == []
    assert asked == [chair]
    assert "test.step" in {k.key for k in todo.kinds_for(chair, partnership)}
    assert "test.step" not in {k.key for k in todo.kinds_for(learner, partnership)}


def test_items_are_listed_once_soonest_first_and_grouped_by_when_due(
    registry: Any, partnership: Partnership, chair: Person
) -> None:
    def provider(person: Any, p: Any) -> Iterator[todo.ToDo]:
        for title, due in (
            ("Later", TODAY + dt.timedelta(days=30)),
            ("Undated", None),
            ("Late", TODAY - dt.timedelta(days=1)),
            ("Soon", TODAY + dt.timedelta(days=7)),
            ("Late", TODAY - dt.timedelta(days=1)),  # the same step found twice
        ):
            yield todo.ToDo(kind="test.step", title=title, url=f"/{title}/", due_on=due)
        # A clock met on time is no longer overdue, whatever its date.
        yield todo.ToDo(
            kind="test.step",
            title="Met",
            url="/met/",
            due_on=TODAY - dt.timedelta(days=3),
            clock_state="met",
        )

    todo.register(todo.Kind(key="test.step", label="Test", provider=provider))
    items = todo.items_for(chair, partnership, only=["test.step"])
    assert [i.title for i in items] == ["Met", "Late", "Soon", "Later", "Undated"]
    groups = todo.group_by_when(items)
    assert [(g["key"], [i.title for i in g["items"]]) for g in groups] == [
        ("overdue", ["Late"]),
        ("week", ["Met", "Soon"]),
        ("later", ["Later"]),
        ("undated", ["Undated"]),
    ]
    assert [i.state_label for i in items] == ["Met", "Overdue", "Due soon", "", ""]
    assert [i.title for i in todo.filter_items(items, whens=["overdue", "later"])] == [
        "Late",
        "Later",
    ]
    assert todo.filter_items(items, kinds=["other.kind"]) == []


def test_no_items_for_someone_without_a_role_or_no_longer_active(
    registry: Any, partnership: Partnership, chair: Person, outsider: Person
) -> None:
    todo.register(
        todo.Kind(
            key="test.step",
            label="Test",
            provider=lambda person, p: [todo.ToDo(kind="test.step", title="T", url="/t/")],
        )
    )
    assert todo.items_for(outsider, partnership, only=["test.step"]) == []
    assert todo.items_for(chair, None) == []
    chair.is_active = False
    assert todo.items_for(chair, partnership, only=["test.step"]) == []


def test_notifications_about_a_done_step_are_marked_read(partnership: Partnership, chair: Person):
    asked = notify(person=chair, key="test:step:1:ask:to:1", title="Do it", email=False)
    other = notify(person=chair, key="test:step:10:ask:to:1", title="Do that", email=False)
    assert todo.notifications_done("test:step:1:") == 1
    asked.refresh_from_db()
    other.refresh_from_db()
    assert asked.read_at is not None and other.read_at is None
    assert todo.notifications_done() == 0


# --- "My work" --------------------------------------------------------------------------------


def test_my_work_shows_the_to_do_list_first(
    partnership: Partnership, agency: Agency, lead: Person, client_for: Callable[..., Client]
) -> None:
    late = _action(agency, lead, "Refresh the neglect toolkit", TODAY - dt.timedelta(days=5))
    notify(
        person=lead,
        key=f"action:{late.pk}:overdue:to:{lead.pk}",
        title="Action overdue: Refresh the neglect toolkit",
        url=late.get_absolute_url(),
        partnership=partnership,
        email=False,
    )
    html = client_for(lead).get("/").content.decode()
    assert "1 thing to do" in html
    assert "Overdue (1)" in html
    link = f'href="{late.get_absolute_url()}">Update the overdue action Refresh the neglect'
    assert link in html
    assert "Due 5 March 2025." in html
    assert html.index("1 thing to do") < html.index("Notifications")
    # The same step is not listed again by the panels (the notification, "My actions").
    assert html.count(f'href="{late.get_absolute_url()}"') == 1
    assert "Everything here is on your to-do list above." in html
    assert Notification.objects.get(person=lead).read_at is None  # still in the list


def test_my_work_with_nothing_to_do(
    partnership: Partnership, learner: Person, client_for: Callable[..., Client]
) -> None:
    html = client_for(learner).get("/").content.decode()
    assert "Nothing to do" in html


def test_my_work_queries_do_not_grow_with_the_items(
    partnership: Partnership,
    agency: Agency,
    lead: Person,
    client_for: Callable[..., Client],
    django_assert_max_num_queries: Any,
) -> None:
    c = client_for(lead)
    _action(agency, lead, "Late 0", TODAY - dt.timedelta(days=3))
    c.get("/")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        c.get("/")
    for n in range(1, 12):
        _action(agency, lead, f"Late {n}", TODAY - dt.timedelta(days=3 + n))
    with django_assert_max_num_queries(len(few)):
        html = c.get("/").content.decode()
    assert "12 things to do" in html


def test_the_list_costs_at_most_a_query_or_two_a_kind_whatever_the_items(
    partnership: Partnership, agency: Agency, lead: Person, django_assert_max_num_queries: Any
) -> None:
    person = Person.objects.get(pk=lead.pk)
    applying = todo.kinds_for(person, partnership)  # roles loaded once
    _action(agency, lead, "Late 0", TODAY - dt.timedelta(days=3))
    with django_assert_max_num_queries(2 * len(applying)):
        assert len(todo.items_for(person, partnership)) == 1
    for n in range(1, 12):
        _action(agency, lead, f"Late {n}", TODAY - dt.timedelta(days=3 + n))
    with django_assert_max_num_queries(2 * len(applying)):
        assert len(todo.items_for(person, partnership)) == 12


def test_my_work_shows_the_first_items_and_links_to_the_rest(
    registry: Any, partnership: Partnership, chair: Person, client_for: Callable[..., Client]
) -> None:
    todo.register(
        todo.Kind(
            key="test.step",
            label="Test",
            provider=lambda person, p: [
                todo.ToDo(kind="test.step", title=f"Step {n}", url=f"/step/{n}/") for n in range(35)
            ],
        )
    )
    html = client_for(chair).get("/").content.decode()
    assert "35 things to do" in html and "And 5 more." in html
    assert "See all 35 things to do" in html


# --- /todo/ -----------------------------------------------------------------------------------


@pytest.fixture
def steps(registry: Any, partnership: Partnership) -> None:
    def provider(person: Any, p: Any) -> list[todo.ToDo]:
        return [
            todo.ToDo(
                kind="test.sign",
                title="Sign the minutes",
                url="/minutes/1/",
                due_on=TODAY - dt.timedelta(days=2),
                hint="Board, 3 March.",
            ),
            todo.ToDo(
                kind="test.read",
                title="=Read the pack",  # a formula, neutralised in the CSV
                url="/packs/2/",
                due_on=TODAY + dt.timedelta(days=20),
                clock_state="running",
            ),
            todo.ToDo(kind="test.read", title="Read the guidance", url="/guidance/"),
        ]

    todo.register(todo.Kind(key="test.sign", label="Sign minutes", provider=provider))
    todo.register(todo.Kind(key="test.read", label="Read papers", provider=lambda *a: []))


def test_the_to_do_page_filters_by_kind_and_when(
    steps: None, chair: Person, client_for: Callable[..., Client]
) -> None:
    c = client_for(chair)
    everything = c.get("/todo/").content.decode()
    assert "3 things to do." in everything
    assert "Sign minutes" in everything and "Read papers" in everything  # the kind filter
    assert "Overdue (1)" in everything and "Due later (1)" in everything
    overdue = c.get("/todo/", {"when": "overdue"}).content.decode()
    assert "1 thing to do for these filters." in overdue and "Sign the minutes" in overdue
    assert "Read the pack" not in overdue
    by_kind = c.get("/todo/", {"kind": "test.read"}).content.decode()
    assert "2 things to do for these filters." in by_kind and "Sign the minutes" not in by_kind
    later = c.get("/todo/", {"kind": "test.read", "when": ["later", "undated"]}).content.decode()
    assert "Read the pack" in later and "Read the guidance" in later


def test_a_filter_not_offered_is_a_clear_error(
    steps: None, chair: Person, client_for: Callable[..., Client]
) -> None:
    r = client_for(chair).get("/todo/", {"when": "yesterday", "export": "csv"})
    assert r.status_code == 200 and r["Content-Type"].startswith("text/html")
    html = r.content.decode()
    assert "Error: " in html and "Select a valid choice" in html


def test_the_csv_export(steps: None, chair: Person, client_for: Callable[..., Client]) -> None:
    r = client_for(chair).get("/todo/", {"export": "csv", "kind": ["test.sign", "test.read"]})
    assert r["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(b"".join(r.streaming_content).decode("utf-8-sig"))))
    assert rows[0] == ["Step", "Kind", "Record", "Due", "State", "Link", "Record link", "Details"]
    assert rows[1][:5] == ["Sign the minutes", "Sign minutes", "", "2025-03-08", "Overdue"]
    assert rows[1][5].endswith("/minutes/1/") and rows[1][7] == "Board, 3 March."
    assert rows[2][0] == "'=Read the pack" and rows[2][4] == "Running"
    assert rows[3][0] == "Read the guidance" and rows[3][3] == ""
    assert len(rows) == 4


def test_the_calendar_feed_signed_in(
    steps: None, chair: Person, partnership: Partnership, client_for: Callable[..., Client]
) -> None:
    r = client_for(chair).get("/todo/calendar.ics")
    assert r["Content-Type"] == "text/calendar; charset=utf-8"
    events = Calendar.from_ical(r.content).walk("VEVENT")
    # Undated steps have no place in a calendar.
    assert sorted(str(e["summary"]) for e in events) == ["=Read the pack", "Sign the minutes"]
    sign = next(e for e in events if str(e["summary"]) == "Sign the minutes")
    assert sign.decoded("dtstart") == dt.date(2025, 3, 8)
    assert sign.decoded("dtend") == dt.date(2025, 3, 9)
    assert str(sign["url"]).endswith("/minutes/1/")
    assert str(sign["uid"]) == f"todo-{partnership.pk}-test.sign-minutes/1@lift"


def test_the_calendar_at_a_secret_address_holds_only_its_persons_items(
    partnership: Partnership,
    agency: Agency,
    lead: Person,
    police_lead_: Person,
    client_for: Callable[..., Client],
) -> None:
    _action(agency, lead, "Lead's late action", TODAY - dt.timedelta(days=1))
    url = token_url(lead, partnership)
    anonymous = Client()
    r = anonymous.get(url)
    assert r.status_code == 200
    [event] = Calendar.from_ical(r.content).walk("VEVENT")
    assert str(event["summary"]) == "Update the overdue action Lead's late action"
    assert "no-cache" in r["Cache-Control"] or "max-age=0" in r["Cache-Control"]
    # The police lead's address holds none of another agency's steps.
    theirs = anonymous.get(token_url(police_lead_, partnership))
    assert theirs.status_code == 200
    assert Calendar.from_ical(theirs.content).walk("VEVENT") == []
    # An altered or made-up address is not found, nor one of someone who has left.
    assert anonymous.get(url.replace(".ics", "x.ics")).status_code == 404
    assert anonymous.get("/todo/calendar/not-a-token.ics").status_code == 404
    lead.is_active = False
    lead.save()
    assert anonymous.get(url).status_code == 404


def test_the_page_shows_the_secret_address(
    partnership: Partnership, chair: Person, client_for: Callable[..., Client]
) -> None:
    html = client_for(chair).get("/todo/").content.decode()
    assert token_url(chair, partnership) in html
    assert "Nothing to do." in html


def test_the_to_do_pages_need_a_sign_in(partnership: Partnership) -> None:
    for url in ("/todo/", "/todo/calendar.ics"):
        r = Client().get(url)
        assert r.status_code == 302 and "/accounts/login/" in r["Location"]


@pytest.fixture
def police_lead_(make_person: Callable[..., Person], other_agency: Agency) -> Person:
    return make_person("safeguarding_lead", agency=other_agency, full_name="Pat Police")


def test_a_superuser_without_a_role_has_no_to_do_page(db: Any) -> None:
    admin = Person.objects.create_superuser("root@example.test", "a long fictional passphrase")
    c = Client()
    c.force_login(admin)
    assert c.get("/todo/").status_code == 403
    assert c.get("/todo/calendar.ics").status_code == 403
