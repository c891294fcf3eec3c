"""Demo story: Ofsted's inspection of Harrowmere's children's services (fictional), with
judgements, recommendations, the action plan and quarterly progress reports to the Board:
two presented, the next due in a few days."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError

from lift.core.calendar import add_months

from . import services


def build(ctx: Any) -> None:
    p = ctx.partnership
    bu = ctx.people["bu"]
    sc = ctx.agencies["social_care"]
    today = ctx.today
    # Published so that the third quarterly report falls due in five days.
    published = add_months(today + dt.timedelta(days=5), -9)
    inspection = services.inspection_create(
        partnership=p,
        agency=sc,
        inspectorate="ofsted",
        title="Ofsted inspection of Harrowmere children's services",
        started_on=published - dt.timedelta(days=45),
        ended_on=published - dt.timedelta(days=35),
        published_on=published,
        report_url="https://reports.example.test/harrowmere-ilacs",
        summary="Fictional demo: services require improvement; help and protection are good.",
        progress_interval_months=3,
        by=bu,
    )
    for area, grade in [
        ("Overall effectiveness", "requires-improvement"),
        ("The experiences and progress of children who need help and protection", "good"),
        (
            "The experiences and progress of children in care and care leavers",
            "requires-improvement",
        ),
        (
            "The impact of leaders on social work practice with children and families",
            "requires-improvement",
        ),
    ]:
        services.judgement_add(inspection=inspection, area=area, grade=grade, by=bu)
    plan = [
        (
            "Improve the quality and regularity of management oversight and supervision.",
            "Monthly audit of supervision records",
            60,
        ),
        (
            "Strengthen the timeliness of permanence planning for children in care.",
            "Permanence tracking panel every fortnight",
            -20,
        ),
        (
            "Ensure care leavers have up-to-date pathway plans they helped to write.",
            "Pathway plan review for every care leaver",
            120,
        ),
    ]
    for text, title, due_in in plan:
        rec = services.inspection_recommend(inspection=inspection, text=text, by=bu)
        services.action_plan_add(
            recommendation=rec,
            title=title,
            owner_agency=sc,
            owner=ctx.people["lead_sc"],
            due_on=today + dt.timedelta(days=due_in),
            success_measure="Re-audit shows the standard met in at least 80% of cases.",
            by=bu,
        )
    meeting = ctx.extra.get("next_board_meeting")
    for _ in range(2):
        report = inspection.progress_reports.filter(presented_on__isnull=True).first()
        if report is None:
            break
        services.progress_report_present(report=report, by=bu, presented_on=report.due_on)
    waiting = inspection.progress_reports.filter(presented_on__isnull=True).first()
    if meeting is not None and waiting is not None:
        try:  # put the report due soon on the next Board agenda
            from lift.governance.services import agenda_item_add

            agenda_item_add(
                meeting=meeting,
                title=f"Progress on the Ofsted action plan (report {waiting.number})",
                by=bu,
                linked=waiting,
            )
        except (ImportError, ValidationError):
            pass
    ctx.extra["inspection"] = inspection
