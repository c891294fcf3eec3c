"""Writes of learning from inspection: keyword-only, validated, atomic."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from lift.core import calendar
from lift.core import roles as r
from lift.core.files import attachment_create
from lift.core.models import Agency, Attachment, Partnership, Person, RoleAssignment
from lift.core.notify import notify
from lift.learning.choices import Addressee
from lift.learning.models import Action, Recommendation
from lift.learning.services import action_create, recommendation_create

from . import rules
from .models import Inspection, Judgement, ProgressReport

R = r.R


def _today() -> dt.date:
    return timezone.localdate()


@transaction.atomic
def inspection_create(
    *,
    partnership: Partnership,
    inspectorate: str,
    title: str,
    started_on: dt.date,
    ended_on: dt.date,
    by: Person | None,
    agency: Agency | None = None,
    published_on: dt.date | None = None,
    report_url: str = "",
    summary: str = "",
    progress_interval_months: int = 3,
) -> Inspection:
    """Record an inspection; the first progress report to the Board is scheduled one
    interval after the report's publication (or the end of the inspection)."""
    if agency is not None and agency.partnership_id != partnership.pk:
        raise ValidationError({"agency": "Choose an agency of this partnership."})
    inspection = Inspection(
        partnership=partnership,
        agency=agency,
        inspectorate=inspectorate,
        title=title,
        started_on=started_on,
        ended_on=ended_on,
        published_on=published_on,
        report_url=report_url,
        summary=summary,
        progress_interval_months=progress_interval_months,
    )
    inspection.full_clean()
    inspection.save()
    _schedule_next(inspection)
    return inspection


def _schedule_next(inspection: Inspection) -> ProgressReport | None:
    """Schedule the next progress report unless one is already waiting."""
    reports = list(inspection.progress_reports.order_by("number"))
    if any(p.presented_on is None for p in reports):
        return None
    base = reports[-1].due_on if reports else (inspection.published_on or inspection.ended_on)
    report = ProgressReport(
        partnership=inspection.partnership,
        inspection=inspection,
        number=(reports[-1].number + 1) if reports else 1,
        due_on=rules.progress_due(base, inspection.progress_interval_months),
    )
    report.full_clean()
    report.save()
    return report


@transaction.atomic
def inspection_update(*, inspection: Inspection, by: Person | None, **fields: Any) -> Inspection:
    """Change an inspection; a changed interval moves the waiting progress report."""
    for name, value in fields.items():
        setattr(inspection, name, value)
    inspection.full_clean()
    inspection.save()
    waiting = inspection.progress_reports.filter(presented_on__isnull=True).first()
    if waiting is not None:
        previous = (
            inspection.progress_reports.filter(number__lt=waiting.number)
            .order_by("-number")
            .first()
        )
        base = previous.due_on if previous else (inspection.published_on or inspection.ended_on)
        waiting.due_on = rules.progress_due(base, inspection.progress_interval_months)
        waiting.full_clean()
        waiting.save()
    return inspection


@transaction.atomic
def judgement_add(*, inspection: Inspection, area: str, grade: str, by: Person | None) -> Judgement:
    """A judgement on one area, on the inspectorate's own scale."""
    judgement = Judgement.objects.filter(
        inspection=inspection, area=area.strip()
    ).first() or Judgement(
        partnership=inspection.partnership, inspection=inspection, area=area.strip()
    )
    judgement.grade = grade
    judgement.full_clean()
    judgement.save()
    return judgement


@transaction.atomic
def report_attach(
    *, inspection: Inspection, uploaded_file: Any, by: Person | None, description: str = ""
) -> Attachment:
    return attachment_create(
        subject=inspection, uploaded_file=uploaded_file, uploaded_by=by, description=description
    )


@transaction.atomic
def inspection_recommend(
    *, inspection: Inspection, text: str, by: Person | None, reference: str = ""
) -> Recommendation:
    """An inspection recommendation, in the learning chain, addressed to the inspected
    agency (or the partnership)."""
    count = Recommendation.objects.from_source(inspection).count()
    return recommendation_create(
        source=inspection,
        text=text,
        addressee=Addressee.AGENCIES if inspection.agency else Addressee.PARTNERSHIP,
        agencies=[inspection.agency] if inspection.agency else [],
        reference=reference or f"R{count + 1}",
        partnership=inspection.partnership,
    )


