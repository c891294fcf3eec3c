"""The Chair's termly meeting with the Youth Forum as a to-do: due by the end of this term
while no meeting in it has been held, for the Chair only; gone once a meeting is recorded as
held; a bounded number of queries however many meetings."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine

from lift.core import todo
from lift.core.access import assignments_for
from lift.voice import services
from lift.voice import todo as kinds
from lift.voice.models import ChairMeeting

pytestmark = pytest.mark.django_db

TODAY = dt.date(2016, 2, 10)  # in Spring 2016 of the `terms` fixture


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(dt.datetime(2016, 2, 10, 12, 0), tick=False):
        yield


def _items(person, partnership):
    return todo.items_for(person, partnership, only=[kinds.CHAIR_MEETING])


def test_kind_is_registered() -> None:
    assert kinds.CHAIR_MEETING in {k.key for k in todo.kinds()}


def test_the_chair_plans_meets_and_records_the_termly_meeting(
    forum, terms, chair, youth, board_member, business_unit, partnership, other_partnership
) -> None:
    spring = terms[1]
    (item,) = _items(chair, partnership)
    assert item.title == "Meet the Youth Forum this term (Spring 2016)"
    assert item.url == "/voice/chair-meetings/add/" and item.subject == spring
    assert item.due_on == dt.date(2016, 3, 24) and item.hint == "No meeting is planned yet."
    # the coordinator, a Board member, the business unit: not their step; nor elsewhere
    for person in (youth, board_member, business_unit):
        assert _items(person, partnership) == []
    assert _items(chair, other_partnership) == []

    planned = services.chair_meeting_record(
        forum=forum, by=youth, meets_on=dt.date(2016, 3, 1), status="planned"
    )
    (item,) = _items(chair, partnership)
    assert item.url == f"/voice/chair-meetings/{planned.pk}/edit/"
    assert item.hint == "Planned for 1 March 2016: record it once held."
    # a meeting held last term does not count for this one
    services.chair_meeting_record(
        forum=forum, by=youth, meets_on=dt.date(2015, 11, 1), status="held"
    )
    assert len(_items(chair, partnership)) == 1

    services.chair_meeting_record(
        forum=forum, by=youth, meets_on=dt.date(2016, 2, 9), status="held", topics="Buses"
    )
    assert _items(chair, partnership) == []


def test_nothing_between_terms_or_without_a_forum(terms, chair, partnership, forum) -> None:
    with time_machine.travel(dt.datetime(2016, 4, 1, 12, 0), tick=False):  # Easter holidays
        assert _items(chair, partnership) == []
    forum.delete()
    assert _items(chair, partnership) == []


def test_queries_do_not_grow_with_meetings(
    forum, terms, chair, youth, partnership, django_assert_max_num_queries: Any
) -> None:
    for size in (1, 5):
        while ChairMeeting.objects.count() < size:
            n = ChairMeeting.objects.count()
            services.chair_meeting_record(
                forum=forum, by=youth, meets_on=dt.date(2016, 1, 5 + n), status="cancelled"
            )
        assignments_for(chair)
        with django_assert_max_num_queries(2):
            (item,) = _items(chair, partnership)
            assert item.subject_label == "Spring 2016"
