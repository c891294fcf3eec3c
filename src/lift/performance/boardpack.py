"""The Board pack for one meeting: a cover with its version and date, contents with page
numbers, the agenda, then each agenda item in order with what LIFT holds about it (its "LIFT
section": the dataset and scrutiny focus, the action tracker, the review dashboard, Section
11 progress, CDOP trends, youth voice, an inspection's progress report) and the item's
uploaded papers in their order: a PDF's own pages merged in (`AttachedPdf`), a Word or Excel
paper converted to its text and tables (`lift.performance.paperconvert`), each saying so
with a link to the original.

The business unit builds and publishes it once per version of the meeting's papers
(`lift.governance.services.board_pack_publish`), in the background
(`register_document("board_pack", build_board_pack)`); every member downloads that file.
A partnership-wide part no agenda item is about (dataset exceptions, overdue actions,
review clocks) follows the items under "Also from LIFT", so the pack always has them. The
pack is the Board's document: it covers the whole partnership.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.db.models import Count, Min
from django.utils import timezone

from lift.core.documents import (
    AttachedPdf,
    Block,
    Bullets,
    Callout,
    Chart,
    Doc,
    DocTable,
    Heading,
    KeyValue,
    Para,
    ProgressFn,
)
from lift.core.models import Clock
from lift.core.models.clocks import OPEN_STATES
from lift.learning.models import Action
from lift.learning.selectors import overdue

from . import periods, rules
from .choices import Rag, Unit
from .models import Indicator, IndicatorValue, ScrutinyFocus
from .selectors import format_value, row_for, with_latest

# The pack is read by Board members: it shows the exceptions, not the whole dataset. Every
# red indicator is in the table; the charts are for the focus area's indicators and the
# red ones furthest from target (each chart carries its data table, so a chart per red
# indicator made packs of hundreds of pages at partnership scale).
MAX_CHART_POINTS = 24
MAX_EXCEPTION_CHARTS = 6
MAX_SIGNALS = 20
MAX_OVERDUE_LISTED = 25


class _Point:
    """A value as the pack needs it (read with values_list, not as model rows)."""

    __slots__ = ("denominator", "national", "numerator", "period_start", "value")

    def __init__(self, row: tuple[Any, ...]) -> None:
        (self.period_start, self.value, self.numerator, self.denominator, self.national) = row


def _suppressed(indicator: Indicator, v: _Point) -> bool:
    return rules.suppressed(
        indicator.suppress_below,
        value=v.value,
        numerator=v.numerator,
        denominator=v.denominator,
        unit=indicator.unit,
    )


def _indicator_chart(indicator: Indicator, values: list[_Point], partnership: Any) -> Chart:
    """The indicator's recent series, titled by its name (never its code, which is LIFT's
    own shorthand), with its units, the period it covers and its source."""
    values = values[-MAX_CHART_POINTS:]
    labels = [periods.label(indicator.frequency, v.period_start) for v in values]
    period = f"{labels[0]} to {labels[-1]}" if len(labels) > 1 else "".join(labels)
    source = f"LIFT, {partnership.name} performance dataset"
    if indicator.source:
        source += f" ({indicator.source.rstrip('.')})"
    shown = [None if _suppressed(indicator, v) else float(v.value) for v in values]
    series: dict[str, list[float | None]] = {indicator.title[:60]: shown}
    if indicator.target is not None:
        series["Target"] = [float(indicator.target)] * len(values)
    if any(v.national is not None for v in values):
        series["National"] = [float(v.national) if v.national is not None else None for v in values]
    return Chart(
        kind="line",
        title=indicator.title,
        categories=labels,
        series=series,
        y_label=Unit(indicator.unit).label,
        period=period,
        source=source,
    )


def _spc_changes(indicators: list[Indicator], by_indicator: dict[int, list[_Point]]) -> list[str]:
    """Indicators whose last three points include an SPC signal, newest first."""
    found = []
    for ind in indicators:
        values = [v for v in by_indicator.get(ind.pk, []) if not _suppressed(ind, v)]
        numbers = [v.value for v in values]
        limits = rules.spc_limits(numbers)
        signals = rules.spc_signals(numbers, limits)
        recent = [i for i in signals if i >= len(numbers) - 3]
        if recent:
            last = values[max(recent)]
            names = ", ".join(sorted({n for i in recent for n in signals[i]}))
            label = periods.label(ind.frequency, last.period_start)
            found.append((last.period_start, f"{ind.title}: {names} ({label})."))
    found.sort(key=lambda pair: pair[0], reverse=True)
    return [text for _, text in found]


def _gap(row: Any) -> float:
    """How far a red indicator is from its target, relative to the target."""
    ind = row.indicator
    if row.value is None or ind.target in (None, 0):
        return 0.0
    return abs(float(row.value) - float(ind.target)) / abs(float(ind.target))


def _dataset_part(meeting: Any, today: Any, charted: set[int]) -> list[Block]:
    """Dataset exceptions (red indicators, statistical signals) and the meeting's scrutiny
    focus with its commissioned analysis."""
    partnership = meeting.partnership
    sections: list[Block] = []
    indicators = list(
        with_latest(Indicator.objects.filter(partnership=partnership, is_active=True)).order_by(
            "code"
        )
    )
    rows = [row_for(i) for i in indicators]
    red = [r for r in rows if r.rag == Rag.RED]
    all_values: dict[int, list[_Point]] = defaultdict(list)
    for indicator_id, *rest in (
        IndicatorValue.objects.filter(indicator__in=indicators)
        .order_by("indicator_id", "period_start")
        .values_list(
            "indicator_id", "period_start", "value", "numerator", "denominator", "national"
        )
        .iterator(chunk_size=5000)
    ):
        all_values[indicator_id].append(_Point(tuple(rest)))
    sections.append(Heading("Dataset exceptions", 2))
    sections.append(
        Para(
            f"{len(red)} of {len(rows)} indicators are red against target. Significant "
            "changes are points that statistical process control flags as signals, not noise."
        )
    )
    if red:
        sections.append(
            DocTable(
                caption="Red indicators",
                headers=["Indicator", "Agency", "Period", "Value", "Target", "Direction"],
                rows=[
                    [
                        r.indicator.title,
                        str(r.indicator.owner_agency),
                        r.period,
                        r.shown_value,
                        format_value(r.indicator.target, r.indicator.unit),
                        r.direction.label,
                    ]
                    for r in red
                ],
            )
        )
        furthest = sorted(red, key=_gap, reverse=True)[:MAX_EXCEPTION_CHARTS]
        if len(red) > len(furthest):
            sections.append(
                Para(
                    f"Charts follow for the {len(furthest)} red indicators furthest from "
                    "target; every indicator's full series is on its page in LIFT."
                )
            )
        for r in furthest:
            sections.append(
                _indicator_chart(r.indicator, all_values.get(r.indicator.pk, []), partnership)
            )
            charted.add(r.indicator.pk)
    changes = _spc_changes([r.indicator for r in rows], all_values)
    sections.append(Heading("Significant changes", 3))
    if changes:
        sections.append(Bullets(changes[:MAX_SIGNALS]))
        if len(changes) > MAX_SIGNALS:
            sections.append(
                Para(f"{len(changes) - MAX_SIGNALS} more indicators show a signal: see LIFT.")
            )
    else:
        sections.append(Para("No statistical signals this period."))

    focus = (
        ScrutinyFocus.objects.filter(meeting=meeting)
        .prefetch_related("indicators", "requests__agency", "requests__owner")
        .first()
    )
    sections.append(Heading("Focus area", 2))
    if focus is None:
        sections.append(Para("The Executive has not chosen a focus area for this meeting."))
        return sections
    sections.append(KeyValue([("Focus area", focus.title), ("Question", focus.question)]))
    for ind in focus.indicators.all():
        if ind.pk not in all_values:  # inactive indicators are not loaded above
            all_values[ind.pk] = [
                _Point(row)
                for row in IndicatorValue.objects.filter(indicator=ind)
                .order_by("period_start")
                .values_list("period_start", "value", "numerator", "denominator", "national")
            ]
        if ind.pk in charted:
            sections.append(Para(f"The chart for “{ind.title}” is under Dataset exceptions above."))
            continue
        sections.append(_indicator_chart(ind, all_values.get(ind.pk, []), partnership))
        charted.add(ind.pk)
    for req in focus.requests.all():
        sections.append(Heading(f"Analysis from {req.agency}", 3))
        sections.append(
            KeyValue(
                [
                    ("Requested", req.request),
                    ("Due", req.due_on.strftime("%-d %B %Y")),
                    ("Status", req.get_status_display()),
                ]
            )
        )
        sections.append(Para(req.response or "Not yet received."))
    for label, text in (
        ("Presentation", focus.presentation),
        ("The Board's challenge", focus.challenge),
        ("Conclusions", focus.conclusions),
    ):
        if text:
            sections.append(Heading(label, 3))
            sections.append(Para(text))
    return sections


def _actions_part(meeting: Any, today: Any, charted: set[int]) -> list[Block]:
    """The action tracker's summary: overdue actions counted by agency, then the longest
    overdue."""
    late_qs = overdue(Action.objects.filter(partnership=meeting.partnership), today)
    by_agency = list(
        late_qs.values("owner_agency__name")
        .annotate(n=Count("pk"), oldest=Min("due_on"))
        .order_by("-n", "owner_agency__name")
    )
    sections: list[Block] = [Heading("Overdue actions by agency", 2)]
    if not by_agency:
        return [*sections, Para("No actions are overdue.")]
    total = sum(a["n"] for a in by_agency)
    sections.append(
        DocTable(
            caption="Overdue actions by agency",
            headers=["Agency", "Overdue", "Longest overdue (days)"],
            rows=[[a["owner_agency__name"], a["n"], (today - a["oldest"]).days] for a in by_agency],
            numeric=(1, 2),
        )
    )
    late = list(
        late_qs.select_related("owner_agency").order_by("due_on", "pk")[:MAX_OVERDUE_LISTED]
    )
    sections.append(
        DocTable(
            caption=(
                f"The {len(late)} longest overdue of {total}"
                if total > len(late)
                else "Overdue actions"
            ),
            headers=["Agency", "Action", "Due", "Days overdue"],
            rows=[
                [
                    str(a.owner_agency),
                    a.title,
                    a.due_on.strftime("%-d %b %Y"),
                    (today - a.due_on).days,
                ]
                for a in late
            ],
            numeric=(3,),
        )
    )
    return sections


def _reviews_part(meeting: Any, today: Any, charted: set[int]) -> list[Block]:
    """The review dashboard: every open statutory clock, soonest due first."""
    clocks = list(
        Clock.objects.filter(partnership=meeting.partnership, state__in=OPEN_STATES).order_by(
            "due_on"
        )
    )
    sections: list[Block] = [Heading("Review clocks", 2)]
    if not clocks:
        return [*sections, Para("No review clocks are open.")]
    sections.append(
        DocTable(
            caption="Open clocks",
            headers=["Clock", "Started", "Due", "State"],
            rows=[
                [
                    c.label,
                    c.started_on.strftime("%-d %b %Y"),
                    c.due_on.strftime("%-d %b %Y"),
                    c.get_state_display(),
                ]
                for c in clocks
            ],
        )
    )
    return sections


# The partnership-wide parts, in the order they follow the items when no item is about them.
PARTS = {
    "dataset": _dataset_part,
    "actions": _actions_part,
    "reviews": _reviews_part,
}
# Which part an item is about, from the app of the record it links to.
PART_OF_APP = {
    "performance": "dataset",
    "learning": "actions",
    "reviews": "reviews",
}


def _nested(blocks: list[Block], by: int = 1) -> list[Block]:
    """Another area's document blocks, headings moved down to sit under a pack heading."""
    return [Heading(b.text, min(5, b.level + by)) if isinstance(b, Heading) else b for b in blocks]


