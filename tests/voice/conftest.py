"""Fixtures of young people's voice."""

from __future__ import annotations

import datetime as dt

import pytest

from lift.voice import services


@pytest.fixture
def youth(make_person):
    return make_person("youth_coordinator", full_name="Yan Youth")


@pytest.fixture
def board_member(make_person):
    return make_person("board_member", full_name="Bo Board")


@pytest.fixture
def forum(partnership, youth):
    return services.forum_save(
        partnership=partnership, by=youth, name="Harrowmere Youth Forum", youth_service="Teen Hub"
    )


@pytest.fixture
def member(forum, youth):
    return services.member_add(
        forum=forum,
        by=youth,
        name="Ash",
        age_band="13_15",
        joined_on=dt.date(2015, 9, 1),
        consent_on=dt.date(2015, 9, 1),
        retain_until=dt.date(2017, 9, 1),
    )


@pytest.fixture
def terms(partnership, youth):
    return [
        services.term_create(partnership=partnership, by=youth, name=name, starts_on=s, ends_on=e)
        for name, s, e in [
            ("Autumn 2015", dt.date(2015, 9, 1), dt.date(2015, 12, 18)),
            ("Spring 2016", dt.date(2016, 1, 4), dt.date(2016, 3, 24)),
            ("Summer 2016", dt.date(2016, 4, 11), dt.date(2016, 7, 20)),
        ]
    ]


@pytest.fixture
def consultation(partnership, youth):
    return services.consultation_create(
        partnership=partnership,
        by=youth,
        topic="Feeling safe online",
        opened_on=dt.date(2015, 11, 2),
        closed_on=dt.date(2015, 11, 30),
    )
