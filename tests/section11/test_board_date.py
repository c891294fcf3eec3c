"""A corrected Board date moves the Section 11 follow-up clock (issue 18, item 2)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import time_machine

from lift.core import history
from lift.core.clocks import clocks_for
from lift.section11 import services
from tests.section11.test_services import _submitted


def _report(make_framework: Any, make_cycle: Any, agency: Any, lead: Any, bu: Any) -> Any:
    cycle, _ret = _submitted(make_framework, make_cycle, agency, lead)
    return services.overview_create(
        cycle=cycle, summary="All agencies returned.", key_areas="Supervision", by=bu
    )


def test_correcting_the_board_date_moves_the_follow_up_clock(
    make_framework: Any, make_cycle: Any, agency: Any, lead: Any, business_unit: Any, chair: Any
) -> None:
    report = _report(make_framework, make_cycle, agency, lead, business_unit)
    with time_machine.travel(dt.datetime(2016, 10, 3, 10, 0), tick=False):
        clock = services.overview_present(report=report, board_date=dt.date(2016, 6, 1), by=chair)
        assert (clock.due_on, clock.state) == (dt.date(2016, 12, 1), "running")
        moved = services.overview_present(report=report, board_date=dt.date(2016, 3, 1), by=chair)
    assert moved.pk == clock.pk
    assert (moved.due_on, moved.state) == (dt.date(2016, 9, 1), "overdue")
    restart = history.for_object(moved).filter(action="update").first()
    assert restart is not None and "due_on" in restart.changes
    assert "1 June 2016" in restart.reason and "1 March 2016" in restart.reason
    report.refresh_from_db()
    assert "board_date" in history.for_object(report).filter(action="update")[0].changes


def test_a_presented_follow_up_stays_met_on_its_day(
    make_framework: Any, make_cycle: Any, agency: Any, lead: Any, business_unit: Any, chair: Any
) -> None:
    report = _report(make_framework, make_cycle, agency, lead, business_unit)
    with time_machine.travel(dt.datetime(2016, 10, 3, 10, 0), tick=False):
        services.overview_present(report=report, board_date=dt.date(2016, 3, 20), by=chair)
        follow_up = services.follow_up_generate(report=report, by=chair)
        services.follow_up_present(follow_up=follow_up, board_date=dt.date(2016, 9, 15), by=chair)
        assert clocks_for(report).get().state == "met"  # due 20 September
        services.overview_present(report=report, board_date=dt.date(2016, 3, 10), by=chair)
    clock = clocks_for(report).get()  # restarted, not a second clock
    assert (clock.due_on, clock.met_on) == (dt.date(2016, 9, 10), dt.date(2016, 9, 15))
    assert clock.state == "met_late"
