"""The "My training" panel: questionnaires to answer and bookings coming up, in one query."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lift.core.models import Person
from lift.training import selectors, services
from lift.training.choices import EvaluationKind
from lift.training.models import TrainingSession

pytestmark = pytest.mark.django_db

TODAY = dt.date(2025, 6, 20)


def test_home_bookings_lists_what_to_answer_and_what_is_coming_in_one_query(
    make_session: Callable[..., TrainingSession], learner: Person, trainer: Person
) -> None:
    past = make_session(starts_on=dt.date(2025, 6, 10))
    coming = make_session(starts_on=dt.date(2025, 7, 1))
    later = make_session(starts_on=dt.date(2025, 8, 1))
    attended = services.booking_create(
        session=past, learner=learner, by=learner, today=dt.date(2025, 6, 1)
    )
    services.register_mark(
        session=past, marks={attended.pk: "attended"}, by=trainer, today=dt.date(2025, 6, 10)
    )
    first = services.booking_create(session=coming, learner=learner, by=learner, today=TODAY)
    second = services.booking_create(session=later, learner=learner, by=learner, today=TODAY)
    services.evaluation_submit(
        booking=second,
        kind=EvaluationKind.PRE,
        respondent=learner,
        answers={"recognise": 3, "procedures": 3, "share": 3, "escalate": 3},
        today=TODAY,
    )

    with CaptureQueriesContext(connection) as queries:
        to_answer, upcoming = selectors.home_bookings(learner, past.partnership, TODAY)
        kinds = [(item["booking"].pk, item["kind"]) for item in to_answer]
        titles = [b.session.course.title for b in upcoming]
    assert len(queries) == 1
    assert upcoming == [first, second] and len(titles) == 2
    # before-course questions for the first coming booking only (the second has answered);
    # feedback and after-course questions for the attended one
    assert set(kinds) == {
        (first.pk, EvaluationKind.PRE),
        (attended.pk, EvaluationKind.REACTION),
        (attended.pk, EvaluationKind.POST),
    }
    assert selectors.evaluations_to_complete(learner, past.partnership, TODAY) == to_answer


def test_home_panel_query_count_does_not_grow_with_bookings(
    make_session: Callable[..., TrainingSession],
    make_person: Callable[..., Any],
    client_for: Callable[[Person], Any],
) -> None:
    learner = make_person("learner")
    counts = []
    for month in (7, 8, 9, 10):
        session = make_session(starts_on=dt.date(2099, month, 1))
        services.booking_create(session=session, learner=learner, by=learner)
        with CaptureQueriesContext(connection) as queries:
            assert client_for(learner).get("/").status_code == 200
        counts.append(len(queries))
    assert len(set(counts)) == 1, counts


def test_panel_reads_only_the_lists_that_can_have_rows(
    make_session: Callable[..., TrainingSession],
    make_person: Callable[..., Any],
    managed_learner: Person,
    manager: Person,
) -> None:
    """One query says which of the three lists can have rows; a person with no bookings,
    no reports' approvals and no follow-ups costs that one query alone."""
    from types import SimpleNamespace

    from lift.training.panels import my_training

    session = make_session(starts_on=dt.date(2099, 7, 1))
    conf = services.training_settings(session.partnership)
    conf.requires_manager_approval = True
    conf.save()
    services.booking_create(session=session, learner=managed_learner, by=managed_learner)

    def panel(person: Person) -> Any:
        return my_training(SimpleNamespace(user=person, partnership=session.partnership))

    items = panel(manager)["items"]
    assert [i["tag"] for i in items] == ["Approval"]
    assert selectors.home_work(managed_learner, session.partnership) == (True, False, False)
    nobody = make_person("learner")
    with CaptureQueriesContext(connection) as queries:
        assert panel(nobody)["items"] == []
    assert len(queries) == 1
