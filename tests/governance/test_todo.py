"""The minutes of a held meeting as a to-do: for the business unit (every group) and the
Chair (the groups they chair) until approved; nobody else; one query however many meetings.
"""

from __future__ import annotations

from typing import Any

import pytest

from lift.core import todo
from lift.core.access import assignments_for
from lift.governance import services
from lift.governance import todo as kinds
from lift.governance.choices import MeetingStatus

from .conftest import World, at

pytestmark = pytest.mark.django_db

HELD = MeetingStatus.HELD


def _items(person, partnership):
    return todo.items_for(person, partnership, only=[kinds.MINUTES])


def test_kind_is_registered() -> None:
    assert kinds.MINUTES in {k.key for k in todo.kinds()}


def test_minutes_wait_for_the_business_unit_and_the_groups_chair_until_approved(
    world: World, business_unit, chair, partnership, other_partnership, make_person
) -> None:
    w = world
    assert _items(business_unit, partnership) == []  # nothing held yet
    item = services.agenda_item_add(meeting=w.past, title="Neglect audit", by=business_unit)
    services.meeting_status_set(meeting=w.past, status=HELD, by=business_unit)

    for person in (business_unit, chair):  # the Chair chairs the Board
        (minutes,) = _items(person, partnership)
        assert minutes.title == f"Record the minutes of {w.past}"
        assert minutes.url == f"/meetings/{w.past.pk}/" and minutes.subject == w.past
        assert minutes.due_on is None
    # a member, the sub-group's trainer, a sub-group chair: not theirs; nor elsewhere
    subgroup_chair = make_person("subgroup_chair")
    for person in (w.member, w.trainer, subgroup_chair):
        assert _items(person, partnership) == []
    assert _items(business_unit, other_partnership) == []

    services.minutes_record(item=item, minutes="Noted.", by=business_unit)
    (minutes,) = _items(chair, partnership)
    assert minutes.title == f"Approve the minutes of {w.past}"
    services.meeting_status_set(meeting=w.past, status=MeetingStatus.MINUTES_APPROVED, by=chair)
    assert _items(business_unit, partnership) == []
    assert _items(chair, partnership) == []


def test_the_chair_is_not_asked_for_groups_they_do_not_chair(
    world: World, business_unit, chair, partnership
) -> None:
    li_past = services.meeting_create(board=world.li, starts_at=at(-3), by=business_unit)
    services.meeting_status_set(meeting=li_past, status=HELD, by=business_unit)
    assert [i.subject for i in _items(business_unit, partnership)] == [li_past]
    assert _items(chair, partnership) == []


def test_one_query_however_many_meetings(
    world: World, business_unit, chair, partnership, django_assert_max_num_queries: Any
) -> None:
    made = 0
    for size in (1, 4):
        while made < size:
            made += 1
            meeting = services.meeting_create(
                board=world.board, starts_at=at(-40 - made), by=business_unit
            )
            services.agenda_item_add(meeting=meeting, title="Item", by=business_unit)
            services.meeting_status_set(meeting=meeting, status=HELD, by=business_unit)
        for person in (business_unit, chair):
            assignments_for(person)
            with django_assert_max_num_queries(1):
                shown = [
                    (i.title, i.url, i.hint, i.subject_label) for i in _items(person, partnership)
                ]
            assert len(shown) == size
