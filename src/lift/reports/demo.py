"""Demo: Harrowmere's 2015/16 annual report with its narrative, signed off so it is on the
public site, and a draft for the current year. If no learning briefing is public yet, the
learning demo's briefing is marked public here so the public site shows one."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from lift.learning.models import Dissemination
from lift.voice.rules import year_of

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
    report = services.annual_report_create(
        partnership=p,
        by=bu,
        year="2015/16",
        title="Harrowmere LSCB Annual Report 2015/16",
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
            "governance": "The Board, its Executive and sub-groups met as planned.",
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
    current = year_of(timezone.localdate())
    if current != "2015/16":
        services.annual_report_create(partnership=p, by=bu, year=current)
