"""Two people booking the last place at the same moment: exactly one gets it.

The booking service locks the session row (SELECT ... FOR UPDATE) and counts again inside
the lock, so the second request waits and then finds the session full. Run on PostgreSQL
(`make test-postgres`; CI runs the suite there too): SQLite has no row locks, and its
IMMEDIATE transactions serialise writers anyway.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from typing import Any

import pytest
from django.db import connection, connections
from django.utils import timezone

from lift.core.models import Agency, Partnership
from lift.training import services
from lift.training.models import Booking

from ..factories import person_with_role

pytestmark = [pytest.mark.postgres]


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks need PostgreSQL (make test-postgres)"
)
def test_two_requests_for_the_last_place(transactional_db: Any, monkeypatch: Any) -> None:
    partnership = Partnership.objects.create(
        name="Race Partnership",
        short_name="Race",
        slug="race",
        area="Fictional",
        regime="lscb-2015",
    )
    agency = Agency.objects.create(
        partnership=partnership, name="Race Agency", agency_type="police"
    )
    course = services.course_create(
        partnership=partnership,
        title="Neglect",
        level=2,
        format="course",
        learning_outcomes="x",
        trainer_kind="external",
    )
    session = services.session_create(
        course=course,
        starts_on=timezone.localdate() + dt.timedelta(days=10),
        capacity=1,
        venue="Room 1",
    )
    services.training_settings(partnership)  # created up front: its insert would serialise
    learners = [person_with_role("learner", partnership, agency=agency) for _ in range(2)]
    # Widen the window between counting the places and saving the booking, so that without
    # the lock both requests would count a free place.
    from lift.training import rules

    counted = rules.places_left

    def slow_places_left(*args: Any) -> int:
        left = counted(*args)
        time.sleep(0.5)
        return left

    monkeypatch.setattr(rules, "places_left", slow_places_left)
    barrier = threading.Barrier(2)
    results: dict[int, str] = {}
    errors: list[BaseException] = []

    def book(index: int) -> None:
        try:
            barrier.wait(timeout=10)
            learner = learners[index]
            booking = services.booking_create(session=session, learner=learner, by=learner)
            results[index] = booking.status
        except BaseException as exc:  # report in the main thread
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=book, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert not errors, errors
    assert sorted(results.values()) == ["confirmed", "waitlisted"]
    assert Booking.objects.filter(session=session, status="confirmed").count() == 1