@transaction.atomic
def action_plan_add(
    *,
    recommendation: Recommendation,
    title: str,
    owner_agency: Agency,
    due_on: dt.date,
    success_measure: str,
    by: Person | None,
    owner: Person | None = None,
) -> Action:
    """An action of the agency's action plan, with its owner and due date."""
    if not isinstance(recommendation.source, Inspection):
        raise ValidationError("Choose a recommendation of this inspection.")
    return action_create(
        title=title,
        owner_agency=owner_agency,
        owner=owner,
        due_on=due_on,
        success_measure=success_measure,
        recommendation=recommendation,
        partnership=recommendation.partnership,
    )


def plan_actions(inspection: Inspection) -> Any:
    """Every action of the inspection's plan, for the Board's counts (`progress_state`).
    A page lists them through `lift.learning.selectors.chain_for(user, inspection)`."""
    return (
        Action.objects.filter(recommendation__in=Recommendation.objects.from_source(inspection))
        .select_related("owner_agency", "owner", "recommendation")
        .order_by("due_on", "pk")
    )


def progress_state(inspection: Inspection, today: dt.date) -> dict[str, Any]:
    """The action plan's state now: counts by status and how many are overdue."""
    actions = list(plan_actions(inspection))
    by_status = Counter(a.get_status_display() for a in actions)
    live = {"proposed", "agreed", "in_progress"}
    return {
        "total": len(actions),
        "by_status": dict(sorted(by_status.items())),
        "overdue": sum(1 for a in actions if a.status in live and a.due_on < today),
        "on": today.isoformat(),
    }


@transaction.atomic
def progress_report_present(
    *,
    report: ProgressReport,
    by: Person | None,
    presented_on: dt.date | None = None,
    meeting: Any = None,
    notes: str = "",
) -> ProgressReport:
    """Mark a progress report presented to the Board (on the meeting's agenda if one is
    given); the action plan's state is kept with it and the next report is scheduled."""
    if report.presented_on is not None:
        raise ValidationError("This progress report has already been presented.")
    presented_on = presented_on or _today()
    if meeting is not None:
        if meeting.partnership_id != report.partnership_id:
            raise ValidationError({"meeting": "Choose a meeting of this partnership."})
        from lift.governance.services import agenda_item_add

        item = agenda_item_add(
            meeting=meeting,
            title=f"Progress on the action plan: {report.inspection.title} "
            f"(report {report.number})",
            by=by,
            linked=report,
        )
        report.agenda_item_id = item.pk
        report.meeting = meeting
    report.presented_on = presented_on
    report.snapshot = progress_state(report.inspection, presented_on)
    report.notes = notes
    report.full_clean()
    report.save()
    _schedule_next(report.inspection)
    return report


def _people(partnership_id: int, roles: set[str], agency_id: int | None = None) -> list[Person]:
    qs = RoleAssignment.objects.current().filter(
        partnership_id=partnership_id, role__in=roles, case_type__isnull=True
    )
    if agency_id is not None:
        qs = qs.filter(agency_id=agency_id)
    return [a.person for a in qs.select_related("person") if a.person.is_active]


def progress_reminders(today: dt.date) -> int:
    """Tick step: remind the business unit (and the inspected agency's lead) when a progress
    report is due soon (within the partnership's reminder days, in working days) and when it
    is overdue. Keyed by report, state and due date: idempotent."""
    made = 0
    waiting = ProgressReport.objects.filter(
        presented_on__isnull=True, due_on__lte=today + dt.timedelta(days=60)
    ).select_related("inspection", "partnership")
    for report in waiting.order_by("pk").iterator(chunk_size=500):
        soon_from = calendar.add_working_days(report.due_on, -report.partnership.reminder_days)
        if today > report.due_on:
            state = "overdue"
        elif today >= soon_from:
            state = "due-soon"
        else:
            continue
        people = _people(report.partnership_id, {R.BUSINESS_UNIT})
        if report.inspection.agency_id:
            people += _people(
                report.partnership_id, {R.SAFEGUARDING_LEAD}, report.inspection.agency_id
            )
        for person in {p.pk: p for p in people}.values():
            key = (
                f"inspections:progress:{report.pk}:{state}:"
                f"{report.due_on.isoformat()}:to:{person.pk}"
            )
            if person.notifications.filter(key=key).exists():
                continue
            notify(
                person=person,
                key=key,
                title=f"{'Overdue' if state == 'overdue' else 'Due soon'}: progress report "
                f"to the Board on {report.inspection.title}",
                body=f"Progress report {report.number} is due by {report.due_on:%-d %B %Y}.",
                url=report.get_absolute_url(),
                partnership=report.partnership,
            )
            made += 1
    return made