def _linked_section(item: Any, linked: Any) -> list[Block]:
    """The LIFT section of an item about one record of an area with its own report: a
    Section 11 cycle's overview, the CDOP's trends, the Youth Forum's year, an inspection's
    progress report. Empty for other records (their part, if any, is in PARTS)."""
    label = linked._meta.app_label
    today = timezone.localdate()
    if label == "section11":
        from lift.section11.documents import overview_doc
        from lift.section11.models import Cycle

        cycle = linked if isinstance(linked, Cycle) else getattr(linked, "cycle", None)
        if cycle is None:
            return []
        report = getattr(cycle, "overview", None) if hasattr(cycle, "overview") else None
        return [
            Heading("Section 11 progress", 2),
            *_nested(overview_doc(cycle, report).sections, 2),
        ]
    if label == "cdop":
        from lift.cdop.stats import trends, trends_blocks

        years = [today.year - 2, today.year - 1, today.year]
        return [
            Heading("CDOP trends", 2),
            *_nested(trends_blocks(trends(item.partnership, years)), 1),
        ]
    if label == "voice":
        from lift.voice.annual_report import voice_section

        blocks = voice_section(item.partnership, today - dt.timedelta(days=365), today)
        if not blocks:
            return [Heading("Youth voice", 2), Para("The Youth Forum has nothing recorded yet.")]
        return [Heading("Youth voice: the last twelve months", 2), *_nested(blocks, 2)]
    if label == "inspections":
        from lift.inspections.documents import progress_doc
        from lift.inspections.models import ProgressReport

        if not isinstance(linked, ProgressReport):
            return []
        return [Heading("Inspection progress", 2), *_nested(progress_doc(linked, None).sections, 2)]
    return []


