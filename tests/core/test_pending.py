"""The partnership's to-do list (lift.core.pending): everyone's pending steps for the
business unit and the Chair (403 for others), chasing (once a day, logged on the record,
refused for a step done or a forged id, nothing sent), escalation from the reference data
(the agency's lead, then the Chair, each once, not before), and its query cost."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.core import mail, signing
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from django.utils.html import escape

from lift.core import history, pending, todo
from lift.core.calendar import add_working_days
from lift.core.models import Agency, ChangeLog, Notification, Partnership, Person
from lift.core.reference import escalation, load_escalation
from lift.core.tasks import tick
from lift.learning import services
from lift.learning.choices import ActionStatus
from lift.learning.models import Action
from tests.permissions import assert_permissions

TODAY = dt.date(2025, 3, 10)  # a Monday
URL = "/todo/partnership/"


@pytest.fixture(autouse=True)
def _frozen() -> Iterator[None]:
    with time_machine.travel(dt.datetime(2025, 3, 10, 9, 0), tick=False):
        yield


@pytest.fixture
def owner(make_person: Callable[..., Person], agency: Agency) -> Person:
    return make_person("auditor", agency=agency, full_name="Omar Owner")


def _action(agency: Agency, owner: Person, title: str, due_on: dt.date) -> Action:
    return services.action_create(
        title=title,
        owner_agency=agency,
        owner=owner,
        due_on=due_on,
        success_measure="Fictional measure.",
        status="in_progress",
    )


def _late(agency: Agency, owner: Person, working_days: int, title: str = "Refresh") -> Action:
    return _action(agency, owner, title, add_working_days(TODAY, -working_days))


def _owner_items(partnership: Partnership, owner: Person) -> list[pending.Pending]:
    return [p for p in pending.pending_items(partnership) if p.owner.pk == owner.pk]


# --- the selector and the page ------------------------------------------------------------


def test_everyone_pending_is_listed_with_owner_and_agency_most_overdue_first(
    partnership: Partnership, agency: Agency, owner: Person, lead: Person
) -> None:
    _late(agency, owner, 2, "Newer step")
    _late(agency, owner, 8, "Older step")
    items = _owner_items(partnership, owner)
    assert [p.item.title for p in items] == [
        "Update the overdue action Older step",
        "Update the overdue action Newer step",
    ]
    assert {p.agency for p in items} == {agency}
    assert items[0].working_days_overdue(TODAY) == 8
    # The agency's lead has the same steps on their own list, listed under them too.
    assert len([p for p in pending.pending_items(partnership) if p.owner.pk == lead.pk]) == 2
    groups = pending.group_by_agency(pending.pending_items(partnership))
    assert [g.agency for g in groups] == [agency]
    assert {g.person.pk for g in groups[0].people} == {owner.pk, lead.pk}


def test_the_page_shows_another_persons_step_to_the_business_unit_and_the_chair(
    partnership: Partnership,
    agency: Agency,
    owner: Person,
    business_unit: Person,
    chair: Person,
    client_for: Callable[..., Client],
) -> None:
    action = _late(agency, owner, 3, "Refresh the neglect toolkit")
    for person in (business_unit, chair):
        html = client_for(person).get(URL).content.decode()
        assert "Update the overdue action Refresh the neglect toolkit" in html
        assert "Omar Owner" in html and escape(agency.name) in html
        assert f'href="{action.get_absolute_url()}"' in html
        assert "Chase selected" in html
    # Filters: another agency's shows nothing; the kind and when-due narrow.
    c = client_for(business_unit)
    assert "Refresh the neglect" not in c.get(URL, {"agency": "none"}).content.decode()
    assert "Refresh the neglect" in c.get(URL, {"agency": agency.pk}).content.decode()
    assert "Refresh the neglect" not in c.get(URL, {"when": "undated"}).content.decode()
    assert (
        "Refresh the neglect"
        in c.get(URL, {"kind": "learning.overdue_action", "when": "overdue"}).content.decode()
    )
    bad = c.get(URL, {"agency": "999999"})
    assert bad.status_code == 200 and "Refresh the neglect" not in bad.content.decode()


def test_only_the_business_unit_and_the_chair_may_see_it(
    business_unit: Person, chair: Person, lead: Person, learner: Person, outsider: Person
) -> None:
    assert_permissions(URL, allowed=[business_unit, chair], forbidden=[lead, learner])
    assert_permissions(URL, method="post", forbidden=[lead, learner], data={"item": "x"})


def test_my_work_and_the_to_do_page_link_to_it_for_the_business_unit_only(
    business_unit: Person, lead: Person, client_for: Callable[..., Client]
) -> None:
    for page in ("/", "/todo/"):
        assert URL in client_for(business_unit).get(page).content.decode()
        assert URL not in client_for(lead).get(page).content.decode()


def test_the_page_costs_a_bounded_number_of_queries_whatever_the_items(
    partnership: Partnership,
    agency: Agency,
    owner: Person,
    lead: Person,
    business_unit: Person,
    client_for: Callable[..., Client],
    django_assert_max_num_queries: Any,
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    c = client_for(business_unit)
    _late(agency, owner, 3, "Late 0")
    c.get(URL)
    with CaptureQueriesContext(connection) as few:
        c.get(URL)
    for n in range(1, 15):
        _late(agency, owner, 3 + n, f"Late {n}")
    with django_assert_max_num_queries(len(few)):
        html = c.get(URL).content.decode()
    assert "30 steps waiting" in html  # 15 for the owner and 15 for their agency's lead


def test_the_selector_costs_one_query_for_the_people_then_their_own_lists(
    partnership: Partnership,
    agency: Agency,
    owner: Person,
    lead: Person,
    business_unit: Person,
    chair: Person,
    django_assert_max_num_queries: Any,
) -> None:
    from lift.core import todo

    for n in range(12):
        _late(agency, owner, 3 + n, f"Late {n}")
    budget = 1 + sum(
        2 * len(todo.kinds_for(Person.objects.get(pk=p.pk), partnership))
        for p in (owner, lead, business_unit, chair)
    )
    with django_assert_max_num_queries(budget):
        assert len(pending.pending_items(partnership)) == 24


# --- chasing ------------------------------------------------------------------------------


def _ids(partnership: Partnership, owner: Person) -> list[str]:
    return [p.id for p in _owner_items(partnership, owner)]


def test_a_chase_sends_once_a_day_and_is_logged_on_the_record(
    partnership: Partnership,
    agency: Agency,
    owner: Person,
    business_unit: Person,
    client_for: Callable[..., Client],
    django_capture_on_commit_callbacks: Any,
) -> None:
    action = _late(agency, owner, 3, "Refresh the neglect toolkit")
    [item_id] = _ids(partnership, owner)
    c = client_for(business_unit)
    with django_capture_on_commit_callbacks(execute=True):
        response = c.post(URL, {"chase": item_id}, follow=True)
    assert "Reminder sent to Omar Owner." in response.content.decode()
    assert [m.to for m in mail.outbox] == [[owner.email]]
    assert (
        mail.outbox[0].subject == "Reminder: Update the overdue action Refresh the neglect toolkit"
    )
    assert action.get_absolute_url() in mail.outbox[0].body
    entry = history.for_object(action).filter(actor=business_unit).get()
    assert "Reminder sent" in entry.changes and "Omar Owner" in str(entry.changes)
    assert "Chased" in entry.reason

    with django_capture_on_commit_callbacks(execute=True):
        again = c.post(URL, {"item": [item_id]}, follow=True)
    assert "already chased today" in again.content.decode()
    assert len(mail.outbox) == 1
    assert history.for_object(action).filter(actor=business_unit).count() == 1

    # The next day it may be chased again.
    next_day = time_machine.travel(dt.datetime(2025, 3, 11, 9, 0), tick=False)
    with next_day, django_capture_on_commit_callbacks(execute=True):
        pending.todo_chase(by=business_unit, partnership=partnership, ids=[item_id])
    assert len(mail.outbox) == 2


def test_chasing_several_at_once(
    partnership: Partnership,
    agency: Agency,
    owner: Person,
    lead: Person,
    chair: Person,
    django_capture_on_commit_callbacks: Any,
) -> None:
    _late(agency, owner, 3, "One")
    _late(agency, owner, 4, "Two")
    ids = [p.id for p in pending.pending_items(partnership)]
    assert len(ids) == 4  # two for the owner, two for their agency's lead
    with django_capture_on_commit_callbacks(execute=True):
        result = pending.todo_chase(by=chair, partnership=partnership, ids=ids)
    assert len(result.sent) == 4
    assert sorted(m.to[0] for m in mail.outbox) == sorted([owner.email] * 2 + [lead.email] * 2)


def test_chasing_a_step_done_since_is_refused_and_sends_nothing(
    partnership: Partnership,
    agency: Agency,
    owner: Person,
    lead: Person,
    business_unit: Person,
    client_for: Callable[..., Client],
    django_capture_on_commit_callbacks: Any,
) -> None:
    action = _late(agency, owner, 3, "Refresh the neglect toolkit")
    other = _late(agency, owner, 4, "Another")
    ids = _ids(partnership, owner)
    services.action_update_add(action=action, by=owner, text="Delivered.")
    services.action_transition(action=action, to=ActionStatus.COMPLETED, by=owner)
    before = ChangeLog.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(business_unit).post(URL, {"item": ids}, follow=True)
    assert "is no longer waiting" in response.content.decode()
    assert "Nothing was sent" in response.content.decode()
    assert mail.outbox == []
    assert not Notification.objects.filter(key__startswith="todo:chase:").exists()
    assert ChangeLog.objects.count() == before
    assert history.for_object(other).filter(actor=business_unit).count() == 0


def test_a_forged_or_altered_id_is_refused(
    partnership: Partnership,
    other_partnership: Partnership,
    agency: Agency,
    owner: Person,
    business_unit: Person,
    client_for: Callable[..., Client],
) -> None:
    action = _late(agency, owner, 3)
    forged = [
        "learning.overdue_action|/actions/1/|1",
        signing.dumps(
            ["learning.overdue_action", action.get_absolute_url(), owner.pk, 1], salt="x"
        ),
        # Signed properly but naming a step that is not on the owner's list.
        signing.dumps(
            ["learning.overdue_action", "/actions/999999/", owner.pk, partnership.pk],
            salt=pending.SALT,
            compress=True,
        ),
        # Signed for another partnership.
        signing.dumps(
            ["learning.overdue_action", action.get_absolute_url(), owner.pk, other_partnership.pk],
            salt=pending.SALT,
            compress=True,
        ),
    ]
    for bad in forged:
        with pytest.raises(pending.ChaseRefused):
            pending.todo_chase(by=business_unit, partnership=partnership, ids=[bad])
    response = client_for(business_unit).post(URL, {"chase": forged[0]}, follow=True)
    assert "not recognised" in response.content.decode()
    empty = client_for(business_unit).post(URL, {}, follow=True)
    assert "Choose at least one step to chase" in empty.content.decode()
    assert mail.outbox == []
    assert not Notification.objects.filter(key__startswith="todo:chase:").exists()


def test_only_the_business_unit_and_the_chair_may_chase(
    partnership: Partnership, agency: Agency, owner: Person, lead: Person
) -> None:
    _late(agency, owner, 3)
    with pytest.raises(pending.ChaseRefused):
        pending.todo_chase(by=lead, partnership=partnership, ids=_ids(partnership, owner))
    assert mail.outbox == []


# --- escalation ---------------------------------------------------------------------------


def _escalations(person: Person, level: str) -> int:
    return Notification.objects.filter(
        person=person, key__startswith=f"todo:escalated:{level}:"
    ).count()


def test_escalation_thresholds_come_from_the_reference_data() -> None:
    rules = escalation()
    assert (rules.agency_lead_after, rules.chair_after) == (5, 10)


@pytest.fixture
def late_step_kind(owner: Person) -> Iterator[Callable[[int], None]]:
    """A kind of step with no escalation of its own (unlike an overdue action), due a
    given number of working days before TODAY for the owner."""
    due: list[dt.date] = []

    def provider(person: Person, partnership: Partnership) -> Iterator[todo.ToDo]:
        if person.pk == owner.pk:
            for on in due:
                yield todo.ToDo(
                    kind="tests.late_step", title="Send the chronology", url="/late/", due_on=on
                )

    todo.register(todo.Kind(key="tests.late_step", label="Late step", provider=provider))
    try:
        yield lambda working_days: due.append(add_working_days(TODAY, -working_days))
    finally:
        todo.unregister("tests.late_step")


@pytest.mark.parametrize(
    ("working_days", "to_lead", "to_chair"),
    [(4, 0, 0), (5, 1, 0), (9, 1, 0), (10, 1, 1), (25, 1, 1)],
)
def test_an_overdue_step_goes_to_the_agency_lead_then_the_chair_each_once(
    partnership: Partnership,
    agency: Agency,
    owner: Person,
    lead: Person,
    chair: Person,
    business_unit: Person,
    working_days: int,
    to_lead: int,
    to_chair: int,
    late_step_kind: Callable[[int], None],
    django_capture_on_commit_callbacks: Any,
) -> None:
    late_step_kind(working_days)
    with django_capture_on_commit_callbacks(execute=True):
        first = tick(TODAY)["todo_escalations"]
        second = tick(TODAY)["todo_escalations"]
    assert (first, second) == (to_lead + to_chair, 0)
    assert _escalations(lead, "lead") == to_lead
    assert _escalations(chair, "chair") == to_chair
    # Not to the owner, not to the business unit.
    assert _escalations(owner, "lead") + _escalations(business_unit, "chair") == 0
    escalated = [m for m in mail.outbox if m.subject.startswith("Overdue by")]
    assert len(escalated) == to_lead + to_chair
    if to_chair:
        chair_mail = next(m for m in escalated if m.to == [chair.email])
        assert "Omar Owner" in chair_mail.body and agency.name in chair_mail.body


@pytest.mark.parametrize(("working_days", "to_lead"), [(4, 0), (5, 1), (25, 1)])
def test_an_overdue_action_goes_to_the_lead_here_and_to_the_chair_once_by_its_own_rule(
    partnership: Partnership,
    agency: Agency,
    owner: Person,
    lead: Person,
    chair: Person,
    working_days: int,
    to_lead: int,
    django_capture_on_commit_callbacks: Any,
) -> None:
    action = _late(agency, owner, working_days, "Refresh the neglect toolkit")
    with django_capture_on_commit_callbacks(execute=True):
        tick(TODAY)
        tick(TODAY)
    assert _escalations(lead, "lead") == to_lead
    # The learning area's reminders escalate an overdue action to the Chair (past the
    # partnership's escalation_days); the partnership's escalation does not tell them again.
    assert _escalations(chair, "chair") == 0
    told_chair = Notification.objects.filter(person=chair, url__contains=f"/{action.pk}/")
    past_escalation_days = action.due_on < TODAY - dt.timedelta(days=partnership.escalation_days)
    assert told_chair.filter(key__contains=":escalated:").count() == int(past_escalation_days)


def test_escalation_counts_working_days_not_calendar_days(
    partnership: Partnership, agency: Agency, owner: Person, lead: Person
) -> None:
    # Due on Monday 3 March: by Monday 10 March it is 5 working days (7 calendar days) late.
    _action(agency, owner, "Weekend", dt.date(2025, 3, 3))
    assert tick(dt.date(2025, 3, 7))["todo_escalations"] == 0  # Friday: 4 working days
    assert tick(TODAY)["todo_escalations"] == 1


def test_the_escalation_file_is_validated(tmp_path: Path) -> None:
    (tmp_path / "todo").mkdir()
    path = tmp_path / "todo" / "escalation.yaml"
    good = "urn: urn:lift:todo:escalation\nversion: 1\nname: X\nagency_lead_after: 5\n"
    path.write_text(good + "chair_after: 10\n")
    assert load_escalation(tmp_path).chair_after == 10
    path.write_text(good + "chair_after: 5\n")
    with pytest.raises(ImproperlyConfigured, match="chair_after must be more than"):
        load_escalation(tmp_path)
    path.write_text(good + "chair_after: 0\n")
    with pytest.raises(ImproperlyConfigured, match="chair_after must be a whole number"):
        load_escalation(tmp_path)
    path.write_text(good + "chair_after: 10\nchair_afterr: 11\n")
    with pytest.raises(ImproperlyConfigured, match="unknown key 'chair_afterr'"):
        load_escalation(tmp_path)


def test_the_page_shows_fifty_steps_at_a_time_most_overdue_first(
    partnership: Partnership,
    agency: Agency,
    owner: Person,
    business_unit: Person,
    client_for: Callable[..., Client],
) -> None:
    for n in range(55):
        _late(agency, owner, n + 1, f"Step {n + 1:02d}")
    c = client_for(business_unit)
    first = c.get(URL).content.decode()
    second = c.get(URL + "?page=2").content.decode()
    assert first.count('name="item"') == 50 and second.count('name="item"') == 5
    assert "Showing steps 1 to 50 of 55" in first and 'aria-label="Pagination"' in first
    assert "Step 55" in first and "Step 01" not in first  # the most overdue first
    assert "Step 01" in second
