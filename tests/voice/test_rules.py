"""One test per rule of young people's voice."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError

from lift.voice import rules
from lift.voice.choices import MeetingStatus, TermStatus


def _term():
    return SimpleNamespace(starts_on=dt.date(2015, 9, 1), ends_on=dt.date(2015, 12, 18))


def _meeting(day, status=MeetingStatus.HELD):
    return SimpleNamespace(meets_on=day, status=status)


def test_chair_meets_forum_each_term():
    status = rules.ChairMeetsForumEachTerm.status
    term = _term()
    assert status(term, [_meeting(dt.date(2015, 10, 5))], dt.date(2016, 1, 1)) == TermStatus.MET
    # A cancelled meeting does not count; during the term it is "not yet met".
    cancelled = [_meeting(dt.date(2015, 10, 5), MeetingStatus.CANCELLED)]
    assert status(term, cancelled, dt.date(2015, 11, 1)) == TermStatus.NOT_YET_MET
    assert status(term, cancelled, dt.date(2015, 12, 19)) == TermStatus.MISSED
    # A meeting outside the term's dates does not count for it.
    outside = [_meeting(dt.date(2016, 1, 10))]
    assert status(term, outside, dt.date(2016, 2, 1)) == TermStatus.MISSED
    assert status(term, [], dt.date(2015, 8, 1)) == TermStatus.NOT_STARTED


def test_events_against_target():
    assert rules.events_against_target(3, 3).met
    short = rules.events_against_target(1, 3)
    assert not short.met and short.shortfall == 2


def test_guardian_consent_depends_on_the_partnership_age():
    assert rules.needs_guardian_consent("under_13", 13)
    assert not rules.needs_guardian_consent("13_15", 13)
    assert rules.needs_guardian_consent("13_15", 16)
    assert not rules.needs_guardian_consent("under_13", 0)


def test_retention_due():
    today = dt.date(2017, 9, 1)
    assert rules.retention_due(dt.date(2017, 9, 1), None, today)
    assert not rules.retention_due(dt.date(2017, 9, 2), None, today)
    assert not rules.retention_due(dt.date(2017, 1, 1), dt.date(2017, 1, 1), today)


def test_year_bounds():
    assert rules.year_bounds("2015/16") == (dt.date(2015, 4, 1), dt.date(2016, 3, 31))
    for bad in ("2015", "2015/17", "15/16"):
        with pytest.raises(ValidationError):
            rules.year_bounds(bad)
    assert rules.year_of(dt.date(2016, 3, 31)) == "2015/16"
    assert rules.year_of(dt.date(2016, 4, 1)) == "2016/17"


@pytest.mark.django_db
def test_member_rules(forum, youth):
    from lift.voice import services

    base = {
        "forum": forum,
        "by": youth,
        "name": "Kit",
        "joined_on": dt.date(2015, 9, 1),
        "consent_on": dt.date(2015, 9, 1),
    }
    with pytest.raises(ValidationError) as exc:
        services.member_add(age_band="under_13", **base)
    assert "guardian" in str(exc.value)
    services.member_add(age_band="under_13", guardian_consent_on=dt.date(2015, 8, 30), **base)
    with pytest.raises(ValidationError):
        services.member_add(age_band="16_17", **{**base, "consent_on": dt.date(2015, 9, 2)})
    with pytest.raises(ValidationError):
        services.member_add(age_band="16_17", retain_until=dt.date(2015, 9, 1), **base)


@pytest.mark.django_db
def test_terms_do_not_overlap(partnership, youth, terms):
    from lift.voice import services

    with pytest.raises(ValidationError):
        services.term_create(
            partnership=partnership,
            by=youth,
            name="Overlapping",
            starts_on=dt.date(2015, 12, 1),
            ends_on=dt.date(2016, 1, 10),
        )


@pytest.mark.django_db
def test_response_needs_text(consultation, youth):
    from lift.voice import services

    view = services.view_add(consultation=consultation, by=youth, said="More on online safety")
    with pytest.raises(ValidationError):
        services.view_respond(view=view, by=youth, response="we_did", response_text=" ")
