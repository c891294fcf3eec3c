"""The value-due reminder: once per indicator and period, to the owner agency's lead."""

from __future__ import annotations

import datetime as dt

import time_machine

from lift.core.models import Agency, Notification, Person
from lift.core.tasks import tick
from lift.performance.models import Indicator


def test_reminder_sent_once_per_period(indicator: Indicator, agency: Agency, lead: Person) -> None:
    agency.safeguarding_lead = lead
    agency.save()
    with time_machine.travel(dt.datetime(2015, 5, 20, 9), tick=False):
        tick(dt.date(2015, 5, 20))
        tick(dt.date(2015, 5, 20))
    sent = Notification.objects.filter(person=lead, key__startswith="performance:value-due:")
    assert sent.count() == 1
    assert "Apr 2015" in sent.get().title
