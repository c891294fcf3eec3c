"""The data version and what is cached by it ("My work": the to-do list and the panels):
any write, through a service, a queryset update or raw SQL, changes the version, so a
cached reading is never served after the data changed; the bookkeeping tables do not;
nothing read inside a transaction that wrote is cached. These tests commit (transactional
database), as production does."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from lift.core import dataversion, todo
from lift.core.models import Agency, Notification, Partnership, Person
from lift.learning import services
from lift.learning.choices import ActionStatus
from lift.learning.models import Action

pytestmark = pytest.mark.usefixtures("transactional_db")


@pytest.fixture(autouse=True)
def _clear_cache() -> None:
    cache.clear()


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        ('SELECT "core_person"."id" FROM "core_person"', False),
        ("  select 1", False),
        ('SAVEPOINT "s1_x1"', False),
        ('RELEASE SAVEPOINT "s1_x1"', False),
        ("PRAGMA foreign_keys", False),
        ('INSERT INTO "learning_action" ("title") VALUES (%s)', True),
        ('INSERT OR IGNORE INTO "core_person" ("email") VALUES (%s)', True),
        ('UPDATE "learning_action" SET "status" = %s', True),
        ('DELETE FROM "core_roleassignment" WHERE "id" = %s', True),
        ('TRUNCATE "learning_action"', True),
        ('ALTER TABLE "learning_action" ADD COLUMN "x" int', True),
        ('UPDATE "django_session" SET "expire_date" = %s', False),
        ('INSERT INTO "core_workerheartbeat" ("seen_at") VALUES (%s)', False),
        ('DELETE FROM "axes_accessattempt"', False),
        ('INSERT INTO "core_outboundemail" ("to") VALUES (%s)', False),
        ('INSERT INTO "core_notification" ("key") VALUES (%s)', True),
    ],
)
def test_which_statements_change_the_version(sql: str, expected: bool) -> None:
    assert dataversion.writes(sql) is expected


def test_a_write_changes_the_version_a_read_does_not(agency: Agency) -> None:
    before = dataversion.current()
    list(Agency.objects.all())
    assert dataversion.current() == before
    Agency.objects.filter(pk=agency.pk).update(name="Renamed agency")  # no signal
    after = dataversion.current()
    assert after != before
    with connection.cursor() as cursor:  # raw SQL too
        cursor.execute("UPDATE core_agency SET name = %s WHERE id = %s", ["Again", agency.pk])
    assert dataversion.current() != after


def test_inside_a_transaction_the_version_changes_when_it_commits(agency: Agency) -> None:
    before = dataversion.current()
    with transaction.atomic():
        Agency.objects.filter(pk=agency.pk).update(name="Renamed agency")
        assert dataversion.current() == before  # others do not see the write yet
        assert not dataversion.may_cache()  # nor may what this connection reads be kept
    assert dataversion.current() != before
    assert dataversion.may_cache()


def test_a_rolled_back_write_leaves_caching_allowed_afterwards(agency: Agency) -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        Agency.objects.filter(pk=agency.pk).update(name="Renamed agency")
        raise RuntimeError("rolled back")
    assert dataversion.may_cache()


def _late_action(agency: Agency, owner: Person) -> Action:
    return services.action_create(
        title="Refresh the neglect toolkit",
        owner_agency=agency,
        owner=owner,
        due_on=timezone.localdate() - dt.timedelta(days=3),
        success_measure="Fictional measure.",
        status="in_progress",
    )


def _count(fn: Any) -> tuple[Any, int]:
    with CaptureQueriesContext(connection) as ctx:
        result = fn()
    return result, len(ctx.captured_queries)


def test_the_cached_to_do_list_is_read_once_and_follows_every_write(
    partnership: Partnership, agency: Agency, lead: Person
) -> None:
    action = _late_action(agency, lead)
    first, queries = _count(lambda: todo.items_for(lead, partnership, cached=True))
    (late,) = [i for i in first if i.kind == "learning.overdue_action"]
    # Kept as the record's name and address (what the list shows), not the instance.
    assert late.subject == todo.Subject(str(action), action.get_absolute_url())
    assert (late.subject_label, late.subject_url) == (str(action), action.get_absolute_url())
    assert queries > 1
    again, queries = _count(lambda: todo.items_for(lead, partnership, cached=True))
    assert again == first and queries == 0  # the roles are already loaded for the person
    # The step done through its service: gone at once.
    services.action_update_add(action=action, by=lead, text="Done", status=ActionStatus.COMPLETED)
    url = action.get_absolute_url()
    assert not [i for i in todo.items_for(lead, partnership, cached=True) if i.subject_url == url]
    # A change that sends no signal (a queryset update) is seen too.
    Action.objects.filter(pk=action.pk).update(status=ActionStatus.IN_PROGRESS)
    assert [i.subject_url for i in todo.items_for(lead, partnership, cached=True)] == [url]


def test_nothing_read_in_a_transaction_that_wrote_is_cached(
    partnership: Partnership, agency: Agency, lead: Person
) -> None:
    with transaction.atomic():
        action = _late_action(agency, lead)
        inside = todo.items_for(lead, partnership, cached=True)
        assert [i.subject for i in inside] == [action]
        Action.objects.filter(pk=action.pk).delete()
        raise_rollback = True
        transaction.set_rollback(raise_rollback)
    # The rolled-back action was never cached for anyone.
    assert todo.items_for(lead, partnership, cached=True) == []


def test_my_work_keeps_its_panels_until_a_write(
    partnership: Partnership, agency: Agency, lead: Person
) -> None:
    client = Client()
    client.force_login(lead)
    first = client.get("/")
    assert first.status_code == 200
    with CaptureQueriesContext(connection) as ctx:
        again = client.get("/")
    assert again.status_code == 200
    # The session, the person, their roles and the partnership; nothing for the list or
    # the panels, which are kept.
    assert len(ctx.captured_queries) <= 4
    _late_action(agency, lead)
    page = client.get("/").content.decode()
    assert "Refresh the neglect toolkit" in page  # on the list and in "My actions" at once
    Notification.objects.create(person=lead, key="t:1", title="A fictional notice", url="/")
    assert "A fictional notice" in client.get("/").content.decode()


def test_another_persons_reading_is_never_shown(
    partnership: Partnership, agency: Agency, lead: Person, chair: Person
) -> None:
    _late_action(agency, lead)
    assert todo.items_for(lead, partnership, cached=True)
    others = todo.items_for(chair, partnership, cached=True)
    assert not [i for i in others if i.kind == "learning.overdue_action"]


def test_the_header_counts_the_to_do_list_from_the_kept_reading(
    partnership: Partnership, agency: Agency, lead: Person
) -> None:
    client = Client()
    client.force_login(lead)
    client.get("/")  # reads and keeps the list
    _late_action(agency, lead)
    page = client.get("/agencies/").content.decode()
    assert '<span id="todo-count">(1<span class="govuk-visually-hidden"> thing to do</span>)' in (
        page
    )
    # Kept: counting again costs no query (the list is not read again).
    with CaptureQueriesContext(connection) as again:
        assert client.get("/agencies/").status_code == 200
    assert not [q for q in again.captured_queries if "learning_action" in q["sql"]]
    services.action_update_add(
        action=Action.objects.get(), by=lead, text="Done", status=ActionStatus.COMPLETED
    )
    assert 'id="todo-count"' not in client.get("/agencies/").content.decode()
