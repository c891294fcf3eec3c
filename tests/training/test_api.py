"""The training API: same scope as the pages; booking, cancelling, attendance, evaluation."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from lift.core.models import Person
from lift.training import services
from lift.training.models import Booking, TrainingSession

pytestmark = pytest.mark.django_db

API = "/api/v1/training"


@pytest.fixture
def upcoming(make_session: Callable[..., TrainingSession], trainer: Person) -> TrainingSession:
    import datetime as dt

    from django.utils import timezone

    return make_session(starts_on=timezone.localdate() + dt.timedelta(days=20), capacity=1)


def test_lists_are_scoped(
    upcoming: TrainingSession,
    learner: Person,
    outsider: Person,
    client_for: Callable[[Person], Client],
) -> None:
    response = client_for(learner).get(f"{API}/sessions/")
    assert response.status_code == 200
    rows = response.json()["results"]
    assert rows[0]["places_left"] == 1
    assert client_for(outsider).get(f"{API}/sessions/").json()["results"] == []
    assert client_for(outsider).get(f"{API}/courses/{upcoming.course_id}/").status_code == 404
    assert Client().get(f"{API}/courses/").status_code in (401, 403)


def test_book_cancel_and_capacity(
    upcoming: TrainingSession,
    learner: Person,
    other_learner: Person,
    lead: Person,
    client_for: Callable[[Person], Client],
) -> None:
    c = client_for(learner)
    response = c.post(
        f"{API}/bookings/book/", {"session": upcoming.pk}, content_type="application/json"
    )
    assert response.status_code == 201, response.json()
    assert response.json()["status"] == "confirmed"
    again = c.post(
        f"{API}/bookings/book/", {"session": upcoming.pk}, content_type="application/json"
    )
    assert again.status_code == 400
    assert "already booked" in str(again.json()["errors"])
    other = client_for(other_learner).post(
        f"{API}/bookings/book/", {"session": upcoming.pk}, content_type="application/json"
    )
    assert other.json()["status"] == "waitlisted"
    # A lead cannot book someone from another agency.
    refused = client_for(lead).post(
        f"{API}/bookings/book/",
        {"session": upcoming.pk, "learner": other_learner.pk},
        content_type="application/json",
    )
    assert refused.status_code == 403
    booking_id = response.json()["id"]
    cancel = c.post(
        f"{API}/bookings/{booking_id}/cancel/", {"reason": "Clash"}, content_type="application/json"
    )
    assert cancel.status_code == 200 and cancel.json()["status"] == "cancelled"
    assert Booking.objects.get(learner=other_learner).status == "offered"
    # Someone else's booking is not found.
    assert client_for(other_learner).post(f"{API}/bookings/{booking_id}/cancel/").status_code == 404


def test_mark_attendance_and_evaluate(
    make_session: Callable[..., TrainingSession],
    learner: Person,
    trainer: Person,
    client_for: Callable[[Person], Client],
) -> None:
    import datetime as dt

    from django.utils import timezone

    today = timezone.localdate()
    session = make_session(starts_on=today - dt.timedelta(days=1))
    booking = services.booking_create(
        session=session, learner=learner, by=learner, today=today - dt.timedelta(days=9)
    )
    url = f"{API}/bookings/{booking.pk}/mark_attendance/"
    assert (
        client_for(learner)
        .post(url, {"attendance": "attended"}, content_type="application/json")
        .status_code
        == 403
    )
    response = client_for(trainer).post(
        url, {"attendance": "attended"}, content_type="application/json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["attendance"] == "attended"
    answers = {"overall": 5, "outcomes_met": 4, "trainer": 5, "relevance": 4}
    evaluate = f"{API}/bookings/{booking.pk}/evaluate/"
    assert (
        client_for(trainer)
        .post(evaluate, {"kind": "reaction", "answers": answers}, content_type="application/json")
        .status_code
        == 403
    )
    response = client_for(learner).post(
        evaluate, {"kind": "reaction", "answers": answers}, content_type="application/json"
    )
    assert response.status_code == 201, response.json()
    assert response.json()["question_set_version"] == 1
    listed = client_for(learner).get(f"{API}/evaluations/").json()["results"]
    assert [e["kind"] for e in listed] == ["reaction"]
