"""The Section 11 story in the fictional Harrowmere partnership.

A cycle runs over two financial years and is named after them ("2025-27" runs from April
2025 to March 2027). The cycle two years before the current one is closed: every return
moderated. The current cycle opened almost a year ago: six agencies took part; Harrowmere
Community Health Trust started from its previous answers and evidence (carried forward,
reviewed before submitting). Two peer challenge panels, each with the lay member Tom Birch
and a safeguarding lead from another agency, asked questions per standard and moderated the
ratings (several came down, one went up). The family support charity's return came in late
and is still under challenge: the charity's safeguarding lead, Esther Pengelly, has one
of the panel's questions to answer. The overview report compares the cycle with the previous one
and went to the Board seven months ago; the follow-up at the Board's last meeting listed
the outstanding actions, and the Chair wrote to Vale Probation Service, whose actions are
weeks overdue, and recorded its reply. The voluntary-sector short form (the second
framework) is loaded and a small short-form cycle for the charity opened three weeks ago:
its lead has answered every requirement and has only to submit the return.

Every name here is invented.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from lift.core.calendar import financial_year, financial_years_label
from lift.learning import services as learning
from lift.learning.choices import ActionStatus

from . import services
from .models import Answer, Cycle, Framework, Section11Return

PAN_LONDON = "urn:lift:section11:pan-london"
SHORT_FORM = "urn:lift:section11:voluntary-short"
LEVELS = ["fully", "partially", "not-met"]

# Per agency: a string of ratings, one letter per requirement in order (f = fully,
# p = partially, n = not met); it repeats if shorter than the framework.
SELF_PREVIOUS = {
    "social_care": "fpfpffpf",
    "police": "ppfpnpfp",
    "health": "fppfpfpp",
    "education": "pfpnpppf",
    "probation": "pnppnpfp",
}
SELF_CURRENT = {
    "social_care": "fffpffff",
    "police": "fpffpfff",
    "health": "fffpfffp",
    "education": "ffpfpffp",
    "probation": "fpfpnfpf",
    "voluntary": "fffffffp",
}
# Requirements (by ref) where the panel moderated the rating, and to what.
MODERATED_PREVIOUS = {"police": {"6.3": "not-met"}, "probation": {"5.2": "not-met"}}
MODERATED_CURRENT = {
    "social_care": {"4.2": "partially", "8.3": "partially"},
    "police": {"7.2": "partially", "5.4": "fully"},
    "health": {"3.3": "partially"},
    "education": {"6.2": "partially", "1.4": "partially"},
    "probation": {"5.2": "not-met", "7.2": "partially", "1.2": "partially"},
}
LEADS = {
    "social_care": "lead_sc",
    "police": "lead_police",
    "health": "lead_health",
    "voluntary": "lead_charity",
}
# The short form's scores (0 to 3), one per requirement, and what the charity wrote.
SHORT_FORM_SCORES = "3323322332"
SHORT_FORM_NARRATIVE = {
    "3": "In place and checked by the trustees this year.",
    "2": "In place; the trustees have not yet checked it.",
}

NARRATIVE = {
    "fully": "In place and checked: see the evidence listed. Last reviewed by the senior team.",
    "partially": "In place for most teams; gaps remain in the out-of-hours service.",
    "not-met": "Not yet in place: included in our action plan with a timescale.",
}

# (agency key, title, due in days from the day the demo is built (negative: past),
#  success measure, finished?)
ACTIONS = [
    (
        "social_care",
        "Publish a 'you said, we did' summary after each young people's consultation",
        -120,
        "Summaries published for every consultation in the year",
        True,
    ),
    (
        "police",
        "Train every public protection sergeant in information sharing without consent",
        -90,
        "All sergeants trained; records audit shows reasons recorded",
        True,
    ),
    (
        "health",
        "Report safeguarding supervision take-up monthly to the executive",
        -150,
        "Monthly take-up above 90% for six months",
        True,
    ),
    (
        "education",
        "Audit single central records in every maintained school",
        60,
        "Every school audited; gaps fixed within a month",
        False,
    ),
    (
        "probation",
        "Set up a training needs analysis with levels for every role",
        -75,
        "Needs analysis approved; compliance reported quarterly",
        False,
    ),
    (
        "probation",
        "Send reports to child protection conferences two working days ahead",
        -60,
        "Conference chairs report 95% of reports on time",
        False,
    ),
]


def cycle_name(starts_on: dt.date) -> str:
    """A cycle's name: the two financial years it runs over, from the one it starts in."""
    return financial_years_label(financial_year(starts_on), 2)


