"""Corrected dates: clocks_restart_from and clock_meet_correct (issue 18, item 2)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from lift.core import clocks as svc
from lift.core.history import for_object
from lift.core.models import Agency, ClockState
from tests.core.test_clocks import at

D = dt.date
pytestmark = pytest.mark.django_db


def test_restart_from_moves_only_the_clocks_counting_from_the_event(agency: Agency) -> None:
    with at(D(2025, 6, 2)):
        notification = svc.clock_start(
            subject=agency, rule="notification", started_on=D(2025, 5, 20)
        )
        decision = svc.clock_start(subject=agency, rule="chair-decision", started_on=D(2025, 5, 21))
        assert notification.state == ClockState.OVERDUE
        moved = svc.clocks_restart_from(
            subject=agency, event="became-aware", started_on=D(2025, 5, 30), reason="Corrected."
        )
    assert [c.pk for c in moved] == [notification.pk]
    notification.refresh_from_db()
    decision.refresh_from_db()
    assert notification.due_on == D(2025, 6, 6) and notification.state != ClockState.OVERDUE
    assert decision.due_on == D(2025, 6, 21)  # counts from the notification: not moved
    assert for_object(notification).filter(action="update")[0].reason == "Corrected."


def test_restart_from_keeps_a_met_clock_met_and_a_stopped_one_stopped(agency: Agency) -> None:
    with at(D(2025, 6, 2)):
        met = svc.clock_start(subject=agency, rule="notification", started_on=D(2025, 5, 20))
        svc.clock_meet(clock=met, on=D(2025, 5, 27))
        stopped = svc.clock_start(subject=agency, rule="chair-decision", started_on=D(2025, 5, 27))
        svc.clock_stop(clock=stopped, reason="No longer applies.")
        svc.clocks_restart_from(
            subject=agency, event="became-aware", started_on=D(2025, 5, 13), reason="Corrected."
        )
        svc.clocks_restart_from(
            subject=agency, event="notification", started_on=D(2025, 5, 20), reason="Corrected."
        )
    met.refresh_from_db()
    stopped.refresh_from_db()
    # From 13 May: due 20 May; done on 27 May, so met late.
    assert (met.due_on, met.met_on, met.state) == (D(2025, 5, 20), D(2025, 5, 27), "met_late")
    assert stopped.state == ClockState.STOPPED and stopped.due_on == D(2025, 6, 27)


def test_meet_correct_moves_the_met_day_with_a_reason(agency: Agency) -> None:
    with at(D(2025, 6, 2)):
        clock = svc.clock_start(subject=agency, rule="notification", started_on=D(2025, 5, 20))
        svc.clock_meet(clock=clock, on=D(2025, 5, 30))
        assert svc.clock_meet_correct(
            clock=clock, on=D(2025, 5, 23), reason="Wrong day."
        ).state == (ClockState.MET)
        with pytest.raises(ValidationError):
            svc.clock_meet_correct(clock=clock, on=D(2025, 5, 23), reason=" ")
        with pytest.raises(ValidationError, match="future"):
            svc.clock_meet_correct(clock=clock, on=D(2025, 6, 9), reason="Wrong day.")
    assert for_object(clock).filter(action="update")[0].reason == "Wrong day."
