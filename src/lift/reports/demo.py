"""Demo: Harrowmere's annual report for last financial year with its narrative, signed off
so it is on the public site, and a draft for the current year. If no learning briefing is
public yet, the learning demo's briefing is marked public here so the public site shows
one."""

from __future__ import annotations

from typing import Any

from lift.learning.models import Dissemination

from . import services


def build(ctx: Any) -> None:
    p = ctx.partnership
    bu = ctx.people["bu"]
    public = Dissemination.objects.filter(partnership=p, is_public=True).exists()
    if not public:
        briefing = Dissemination.objects.filter(partnership=p, kind="briefing").first()
        if briefing is not None:
            briefing.is_public = True
            briefing.save(update_fields=["is_public", "updated_at"])
    last_year = ctx.year - 1
    report = services.annual_report_create(
        partnership=p,
        by=bu,
        year=last_year.label,
        title=f"Harrowmere LSCB Annual Report {last_year.label}",
    )
    services.annual_report_update(
        report=report,
        by=bu,
        foreword=(
            "This year the Board listened harder to young people and to front-line staff. "
            "We met the Youth Forum in two of three terms; we missed the spring meeting and "
            "have fixed dates for the whole of next year."
        ),
        narratives={
            "voice": "The Youth Forum shaped our online safety work: three events reached over "
            "250 young people, and every view from the online safety consultation got an answer.",
            "governance": "Each sub-group chair reported to the Board on the group's work.",
            "learning": "The L&I sub-group's evaluation of the year's learning and its impact.",
        },
        priorities_next_year=(
            "Neglect: embed the graded care profile.\n\n"
            "Child sexual exploitation: act on what young people told us about "
            "older 'boyfriends'.\n\n"
            "Hearing the child: the Chair meets the Youth Forum every term."
        ),
    )
    services.annual_report_sign_off(report=report, by=ctx.people["chair"])
    services.annual_report_create(partnership=p, by=bu, year=ctx.year.label)
