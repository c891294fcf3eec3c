"""Correcting a date a clock counts from moves the clock (issue 18, gap 4 and item 2).

Before, correcting a serious incident's "became aware" date on its edit page (or through
`incident_update`) left the 5-working-day notification clock on the old due date; the
notification date could not be corrected at all. Today is 2 June 2025 (conftest).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from lift.core import history
from lift.core.clocks import clocks_for
from lift.core.models import Clock, Partnership, Person
from lift.reviews import services
from lift.reviews.choices import DecisionOutcome, ReviewKind
from lift.reviews.models import Decision, Incident, Review
from tests.reviews.test_services import decide


def clock(incident: Incident, key: str) -> Clock:
    return clocks_for(incident, rule=key).get()


def edit_data(incident: Incident, **changes: Any) -> dict[str, Any]:
    data = {
        "pseudonym": incident.pseudonym,
        "incident_type": incident.incident_type,
        "incident_on": incident.incident_on.isoformat(),
        "became_aware_on": incident.became_aware_on.isoformat(),
        "summary": incident.summary,
        "owner": incident.owner_id or "",
        "change_reason": "Date taken from the wrong referral.",
    }
    if incident.notified_on:
        data["notified_on"] = incident.notified_on.isoformat()
    data.update({k: v.isoformat() if isinstance(v, dt.date) else v for k, v in changes.items()})
    return data


@pytest.fixture
def unnotified(partnership: Partnership, business_unit: Person) -> Incident:
    incident = services.incident_create(
        partnership=partnership,
        by=business_unit,
        pseudonym="Child N",
        incident_type="serious_harm",
        incident_on=dt.date(2025, 5, 19),
        became_aware_on=dt.date(2025, 5, 20),
    )
    # Five working days from Tuesday 20 May (26 May is a bank holiday): 28 May, overdue.
    notification = clock(incident, "notification")
    assert (notification.due_on, notification.state) == (dt.date(2025, 5, 28), "overdue")
    return incident


def test_edit_page_correcting_became_aware_moves_the_notification_clock(
    unnotified: Incident,
    business_unit: Person,
    client_for: Callable[[Person | None], Client],
) -> None:
    client = client_for(business_unit)
    url = f"/incidents/{unnotified.pk}/edit/"
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="notified_on_day"' not in page.content.decode()  # given on the notify page
    response = client.post(url, edit_data(unnotified, became_aware_on=dt.date(2025, 5, 30)))
    assert response.status_code == 302, response.content.decode()
    unnotified.refresh_from_db()
    assert unnotified.became_aware_on == dt.date(2025, 5, 30)
    # From Friday 30 May: 2, 3, 4, 5, 6 June. Today is 2 June, so no longer overdue.
    notification = clock(unnotified, "notification")
    assert notification.due_on == dt.date(2025, 6, 6)
    assert notification.state in ("running", "due_soon")
    # History: the incident's change (with the reason given) and the clock's restart.
    change = history.for_object(unnotified).filter(action="update").first()
    assert change is not None
    assert "became_aware_on" in change.changes
    assert change.reason == "Date taken from the wrong referral."
    restart = history.for_object(notification).filter(action="update").first()
    assert restart is not None
    assert "due_on" in restart.changes
    assert "30 May 2025" in restart.reason


def test_correcting_became_aware_after_notification_keeps_the_met_day(
    incident: Incident, business_unit: Person
) -> None:
    notification = clock(incident, "notification")
    assert (notification.due_on, notification.state) == (dt.date(2025, 5, 7), "met")
    services.incident_update(
        incident=incident, by=business_unit, became_aware_on=dt.date(2025, 4, 28)
    )
    notification.refresh_from_db()
    # From Monday 28 April: 29, 30 April, 1, 2 May, then 6 May (5 May is a bank holiday).
    assert notification.due_on == dt.date(2025, 5, 6)
    services.incident_update(incident=incident, by=business_unit, incident_on=dt.date(2025, 4, 20))
    services.incident_update(
        incident=incident, by=business_unit, became_aware_on=dt.date(2025, 4, 22)
    )
    notification.refresh_from_db()
    # From Tuesday 22 April: due 29 April; it was notified on 2 May, so met late.
    assert notification.due_on == dt.date(2025, 4, 29)
    assert notification.met_on == dt.date(2025, 5, 2)
    assert notification.state == "met_late"
    # The notification date's own clocks did not move.
    assert clock(incident, "chair-decision").due_on == dt.date(2025, 6, 2)


def test_correcting_the_notification_date_moves_its_clocks(
    incident: Incident,
    business_unit: Person,
    client_for: Callable[[Person | None], Client],
) -> None:
    decision_clock = clock(incident, "chair-decision")
    assert (decision_clock.due_on, decision_clock.state) == (dt.date(2025, 6, 2), "due_soon")
    client = client_for(business_unit)
    url = f"/incidents/{incident.pk}/edit/"
    assert 'name="notified_on_day"' in client.get(url).content.decode()
    response = client.post(url, edit_data(incident, notified_on=dt.date(2025, 4, 30)))
    assert response.status_code == 302, response.content.decode()
    incident.refresh_from_db()
    assert incident.notified_on == dt.date(2025, 4, 30)
    notification = clock(incident, "notification")
    assert (notification.met_on, notification.state) == (dt.date(2025, 4, 30), "met")
    decision_clock.refresh_from_db()
    # The Chair's decision is due a month after the notification: 30 May, now overdue.
    assert (decision_clock.due_on, decision_clock.state) == (dt.date(2025, 5, 30), "overdue")
    restart = history.for_object(decision_clock).filter(action="update").first()
    assert restart is not None and "30 April 2025" in restart.reason
    assert "notified_on" in history.for_object(incident).filter(action="update")[0].changes


def test_the_notification_date_cannot_be_emptied_on_the_edit_page(
    incident: Incident,
    business_unit: Person,
    client_for: Callable[[Person | None], Client],
) -> None:
    response = client_for(business_unit).post(
        f"/incidents/{incident.pk}/edit/", edit_data(incident, notified_on="")
    )
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()
    incident.refresh_from_db()
    assert incident.notified_on == dt.date(2025, 5, 2)


def test_a_correction_before_the_decision_is_refused(
    incident: Incident, business_unit: Person, chair: Person
) -> None:
    decide(incident, chair, decided_on=dt.date(2025, 5, 20))
    with pytest.raises(ValidationError, match="decision cannot be before"):
        services.incident_update(
            incident=incident, by=business_unit, became_aware_on=dt.date(2025, 5, 21)
        )
    incident.refresh_from_db()
    assert incident.became_aware_on == dt.date(2025, 4, 29)


# --- the Chair's decision and the review ---------------------------------------------------


def test_chair_corrects_the_decision_date_and_the_panel_letter_clock_moves(
    incident: Incident,
    chair: Person,
    business_unit: Person,
    client_for: Callable[[Person | None], Client],
) -> None:
    decision = decide(incident, chair, DecisionOutcome.NO_REVIEW, decided_on=dt.date(2025, 5, 20))
    letter_clock = clocks_for(decision, rule="panel-no-decision").get()
    # 14 calendar days from 20 May: 3 June, due soon on 2 June.
    assert (letter_clock.due_on, letter_clock.state) == (dt.date(2025, 6, 3), "due_soon")
    url = f"/incidents/{incident.pk}/decision-date/"
    assert client_for(business_unit).get(url).status_code == 403  # the Chair's alone
    client = client_for(chair)
    assert "/decision-date/" in client.get(incident.get_absolute_url()).content.decode()
    response = client.post(url, {"decided_on": "2025-05-12"})
    assert response.status_code == 302, response.content.decode()
    decision.refresh_from_db()
    assert decision.decided_on == dt.date(2025, 5, 12)
    letter_clock.refresh_from_db()
    assert (letter_clock.due_on, letter_clock.state) == (dt.date(2025, 5, 26), "overdue")
    # The Chair's decision clock is met on the corrected day.
    assert clock(incident, "chair-decision").met_on == dt.date(2025, 5, 12)
    assert "20 May 2025" in history.for_object(letter_clock).filter(action="update")[0].reason
    assert "decided_on" in history.for_object(decision).filter(action="update")[0].changes


def test_correcting_the_decision_moves_the_review_and_its_completion_clock(
    incident: Incident, chair: Person, business_unit: Person
) -> None:
    decide(incident, chair, decided_on=dt.date(2025, 5, 20))
    review = Review.objects.get(incident=incident)
    completion = clocks_for(review, rule="scr-completion").get()
    assert completion.due_on == dt.date(2025, 11, 20)
    decision = Decision.objects.get(incident=incident)
    with pytest.raises(ValidationError, match="Chair"):
        services.decision_update(
            decision=decision, by=business_unit, decided_on=dt.date(2025, 5, 10)
        )
    services.decision_update(decision=decision, by=chair, decided_on=dt.date(2025, 5, 10))
    review.refresh_from_db()
    completion.refresh_from_db()
    assert review.decided_on == dt.date(2025, 5, 10)
    assert completion.due_on == dt.date(2025, 11, 10)
    assert "decided_on" in history.for_object(review).filter(action="update")[0].changes
    # The review's own edit page does not offer the date: it follows the decision.
    with pytest.raises(ValidationError, match="correct the date of the decision"):
        services.review_update(review=review, by=business_unit, decided_on=dt.date(2025, 5, 1))


def test_review_edit_page_corrects_its_own_decision_date(
    partnership: Partnership,
    business_unit: Person,
    client_for: Callable[[Person | None], Client],
) -> None:
    # A review opened without the Chair's decision on an incident (e.g. from a referral).
    review = services.review_create(
        partnership=partnership,
        kind=ReviewKind.STATUTORY,
        decided_on=dt.date(2024, 11, 28),
        by=business_unit,
        pseudonym="Child R",
    )
    completion = clocks_for(review, rule="scr-completion").get()
    assert (completion.due_on, completion.state) == (dt.date(2025, 5, 28), "overdue")
    client = client_for(business_unit)
    url = f"/reviews/{review.pk}/edit/"
    assert 'name="decided_on_day"' in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "title": review.title,
            "status": review.status,
            "methodology": "",
            "decided_on": "2025-01-10",
            "change_reason": "The Board minutes give 10 January.",
        },
    )
    assert response.status_code == 302, response.content.decode()
    completion.refresh_from_db()
    assert (completion.due_on, completion.state) == (dt.date(2025, 7, 10), "running")
    restart = history.for_object(completion).filter(action="update")[0]
    assert "28 November 2024" in restart.reason and "10 January 2025" in restart.reason
    change = history.for_object(review).filter(action="update")[0]
    assert "decided_on" in change.changes
    assert change.reason == "The Board minutes give 10 January."
