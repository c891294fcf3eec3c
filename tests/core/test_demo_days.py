"""The demo holds together whatever day it is built on (issue 20 item 6): built with time
frozen on the days the financial year, the school year and the month turn, where a story
placed with fixed offsets would fall apart."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from .demo_checks import build_demo, long_overdue, mislabelled, not_current, stray_years


@pytest.mark.django_db
@pytest.mark.parametrize(
    "day",
    [
        dt.date(2027, 4, 1),  # the financial year and the summer term begin
        dt.date(2028, 3, 31),  # the financial year ends; a leap year's spring term
    ],
    ids=str,
)
def test_the_demo_holds_together_whatever_the_day(day: dt.date) -> None:
    with time_machine.travel(dt.datetime.combine(day, dt.time(9)), tick=False):
        ctx = build_demo()
        assert ctx.today == day
        assert long_overdue(day) == []
        assert mislabelled(day) == []
        assert stray_years(day) == []
        assert not_current(day) == []
