"""The audits area's kinds of to-do, read from the records' states (one query a kind):

- an auditor's assignment in a multi-agency audit: declare any previous involvement, then
  complete and submit the return (due by the assignment's date);
- a single-agency case audit: its auditor gives the feedback to the worker and manager, who
  then each acknowledge it.

Items name the case reference only, never the child.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import Q
from django.urls import reverse

from lift.core.access import has_role
from lift.core.roles import R
from lift.core.todo import ToDo

from .choices import AuditStatus, CaseAuditStatus, Declaration
from .models import CaseAudit
from .selectors import my_open_assignments

ASSIGNMENT = "audits.assignment"
CASE_AUDIT_FEEDBACK = "audits.case_audit_feedback"
CASE_AUDIT_ACKNOWLEDGE = "audits.case_audit_acknowledge"


def assignments(person: Any, partnership: Any) -> Iterator[ToDo]:
    """The person's audit assignments awaiting their declaration or with the return still
    in draft (not those blocked by a declared involvement, nor of a cancelled audit).
    Assigning gives the auditor role for the audit, so nobody else costs a query."""
    if not has_role(person, partnership, {R.AUDITOR}):
        return
    rows = my_open_assignments(person, partnership).exclude(audit__status=AuditStatus.CANCELLED)
    for x in rows:
        where = f"{x.case.reference} ({x.agency.name})"
        if x.declaration == Declaration.AWAITING:
            title = f"Declare any previous involvement with {where}"
            url = reverse("audits:assignment_declare", args=[x.pk])
        else:
            title = f"Complete and submit the audit return for {where}"
            url = x.audit_return.get_absolute_url()
        yield ToDo(
            kind=ASSIGNMENT,
            title=title,
            url=url,
            subject=x,
            due_on=x.due_on,
            hint=f"Audit: {x.audit.title}.",
        )


def case_audit_feedback(person: Any, partnership: Any) -> Iterator[ToDo]:
    """Case audits the person carried out, completed and naming a worker or manager, whose
    feedback is not yet recorded."""
    rows = (
        CaseAudit.objects.restrict(person, "feedback")
        .filter(partnership=partnership, auditor=person.pk, status=CaseAuditStatus.COMPLETED)
        .filter(Q(worker__isnull=False) | Q(manager__isnull=False))
        .select_related("programme__agency")
        .order_by("audited_on", "pk")
    )
    for c in rows:
        yield ToDo(
            kind=CASE_AUDIT_FEEDBACK,
            title=f"Give the feedback from case audit {c.case_reference}",
            url=reverse("audits:caseaudit_feedback", args=[c.pk]),
            subject=c,
            hint=f"{c.programme.agency.name}. Audited {c.audited_on:%-d %B %Y}.",
        )


def case_audit_acknowledgements(person: Any, partnership: Any) -> Iterator[ToDo]:
    """Feedback given to the person, as the case's worker or their manager, not yet
    acknowledged by them."""
    mine = Q(worker=person.pk, worker_acknowledged_on__isnull=True) | Q(
        manager=person.pk, manager_acknowledged_on__isnull=True
    )
    rows = (
        CaseAudit.objects.restrict(person, "acknowledge")
        .filter(mine, partnership=partnership, status=CaseAuditStatus.FEEDBACK_GIVEN)
        .select_related("programme__agency")
        .order_by("feedback_given_on", "pk")
    )
    for c in rows:
        given = f" Given {c.feedback_given_on:%-d %B %Y}." if c.feedback_given_on else ""
        yield ToDo(
            kind=CASE_AUDIT_ACKNOWLEDGE,
            title=f"Read and acknowledge the feedback from case audit {c.case_reference}",
            url=reverse("audits:caseaudit_acknowledge", args=[c.pk]),
            subject=c,
            hint=f"{c.programme.agency.name}.{given}",
        )
