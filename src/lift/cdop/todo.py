"""The child death review kind of to-do: an agency's reporting form still awaited, for the
agency's safeguarding lead and for the person it was sent to (its named contact). The form
is filled in through the single-use link e-mailed to the contact, so the item links to the
page that sends that link again; it names the case number only. One query."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.urls import reverse

from lift.core.models import Person, RoleAssignment
from lift.core.todo import ToDo, lead_ids

from .choices import ReportStatus
from .models import AgencyReport

AGENCY_REPORT = "cdop.agency_report"


def agency_report_candidates(partnership: Any) -> set[int]:
    """Who could be asked to send a form: leads, and the people (holding a role here)
    whose e-mail address a requested form was sent to."""
    emails = {
        e.lower()
        for e in AgencyReport.objects.filter(
            partnership=partnership, status=ReportStatus.REQUESTED
        ).values_list("contact_email", flat=True)
    }
    contacts = set()
    if emails:
        members = RoleAssignment.objects.current().filter(partnership=partnership)
        people = Person.objects.filter(pk__in=members.values("person_id"))
        contacts = {p.pk for p in people.only("id", "email") if p.email.lower() in emails}
    return contacts | lead_ids(partnership)


def agency_reports(person: Any, partnership: Any) -> Iterator[ToDo]:
    """Reporting forms asked of the person's agency (as its lead) or sent to them, not yet
    received or withdrawn, due by the date asked."""
    rows = (
        AgencyReport.objects.restrict(person, "send_link")
        .filter(partnership=partnership, status=ReportStatus.REQUESTED)
        .select_related("case", "agency")
        .order_by("due_on", "pk")
    )
    for report in rows:
        yield ToDo(
            kind=AGENCY_REPORT,
            title=(
                f"Send the child death reporting form for case {report.case.reference} "
                f"({report.agency.name})"
            ),
            url=reverse("cdop:agencyreport_send_link", args=[report.pk]),
            hint=f"The link was e-mailed to {report.contact_name}.",
            due_on=report.due_on,
        )
