"""The Board pack for one meeting: agenda, dataset exceptions, the focus area's analysis,
overdue actions by agency, open review clocks and the papers linked to agenda items.

Built in the background (`register_document("board_pack", build_board_pack)`), as one PDF
or DOCX with a table of contents and page numbers from lift.core.documents. The pack is the
Board's document: it covers the whole partnership, and who may ask for it is decided by who
may see the meeting.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Min
from django.utils import timezone

from lift.core.documents import (
    Bullets,
    Chart,
    Doc,
    DocTable,
    Heading,
    KeyValue,
    Para,
    ProgressFn,
)
from lift.core.models import Attachment, Clock
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


def build_board_pack(meeting: Any, progress: ProgressFn) -> Doc:
    partnership = meeting.partnership
    today = timezone.localdate()
    sections: list[Any] = []
    when = timezone.localtime(meeting.starts_at).strftime("%-d %B %Y")

    # 1. Agenda
    items = list(meeting.items.select_related("presenter").order_by("order", "pk"))
    sections.append(Heading("Agenda", 2))
    if items:
        sections.append(
            DocTable(
                caption="Agenda",
                headers=["Item", "Title", "Presenter", "Purpose"],
                rows=[
                    [str(i.order), i.title, str(i.presenter or ""), i.get_purpose_display()]
                    for i in items
                ],
            )
        )
    else:
        sections.append(Para("The agenda has not been set."))
    progress(15)

    # 2. Dataset exceptions
    indicators = list(
        with_latest(Indicator.objects.filter(partnership=partnership, is_active=True)).order_by(
            "code"
        )
    )
    rows = [row_for(i) for i in indicators]
    red = [r for r in rows if r.rag == Rag.RED]
    charted: set[int] = set()  # each indicator's chart (and its data table) once in the pack
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
    progress(45)

    # 3. Focus area
    focus = (
        ScrutinyFocus.objects.filter(meeting=meeting)
        .prefetch_related("indicators", "requests__agency", "requests__owner")
        .first()
    )
    sections.append(Heading("Focus area", 2))
    if focus is None:
        sections.append(Para("The Executive has not chosen a focus area for this meeting."))
    else:
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
                sections.append(
                    Para(f"The chart for “{ind.title}” is under Dataset exceptions above.")
                )
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
    progress(65)

    # 4. Overdue actions by agency: a count per agency, then the longest overdue.
    late_qs = overdue(Action.objects.filter(partnership=partnership), today)
    by_agency = list(
        late_qs.values("owner_agency__name")
        .annotate(n=Count("pk"), oldest=Min("due_on"))
        .order_by("-n", "owner_agency__name")
    )
    sections.append(Heading("Overdue actions by agency", 2))
    if by_agency:
        total = sum(a["n"] for a in by_agency)
        sections.append(
            DocTable(
                caption="Overdue actions by agency",
                headers=["Agency", "Overdue", "Longest overdue (days)"],
                rows=[
                    [a["owner_agency__name"], a["n"], (today - a["oldest"]).days] for a in by_agency
                ],
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
    else:
        sections.append(Para("No actions are overdue."))
    progress(75)

    # 5. Review clocks
    clocks = list(
        Clock.objects.filter(partnership=partnership, state__in=OPEN_STATES).order_by("due_on")
    )
    sections.append(Heading("Review clocks", 2))
    if clocks:
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
    else:
        sections.append(Para("No review clocks are open."))
    progress(85)

    # 6. Papers
    sections.append(Heading("Papers", 2))
    item_type = ContentType.objects.get_for_model(type(items[0])) if items else None
    papers: dict[int, list[str]] = defaultdict(list)
    if item_type is not None:
        for a in Attachment.objects.filter(
            content_type=item_type, object_id__in=[i.pk for i in items]
        ).order_by("original_name"):
            papers[a.object_id].append(a.description or a.original_name)
    paper_rows = []
    for i in items:
        linked = i.linked if i.linked_type_id else None
        for name in papers.get(i.pk, []):
            paper_rows.append([i.title, name])
        if linked is not None:
            # An indicator's name, not "code: name" (codes are LIFT's own shorthand).
            name = getattr(linked, "title", "") or str(linked)
            paper_rows.append([i.title, f"{name} ({linked._meta.verbose_name})"])
    if paper_rows:
        sections.append(
            DocTable(caption="Papers", headers=["Agenda item", "Paper"], rows=paper_rows)
        )
    else:
        sections.append(Para("No papers are linked to the agenda."))

    return Doc(
        title=f"Board pack: {meeting.board.name}, {when}",
        subtitle=str(meeting),
        partnership=partnership,
        sections=sections,
        date=today,
    )
