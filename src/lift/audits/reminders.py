"""Reminders for audit returns, run on every tick (lift.core.tasks.register_tick_step).

Returns have their own due date (the audit's "returns due" date, or the assignment's): it
is not a statutory deadline, so it is not in the regime files and no clock is started.

- Due soon (within the partnership's reminder_days): the assigned auditor.
- Overdue: the auditor and their agency's safeguarding lead.

Keyed by assignment, kind and due date: running the tick again sends nothing new; moving
the due date starts the reminders afresh. Titles and bodies carry the audit's title, the
case reference and the agency, never a child's details.
"""

from __future__ import annotations

import datetime as dt

from lift.core.models import Partnership
from lift.core.notify import notify

from .choices import Declaration, ReturnStatus
from .models import Assignment


def audit_reminders(today: dt.date) -> int:
    sent = 0
    for partnership in Partnership.objects.all().only("pk", "reminder_days", "name"):
        soon_until = today + dt.timedelta(days=partnership.reminder_days)
        qs = (
            Assignment.objects.filter(
                partnership=partnership,
                due_on__isnull=False,
                due_on__lte=soon_until,
                audit_return__status=ReturnStatus.DRAFT,
            )
            .exclude(declaration=Declaration.BLOCKED)
            .select_related("audit", "case", "agency__safeguarding_lead", "auditor")
            .order_by("pk")
        )
        for x in qs.iterator(chunk_size=500):
            assert x.due_on is not None
            late = x.due_on < today
            kind = "overdue" if late else "due-soon"
            label = f"{x.audit.title}: {x.case.reference} ({x.agency.name})"
            title = f"Overdue audit return: {label}" if late else f"Audit return due soon: {label}"
            body = f"The return was due by {x.due_on:%-d %B %Y}."
            people = {x.auditor_id: x.auditor}
            lead = x.agency.safeguarding_lead
            if late and lead is not None:
                people.setdefault(lead.pk, lead)
            for person in people.values():
                key = f"audit-return:{x.pk}:{kind}:{x.due_on.isoformat()}:to:{person.pk}"
                notify(
                    person=person,
                    key=key,
                    title=title,
                    body=body,
                    url=x.get_absolute_url(),
                    partnership=partnership,
                )
                sent += 1
    return sent
