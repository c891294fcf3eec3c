"""Clock services: start, meet, stop, restart, the state function and the bulk refresh."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError

from lift.core import clocks as svc
from lift.core.history import acting, for_object
from lift.core.models import Agency, Clock, ClockState, Partnership
from lift.core.reference import UnknownReference
from tests.factories import AgencyFactory, PartnershipFactory

D = dt.date
pytestmark = pytest.mark.django_db


def at(day: dt.date) -> Any:
    """Freeze time at noon, London, on `day`."""
    return time_machine.travel(
        dt.datetime(day.year, day.month, day.day, 12, tzinfo=dt.UTC), tick=False
    )


@pytest.fixture
def current_partnership() -> Partnership:
    return PartnershipFactory(
        name="Fenbridge Test Partnership",
        short_name="Fenbridge",
        slug="fenbridge-test",
        regime="current",
    )


@pytest.fixture
def subject(agency: Agency) -> Agency:
    # Any saved object with a partnership can carry a clock; an agency stands in for a case.
    return agency


def start(subject: Any, rule: str, started_on: dt.date, **kw: Any) -> Clock:
    return svc.clock_start(subject=subject, rule=rule, started_on=started_on, **kw)


# --- starting ----------------------------------------------------------------------------------


def test_start_computes_due_date_over_christmas(subject: Agency, business_unit: Any) -> None:
    with at(D(2024, 12, 20)):
        clock = start(subject, "notification", D(2024, 12, 20), owner=business_unit)
    assert clock.due_on == D(2024, 12, 31)
    assert clock.rule == "urn:lift:regime:lscb-2015:deadline:notification"
    assert clock.label == "Notify Ofsted and the LSCB of the serious incident"
    assert clock.start_event == "The local authority became aware of the incident"
    assert clock.partnership == subject.partnership
    assert clock.subject == subject
    assert clock.owner == business_unit
    assert clock.state == ClockState.RUNNING


def test_start_reads_the_partnerships_regime(current_partnership: Partnership) -> None:
    agency = AgencyFactory(partnership=current_partnership)
    with at(D(2025, 4, 16)):
        clock = start(agency, "rapid-review", D(2025, 4, 16))
    assert clock.due_on == D(2025, 5, 12)
    assert clock.rule == "urn:lift:regime:current:deadline:rapid-review"
    assert clock.start_event == "The serious incident was notified to the Panel"


def test_start_on_a_partnership_itself(partnership: Partnership) -> None:
    with at(D(2025, 3, 3)):
        clock = start(partnership, "section11-follow-up", D(2025, 3, 3), label="S11 follow-up")
    assert clock.partnership == partnership
    assert clock.label == "S11 follow-up"
    assert clock.due_on == D(2025, 9, 3)


def test_start_back_dated_is_overdue_at_once(subject: Agency) -> None:
    with at(D(2025, 3, 3)):
        clock = start(subject, "notification", D(2025, 1, 6))
    assert clock.state == ClockState.OVERDUE


def test_start_refuses_a_rule_the_regime_does_not_have(subject: Agency) -> None:
    with pytest.raises(UnknownReference, match="Regime 'lscb-2015' has no deadline 'rapid-review'"):
        start(subject, "rapid-review", D(2025, 1, 6))
    assert not Clock.objects.exists()


def test_start_refuses_an_agency_from_elsewhere(subject: Agency, other_partnership: Any) -> None:
    elsewhere = AgencyFactory(partnership=other_partnership)
    with pytest.raises(ValidationError, match="same partnership"):
        start(subject, "notification", D(2025, 1, 6), agency=elsewhere)


def test_start_is_idempotent_for_the_same_start(subject: Agency) -> None:
    with at(D(2025, 1, 6)):
        first = start(subject, "notification", D(2025, 1, 6))
        again = start(subject, "notification", D(2025, 1, 6))
        assert again.pk == first.pk
        with pytest.raises(ValidationError, match="already running"):
            start(subject, "notification", D(2025, 1, 7))
    assert Clock.objects.count() == 1


def test_start_records_history(subject: Agency) -> None:
    with at(D(2025, 1, 6)), acting(source="web"):
        clock = start(subject, "notification", D(2025, 1, 6))
    entry = for_object(clock).get()
    assert entry.action == "create" and entry.source == "web"


def test_notice_rule_counts_back_from_the_event(current_partnership: Partnership) -> None:
    agency = AgencyFactory(partnership=current_partnership)
    with at(D(2025, 5, 1)):
        clock = start(agency, "publication-notice", D(2025, 5, 20))
    # 7 working days before Tuesday 20 May 2025.
    assert clock.due_on == D(2025, 5, 9)
    assert clock.started_on == D(2025, 5, 1)
    assert clock.start_event == "The planned publication date: 20 May 2025"
    assert clock.state == ClockState.RUNNING


def test_notice_that_can_no_longer_be_given_is_refused(current_partnership: Partnership) -> None:
    agency = AgencyFactory(partnership=current_partnership)
    with at(D(2025, 5, 15)), pytest.raises(ValidationError) as exc:
        start(agency, "publication-notice", D(2025, 5, 20))
    assert "so by 9 May 2025" in str(exc.value)
    # Counted as the clock counts, back from the event: a publication on Saturday 24 May
    # 2025 is due its notice on Thursday 15 May, today (not Tuesday 27 May, 7 working days
    # counted forward over the bank holiday).
    assert "earliest date that allows it is 24 May 2025" in str(exc.value)
    with at(D(2025, 5, 15)):
        clock = start(agency, "publication-notice", D(2025, 5, 24))
    assert clock.due_on == D(2025, 5, 15)


def test_notice_for_a_past_publication_with_its_opening_date(subject: Agency) -> None:
    with at(D(2025, 5, 15)):
        clock = start(subject, "publication-notice", D(2025, 3, 20), opened_on=D(2025, 3, 1))
    assert clock.due_on == D(2025, 3, 13)  # one week before, 2015 rules
    assert clock.state == ClockState.OVERDUE


def test_minimum_rule_is_met_once_the_period_has_run(subject: Agency) -> None:
    with at(D(2025, 2, 1)):
        served = start(subject, "publication-period", D(2024, 1, 10))
    assert (served.due_on, served.state, served.met_on) == (
        D(2025, 1, 10),
        ClockState.MET,
        D(2025, 1, 10),
    )
    with at(D(2025, 2, 1)):
        running = start(
            AgencyFactory(partnership=subject.partnership), "publication-period", D(2025, 1, 31)
        )
    assert running.state == ClockState.RUNNING


# --- the state function -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "state"),
    [
        (D(2024, 12, 20), ClockState.RUNNING),  # 5 working days to go
        (D(2024, 12, 24), ClockState.RUNNING),  # 3 to go (27, 30, 31)
        (D(2024, 12, 26), ClockState.RUNNING),  # Boxing Day: still 3 to go
        (D(2024, 12, 27), ClockState.DUE_SOON),  # 2 to go (30, 31): the rule's due_soon_days
        (D(2024, 12, 31), ClockState.DUE_SOON),  # the due date itself
        (D(2025, 1, 1), ClockState.OVERDUE),
    ],
)
def test_clock_state_over_time(subject: Agency, today: dt.date, state: str) -> None:
    with at(D(2024, 12, 20)):
        clock = start(subject, "notification", D(2024, 12, 20))
    assert svc.clock_state(clock, today) == state


def test_clock_state_uses_the_partnership_window_when_the_rule_has_none(
    subject: Agency,
) -> None:
    partnership = subject.partnership
    partnership.reminder_days = 3
    partnership.save()
    with at(D(2025, 1, 6)):
        clock = start(subject, "scr-completion", D(2025, 1, 6))  # no due_soon_days in the file
    assert clock.due_on == D(2025, 7, 6)  # a Sunday: calendar months are not moved
    # From Monday 30 June, 4 working days remain (1-4 July); from Tuesday, 3.
    assert svc.clock_state(clock, D(2025, 6, 30)) == ClockState.RUNNING
    assert svc.clock_state(clock, D(2025, 7, 1)) == ClockState.DUE_SOON
    assert svc.clock_state(clock, D(2025, 6, 20), due_soon_days=10) == ClockState.DUE_SOON


# --- meeting, stopping, restarting --------------------------------------------------------------


def test_meet_on_time_and_late(subject: Agency, other_agency: Agency) -> None:
    with at(D(2025, 1, 20)):
        on_time = start(subject, "notification", D(2025, 1, 6))
        late = start(other_agency, "notification", D(2025, 1, 6))
        on_time = svc.clock_meet(clock=on_time, on=D(2025, 1, 13))
        late = svc.clock_meet(clock=late, on=D(2025, 1, 14))
    assert (on_time.state, on_time.met_on) == (ClockState.MET, D(2025, 1, 13))
    assert late.state == ClockState.MET_LATE
    assert not late.is_open


def test_meet_refuses_future_early_and_closed(subject: Agency) -> None:
    with at(D(2025, 1, 8)):
        clock = start(subject, "notification", D(2025, 1, 6))
        with pytest.raises(ValidationError, match="future"):
            svc.clock_meet(clock=clock, on=D(2025, 1, 9))
        with pytest.raises(ValidationError, match="before the clock started"):
            svc.clock_meet(clock=clock, on=D(2025, 1, 5))
        svc.clock_meet(clock=clock, on=D(2025, 1, 8))
        with pytest.raises(ValidationError, match="already Met"):
            svc.clock_meet(clock=clock, on=D(2025, 1, 8))


def test_stop_needs_a_reason_and_logs_it(subject: Agency) -> None:
    with at(D(2025, 1, 8)):
        clock = start(subject, "chair-decision", D(2025, 1, 6))
        with pytest.raises(ValidationError):
            svc.clock_stop(clock=clock, reason="  ")
        clock = svc.clock_stop(clock=clock, reason="Referred to another partnership")
        with pytest.raises(ValidationError, match="already Stopped"):
            svc.clock_stop(clock=clock, reason="Again")
    assert clock.state == ClockState.STOPPED
    assert svc.clock_state(clock, D(2030, 1, 1)) == ClockState.STOPPED
    assert for_object(clock).first().reason == "Referred to another partnership"


def test_restart_recomputes_and_reopens(subject: Agency) -> None:
    with at(D(2025, 1, 8)):
        clock = start(subject, "notification", D(2025, 1, 6))
        clock = svc.clock_stop(clock=clock, reason="Entered in error")
        clock = svc.clock_restart(clock=clock, started_on=D(2025, 1, 7), reason="Date corrected")
    assert (clock.started_on, clock.due_on, clock.state) == (
        D(2025, 1, 7),
        D(2025, 1, 14),
        ClockState.RUNNING,
    )
    assert clock.stopped_reason == ""
    assert for_object(clock).first().reason == "Date corrected"


def test_restart_of_a_notice_moves_the_event(current_partnership: Partnership) -> None:
    agency = AgencyFactory(partnership=current_partnership)
    with at(D(2025, 5, 1)):
        clock = start(agency, "publication-notice", D(2025, 5, 20))
        clock = svc.clock_restart(clock=clock, started_on=D(2025, 6, 10), reason="Delayed")
        assert clock.due_on == D(2025, 5, 30)
        assert clock.started_on == D(2025, 5, 1)
        with pytest.raises(ValidationError, match="before the clock started"):
            svc.clock_restart(clock=clock, started_on=D(2025, 5, 6), reason="Sooner")


# --- selecting ----------------------------------------------------------------------------------


def test_clocks_for_subject_rule_and_user(
    subject: Agency, other_agency: Agency, business_unit: Any, outsider: Any
) -> None:
    with at(D(2025, 1, 6)):
        a = start(subject, "notification", D(2025, 1, 6))
        b = start(subject, "chair-decision", D(2025, 1, 6))
        start(other_agency, "notification", D(2025, 1, 6))
    assert list(svc.clocks_for(subject)) == [a, b]
    assert list(svc.clocks_for(subject, rule="chair-decision")) == [b]
    assert list(svc.clocks_for(subject, rule=a.rule)) == [a]
    assert list(svc.clocks_for(subject, user=business_unit)) == [a, b]
    assert list(svc.clocks_for(subject, user=outsider)) == []


# --- refreshing ---------------------------------------------------------------------------------


def test_refresh_moves_states_in_bulk_and_logs_them(subject: Agency, other_agency: Agency) -> None:
    with at(D(2024, 12, 20)):
        soon = start(subject, "notification", D(2024, 12, 20))  # due 31 Dec
        later = start(subject, "chair-decision", D(2024, 12, 20))  # due 20 Jan
        met = start(other_agency, "notification", D(2024, 12, 20))
        svc.clock_meet(clock=met, on=D(2024, 12, 20))
    with acting(source="task"):
        assert svc.clocks_refresh(D(2024, 12, 27)) == 1
        assert svc.clocks_refresh(D(2024, 12, 27)) == 0  # nothing left to change
    soon.refresh_from_db()
    later.refresh_from_db()
    assert (soon.state, later.state) == (ClockState.DUE_SOON, ClockState.RUNNING)
    entry = for_object(soon).first()
    assert entry.changes == {"state": ["running", "due_soon"]} and entry.source == "task"

    assert svc.clocks_refresh(D(2025, 1, 2)) == 1  # soon goes overdue
    assert svc.clocks_refresh(D(2025, 1, 14)) == 1  # later is due soon (5 working days)
    assert set(Clock.objects.values_list("state", flat=True)) == {
        ClockState.OVERDUE,
        ClockState.DUE_SOON,
        ClockState.MET,
    }


def test_refresh_after_a_restart_moves_back_to_running(subject: Agency) -> None:
    with at(D(2025, 1, 6)):
        clock = start(subject, "notification", D(2025, 1, 6))
    svc.clocks_refresh(D(2025, 1, 20))
    clock.refresh_from_db()
    assert clock.state == ClockState.OVERDUE
    Clock.objects.filter(pk=clock.pk).update(due_on=D(2025, 2, 28))  # as a restart would
    assert svc.clocks_refresh(D(2025, 1, 20)) == 1
    clock.refresh_from_db()
    assert clock.state == ClockState.RUNNING


def test_refresh_meets_minimum_periods(subject: Agency) -> None:
    with at(D(2025, 1, 6)):
        clock = start(subject, "publication-period", D(2025, 1, 6))
    assert svc.clocks_refresh(D(2026, 1, 5)) == 0
    assert svc.clocks_refresh(D(2026, 1, 6)) == 1
    clock.refresh_from_db()
    assert (clock.state, clock.met_on) == (ClockState.MET, D(2026, 1, 6))


def test_refresh_agrees_with_clock_state_every_day(
    subject: Agency, other_agency: Agency, current_partnership: Partnership
) -> None:
    subject.partnership.reminder_days = 4
    subject.partnership.save()
    fen = AgencyFactory(partnership=current_partnership)
    with at(D(2025, 3, 20)):
        made = [
            start(subject, "notification", D(2025, 3, 20)),
            start(subject, "panel-no-decision", D(2025, 3, 21)),
            start(subject, "publication-notice", D(2025, 4, 30)),
            start(other_agency, "scr-completion", D(2024, 10, 20)),
            start(fen, "rapid-review", D(2025, 3, 20)),
            start(fen, "publication-notice", D(2025, 4, 24)),
        ]
    day = D(2025, 3, 20)
    while day <= D(2025, 5, 10):
        svc.clocks_refresh(day)
        for clock in made:
            clock.refresh_from_db()
            assert clock.state == svc.clock_state(clock, day), (clock.label, day)
        day += dt.timedelta(days=1)


def test_refresh_query_count_does_not_grow_with_clocks(
    subject: Agency, django_assert_max_num_queries: Any
) -> None:
    with at(D(2025, 1, 6)):
        for _ in range(30):
            start(AgencyFactory(partnership=subject.partnership), "notification", D(2025, 1, 6))
    with django_assert_max_num_queries(40):
        assert svc.clocks_refresh(D(2025, 1, 20)) == 30
