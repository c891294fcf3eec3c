"""A reminder per period to the owner agency's safeguarding lead when a value falls due
(a tick step; idempotent: one notification per indicator and period)."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from lift.core.notify import notify

from . import selectors
from .models import Indicator


def value_reminders(today: dt.date) -> int:
    """Remind each owner agency's lead of values due within 14 days or overdue."""
    sent = 0
    due = selectors.values_due(
        Indicator.objects.select_related("owner_agency__safeguarding_lead", "partnership"),
        today=today,
    )
    for d in due:
        lead = d.indicator.owner_agency.safeguarding_lead
        if lead is None:
            continue
        notify(
            person=lead,
            key=f"performance:value-due:{d.indicator.pk}:{d.period_start.isoformat()}",
            title=f"Performance value due: {d.indicator.title}, {d.label}",
            body=f"The value for {d.label} is due by {d.due_on:%-d %B %Y}.",
            url=reverse("performance:indicatorvalue_add", args=[d.indicator.pk]),
            partnership=d.indicator.partnership,
        )
        sent += 1
    return sent
