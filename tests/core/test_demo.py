"""The demo holds together in time (issue 20 item 6): built today, its dates are counted
from today and its year labels are made from its dates. Built once for the module."""

from __future__ import annotations

import datetime as dt

import pytest

from lift.core import demo

from .demo_checks import long_overdue, mislabelled, not_current, stray_years

pytestmark = pytest.mark.django_db


# --- the demo built today ------------------------------------------------------------


def test_no_open_record_has_a_deadline_long_past(built: demo.DemoContext) -> None:
    assert long_overdue(built.today) == []


def test_every_year_label_follows_from_its_records_dates(built: demo.DemoContext) -> None:
    assert mislabelled(built.today) == []


def test_no_year_outside_the_recent_window(built: demo.DemoContext) -> None:
    assert stray_years(built.today) == []


def test_the_story_is_current(built: demo.DemoContext) -> None:
    assert not_current(built.today) == []


def test_the_story_keeps_its_parts(built: demo.DemoContext) -> None:
    """The 2015-rules partnership keeps its rules; its reviews, cycle and letters are recent;
    the learning demo has a recommendation at every status, one implemented."""
    from lift.learning.choices import RecommendationStatus
    from lift.learning.models import Recommendation
    from lift.reviews.models import Incident

    assert built.partnership.regime == "lscb-2015"
    recent = built.today - dt.timedelta(days=365)
    assert Incident.objects.filter(partnership=built.partnership).exists()
    assert not Incident.objects.filter(
        partnership=built.partnership, became_aware_on__lt=recent
    ).exists()
    statuses = set(
        Recommendation.objects.filter(partnership=built.partnership)
        .with_status()
        .values_list("status", flat=True)
    )
    assert {
        RecommendationStatus.IMPLEMENTED,
        RecommendationStatus.IN_PROGRESS,
        RecommendationStatus.NOT_ACCEPTED,
        RecommendationStatus.PENDING,
    } <= statuses
