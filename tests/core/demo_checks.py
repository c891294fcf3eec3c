"""What a demo that holds together in time looks like, checked on the day it was built
(tests/core/test_demo.py builds it today, test_demo_days.py on the days a year turns)."""

from __future__ import annotations

import datetime as dt
import re
from importlib import import_module
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from lift.core import demo, history
from lift.core.calendar import FinancialYear, add_months, financial_year, financial_years_label

# An open record's deadline may have passed, but by days or weeks, not years.
MOST_DAYS_LATE = 120

# (model, deadline, which rows are still open)
OPEN_DEADLINES: list[tuple[str, str, Q]] = [
    ("learning.Action", "due_on", Q(status__in=["proposed", "agreed", "in_progress"])),
    ("section11.Section11Return", "cycle__deadline", Q(submitted_on=None, cycle__status="open")),
    ("audits.Audit", "returns_due_on", ~Q(status__in=["completed", "deferred"])),
    ("audits.AuditReturn", "due_on", Q(submitted_on=None)),
    ("reviews.AgencyRequest", "due_on", Q(received_on=None)),
    ("cdop.AgencyReport", "due_on", Q(received_on=None)),
    ("inspections.ProgressReport", "due_on", Q(presented_on=None)),
    ("performance.AnalysisRequest", "due_on", Q(status="requested")),
    ("core.Clock", "due_on", Q(state__in=["running", "due_soon", "overdue"])),
    ("training.NeedsAssessment", "closes_on", Q(status="open")),
]

# A year written in text: "2026/27", "2025-27", or a plain "2026" (not a number in a key,
# a path or an identifier).
YEAR_IN_TEXT = re.compile(r"(?<![\w/:#=.-])((?:19|20)\d\d)(?:([/-])(\d\d))?(?!\w)")
# Text that may name any year: regimes are data ("lscb-2015"), and references to real
# legislation and publications keep their own years.
ANY_YEAR_FIELDS = {"regime", "rule", "urn", "source", "object_repr", "key", "token"}
HISTORY_APPS = {"simple_history"}
# Apps whose rows copy other records' words (the search index): the records themselves are
# checked, with their exceptions (a library item published in 2015 says "2015").
DERIVED_APPS = {"search"}


def build_demo() -> demo.DemoContext:
    """The whole demo, as `lift demo` builds it."""
    with history.acting(source="command", reason="Demo data"):
        ctx = demo.build_core()
        for app in settings.LIFT_APPS:
            if app != "core":
                import_module(f"lift.{app}.demo").build(ctx)
    return ctx


# --- the checks, for whatever day the demo was built on --------------------------------


def long_overdue(today: dt.date) -> list[str]:
    """Open records whose deadline passed more than MOST_DAYS_LATE days ago."""
    late = today - dt.timedelta(days=MOST_DAYS_LATE)
    found = []
    for label, field, still_open in OPEN_DEADLINES:
        model = apps.get_model(label)
        for row in model._base_manager.filter(still_open, **{f"{field}__lt": late}):
            found.append(f"{label} {row.pk} ({row}): {field} is {_value(row, field)}")
    return found


def _value(row: models.Model, path: str) -> Any:
    for part in path.split("__"):
        row = getattr(row, part)
    return row


def mislabelled(today: dt.date) -> list[str]:
    """Records whose year label does not follow from their own dates."""
    from lift.audits.models import AgencyAuditProgramme, AuditProgramme
    from lift.governance.models import AgendaItem, BusinessPlan, ResponsibilityReport
    from lift.reports.models import AnnualReport
    from lift.section11.models import Cycle
    from lift.training.models import NeedsAssessment, Programme
    from lift.voice.models import Presentation, Term

    wrong: list[str] = []

    def check(ok: bool, what: str) -> None:
        if not ok:
            wrong.append(what)

    for plan in BusinessPlan.objects.all():
        fy = FinancialYear.parse(plan.year)
        check(
            plan.approved_on is not None
            and fy.first_day - dt.timedelta(days=120) <= plan.approved_on <= fy.last_day,
            f"business plan {plan.year} approved on {plan.approved_on}",
        )
    for report in ResponsibilityReport.objects.all():
        check(
            report.year == financial_year(timezone.localtime(report.created_at).date()).label,
            f"responsibility report for {report.year} made on {report.created_at:%Y-%m-%d}",
        )
    for programme in Programme.objects.all():
        fy = FinancialYear.parse(programme.year)
        check(
            (programme.starts_on, programme.ends_on) == (fy.first_day, fy.last_day),
            f"training programme {programme.year} runs {programme.starts_on} to "
            f"{programme.ends_on}",
        )
    for needs in NeedsAssessment.objects.all():
        informs = FinancialYear.parse(needs.year).first_day
        check(
            needs.opens_on < informs <= needs.opens_on + dt.timedelta(days=400),
            f"needs assessment for {needs.year} opens on {needs.opens_on}",
        )
    for audits in AuditProgramme.objects.all():
        fy = FinancialYear.parse(audits.year)
        check(
            audits.approved_on is not None
            and fy.first_day - dt.timedelta(days=120) <= audits.approved_on <= fy.last_day,
            f"audit programme {audits.year} approved on {audits.approved_on}",
        )
    for own in AgencyAuditProgramme.objects.all():
        fy = FinancialYear.parse(own.year)
        for schedule in own.schedules.all():
            for case_audit in schedule.case_audits.all():
                check(
                    case_audit.audited_on in fy,
                    f"{own.year} case audit on {case_audit.audited_on}",
                )
    for cycle in Cycle.objects.all():
        first = financial_year(cycle.starts_on)
        check(
            cycle.name in (financial_years_label(first, 2), f"{first.label} short form"),
            f"Section 11 cycle {cycle.name} starts on {cycle.starts_on}",
        )
    for term in Term.objects.all():
        season = {1: "Spring", 4: "Summer", 9: "Autumn"}.get(term.starts_on.month)
        check(
            term.name == f"{season} {term.starts_on.year}"
            and term.ends_on.year == term.starts_on.year,
            f"term {term.name} runs {term.starts_on} to {term.ends_on}",
        )
    for presentation in Presentation.objects.exclude(meeting=None):
        assert presentation.meeting is not None
        held = timezone.localtime(presentation.meeting.starts_at).date()
        check(
            presentation.year == financial_year(held).label,
            f"Youth Forum presentation for {presentation.year} on {held}",
        )
    for report in AnnualReport.objects.all():
        fy = FinancialYear.parse(report.year)
        check(fy.first_day <= today, f"annual report for {report.year}, a year not begun")
        check(
            report.signed_off_on is None or fy.last_day < report.signed_off_on,
            f"annual report for {report.year} signed off on {report.signed_off_on}",
        )
        for found in YEAR_IN_TEXT.finditer(report.title):
            check(found.group(0) == report.year, f"annual report {report.title!r}")
    for item in AgendaItem.objects.select_related("meeting"):
        held = financial_year(timezone.localtime(item.meeting.starts_at).date())
        for found in YEAR_IN_TEXT.finditer(item.title):
            if found.group(2) == "/":
                check(
                    abs(FinancialYear.parse(found.group(0)).start_year - held.start_year) <= 1,
                    f"agenda item {item.title!r} at a meeting in {held}",
                )
    return wrong


