"""The training dashboard counts its figures and draws its charts once per version of the
data (one query), and draws them again as soon as any figure's rows change."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lift.core.models import Agency, Partnership, Person
from lift.training import reports, services
from lift.training.models import Booking, Course, Programme, TrainingSession

from .test_reports import _attendances

pytestmark = pytest.mark.django_db


@pytest.fixture
def delivered(course: Course, programme: Programme) -> TrainingSession:
    return services.session_create(
        course=course, starts_on=dt.date(2025, 5, 20), capacity=200, venue="Hall"
    )


@pytest.fixture
def counted(monkeypatch: Any) -> list[int]:
    """Counts how often the dashboard's figures are computed."""
    calls: list[int] = []
    real = reports.annual_report

    def counting(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(reports, "annual_report", counting)
    return calls


def test_version_is_one_query_and_follows_the_rows(
    partnership: Partnership,
    programme: Programme,
    delivered: TrainingSession,
    agency: Agency,
    learner: Person,
) -> None:
    with CaptureQueriesContext(connection) as q:
        first = reports.dashboard_version(partnership, programme)
    assert len(q) == 1
    assert reports.dashboard_version(partnership, programme) == first
    with time_machine.travel(dt.datetime(2025, 6, 2, 10, 0), tick=False):
        _attendances(partnership, agency, delivered, 3)
        inserted = reports.dashboard_version(partnership, programme)
    assert inserted != first
    with time_machine.travel(dt.datetime(2025, 6, 2, 10, 5), tick=False):
        booking = Booking.objects.filter(session=delivered).first()
        assert booking is not None
        booking.attendance = "no_show"
        booking.save()
        updated = reports.dashboard_version(partnership, programme)
    assert updated != inserted
    booking.delete()
    assert reports.dashboard_version(partnership, programme) != updated
    # Another programme year is another version; so is another day.
    assert reports.dashboard_version(partnership, None) != reports.dashboard_version(
        partnership, programme
    )
    with time_machine.travel(dt.datetime(2031, 1, 1, 9, 0)):
        another_day = reports.dashboard_version(partnership, programme)
    assert another_day != reports.dashboard_version(partnership, programme)


def test_dashboard_drawn_once_per_data_version(
    partnership: Partnership,
    programme: Programme,
    delivered: TrainingSession,
    agency: Agency,
    business_unit: Person,
    client_for: Callable[[Person], Client],
    counted: list[int],
    django_assert_max_num_queries: Any,
) -> None:
    _attendances(partnership, agency, delivered, 40)
    c = client_for(business_unit)
    url = reverse("training:dashboard")
    assert c.get(url).status_code == 200
    assert len(counted) == 1
    with django_assert_max_num_queries(8):
        page = c.get(url)
    assert page.status_code == 200 and "Places offered, taken and attended" in page.text
    assert len(counted) == 1  # the figures were not counted again
    # A change to the rows the figures come from: counted and drawn again.
    _attendances(partnership, agency, delivered, 5)
    assert c.get(url).status_code == 200
    assert len(counted) == 2