def _framework(urn: str) -> Framework:
    return Framework.objects.filter(urn=urn, partnership=None).order_by("-version").first()  # type: ignore[return-value]


def _answer_all(ret: Section11Return, pattern: str, by: Any) -> None:
    answers = list(
        Answer.objects.filter(agency_return=ret)
        .select_related("requirement")
        .order_by("requirement__order")
    )
    for i, answer in enumerate(answers):
        rating = {"f": "fully", "p": "partially", "n": "not-met"}[pattern[i % len(pattern)]]
        services.answer_save(
            answer=answer,
            by=by,
            self_rating=rating,
            narrative=NARRATIVE[rating],
            evidence_links=(
                f"https://intranet.harrowmere.example/safeguarding/{answer.requirement.ref}"
                if rating == "fully"
                else ""
            ),
        )


def _moderate(
    ret: Section11Return, changes: dict[str, str], by: Any, conclusion: str, today: dt.date
) -> None:
    for answer in Answer.objects.filter(agency_return=ret).select_related("requirement"):
        rating = changes.get(answer.requirement.ref, answer.self_rating)
        note = "" if rating == answer.self_rating else "The evidence did not support the rating."
        if rating != answer.self_rating and LEVELS.index(rating) < LEVELS.index(answer.self_rating):
            note = "The panel saw stronger evidence than the return described."
        services.answer_moderate(answer=answer, rating=rating, note=note, by=by)
    services.return_moderate(agency_return=ret, conclusion=conclusion, by=by, today=today)


def _panels(ctx: Any, cycle: Cycle, name_suffix: str) -> tuple[Any, Any]:
    """Panel A (lay member and the police lead) and panel B (lay member and the social
    care lead): no member sits on their own agency's challenge."""
    people = ctx.people
    a = services.panel_create(
        cycle=cycle, name=f"Panel A {name_suffix}", meets_on=cycle.challenge_starts_on
    )
    services.panel_member_add(panel=a, person=people["lay"], is_lay=True, is_chair=True)
    services.panel_member_add(panel=a, person=people["lead_police"])
    b = services.panel_create(
        cycle=cycle,
        name=f"Panel B {name_suffix}",
        meets_on=cycle.challenge_starts_on + dt.timedelta(days=14),
    )
    services.panel_member_add(panel=b, person=people["lay"], is_lay=True, is_chair=True)
    services.panel_member_add(panel=b, person=people["lead_sc"])
    return a, b


def _by(ctx: Any, key: str) -> Any:
    return ctx.people.get(LEADS.get(key, ""))


