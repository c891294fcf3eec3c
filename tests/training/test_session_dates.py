"""A session's last day, corrected on its edit page, moves its impact follow-up date
(issue 18, item 2). The follow-up has no stored clock: `rules.follow_up_due_on` works it out
from the saved last day, so the edit page must save through `session_update`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.test import Client

from lift.core import history
from lift.core.models import Person
from lift.training import rules, services
from lift.training.models import TrainingSession


def test_edit_page_moves_the_follow_up_with_the_last_day(
    session: TrainingSession,
    business_unit: Person,
    client_for: Callable[[Person | None], Client],
) -> None:
    conf = services.training_settings(session.partnership)
    assert rules.follow_up_due_on(session, conf) == dt.date(2025, 9, 10)
    response = client_for(business_unit).post(
        f"/training/sessions/{session.pk}/edit/",
        {
            "starts_on": "2025-06-10",
            "ends_on": "2025-06-12",
            "start_time": "09:30",
            "end_time": "16:30",
            "venue": session.venue,
            "online_url": "",
            "capacity": "2",
            "trainer": "",
            "change_reason": "It runs over three days.",
        },
    )
    assert response.status_code == 302, response.content.decode()
    session.refresh_from_db()
    assert session.ends_on == dt.date(2025, 6, 12)
    assert rules.follow_up_due_on(session, conf) == dt.date(2025, 9, 12)
    change = history.for_object(session).filter(action="update")[0]
    assert "ends_on" in change.changes and change.reason == "It runs over three days."


def test_session_update_makes_a_one_day_session_without_a_last_day(
    session: TrainingSession, business_unit: Person
) -> None:
    services.session_update(
        session=session, by=business_unit, starts_on=dt.date(2025, 6, 17), ends_on=None
    )
    session.refresh_from_db()
    assert session.ends_on == dt.date(2025, 6, 17)
