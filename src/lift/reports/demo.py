"""Demo: Harrowmere's annual report for last financial year with its narrative and the
sections its groups' chairs wrote (the L&I sub-group's evaluation, the training report, the
CDOP's report), signed off by the Chair so it is on the public site; and a draft for the
current year in assembly: the L&I chair has submitted the evaluation, the Training chair has
a draft saved (on their to-do list, due in three weeks), and the CDOP's report is asked for
but not started. If no learning briefing is public yet, the learning demo's briefing is
marked public here so the public site shows one."""

from __future__ import annotations

from typing import Any

from lift.governance.models import Board
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
        },
        priorities_next_year=(
            "Neglect: embed the graded care profile.\n\n"
            "Child sexual exploitation: act on what young people told us about "
            "older 'boyfriends'.\n\n"
            "Hearing the child: the Chair meets the Youth Forum every term."
        ),
    )
    groups = {b.short_name: b for b in Board.objects.filter(partnership=p)}
    for key, group, text in LAST_YEAR:
        board = groups.get(group)
        if board is None or board.chair is None:
            continue
        written = services.section_assign(
            report=report, key=key, board=board, due_on=last_year.last_day, by=bu
        )
        written = services.section_write(narrative=written, text=text, by=board.chair)
        services.section_submit(narrative=written, by=board.chair)
    services.annual_report_sign_off(report=report, by=ctx.people["chair"])

    current = services.annual_report_create(partnership=p, by=bu, year=ctx.year.label)
    for key, group, text, submit in THIS_YEAR:
        board = groups.get(group)
        if board is None or board.chair is None:
            continue
        asked = services.section_assign(
            report=current, key=key, board=board, due_on=ctx.ahead(21), by=bu
        )
        if text:
            asked = services.section_write(narrative=asked, text=text, by=board.chair)
        if submit:
            services.section_submit(narrative=asked, by=board.chair)


# (section, the group's short name, the chair's text) of last year's signed report.
LAST_YEAR = [
    (
        "learning",
        "L&I",
        "The sub-group finished its audit programme and both learning reviews it began. "
        "Neglect and the voice of the child came up again, from audits and reviews alike.\n\n"
        "We checked the impact of the actions agencies finished: where the evidence was "
        "thin we asked for more before counting them done. Next year we will test whether "
        "practitioners use the graded care profile, not only whether they were trained in it.",
    ),
    (
        "training",
        "Training",
        "Courses filled well, but too many places went unused on the day. Managers now "
        "confirm a place before it is booked, and the follow-up asks what changed in practice.",
    ),
    (
        "cdop",
        "CDOP",
        "The panel reviewed every death notified to it. Safe sleep remained the factor we "
        "could most change, and our campaign reached every maternity ward in the area.",
    ),
]
# (section, group, text so far, submitted) of this year's report in assembly.
THIS_YEAR = [
    (
        "learning",
        "L&I",
        "Our evaluation this year looks at whether the learning from the neglect audit "
        "changed plans for children, as well as whether the actions were finished.",
        True,
    ),
    (
        "training",
        "Training",
        "The cascade sessions reached more practitioners than last year; the last "
        "quarter's feedback is still to come.",
        False,
    ),
    ("cdop", "CDOP", "", False),
]
