"""Edits are operations (issue 18, item 2): the training edit pages save through their
`<noun>_update` services, which refuse a field they do not offer."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from lift.core import history
from lift.core.models import Agency, Partnership, Person
from lift.training import services
from lift.training.models import Course, Programme


def register_entry(agency: Agency) -> Any:
    return services.agency_training_record(
        agency=agency,
        title="Induction",
        level=1,
        period_start=dt.date(2025, 4, 1),
        period_end=dt.date(2025, 6, 30),
        number_trained=20,
    )


def test_programme_update(programme: Programme, business_unit: Person) -> None:
    services.programme_update(programme=programme, by=business_unit, title="Renamed")
    programme.refresh_from_db()
    assert programme.title == "Renamed"
    with pytest.raises(ValidationError, match="cannot be changed here: status"):
        services.programme_update(programme=programme, by=business_unit, title="X", status="y")
    programme.refresh_from_db()
    assert programme.title == "Renamed"


def test_course_update(course: Course, business_unit: Person) -> None:
    services.course_update(course=course, by=business_unit, title="Neglect", themes=[])
    course.refresh_from_db()
    assert course.title == "Neglect" and not course.themes.exists()
    with pytest.raises(ValidationError, match="programme"):
        services.course_update(course=course, by=business_unit, title="X", programme=None)
    course.refresh_from_db()
    assert course.title == "Neglect" and course.programme_id is not None


def test_agency_training_update(agency: Agency, business_unit: Person) -> None:
    entry = register_entry(agency)
    services.agency_training_update(agency_training=entry, by=business_unit, number_trained=25)
    entry.refresh_from_db()
    assert entry.number_trained == 25
    with pytest.raises(ValidationError, match="partnership"):
        services.agency_training_update(
            agency_training=entry, by=business_unit, number_trained=30, partnership=None
        )
    entry.refresh_from_db()
    assert entry.number_trained == 25


def test_needs_assessment_update(partnership: Partnership, business_unit: Person) -> None:
    needs = services.needs_assessment_create(
        partnership=partnership,
        year="2026/27",
        title="Needs assessment",
        opens_on=dt.date(2025, 5, 1),
        closes_on=dt.date(2025, 6, 1),
    )
    services.needs_assessment_update(needs_assessment=needs, by=business_unit, title="Needs")
    needs.refresh_from_db()
    assert needs.title == "Needs"
    with pytest.raises(ValidationError, match="status"):
        services.needs_assessment_update(
            needs_assessment=needs, by=business_unit, title="X", status="closed"
        )
    needs.refresh_from_db()
    assert needs.title == "Needs"


def test_training_settings_update(partnership: Partnership, business_unit: Person) -> None:
    conf = services.training_settings(partnership)
    services.training_settings_update(training_settings=conf, by=business_unit, offer_hold_days=5)
    conf.refresh_from_db()
    assert conf.offer_hold_days == 5
    with pytest.raises(ValidationError, match="partnership"):
        services.training_settings_update(
            training_settings=conf, by=business_unit, offer_hold_days=6, partnership=None
        )
    conf.refresh_from_db()
    assert conf.offer_hold_days == 5


def test_edit_pages_save_through_the_services_with_the_reason(
    programme: Programme,
    agency: Agency,
    business_unit: Person,
    client_for: Callable[[Person], Client],
) -> None:
    c = client_for(business_unit)
    response = c.post(
        reverse("training:programme_edit", args=[programme.pk]),
        {
            "year": programme.year,
            "title": "Programme, corrected",
            "summary": "",
            "starts_on": "2025-04-01",
            "ends_on": "2026-03-31",
            "themes": [t.pk for t in programme.themes.all()],
            "change_reason": "Typo in the title.",
        },
    )
    assert response.status_code == 302, response.content.decode()
    programme.refresh_from_db()
    assert programme.title == "Programme, corrected"
    change = history.for_object(programme).filter(action="update")[0]
    assert "title" in change.changes and change.reason == "Typo in the title."

    entry = register_entry(agency)
    response = c.post(
        reverse("training:agencytraining_edit", args=[entry.pk]),
        {
            "agency": agency.pk,
            "title": "Induction",
            "level": 1,
            "period_start": "2025-04-01",
            "period_end": "2025-06-30",
            "number_trained": 22,
            "notes": "",
            "change_reason": "Two more came.",
        },
    )
    assert response.status_code == 302, response.content.decode()
    entry.refresh_from_db()
    assert entry.number_trained == 22
    change = history.for_object(entry).filter(action="update")[0]
    assert change.reason == "Two more came."
