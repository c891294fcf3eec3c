"""One test per named rule of the child death review area."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from lift.cdop import rules


def test_joint_agency_response_needed_by_any_criterion():
    assert rules.joint_agency_response_needed(["custody-detention"]) is True
    assert rules.joint_agency_response_needed([]) is False
    with pytest.raises(ValidationError):
        rules.joint_agency_response_needed(["unknown"])


def test_unexpected_with_jar():
    rules.UnexpectedWithJar.check("unexpected", True)
    with pytest.raises(ValidationError):
        rules.UnexpectedWithJar.check("expected", True)


def test_jar_dates_need_response():
    rules.JarDatesNeedResponse.check(True, dt.date(2025, 1, 1), dt.date(2025, 1, 2))
    with pytest.raises(ValidationError):
        rules.JarDatesNeedResponse.check(False, dt.date(2025, 1, 1), None)
    with pytest.raises(ValidationError):
        rules.JarDatesNeedResponse.check(True, dt.date(2025, 1, 2), dt.date(2025, 1, 1))


def test_category_in_list_has_ten():
    from lift.cdop.reference import cdop_reference

    assert [c.number for c in cdop_reference().categories] == list(range(1, 11))
    rules.CategoryInList.check("infection")
    with pytest.raises(ValidationError):
        rules.CategoryInList.check("misadventure")


@pytest.mark.parametrize("score", [0, 1, 2])
def test_domain_score_in_scale_accepts(score):
    rules.DomainScoreInScale.check(score)


@pytest.mark.parametrize("score", [3, -1, "2", True, None])
def test_domain_score_in_scale_refuses(score):
    with pytest.raises(ValidationError):
        rules.DomainScoreInScale.check(score)


def test_every_domain_scored():
    rules.EveryDomainScored.check({"child": 0, "social": 1, "physical": 2, "service": 1})
    with pytest.raises(ValidationError):
        rules.EveryDomainScored.check({"child": 0, "social": 1, "physical": 2})


def test_modifiable_outcome_in_list():
    rules.ModifiableOutcomeInList.check("insufficient")
    with pytest.raises(ValidationError):
        rules.ModifiableOutcomeInList.check("perhaps")


def test_modifiable_needs_contributing_factor():
    rules.ModifiableNeedsContributingFactor.check("identified", [1, 2])
    rules.ModifiableNeedsContributingFactor.check("none", [1, 1])
    with pytest.raises(ValidationError):
        rules.ModifiableNeedsContributingFactor.check("identified", [1, 1, 0])


def test_factor_in_list():
    rules.FactorInList.check(["consanguinity"])
    with pytest.raises(ValidationError):
        rules.FactorInList.check(["bad-luck"])


def test_report_link_usable():
    later = timezone.now() + dt.timedelta(days=1)
    assert rules.ReportLinkUsable.usable(later, None)
    assert not rules.ReportLinkUsable.usable(later, timezone.now())
    assert not rules.ReportLinkUsable.usable(timezone.now() - dt.timedelta(seconds=1), None)


def test_link_outlives_due_date():
    rules.LinkOutlivesDueDate.check(dt.date(2025, 1, 10), dt.date(2025, 1, 10))
    with pytest.raises(ValidationError):
        rules.LinkOutlivesDueDate.check(dt.date(2025, 1, 10), dt.date(2025, 1, 9))


@pytest.mark.parametrize(
    ("dob", "band"),
    [
        (dt.date(2025, 3, 1), "neonatal"),
        (dt.date(2024, 12, 1), "infant"),
        (dt.date(2024, 3, 10), "1-4"),
        (dt.date(2020, 3, 10), "5-9"),
        (dt.date(2015, 3, 10), "10-14"),
        (dt.date(2008, 3, 11), "15-17"),
        (None, "unknown"),
    ],
)
def test_age_band(dob, band):
    assert rules.age_band(dob, dt.date(2025, 3, 10)) == band


def test_age_band_refuses_adults_and_birth_after_death():
    with pytest.raises(ValidationError):
        rules.age_band(dt.date(2000, 1, 1), dt.date(2025, 3, 10))
    with pytest.raises(ValidationError):
        rules.age_band(dt.date(2025, 4, 1), dt.date(2025, 3, 10))


def test_suppress_hides_small_counts_and_a_complement():
    out = rules.suppress({"a": 12, "b": 3, "c": 7, "d": 0}, 5)
    assert out["b"] is None and out["d"] == 0
    assert out["c"] is None and out["a"] == 12  # the smallest other count goes too
    assert rules.suppress({"a": 2, "b": 1}, 5) == {"a": None, "b": None}
    assert rules.suppress({"a": 9, "b": 6}, 5) == {"a": 9, "b": 6}
    assert rules.suppress_total(4, 5) is None and rules.suppress_total(0, 5) == 0
