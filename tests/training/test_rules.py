"""One test per training rule (rules.py)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from lift.training import rules
from lift.training.choices import Attendance, BookingStatus

pytestmark = pytest.mark.django_db


def _session(**kw: Any) -> Any:
    values = {
        "starts_on": dt.date(2025, 6, 10),
        "ends_on": dt.date(2025, 6, 10),
        "is_cancelled": False,
        "capacity": 10,
    }
    values.update(kw)
    return SimpleNamespace(**values)


def _settings(**kw: Any) -> Any:
    values = {
        "cancellation_notice_days": 5,
        "non_attendance_charge": Decimal("0"),
        "follow_up_interval_months": None,
    }
    values.update(kw)
    return SimpleNamespace(**values)


def test_level3_funded_by_requesters() -> None:
    rules.level3_funded_by_requesters(SimpleNamespace(level=3, paid_by="requesting_agencies"))
    rules.level3_funded_by_requesters(SimpleNamespace(level=2, paid_by="partnership"))
    with pytest.raises(ValidationError, match="fully funded"):
        rules.level3_funded_by_requesters(SimpleNamespace(level=3, paid_by="partnership"))


def test_level3_session_needs_commission(course: Any, agency: Any) -> None:
    rules.level3_session_needs_commission(course)  # level 2: no commission needed
    course.level, course.paid_by = 3, "requesting_agencies"
    with pytest.raises(ValidationError, match="commissioning agency"):
        rules.level3_session_needs_commission(course)


def test_cascade_needs_train_the_trainer() -> None:
    rules.cascade_needs_train_the_trainer(SimpleNamespace(format="train_the_trainer"))
    with pytest.raises(ValidationError, match="train-the-trainer"):
        rules.cascade_needs_train_the_trainer(SimpleNamespace(format="course"))


def test_programme_approval_recorded() -> None:
    ok = SimpleNamespace(
        status="approved", approved_by_body="Executive", approved_on=dt.date(2015, 9, 16)
    )
    rules.programme_approval_recorded(ok)
    with pytest.raises(ValidationError, match="Executive"):
        rules.programme_approval_recorded(
            SimpleNamespace(status="approved", approved_by_body="", approved_on=None)
        )


def test_session_open_for_booking() -> None:
    rules.session_open_for_booking(_session(), dt.date(2025, 6, 9))
    with pytest.raises(ValidationError, match="already started"):
        rules.session_open_for_booking(_session(), dt.date(2025, 6, 10))
    with pytest.raises(ValidationError, match="cancelled"):
        rules.session_open_for_booking(_session(is_cancelled=True), dt.date(2025, 6, 1))


def test_no_double_booking() -> None:
    learner = SimpleNamespace(pk=7, __str__=lambda self: "L")
    rules.no_double_booking(_session(), learner, [])
    with pytest.raises(ValidationError, match="already booked"):
        rules.no_double_booking(_session(), learner, [SimpleNamespace(learner_id=7)])


def test_places_left() -> None:
    assert rules.places_left(_session(capacity=3), 1) == 2
    assert rules.places_left(_session(capacity=3), 5) == 0


def test_cancellation_is_late() -> None:
    # Session on Tuesday 10 June 2025; 5 working days before is Tuesday 3 June.
    assert not rules.cancellation_is_late(_session(), _settings(), dt.date(2025, 6, 2))
    assert rules.cancellation_is_late(_session(), _settings(), dt.date(2025, 6, 3))


def test_can_cancel() -> None:
    rules.can_cancel(_session(), dt.date(2025, 6, 9))
    with pytest.raises(ValidationError, match="has started"):
        rules.can_cancel(_session(), dt.date(2025, 6, 10))


def test_attendance_needs_live_session() -> None:
    rules.attendance_needs_live_session(_session(), dt.date(2025, 6, 10))
    with pytest.raises(ValidationError, match="not started"):
        rules.attendance_needs_live_session(_session(), dt.date(2025, 6, 9))
    with pytest.raises(ValidationError, match="cancelled"):
        rules.attendance_needs_live_session(_session(is_cancelled=True), dt.date(2025, 6, 10))


def test_attendance_needs_place() -> None:
    ok = SimpleNamespace(status=BookingStatus.CONFIRMED)
    rules.attendance_needs_place(ok)  # type: ignore[arg-type]
    waiting = SimpleNamespace(
        status=BookingStatus.WAITLISTED,
        learner="Lou",
        get_status_display=lambda: "On the waiting list",
    )
    with pytest.raises(ValidationError, match="no confirmed place"):
        rules.attendance_needs_place(waiting)  # type: ignore[arg-type]


def test_non_attendance_charge() -> None:
    charged = _settings(non_attendance_charge=Decimal("45"))
    assert rules.non_attendance_charge(Attendance.NO_SHOW, charged) == Decimal("45")
    assert rules.non_attendance_charge(Attendance.CANCELLED_LATE, charged) == Decimal("45")
    assert rules.non_attendance_charge(Attendance.ATTENDED, charged) is None
    assert rules.non_attendance_charge(Attendance.NO_SHOW, _settings()) is None


def test_evaluation_allowed() -> None:
    session = _session()
    confirmed = SimpleNamespace(status="confirmed", attendance="", session=session)
    rules.evaluation_allowed(confirmed, "pre", dt.date(2025, 6, 1))  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="attended"):
        rules.evaluation_allowed(confirmed, "reaction", dt.date(2025, 6, 10))  # type: ignore[arg-type]
    attended = SimpleNamespace(status="confirmed", attendance="attended", session=session)
    rules.evaluation_allowed(attended, "post", dt.date(2025, 6, 10))  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="before the course"):
        rules.evaluation_allowed(attended, "pre", dt.date(2025, 6, 10))  # type: ignore[arg-type]


def test_follow_up_only_for_attendees() -> None:
    rules.follow_up_only_for_attendees(SimpleNamespace(attendance="attended"))  # type: ignore[arg-type]
    no_show = SimpleNamespace(
        attendance="no_show", learner="Lou", get_attendance_display=lambda: "Did not attend"
    )
    with pytest.raises(ValidationError, match="did not attend"):
        rules.follow_up_only_for_attendees(no_show)  # type: ignore[arg-type]


def test_follow_up_due_on(partnership: Any) -> None:
    session = _session(ends_on=dt.date(2025, 11, 30), partnership=partnership)
    # The reference rule: 3 months (month ends clamp).
    assert rules.follow_up_due_on(session, _settings()) == dt.date(2026, 2, 28)
    # A partnership's own interval wins.
    assert rules.follow_up_due_on(session, _settings(follow_up_interval_months=6)) == dt.date(
        2026, 5, 30
    )


def test_follow_up_sample() -> None:
    picked = rules.follow_up_sample(42, list(range(10)), 30)
    assert len(picked) == 3 and picked == rules.follow_up_sample(42, list(range(10)), 30)
    assert rules.follow_up_sample(42, [5], 1) == [5]