def _about(linked: Any) -> str:
    """What an item is about, as the pack may say it to every member: a record's name (not
    "code: name": codes are LIFT's own shorthand), unless the record is a case (a child's
    death, a review's case) or is not open to every Board member, when only its kind is
    given, so no case number or restricted record's name is printed."""
    from lift.core.access import P
    from lift.core.roles import R

    kind = str(linked._meta.verbose_name)
    access = getattr(type(linked), "access", None)
    open_to_board = access is not None and any(
        g.scope == P and R.BOARD_MEMBER in g.roles for g in access.rules.get("view", ())
    )
    if access is None or not open_to_board or access.case is not None:
        return f"A {kind} (not named in the pack: see the agenda item in LIFT)"
    name = getattr(linked, "title", "") or str(linked)
    return f"{name} ({kind})"


def _paper_blocks(item: Any, number: int, paper: Any) -> list[Block]:
    """A paper under its item: its heading, version and date, then its pages (a PDF) or its
    converted text and tables (Word, Excel), always with the link to the original."""
    from django.conf import settings

    from .paperconvert import convert

    attachment = paper.file
    url = f"{settings.LIFT_BASE_URL.rstrip('/')}{attachment.get_absolute_url()}"
    uploaded = timezone.localtime(attachment.created_at).strftime("%-d %B %Y")
    late = ", a late paper" if paper.late else ""
    blocks: list[Block] = [
        Heading(f"Paper {item.order}.{number}: {paper.title}", 2),
        Para(
            f"Version {paper.version}, uploaded {uploaded}{late}. File: {attachment.original_name}."
        ),
    ]
    with attachment.file.open("rb") as f:
        data = f.read()
    kind = attachment.original_name.rpartition(".")[2].lower()
    if kind == "pdf":
        attached = AttachedPdf(
            note="The paper follows as it was uploaded. The original is also in LIFT:",
            pdf=data,
            url=url,
        )
        if attached.pages:
            return [*blocks, attached]
        return [
            *blocks,
            Callout(f"This PDF could not be merged into the pack. Read it in LIFT: {url}"),
        ]
    converted = convert(kind, data)
    if converted is None:
        return [
            *blocks,
            Callout(
                "This paper could not be converted for the pack (the file could not be read "
                f"as {kind.upper()}). Read it in LIFT: {url}"
            ),
        ]
    what = "Word" if kind == "docx" else "Excel"
    return [
        *blocks,
        Callout(
            f"Converted from {what} for the pack: {converted.covers}. Pictures, charts and "
            f"layout are only in the original, in LIFT: {url}"
        ),
        *converted.blocks,
    ]


