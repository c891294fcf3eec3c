"""The overview report, the six-month follow-up report and the Chair's letter, as
lift.core.documents Docs (one source for the page, PDF and DOCX)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from lift.core.documents import (
    Bullets,
    Chart,
    Doc,
    DocTable,
    Heading,
    KeyValue,
    Para,
)

from .models import Cycle, Escalation, FollowUp, OverviewReport
from .selectors import Overview, outstanding_by_agency, overview


def _fmt(score: float | None) -> str:
    return "" if score is None else f"{score:.2f}"


def _level_label(ov: Overview, score: float | None) -> str:
    level = ov.level_for(score)
    return f"{_fmt(score)} ({level.label})" if level is not None else "Not rated"


def overview_doc(cycle: Cycle, report: OverviewReport | None, ov: Overview | None = None) -> Doc:
    ov = ov or overview(cycle)
    scale = ", ".join(f"{lvl.label} = {lvl.score}" for lvl in ov.levels)
    sections: list[Any] = [
        Heading("Summary"),
        Para(report.summary if report else "The overview report has not been written yet."),
        KeyValue(
            [
                ("Framework", str(ov.framework)),
                ("Rating scale", scale),
                ("Agencies taking part", str(len(ov.agencies))),
                ("Submission deadline", f"{cycle.deadline:%-d %B %Y}"),
                (
                    "Peer challenge",
                    f"{cycle.challenge_starts_on:%-d %B %Y} to {cycle.challenge_ends_on:%-d %B %Y}",
                ),
                (
                    "Board",
                    f"{report.board_date:%-d %B %Y}"
                    if report and report.board_date
                    else "Not yet presented",
                ),
            ]
        ),
        Heading("Completion"),
        DocTable(
            "Returns by agency",
            ["Agency", "Status", "Requirements answered", "Requirements"],
            [[c["agency"].name, c["status"], c["answered"], c["total"]] for c in ov.completion],
            numeric=(2, 3),
        ),
        Heading("Ratings by standard and agency"),
        Para(
            "Average score per standard: the moderated rating where the peer challenge panel "
            "gave one, otherwise the agency's self-rating. " + f"Scale: {scale}."
        ),
        DocTable(
            "Average rating by agency and standard",
            ["Agency", *[f"Standard {s.ref}" for s in ov.standards]],
            [
                [row["agency"].name, *[_level_label(ov, c["score"]) for c in row["cells"]]]
                for row in ov.heat_rows()
            ],
        ),
        Chart(
            "bar",
            "Average self-rating and moderated rating by standard",
            [f"Standard {s.ref}" for s in ov.standards],
            {
                "Self-rating": [ov.self_by_standard.get(s.pk) for s in ov.standards],
                "Moderated": [ov.moderated_by_standard.get(s.pk) for s in ov.standards],
            },
            y_label="Average score",
            source="LIFT, agencies' Section 11 returns",
            period=f"Section 11 cycle {cycle.name}",
        ),
        Heading("Self-ratings and moderated ratings"),
    ]
    if ov.differences:
        sections.append(
            DocTable(
                "Where the panel's moderated rating differs from the self-rating",
                ["Agency", "Standard", "Self-rating", "Moderated", "Change"],
                [
                    [
                        d["agency"].name,
                        f"Standard {d['standard'].ref}",
                        _fmt(d["self"]),
                        _fmt(d["moderated"]),
                        f"{d['change']:+.2f}",
                    ]
                    for d in ov.differences
                ],
                numeric=(2, 3, 4),
            )
        )
    else:
        sections.append(Para("No moderated rating differs from the agency's self-rating."))
    sections.append(Heading("Comparison with the previous cycle"))
    if ov.previous is not None:
        rows = ov.by_standard_rows()
        sections.append(
            DocTable(
                f"Average rating by standard: {ov.previous.cycle.name} and {cycle.name}",
                ["Standard", ov.previous.cycle.name, cycle.name, "Change"],
                [
                    [
                        f"Standard {r['standard'].ref}",
                        _fmt(r["previous"]),
                        _fmt(ov.final_by_standard(r["standard"].pk)),
                        _change(r["previous"], ov.final_by_standard(r["standard"].pk)),
                    ]
                    for r in rows
                ],
                numeric=(1, 2, 3),
            )
        )
        sections.append(
            Chart(
                "bar",
                f"Average rating by standard, {ov.previous.cycle.name} and {cycle.name}",
                [f"Standard {r['standard'].ref}" for r in rows],
                {
                    ov.previous.cycle.name: [r["previous"] for r in rows],
                    cycle.name: [ov.final_by_standard(r["standard"].pk) for r in rows],
                },
                y_label="Average score",
                source="LIFT, agencies' Section 11 returns",
                period=f"Section 11 cycles {ov.previous.cycle.name} and {cycle.name}",
            )
        )
    else:
        sections.append(Para("There is no previous cycle to compare with."))
    sections.append(Heading("Common themes"))
    themes = report.theme_list if report else []
    sections.append(Bullets(themes) if themes else Para("No common themes recorded."))
    sections.append(Heading("Key areas for improvement"))
    areas = report.key_area_list if report else []
    sections.append(Bullets(areas) if areas else Para("No key areas recorded yet."))
    return Doc(
        title=f"Section 11 overview report {cycle.name}",
        subtitle=str(ov.framework),
        partnership=cycle.partnership,
        sections=sections,
        date=timezone.localdate(),
    )


def _change(before: float | None, after: float | None) -> str:
    if before is None or after is None:
        return ""
    return f"{after - before:+.2f}"


def follow_up_doc(follow_up: FollowUp, today: dt.date | None = None) -> Doc:
    report = follow_up.report
    cycle = report.cycle
    today = today or timezone.localdate()
    grouped = outstanding_by_agency(cycle, today=today)
    sections: list[Any] = [
        Heading("Summary"),
        Para(
            f"The Section 11 overview report for {cycle.name} went to the Board on "
            f"{report.board_date:%-d %B %Y}. Six months on, these improvement actions from "
            "agencies' action plans are still outstanding."
            if report.board_date
            else "The overview report has not been presented to the Board."
        ),
        KeyValue(
            [
                ("Generated", f"{follow_up.generated_on:%-d %B %Y}"),
                ("Agencies with outstanding actions", str(len(grouped))),
                (
                    "Agencies with overdue actions",
                    str(sum(1 for g in grouped if g["overdue"])),
                ),
            ]
        ),
    ]
    if not grouped:
        sections.append(Para("Every action from the agencies' plans has been completed."))
    for entry in grouped:
        sections.append(Heading(entry["agency"].name, 2))
        sections.append(
            DocTable(
                f"Outstanding actions: {entry['agency'].name}",
                ["Action", "Owner", "Due", "Status"],
                [
                    [
                        item["action"].title,
                        str(item["action"].owner or ""),
                        f"{item['action'].due_on:%-d %B %Y}",
                        "Overdue" if item["overdue"] else item["action"].get_status_display(),
                    ]
                    for item in entry["actions"]
                ],
            )
        )
    overdue = [g["agency"].name for g in grouped if g["overdue"]]
    sections.append(Heading("For the Chair to pursue"))
    sections.append(
        Bullets(overdue) if overdue else Para("No agency has an overdue Section 11 action.")
    )
    return Doc(
        title=f"Section 11 six-month follow-up {cycle.name}",
        subtitle="Outstanding improvement actions",
        partnership=cycle.partnership,
        sections=sections,
        date=follow_up.generated_on,
    )


def letter_doc(escalation: Escalation) -> Doc:
    cycle = escalation.follow_up.report.cycle
    return Doc(
        title=f"Section 11 improvement actions: {escalation.agency.name}",
        subtitle=f"To {escalation.addressee}",
        partnership=escalation.partnership,
        sections=[
            KeyValue(
                [
                    ("Date", f"{escalation.letter_date:%-d %B %Y}"),
                    ("To", escalation.addressee),
                    ("Agency", escalation.agency.name),
                    ("Cycle", cycle.name),
                    ("Overdue actions", str(escalation.overdue_count)),
                ]
            ),
            Para(escalation.letter_text),
            Para(f"From the Chair, {escalation.partnership.name}"),
        ],
        toc=False,
        date=escalation.letter_date,
    )
