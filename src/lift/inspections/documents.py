"""The progress report to the Board, generated from the action plan's state."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from lift.core.documents import Chart, Doc, DocTable, Heading, KeyValue, Para
from lift.learning.models import Recommendation
from lift.learning.selectors import chain_for

from .models import ProgressReport
from .services import plan_actions, progress_state


def progress_doc(report: ProgressReport, user: Any) -> Doc:
    """The report as `user` may read it: the plan's counts are the whole plan's (what the
    Board is told), the recommendations and actions listed are those `user` may view. With
    no user (the Board pack, for everyone at the meeting) the counts stand alone."""
    inspection = report.inspection
    today = report.presented_on or timezone.localdate()
    state = (
        report.snapshot
        if report.presented_on and report.snapshot
        else progress_state(inspection, today)
    )
    chain = chain_for(user, inspection)
    visible = set(chain.actions.values_list("pk", flat=True))
    actions = list(plan_actions(inspection))
    recs = list(chain.recommendations)
    sections: list[Any] = [
        KeyValue(
            [
                ("Inspectorate", inspection.inspectorate_label()),
                ("Inspected", inspection.agency.name if inspection.agency else "The partnership"),
                (
                    "Inspection",
                    f"{inspection.started_on:%-d %B %Y} to {inspection.ended_on:%-d %B %Y}",
                ),
                ("Report due to the Board", report.due_on),
                ("Presented", report.presented_on or "Not yet"),
                ("Actions in the plan", state["total"]),
                ("Overdue actions", state["overdue"]),
            ]
        ),
        Heading("Judgements", 1),
    ]
    judgements = list(inspection.judgements.all())
    if judgements:
        sections.append(
            DocTable(
                "Judgements", ["Area", "Judgement"], [[j.area, j.grade_label()] for j in judgements]
            )
        )
    else:
        sections.append(Para("No graded judgements."))
    sections.append(Heading("Action plan progress", 1))
    if state["by_status"]:
        sections.append(
            Chart(
                kind="barh",
                title="Actions by status",
                categories=list(state["by_status"]),
                series={"Actions": [float(v) for v in state["by_status"].values()]},
                y_label="Actions",
                source=f"LIFT, the action plan for “{inspection.title}”",
                period=f"At {today:%-d %B %Y}",
            )
        )
    sections.append(Heading("Recommendations and actions", 1))
    if user is None:
        # A document for everyone at a meeting (the Board pack): the plan's counts above
        # are the Board's; each recommendation's actions are listed in LIFT, to those who
        # may see them.
        n, total = Recommendation.objects.from_source(inspection).count(), state["total"]
        sections.append(
            Para(
                f"The plan has {n} recommendation{'' if n == 1 else 's'} and {total} "
                f"action{'' if total == 1 else 's'}. Each recommendation and its actions are "
                "in LIFT, for those who may see them."
            )
        )
    for rec in recs:
        sections.append(Heading(f"{rec.reference}: {rec.text[:200]}", 2))
        rows = [
            [a.title, a.owner_agency.name, str(a.owner or ""), a.due_on, a.get_status_display()]
            for a in actions
            if a.recommendation_id == rec.pk and a.pk in visible
        ]
        if rows:
            sections.append(
                DocTable(
                    f"Actions for {rec.reference}",
                    ["Action", "Agency", "Owner", "Due", "Status"],
                    rows,
                )
            )
        elif any(a.recommendation_id == rec.pk for a in actions):
            sections.append(Para("Its actions belong to agencies whose actions you cannot see."))
        else:
            sections.append(Para("No action recorded yet."))
    if report.notes:
        sections += [Heading("Notes", 1), Para(report.notes)]
    return Doc(
        title=f"Progress report {report.number}: {inspection.title}",
        subtitle="Learning from inspection: report to the Board",
        partnership=inspection.partnership,
        sections=sections,
        date=today,
    )