def build_board_pack(meeting: Any, progress: ProgressFn) -> Doc:
    from lift.governance.models import BoardPack, Paper

    partnership = meeting.partnership
    today = timezone.localdate()
    when = timezone.localtime(meeting.starts_at).strftime("%-d %B %Y")
    items = list(meeting.items.select_related("presenter", "linked_type").order_by("order", "pk"))
    papers: dict[int, list[Any]] = defaultdict(list)
    for paper in (
        Paper.objects.filter(item__meeting=meeting)
        .select_related("file")
        .order_by("item_id", "order", "pk")
    ):
        papers[paper.item_id].append(paper)
    charted: set[int] = set()  # each indicator's chart (and its data table) once in the pack
    done: set[str] = set()
    sections: list[Block] = []

    # The agenda
    sections.append(Heading("Agenda", 1))
    if items:
        sections.append(
            DocTable(
                caption="Agenda",
                headers=["Item", "Title", "Presenter", "Purpose", "Papers"],
                rows=[
                    [
                        str(i.order),
                        i.title,
                        str(i.presenter or ""),
                        i.get_purpose_display(),
                        "; ".join(
                            p.title + (" (late)" if p.late else "") for p in papers.get(i.pk, [])
                        )
                        or "No papers",
                    ]
                    for i in items
                ],
            )
        )
    else:
        sections.append(Para("The agenda has not been set."))
    progress(10)

    # Each item: what it is about, its LIFT section, its papers.
    for n, item in enumerate(items, start=1):
        linked = item.linked if item.linked_type_id else None
        sections.append(Heading(f"{item.order}. {item.title}", 1))
        about = [("Purpose", item.get_purpose_display())]
        if item.presenter:
            about.append(("Presenter", str(item.presenter)))
        if linked is not None:
            about.append(("About", _about(linked)))
        sections.append(KeyValue(about))
        if linked is not None:
            part = PART_OF_APP.get(linked._meta.app_label)
            if linked._meta.label_lower in ("governance.meeting", "governance.decision"):
                part = "actions"  # the last meeting's minutes and actions
            if part and part not in done:
                sections.extend(PARTS[part](meeting, today, charted))
                done.add(part)
            else:
                sections.extend(_linked_section(item, linked))
        for k, paper in enumerate(papers.get(item.pk, []), start=1):
            sections.extend(_paper_blocks(item, k, paper))
        progress(10 + int(70 * n / max(1, len(items))))

    rest = [name for name in PARTS if name not in done]
    if rest:
        sections.append(Heading("Also from LIFT", 1))
        for name in rest:
            sections.extend(PARTS[name](meeting, today, charted))
    progress(85)

    pack = BoardPack.objects.filter(meeting=meeting).order_by("-number").first()
    edition = (
        f"Version {pack.number}, made {today:%-d %B %Y} from version {meeting.papers_version} "
        "of the papers"
        if pack is not None
        else f"Draft made {today:%-d %B %Y}"
    )
    return Doc(
        title=f"Board pack: {meeting.board.name}, {when}",
        subtitle=f"{meeting}. {edition}.",
        partnership=partnership,
        sections=sections,
        date=today,
    )
