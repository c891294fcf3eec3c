"""Fixtures of the training tests: a programme, courses, a session, people by role."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from lift.core.models import Agency, Partnership, Person
from lift.training import services
from lift.training.models import Course, Programme, TrainingSession

TODAY = dt.date(2025, 5, 1)


@pytest.fixture
def programme(partnership: Partnership) -> Programme:
    return services.programme_create(
        partnership=partnership,
        year="2025/26",
        title="Multi-agency training programme",
        starts_on=dt.date(2025, 4, 1),
        ends_on=dt.date(2026, 3, 31),
        themes=["neglect"],
    )


@pytest.fixture
def course(partnership: Partnership, programme: Programme) -> Course:
    return services.course_create(
        partnership=partnership,
        programme=programme,
        title="Neglect: recognising cumulative harm",
        level=2,
        format="course",
        learning_outcomes="Recognise cumulative harm\nUse the neglect toolkit",
        trainer_kind="external",
        trainer_name="A. Trainer (fictional)",
        themes=["neglect"],
    )


@pytest.fixture
def make_session(course: Course) -> Callable[..., TrainingSession]:
    def make(**kwargs: Any) -> TrainingSession:
        values: dict[str, Any] = {
            "course": course,
            "starts_on": dt.date(2025, 6, 10),
            "capacity": 2,
            "venue": "Harrowmere Civic Centre, Room 2 (fictional)",
        }
        values.update(kwargs)
        return services.session_create(**values)

    return make


@pytest.fixture
def session(make_session: Callable[..., TrainingSession]) -> TrainingSession:
    return make_session()


@pytest.fixture
def trainer(make_person: Callable[..., Person]) -> Person:
    return make_person("trainer", full_name="Tina Trainer")


@pytest.fixture
def manager(make_person: Callable[..., Person], agency: Agency) -> Person:
    return make_person("line_manager", agency=agency, full_name="Mo Manager")


@pytest.fixture
def managed_learner(learner: Person, manager: Person) -> Person:
    learner.line_manager = manager
    learner.save()
    return learner


@pytest.fixture
def other_lead(make_person: Callable[..., Person], other_agency: Agency) -> Person:
    return make_person("safeguarding_lead", agency=other_agency, full_name="Ola Otherlead")


@pytest.fixture
def other_learner(make_person: Callable[..., Person], other_agency: Agency) -> Person:
    return make_person("learner", agency=other_agency, full_name="Pat Police")