def stray_years(today: dt.date) -> list[str]:
    """Years written in any record's text that lie outside the demo's recent window (four
    years back, two ahead), apart from regimes and references to real publications."""
    from lift.learning.models import LibraryItem

    low, high = today.year - 4, today.year + 2
    found: list[str] = []
    for model in apps.get_models():
        if not model.__module__.startswith("lift.") or model._meta.app_label in HISTORY_APPS:
            continue
        if model._meta.app_label in DERIVED_APPS:
            continue
        if model.__name__.startswith("Historical") or model._meta.model_name == "changelog":
            continue
        fields = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField)
            and not f.choices
            and f.name not in ANY_YEAR_FIELDS
        ]
        if not fields:
            continue
        for row in model._base_manager.values("pk", *fields).iterator():
            for name in fields:
                for match in YEAR_IN_TEXT.finditer(row[name] or ""):
                    year = int(match.group(1))
                    if low <= year <= high:
                        continue
                    if model is LibraryItem and _published_in(row["pk"], year):
                        continue
                    found.append(f"{model.__name__} {row['pk']} {name}: {match.group(0)!r}")
    return found


def _published_in(pk: int, year: int) -> bool:
    from lift.learning.models import LibraryItem

    item = LibraryItem.objects.get(pk=pk)
    return item.published_on is not None and item.published_on.year == year


def not_current(today: dt.date) -> list[str]:
    """What the demo must have now: a current Section 11 cycle, a current Youth Forum term
    with the Chair's meeting, a Board meeting next month, overdue actions late by days or
    weeks."""
    from lift.governance.choices import GroupKind, MeetingStatus
    from lift.governance.models import Meeting
    from lift.learning.models import Action
    from lift.section11.models import Cycle
    from lift.voice.models import ChairMeeting, Term

    missing: list[str] = []
    # The two-year cycle (a short-form cycle for one small agency may run beside it).
    cycles = [
        c
        for c in Cycle.objects.filter(partnership__slug=demo.DEMO_SLUG, status="open")
        if not c.name.endswith("short form")
        and financial_year(c.starts_on).first_day
        <= today
        <= (financial_year(c.starts_on) + 1).last_day
    ]
    if len(cycles) != 1:
        missing.append(f"one open Section 11 cycle whose two years hold {today}: {cycles}")
    terms = list(Term.objects.filter(starts_on__lte=today, ends_on__gte=today))
    if len(terms) != 1:
        missing.append(f"a Youth Forum term holding {today}")
    elif not ChairMeeting.objects.filter(
        meets_on__range=(terms[0].starts_on, terms[0].ends_on), status__in=["planned", "held"]
    ).exists():
        missing.append(f"the Chair's meeting with the Youth Forum in {terms[0]}")
    next_month = add_months(today.replace(day=1), 1)
    board_meetings = [
        timezone.localtime(m.starts_at).date()
        for m in Meeting.objects.filter(board__kind=GroupKind.BOARD, status=MeetingStatus.PLANNED)
    ]
    if not any((d.year, d.month) == (next_month.year, next_month.month) for d in board_meetings):
        missing.append(f"a Board meeting in {next_month:%B %Y}: {board_meetings}")
    overdue = Action.objects.filter(
        partnership__slug=demo.DEMO_SLUG,
        status__in=["agreed", "in_progress"],
        due_on__lt=today,
    )
    if not overdue.exists():
        missing.append("an overdue action")
    return missing
