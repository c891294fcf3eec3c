"""Young people's voice in the annual report: the Youth Forum's year, the Chair's meetings
with it, its events, and "you said, we did". Registered with `lift.reports.registry` from
the app's `ready()`; the board pack shows the same section for the last twelve months."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from lift.core.documents import Block, DocTable, Heading, KeyValue, Para
from lift.reports.registry import register_annual_section

from . import rules, selectors
from .choices import ResponseKind
from .models import Consultation, Presentation, Term, YoungPeoplesView


def voice_section(partnership: Any, start: dt.date, end: dt.date) -> list[Block] | None:
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


def register() -> None:
    register_annual_section("voice", "Young people's voice", 60, voice_section)
