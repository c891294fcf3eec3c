"""The annual report's sections, one builder per area. Each reads the area's public models
and selectors (read-only, for the whole partnership: the report shows counts and tables,
never a restricted record) and returns None when the area has nothing for the year, so the
section is left out. An app that is not installed raises ImportError or LookupError, which
the registry treats as "not in use"."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db.models import Count, Q
from django.utils import timezone

from lift.core.documents import (
    Block,
    Bullets,
    Chart,
    DocTable,
    Heading,
    KeyValue,
    Para,
)
from lift.core.wording import counted, listed, noun, sentence, times, was

from .registry import register_annual_section


def _area(app_label: str | None) -> str:
    if not app_label:
        return "Partnership"
    try:
        return str(apps.get_app_config(app_label).verbose_name)
    except LookupError:
        return app_label


def _nested(blocks: list[Block]) -> list[Block]:
    """Another area's document blocks, one heading level down, to sit in a section."""
    out: list[Block] = []
    for b in blocks:
        if isinstance(b, Heading):
            out.append(Heading(b.text, min(5, b.level + 1)))
        else:
            out.append(b)
    return out


def _instants(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The first and last instant of a run of days, in the partnership's time zone: a
    timestamp's day compared without casting every row's timestamp to a date (which SQLite
    does in Python, row by row)."""
    tz = timezone.get_current_timezone()
    return (
        dt.datetime.combine(start, dt.time.min, tzinfo=tz),
        dt.datetime.combine(end, dt.time.max, tzinfo=tz),
    )


def _day(d: dt.date) -> str:
    return f"{d.day} {d:%B %Y}"


# --- governance and membership -----------------------------------------------------------


def _months_covered(start: dt.date, end: dt.date, today: dt.date) -> int:
    """Whole months of the year gone by: 12 for a year that is over, fewer for the current
    one (none before it starts)."""
    if today > end:
        return 12
    if today < start:
        return 0
    return (today.year - start.year) * 12 + today.month - start.month


# Beyond this many, the groups that met less often than expected are left to the table.
LISTED_GROUPS = 4


@dataclass(frozen=True)
class GroupYear:
    """One board or group's year: its members, and its meetings held, cancelled, due but
    not recorded as held, and expected (from how often its terms say it meets)."""

    board: Any
    members: int
    held: int
    cancelled: int
    not_recorded: int
    expected: int | None


def governance_year(partnership: Any, start: dt.date, end: dt.date) -> list[GroupYear]:
    """The year of every board and group: the active ones, and any other that had members or
    meetings in the year. Meetings are counted by status; a meeting whose time has passed
    that is still "planned" or "papers sent" was not recorded as held."""
    from lift.governance.choices import MeetingStatus
    from lift.governance.models import Board, Meeting, Membership

    today = timezone.localdate()
    in_year = Meeting.objects.filter(
        partnership=partnership, starts_at__date__gte=start, starts_at__date__lte=end
    )
    held_statuses = [MeetingStatus.HELD, MeetingStatus.MINUTES_APPROVED]
    due_statuses = [MeetingStatus.PLANNED, MeetingStatus.PAPERS_SENT]
    counts = {
        row["board_id"]: row
        for row in in_year.values("board_id")
        .order_by()
        .annotate(
            held=Count("id", filter=Q(status__in=held_statuses)),
            cancelled=Count("id", filter=Q(status=MeetingStatus.CANCELLED)),
            not_recorded=Count("id", filter=Q(status__in=due_statuses, starts_at__date__lt=today)),
        )
    }
    members = {
        row["board_id"]: row["n"]
        for row in Membership.objects.filter(partnership=partnership, starts_on__lte=end)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=start))
        .values("board_id")
        .order_by()
        .annotate(n=Count("person_id", distinct=True))
    }
    boards = Board.objects.filter(partnership=partnership).filter(
        Q(is_active=True) | Q(pk__in=list(counts)) | Q(pk__in=list(members))
    )
    months = _months_covered(start, end, today)
    out = []
    for b in boards.order_by("kind", "name"):
        row = counts.get(b.pk, {})
        every = b.meets_every_months
        out.append(
            GroupYear(
                board=b,
                members=members.get(b.pk, 0),
                held=row.get("held", 0),
                cancelled=row.get("cancelled", 0),
                not_recorded=row.get("not_recorded", 0),
                expected=months // every if every else None,
            )
        )
    return out


def governance_sentences(groups: list[GroupYear], *, in_progress: bool) -> list[str]:
    """What the figures say, in words chosen from them: never "met as planned" unless every
    group with a set frequency held at least the meetings its terms expect."""
    period = "so far this year" if in_progress else "in the year"
    held = sum(g.held for g in groups)
    met = [g for g in groups if g.held]
    out = [f"The partnership had {counted(len(groups), 'board or group', 'boards and groups')}."]
    if not held:
        out.append(f"No meetings were held {period}.")
    elif len(met) == len(groups):
        out.append(
            f"All of them met {period}, holding {counted(held, 'meeting')} between them."
            if len(groups) > 1
            else f"It met {times(held)} {period}."
        )
    else:
        out.append(
            f"{len(met):,} of them met {period}, holding {counted(held, 'meeting')}"
            + (" between them." if len(met) > 1 else ".")
        )
    short = [g for g in groups if g.expected is not None and g.held < g.expected]
    measured = [g for g in groups if g.expected]
    if short:
        lead = (
            f"{sentence(counted(len(short), 'group'))} met less often than "
            f"{noun(len(short), 'its', 'their')} terms of reference expect"
        )
        if len(short) <= LISTED_GROUPS:
            named = [
                f"{g.board.name} ({g.held:,} of {counted(g.expected or 0, 'meeting')})"
                for g in short
            ]
            out.append(f"{lead}: {listed(named)}.")
        else:
            out.append(f"{lead}; the table shows each group's meetings held and expected.")
    elif measured:
        out.append(
            "Every group with a set frequency met at least as often as its terms of "
            "reference expect."
            if len(measured) > 1
            else f"{measured[0].board.name} met at least as often as its terms of reference expect."
        )
    cancelled = sum(g.cancelled for g in groups)
    if cancelled:
        out.append(f"{sentence(counted(cancelled, 'meeting'))} {was(cancelled)} cancelled.")
    missing = sum(g.not_recorded for g in groups)
    if missing:
        out.append(
            f"{sentence(counted(missing, 'meeting'))} that {was(missing)} due "
            f"{noun(missing, 'is', 'are')} not recorded as held or cancelled."
        )
    return out


def governance_section(partnership: Any, start: dt.date, end: dt.date) -> list[Block] | None:
    """The partnership's own boards and groups; partner boards (other bodies' boards it works
    with) are named, not counted as its own."""
    from lift.governance.choices import GroupKind

    everyone = governance_year(partnership, start, end)
    groups = [g for g in everyone if g.board.kind != GroupKind.PARTNER_BOARD]
    partners = [g.board.name for g in everyone if g.board.kind == GroupKind.PARTNER_BOARD]
    if not groups:
        return None
    in_progress = start <= timezone.localdate() <= end
    words = governance_sentences(groups, in_progress=in_progress)
    if partners:
        words.append(
            f"It worked with {counted(len(partners), 'partner board')}: {listed(partners)}."
        )
    rows = [
        [
            g.board.name,
            g.board.get_kind_display(),
            g.members,
            g.held,
            g.cancelled,
            "" if g.expected is None else g.expected,
        ]
        for g in groups
    ]
    return [
        Para(" ".join(words)),
        DocTable(
            "Boards and groups: members and meetings in the year",
            [
                "Group",
                "Kind",
                "Members in the year",
                "Meetings held",
                "Meetings cancelled",
                "Meetings expected" + (" to date" if in_progress else ""),
            ],
            rows,
            numeric=(2, 3, 4, 5),
        ),
    ]


# --- learning and improvement (the L&I sub-group's evaluation) ---------------------------


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
    from lift.learning.choices import FINISHED_STATUSES
    from lift.learning.models import Action, Finding, ImpactCheck

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
                period=f"{_day(start)} to {_day(end)}",
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


# --- the Training sub-group --------------------------------------------------------------


def training_section(partnership: Any, start: dt.date, end: dt.date) -> list[Block] | None:
    from lift.training.models import Programme
    from lift.training.reports import annual_report
    from lift.voice.rules import year_of

    overlapping = Programme.objects.filter(
        partnership=partnership, starts_on__lte=end, ends_on__gte=start
    )
    # The programme of the report's year; failing that, the latest one running in it.
    programme = (
        overlapping.filter(year=year_of(start)).first()
        or overlapping.order_by("-starts_on").first()
    )
    if programme is None:
        return None
    return [
        Para(
            f"Figures for the training programme {programme.year}, {_day(programme.starts_on)} "
            f"to {_day(programme.ends_on)}."
        ),
        *_nested(annual_report(partnership, programme).sections),
    ]


# --- the CDOP ----------------------------------------------------------------------------


def cdop_section(partnership: Any, start: dt.date, end: dt.date) -> list[Block] | None:
    """The CDOP's year counted over the report's financial year; its trends are by calendar
    year of death, the three years to the one the financial year starts in (2015/16 ->
    2013 to 2015, the last full calendar years)."""
    from lift.cdop.models import Analysis, ChildDeath
    from lift.cdop.stats import annual_report

    if not (
        ChildDeath.objects.filter(
            partnership=partnership, notified_on__gte=start, notified_on__lte=end
        ).exists()
        or Analysis.objects.filter(
            partnership=partnership, completed_on__gte=start, completed_on__lte=end
        ).exists()
    ):
        return None
    year = start.year
    return [
        Para(
            f"The year's figures are for {_day(start)} to {_day(end)}; the trends are by "
            f"calendar year of death, {year - 2} to {year}. Small numbers are suppressed."
        ),
        *_nested(annual_report(partnership, year, period=(start, end)).sections),
    ]


# --- performance -------------------------------------------------------------------------


def performance_section(partnership: Any, start: dt.date, end: dt.date) -> list[Block] | None:
    from lift.performance.models import Indicator, IndicatorValue

    # The year's values as plain tuples in period order (a partnership has tens of thousands
    # of values: made into model instances they took half a second), then the indicators.
    values = (
        IndicatorValue.objects.filter(
            partnership=partnership, period_start__gte=start, period_start__lte=end
        )
        .order_by("indicator_id", "period_start", "pk")
        .values_list("indicator_id", "value")
    )
    latest: dict[int, Any] = {}
    first: dict[int, Any] = {}
    for indicator_id, value in values:
        first.setdefault(indicator_id, value)
        latest[indicator_id] = value
    if not latest:
        return None
    rows = [
        [
            ind.title,
            ind.owner_agency.name,
            float(first[ind.pk]),
            float(latest[ind.pk]),
            "" if ind.target is None else float(ind.target),
        ]
        for ind in Indicator.objects.filter(pk__in=list(latest))
        .select_related("owner_agency")
        .order_by("title", "pk")
    ]
    return [
        Para("The year's headline figures from the multi-agency dataset."),
        DocTable(
            "Performance headlines: first and latest figures of the year",
            ["Indicator", "Agency", "First", "Latest", "Target"],
            rows,
            numeric=(2, 3, 4),
        ),
    ]


# --- young people's voice ----------------------------------------------------------------


def voice_section(partnership: Any, start: dt.date, end: dt.date) -> list[Block] | None:
    from lift.voice import rules, selectors
    from lift.voice.choices import ResponseKind
    from lift.voice.models import Consultation, Presentation, Term, YoungPeoplesView

    forum = selectors.forum_for(partnership)
    if forum is None:
        return None
    year = rules.year_of(start)
    today = timezone.localdate()
    events = selectors.events_year(partnership, year)
    # Each term's status as the report is written: a term that ran past the year's end and
    # has ended since was met or missed, not "not yet met".
    terms = selectors.term_rows(
        partnership,
        today,
        Term.objects.filter(partnership=partnership, starts_on__lte=end, ends_on__gte=start),
    )
    consultations = Consultation.objects.filter(
        partnership=partnership, opened_on__gte=start, opened_on__lte=end
    )
    views = YoungPeoplesView.objects.filter(consultation__in=consultations)
    if not (events.count or terms or consultations.exists()):
        return None
    counts = selectors.member_counts(partnership, min(end, today))
    blocks: list[Block] = [
        KeyValue(
            [
                (
                    "Youth Forum members today"
                    if end > today
                    else "Youth Forum members at the year end",
                    counts.total,
                ),
                ("Supported by", forum.youth_service),
                ("Events held", f"{events.count} (target {events.target})"),
                ("Young people at events", events.attended),
                ("Consultations", consultations.count()),
                (
                    "Views answered (you said, we did)",
                    f"{views.exclude(response=ResponseKind.PENDING).count()} of {views.count()}",
                ),
            ]
        )
    ]
    if terms:
        blocks += [
            Heading("The Chair's meetings with the Youth Forum", 2),
            DocTable(
                "The Chair's meetings with the Youth Forum, by term",
                ["Term", "Status", "Topics raised"],
                [[t.term.name, t.status.label, "; ".join(t.topics)] for t in terms],
            ),
        ]
    if events.count:
        blocks += [
            Heading("Events", 2),
            DocTable(
                "Events by theme",
                ["Theme", "Events"],
                [[theme, n] for theme, n in events.by_theme],
                numeric=(1,),
            ),
        ]
    answered = views.exclude(response=ResponseKind.PENDING).select_related("consultation")[:20]
    if answered:
        blocks += [
            Heading("You said, we did", 2),
            DocTable(
                "You said, we did",
                ["Consultation", "You said", "We did (or why not)"],
                [[v.consultation.topic, v.said, v.response_text] for v in answered],
            ),
        ]
    presentation = Presentation.objects.filter(partnership=partnership, year=year).first()
    if presentation:
        blocks.append(
            Para(
                f"The Youth Forum presented to the Board: {presentation.title}"
                + (f" ({presentation.meeting})." if presentation.meeting else ".")
            )
        )
    return blocks


# --- business plan -----------------------------------------------------------------------


def business_plan_section(partnership: Any, start: dt.date, end: dt.date) -> list[Block] | None:
    from lift.governance.models import BusinessPlan
    from lift.governance.selectors import plan_progress
    from lift.voice.rules import year_of

    plan = BusinessPlan.objects.filter(partnership=partnership, year=year_of(start)).first()
    if plan is None:
        return None
    priorities = list(plan.priorities.all())
    if not priorities:
        return None
    progress = plan_progress(priorities)
    rows = [
        [
            p.title,
            progress[p.pk].total,
            progress[p.pk].complete,
            progress[p.pk].on_track,
            progress[p.pk].overdue,
        ]
        for p in priorities
    ]
    return [
        Para(f"{plan.title}: progress of each priority from the actions linked to it."),
        DocTable(
            "Business plan priorities: actions",
            ["Priority", "Actions", "Complete", "On track", "Overdue"],
            rows,
            numeric=(1, 2, 3, 4),
        ),
    ]


def register_all() -> None:
    register_annual_section("governance", "Governance and membership", 10, governance_section)
    register_annual_section(
        "learning",
        "Learning and improvement: the L&I sub-group's evaluation",
        20,
        learning_section,
    )
    register_annual_section(
        "training", "Training: the Training sub-group's report", 30, training_section
    )
    register_annual_section(
        "cdop", "Child death reviews: the CDOP's annual report", 40, cdop_section
    )
    register_annual_section("performance", "Performance headlines", 50, performance_section)
    register_annual_section("voice", "Young people's voice", 60, voice_section)
    register_annual_section("business_plan", "Business plan progress", 70, business_plan_section)
