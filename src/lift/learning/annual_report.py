"""Learning's section of the annual report: the L&I sub-group's evaluation (the year's
reviews, audits, Section 11 cycles and inspections, the lessons identified, the actions and
their impact, and recurring themes). Registered with `lift.reports.registry` from the app's
`ready()`; read-only, for the whole partnership: counts and tables, never a restricted
record. An area that is not installed is left out of the activity."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from typing import Any

from django.apps import apps
from django.db.models import Count, Q
from django.utils import timezone

from lift.core.documents import Block, Bullets, Chart, DocTable, Heading, KeyValue, Para
from lift.core.wording import counted, long_date, sentence, was
from lift.reports.registry import register_annual_section

from .choices import FINISHED_STATUSES
from .models import Action, Finding, ImpactCheck


def _area(app_label: str | None) -> str:
    if not app_label:
        return "Partnership"
    try:
        return str(apps.get_app_config(app_label).verbose_name)
    except LookupError:
        return app_label


def _instants(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The first and last instant of a run of days, in the partnership's time zone: a
    timestamp's day compared without casting every row's timestamp to a date (which SQLite
    does in Python, row by row)."""
    tz = timezone.get_current_timezone()
    return (
        dt.datetime.combine(start, dt.time.min, tzinfo=tz),
        dt.datetime.combine(end, dt.time.max, tzinfo=tz),
    )


def action_sentences(opened: int, finished: int, verified: int) -> list[str]:
    """The year's actions in words: "No actions were opened in the year." ..."""
    return [
        f"{sentence(counted(opened, 'action'))} {was(opened)} opened in the year.",
        f"{sentence(counted(finished, 'action'))} {was(finished)} completed or closed.",
        f"The impact of {counted(verified, 'action')} was verified."
        if verified
        else "No action's impact was verified.",
    ]


def learning_section(partnership: Any, start: dt.date, end: dt.date) -> list[Block] | None:
    blocks: list[Block] = []
    activity: list[tuple[str, Any]] = []
    try:
        from lift.reviews.models import Review

        reviews = Review.objects.filter(partnership=partnership)
        decided = reviews.filter(decided_on__gte=start, decided_on__lte=end).count()
        completed = reviews.filter(completed_on__gte=start, completed_on__lte=end).count()
        if decided or completed:
            activity += [("Reviews begun", decided), ("Reviews completed", completed)]
    except (ImportError, LookupError):
        pass
    try:
        from lift.audits.models import Audit

        audits = Audit.objects.filter(partnership=partnership)
        in_year = audits.filter(
            Q(planned_end__gte=start, planned_end__lte=end)
            | Q(planned_start__gte=start, planned_start__lte=end)
            | Q(completed_on__gte=start, completed_on__lte=end)
        )
        if in_year.exists():
            done = in_year.filter(completed_on__gte=start, completed_on__lte=end).count()
            activity += [
                ("Multi-agency audits in the year", in_year.count()),
                ("Audits completed in the year", done),
            ]
    except (ImportError, LookupError):
        pass
    try:
        from lift.section11.models import Cycle

        cycles = Cycle.objects.filter(partnership=partnership, starts_on__lte=end).filter(
            Q(closed_on__isnull=True) | Q(closed_on__gte=start)
        )
        names = [c.name for c in cycles]
        if names:
            activity.append(("Section 11 cycles", ", ".join(names)))
    except (ImportError, LookupError):
        pass
    try:
        from lift.inspections.models import Inspection

        inspections = Inspection.objects.filter(
            partnership=partnership, started_on__gte=start, started_on__lte=end
        )
        if inspections.exists():
            activity.append(("Inspections", "; ".join(i.title for i in inspections[:10])))
    except (ImportError, LookupError):
        pass

    findings = Finding.objects.filter(
        partnership=partnership, identified_on__gte=start, identified_on__lte=end
    )
    by_area = Counter(
        _area(label) for label in findings.values_list("source_type__app_label", flat=True)
    )
    actions = Action.objects.filter(partnership=partnership)
    opened = actions.filter(created_at__range=_instants(start, end))
    finished = actions.filter(
        Q(completed_on__gte=start, completed_on__lte=end)
        | Q(closed_on__gte=start, closed_on__lte=end),
        status__in=FINISHED_STATUSES,
    )
    verified = ImpactCheck.objects.filter(
        partnership=partnership, verified_on__gte=start, verified_on__lte=end
    )
    if not (activity or by_area or opened.exists() or finished.exists() or verified.exists()):
        return None
    if activity:
        blocks += [Heading("Learning and improvement activity", 2), KeyValue(activity)]
    if by_area:
        areas = sorted(by_area)
        lessons = sum(by_area.values())
        blocks += [
            Heading("Lessons identified", 2),
            Para(
                f"{sentence(counted(lessons, 'lesson'))} {was(lessons)} identified in the "
                f"year, from {counted(len(areas), 'source')}."
            ),
            Chart(
                "barh",
                "Lessons identified in the year, by source",
                areas,
                {"Lessons": [float(by_area[a]) for a in areas]},
                y_label="Lessons",
                period=f"{long_date(start)} to {long_date(end)}",
                source=f"LIFT, {partnership.name} learning and improvement records",
            ),
        ]
    table: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0])
    for label, agency in opened.values_list("source_type__app_label", "owner_agency__name"):
        table[(_area(label), agency)][0] += 1
    for label, agency in finished.values_list("source_type__app_label", "owner_agency__name"):
        table[(_area(label), agency)][1] += 1
    for label, agency in verified.values_list(
        "action__source_type__app_label", "action__owner_agency__name"
    ):
        table[(_area(label), agency)][2] += 1
    if table:
        ordered = sorted(table.items())
        rows: list[list[Any]] = [[area, agency, *counts] for (area, agency), counts in ordered]
        totals = [sum(counts[i] for _, counts in ordered) for i in (0, 1, 2)]
        blocks += [
            Heading("Actions and their impact", 2),
            Para(" ".join(action_sentences(*totals))),
            DocTable(
                "Actions by source and agency",
                ["Source", "Agency", "Opened", "Completed or closed", "Impact verified"],
                rows,
                numeric=(2, 3, 4),
            ),
        ]
    themes = (
        findings.filter(themes__isnull=False)
        .order_by()
        .values("themes__name")
        .annotate(
            n=Count("id", distinct=True),
            areas=Count("source_type__app_label", distinct=True),
        )
        .filter(areas__gt=1)
        .order_by("-n", "themes__name")[:10]
    )
    recurring = [
        f"{t['themes__name']}: {counted(t['n'], 'lesson')} from {counted(t['areas'], 'source')}"
        for t in themes
    ]
    if recurring:
        blocks += [
            Heading("Recurring themes", 2),
            Para("Themes of the year's lessons that came from more than one source."),
            Bullets(recurring),
        ]
    return blocks


def register() -> None:
    register_annual_section(
        "learning",
        "Learning and improvement: the L&I sub-group's evaluation",
        20,
        learning_section,
    )