def build(ctx: Any) -> None:
    pan = _framework(PAN_LONDON)
    short = _framework(SHORT_FORM)
    if pan is None:  # the shared frameworks are loaded by migrate; load them if not
        from .frameworks import load_shared

        load_shared()
        pan, short = _framework(PAN_LONDON), _framework(SHORT_FORM)
    p, ag, people = ctx.partnership, ctx.agencies, ctx.people
    bu, chair, lay = people["bu"], people["chair"], people["lay"]
    today, ago = ctx.today, ctx.ago
    # The current cycle opened almost a year ago: today is always within its two years.
    opened = ago(362)
    first_year = financial_year(opened)

    # --- the cycle before: closed at the end of its two years ----------------------------
    keys_previous = ["social_care", "police", "health", "education", "probation"]
    prev_year = (first_year - 2).first_day

    def prev_day(days: int) -> dt.date:
        return prev_year + dt.timedelta(days=days)

    prev = services.cycle_create(
        partnership=p,
        name=cycle_name(prev_year),
        framework=pan,
        agencies=[ag[k] for k in keys_previous],
        starts_on=prev_day(154),  # early September
        deadline=prev_day(256),  # mid December
        challenge_starts_on=prev_day(287),
        challenge_ends_on=prev_day(333),
        by=bu,
    )
    services.cycle_open(cycle=prev, by=bu, today=prev_day(154))
    panel_a, panel_b = _panels(ctx, prev, str(prev_day(287).year))
    for key in keys_previous:
        ret = Section11Return.objects.get(cycle=prev, agency=ag[key])
        _answer_all(ret, SELF_PREVIOUS[key], _by(ctx, key))
        services.return_submit(agency_return=ret, by=_by(ctx, key), today=prev_day(254))
        panel = panel_b if key in ("police", "probation") else panel_a
        services.return_assign_panel(agency_return=ret, panel=panel, by=bu)
        services.challenge_start(agency_return=ret, by=lay)
        _moderate(
            ret,
            MODERATED_PREVIOUS.get(key, {}),
            lay,
            "A fair self-assessment; the action plan should be more specific about dates.",
            prev_day(325),
        )
    services.cycle_close(cycle=prev, by=chair, today=first_year.first_day - dt.timedelta(days=1))

    # --- the current cycle -------------------------------------------------------------
    keys = ["social_care", "police", "health", "education", "probation", "voluntary"]
    cur = services.cycle_create(
        partnership=p,
        name=cycle_name(opened),
        framework=pan,
        agencies=[ag[k] for k in keys],
        starts_on=opened,
        deadline=ago(280),
        challenge_starts_on=ago(265),
        challenge_ends_on=ago(225),
        previous=prev,
        by=bu,
    )
    services.cycle_open(cycle=cur, by=bu, carry_forward=[ag["health"]], today=opened)
    panel_a, panel_b = _panels(ctx, cur, str(ago(265).year))
    returns = {key: Section11Return.objects.get(cycle=cur, agency=ag[key]) for key in keys}
    for key in keys:
        ret = returns[key]
        _answer_all(ret, SELF_CURRENT[key], _by(ctx, key))  # reviews health's carried answers
        submitted = ago(272) if key == "voluntary" else ago(283)
        services.return_submit(agency_return=ret, by=_by(ctx, key), today=submitted)
        panel = panel_b if key in ("police", "probation") else panel_a
        services.return_assign_panel(agency_return=ret, panel=panel, by=bu)
        services.challenge_start(agency_return=ret, by=lay)
    for key in keys:
        ret = returns[key]
        standards = list(cur.framework.standards.order_by("order"))
        q = services.question_ask(
            agency_return=ret,
            standard=standards[3],
            question="Give an example of a service change made because of what children or "
            "families told you.",
            by=lay,
        )
        services.question_respond(
            question=q,
            response="After feedback from the Youth Forum we moved drop-in sessions to after "
            "school and added a text service.",
            by=_by(ctx, key),
        )
        q = services.question_ask(
            agency_return=ret,
            standard=standards[4],
            question="How do you know training has changed practice?",
            by=lay,
        )
        if key != "voluntary":
            services.question_respond(
                question=q,
                response="Managers follow up a sample of staff three months after each course.",
                by=_by(ctx, key),
            )
            _moderate(
                ret,
                MODERATED_CURRENT.get(key, {}),
                lay,
                {
                    "probation": "Several ratings were optimistic: training and conference "
                    "reports need real improvement, with a dated plan.",
                    "police": "Strong on training; attendance at conferences needs work.",
                }.get(key, "A well-evidenced return; the panel agreed most ratings."),
                ago(228),
            )

    # Action plans (in the learning chain, with the return as source).
    for key, title, due_in, measure, finished in ACTIONS:
        due = today + dt.timedelta(days=due_in)
        action = services.return_action_add(
            agency_return=returns[key],
            by=_by(ctx, key) or bu,
            title=title,
            due_on=due,
            success_measure=measure,
            owner=_by(ctx, key),
        )
        if finished:
            learning.action_transition(
                action=action, to=ActionStatus.IN_PROGRESS, by=bu, today=ago(220)
            )
            learning.action_update_add(
                action=action,
                by=_by(ctx, key) or bu,
                text="Done: the change is in place and reported to our senior team.",
                status=ActionStatus.COMPLETED,
                today=due - dt.timedelta(days=10),
            )

    # The overview report, the Board, the six-month follow-up and the Chair's letter.
    report = services.overview_create(
        cycle=cur,
        summary=(
            "Six agencies self-assessed against the eight Pan-London standards. Ratings "
            f"improved on {prev.name} for most standards; the panels changed several ratings, "
            "most of them down. Hearing children's views in service design, and training "
            "that changes practice, remain the weakest areas across agencies."
        ),
        common_themes=(
            "Children's views are gathered but not always shown to change services\n"
            "Training is delivered but its impact on practice is rarely evidenced\n"
            "Reports to child protection conferences arrive late"
        ),
        key_areas=(
            "Show how the views of children and families change services\n"
            "Evaluate the impact of safeguarding training on practice\n"
            "Send reports to child protection conferences on time"
        ),
        themes=["voice-of-the-child"] if _theme_exists("voice-of-the-child") else [],
        by=bu,
    )
    # To the Board seven months ago; the follow-up at its last meeting, six weeks ago.
    services.overview_present(report=report, board_date=ago(211), by=chair)
    follow_up = services.follow_up_generate(report=report, by=bu, today=ago(49))
    board_day = ago(42)
    services.follow_up_present(follow_up=follow_up, board_date=board_day, by=chair)
    letter_day = ago(40)
    letter = services.escalation_record(
        follow_up=follow_up,
        agency=ag["probation"],
        addressee="Head of Vale Probation Service",
        letter_text=(
            "The Board considered the follow-up of the Section 11 audit on "
            f"{board_day:%-d %B %Y}. Two of your agency's improvement actions are overdue: "
            "the training needs analysis and the timeliness of reports to child protection "
            f"conferences. Please tell me by {letter_day + dt.timedelta(days=21):%-d %B %Y} "
            "when each will be completed, and what support you need from the partnership."
        ),
        by=chair,
        letter_date=letter_day,
    )
    services.escalation_response_record(
        escalation=letter,
        response=(
            "The training needs analysis goes to our senior team next month. A conference "
            "report tracker started this month; we will report progress to the Executive."
        ),
        response_on=ago(20),
        by=chair,
    )

    # The second framework: a short-form cycle for the charity, opened three weeks ago; its
    # lead has answered every requirement and has only to submit the return.
    if short is not None:
        short_start = ago(21)
        short_cycle = services.cycle_create(
            partnership=p,
            name=f"{financial_year(short_start).label} short form",
            framework=short,
            agencies=[ag["voluntary"]],
            starts_on=short_start,
            deadline=short_start + dt.timedelta(days=88),
            challenge_starts_on=short_start + dt.timedelta(days=98),
            challenge_ends_on=short_start + dt.timedelta(days=116),
            previous=None,
            by=bu,
        )
        services.cycle_open(cycle=short_cycle, by=bu, today=short_start)
        short_return = Section11Return.objects.get(cycle=short_cycle, agency=ag["voluntary"])
        answers = Answer.objects.filter(agency_return=short_return).select_related("requirement")
        for i, answer in enumerate(answers.order_by("requirement__order")):
            score = SHORT_FORM_SCORES[i % len(SHORT_FORM_SCORES)]
            services.answer_save(
                answer=answer,
                by=people["lead_charity"],
                self_rating=score,
                narrative=SHORT_FORM_NARRATIVE[score],
            )
        ctx.extra["section11_short_return"] = short_return
    ctx.extra["section11_cycle"] = cur


def _theme_exists(code: str) -> bool:
    from lift.learning.models import Theme

    return Theme.objects.filter(code=code, partnership__isnull=True).exists()
