"""The overview report to the Board, the six-month follow-up and escalations."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from lift.core import history
from lift.core.models import Agency, Person

from .. import rules
from ..models import (
    Cycle,
    Escalation,
    FollowUp,
    OverviewReport,
)
from .cycles import FOLLOW_UP_RULE

# --- overview report, Board and follow-up -------------------------------------------------


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


@transaction.atomic
def overview_create(
    *,
    cycle: Cycle,
    summary: str,
    key_areas: str,
    common_themes: str = "",
    by: Person | None = None,
    themes: Iterable[str] = (),
) -> OverviewReport:
    """Write the overview report. Each key area for improvement becomes a finding and a
    recommendation to the partnership in the learning chain, with the cycle as source."""
    from lift.learning.services import finding_create, recommendation_create

    if OverviewReport.objects.filter(cycle=cycle).exists():
        raise ValidationError("The cycle already has an overview report: change it instead.")
    areas = _lines(key_areas)
    if not areas:
        raise ValidationError({"key_areas": "Enter at least one key area for improvement."})
    report = OverviewReport(
        partnership=cycle.partnership,
        cycle=cycle,
        summary=summary.strip(),
        key_areas="\n".join(areas),
        common_themes="\n".join(_lines(common_themes)),
        prepared_by=by,
    )
    report.full_clean()
    with history.acting(actor=by):
        report.save()
        for area in areas:
            finding = finding_create(
                source=cycle,
                title=area[:250],
                text=f"Key area for improvement from the Section 11 cycle {cycle.name}: {area}",
                themes=list(themes),
                recorded_by=by,
            )
            recommendation_create(
                source=cycle,
                text=f"Partners should address: {area}",
                findings=[finding],
                themes=list(themes),
            )
    return report


@transaction.atomic
def overview_present(
    *,
    report: OverviewReport,
    board_date: dt.date,
    by: Person | None,
    meeting: Any = None,
) -> Any:
    """The overview report goes to the Board on `board_date`: starts the six-month
    follow-up clock (reference/deadlines/common.yaml "section11-follow-up") and, given a
    governance meeting, puts the report on its agenda. Returns the clock. A corrected
    Board date restarts the clock (core's `clocks_restart_from`): its due date and state
    follow, a follow-up already presented stays met on its day, and the clock's history
    gives both dates."""
    from lift.core.clocks import clock_start, clocks_for, clocks_restart_from

    report = OverviewReport.objects.select_for_update(of=("self",)).get(pk=report.pk)
    was = report.board_date
    report.board_date = board_date
    report.full_clean()
    with history.acting(actor=by):
        report.save()
        clock = clocks_for(report, rule=FOLLOW_UP_RULE).exclude(state="stopped").first()
        if clock is None:
            clock = clock_start(subject=report, rule=FOLLOW_UP_RULE, started_on=board_date)
        elif was is not None and was != board_date:
            clocks_restart_from(
                subject=report,
                event="overview-report",
                started_on=board_date,
                reason=f"The Board date was corrected from {was:%-d %B %Y} to "
                f"{board_date:%-d %B %Y}.",
            )
            clock.refresh_from_db()
        _agenda(report, meeting, by)
    return clock


def _agenda(report: OverviewReport, meeting: Any, by: Person | None) -> None:
    if meeting is None:
        return
    from django.apps import apps

    if not apps.is_installed("lift.governance"):
        return
    from lift.governance.services import agenda_item_add

    agenda_item_add(meeting=meeting, title=str(report), by=by, linked=report)


def follow_up_clock(report: OverviewReport) -> Any:
    from lift.core.clocks import clocks_for

    return clocks_for(report, rule=FOLLOW_UP_RULE).first()


@transaction.atomic
def follow_up_generate(
    *, report: OverviewReport, by: Person | None = None, today: dt.date | None = None
) -> FollowUp:
    """Generate the six-month report of outstanding actions for the Board (idempotent)."""
    report = OverviewReport.objects.get(pk=report.pk)
    rules.FollowUpAfterSixMonths.check(report.board_date)
    existing = FollowUp.objects.filter(report=report).first()
    if existing is not None:
        return existing
    follow_up = FollowUp(
        partnership=report.partnership, report=report, generated_on=today or timezone.localdate()
    )
    follow_up.full_clean()
    with history.acting(actor=by):
        follow_up.save()
    return follow_up


@transaction.atomic
def follow_up_present(*, follow_up: FollowUp, board_date: dt.date, by: Person | None) -> FollowUp:
    """The follow-up went to the Board: the follow-up clock is met on that date."""
    from lift.core.clocks import clock_meet

    follow_up = FollowUp.objects.select_for_update(of=("self",)).get(pk=follow_up.pk)
    follow_up.board_date = board_date
    follow_up.full_clean()
    with history.acting(actor=by):
        follow_up.save()
        clock = follow_up_clock(follow_up.report)
        if clock is not None and clock.is_open:
            clock_meet(clock=clock, on=board_date)
    return follow_up


@transaction.atomic
def escalation_record(
    *,
    follow_up: FollowUp,
    agency: Agency,
    addressee: str,
    letter_text: str,
    by: Person | None,
    letter_date: dt.date | None = None,
) -> Escalation:
    """The Chair writes to the agency's senior management about its overdue actions; the
    overdue actions go on the Chair's escalated list in the learning chain."""
    from lift.learning.services import action_escalate

    from ..selectors import outstanding_actions

    today = letter_date or timezone.localdate()
    overdue = [
        a
        for a in outstanding_actions(follow_up.report.cycle, today=today)
        if a.owner_agency_id == agency.pk and a.due_on < today
    ]
    if not overdue:
        raise ValidationError({"agency": f"{agency.name} has no overdue Section 11 action."})
    esc = Escalation(
        partnership=follow_up.partnership,
        follow_up=follow_up,
        agency=agency,
        addressee=addressee.strip(),
        letter_date=today,
        letter_text=letter_text.strip(),
        overdue_count=len(overdue),
        sent_by=by,
    )
    esc.full_clean()
    with history.acting(actor=by):
        esc.save()
        for action in overdue:
            action_escalate(
                action=action, by=by, today=today, reason="Section 11 follow-up: Chair's letter"
            )
    return esc


@transaction.atomic
def escalation_response_record(
    *, escalation: Escalation, response: str, response_on: dt.date, by: Person | None
) -> Escalation:
    if not response.strip():
        raise ValidationError({"response": "Enter the agency's response."})
    if response_on < escalation.letter_date:
        raise ValidationError({"response_on": "The response cannot be before the letter."})
    escalation.response = response.strip()
    escalation.response_on = response_on
    escalation.full_clean()
    with history.acting(actor=by):
        escalation.save()
    return escalation


def follow_up_due(today: dt.date) -> int:
    """Tick step: generate the follow-up for every report whose six-month clock is due
    (idempotent: a report with a follow-up is skipped)."""
    from lift.core.models import Clock

    ct = ContentType.objects.get_for_model(OverviewReport)
    due_ids = Clock.objects.filter(content_type=ct, due_on__lte=today).values_list(
        "object_id", flat=True
    )
    done = 0
    for report in OverviewReport.objects.filter(
        pk__in=list(due_ids), follow_up__isnull=True, board_date__isnull=False
    ):
        follow_up_generate(report=report, today=today)
        done += 1
    return done
