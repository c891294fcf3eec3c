"""Demo: Harrowmere's multi-agency dataset (the seed's five indicators and a few more), with
fictional values from four financial years ago to last month (or quarter) and comparators; a
history of scrutiny focus areas like the seed's list; the focus area for the next Board
meeting with commissioned analysis and draft conclusions; and a Board pack that can be
built. Every figure is invented."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from django.utils import timezone

from lift.core.calendar import financial_year
from lift.learning import services as learning
from lift.learning.choices import ActionStatus

from . import periods, services
from .models import Indicator

YEARS = 4
CHILD_POPULATION = Decimal(62000)  # fictional 0-17 population of Harrowmere


def _q(x: float, places: str = "0.1") -> Decimal:
    return Decimal(str(x)).quantize(Decimal(places))


def _periods(frequency: str, today: dt.date) -> list[dt.date]:
    last = periods.following(frequency, periods.containing(frequency, today), -1)
    first = periods.containing(frequency, (financial_year(today) - YEARS).first_day)
    out, p = [], first
    while p <= last:
        out.append(p)
        p = periods.following(frequency, p)
    return out


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def build(ctx: Any) -> None:
    today = ctx.today
    rng = random.Random(2015)
    partnership = ctx.partnership
    ag, people = ctx.agencies, ctx.people
    start = (financial_year(today) - YEARS).first_day

    def indicator(**kw: Any) -> Indicator:
        kw.setdefault("effective_from", start)
        kw.setdefault("regional_label", "Regional average")
        return services.indicator_create(partnership=partnership, **kw)

    pbv = indicator(
        code="pbv14",
        title="Universal post-birth visits within 14 days",
        owner_agency=ag["health"],
        unit="percent",
        polarity="higher",
        frequency="monthly",
        definition="Babies who received a new birth visit from a health visitor within 14 "
        "days of birth, as a share of births notified in the month.",
        numerator="New birth visits within 14 days",
        denominator="Births notified",
        source="Harrowmere Community Health Trust health visiting records (fictional)",
        target=Decimal(90),
        tolerance=Decimal(3),
        themes=["health"] if _theme_exists(partnership, "health") else [],
    )
    hv = indicator(
        code="hvcase",
        title="Health visitor caseload (children under 5 per health visitor)",
        owner_agency=ag["health"],
        unit="count",
        polarity="lower",
        frequency="quarterly",
        definition="Children under five on the caseload divided by whole-time-equivalent "
        "qualified health visitors at the end of the quarter.",
        source="Harrowmere Community Health Trust workforce return (fictional)",
        target=Decimal(400),
        tolerance=Decimal(40),
    )
    s47 = indicator(
        code="s47rate",
        title="Section 47 enquiries per 10,000 children (rolling 12 months)",
        owner_agency=ag["social_care"],
        unit="rate_10k",
        polarity="neither",
        frequency="quarterly",
        definition="Section 47 enquiries started in the 12 months to the end of the quarter "
        "per 10,000 children aged 0-17.",
        numerator="Section 47 enquiries started in the 12 months",
        denominator="Children aged 0-17 (mid-year estimate)",
        source="Children's social care case management system (fictional)",
    )
    sw = indicator(
        code="swcase",
        title="Average social work caseload",
        owner_agency=ag["social_care"],
        unit="count",
        polarity="lower",
        frequency="monthly",
        definition="Open cases held by qualified social workers in assessment and "
        "safeguarding teams divided by the number of those social workers.",
        source="Children's social care workforce data (fictional)",
        target=Decimal(18),
        tolerance=Decimal(3),
    )
    police = indicator(
        code="pcsex",
        title="Police charge rate for sexual offences against children",
        owner_agency=ag["police"],
        unit="percent",
        polarity="higher",
        frequency="quarterly",
        definition="Sexual offences against children with an outcome of charge or summons in "
        "the quarter, as a share of all such offences given an outcome in the quarter.",
        numerator="Offences charged or summonsed",
        denominator="Offences given an outcome",
        source="Harrowmere Police crime outcomes data (fictional)",
        target=Decimal(12),
        tolerance=Decimal(2),
    )
    cpp = indicator(
        code="cpp2yr",
        title="Child protection plans ending that lasted two years or more",
        owner_agency=ag["social_care"],
        unit="percent",
        polarity="lower",
        frequency="quarterly",
        definition="Child protection plans ending in the quarter that had lasted two years or "
        "more, as a share of all plans ending in the quarter.",
        numerator="Plans ending after two years or more",
        denominator="Plans ending",
        source="Children's social care case management system (fictional)",
        target=Decimal(4),
        tolerance=Decimal(2),
        suppress_below=5,
    )
    rerefer = indicator(
        code="rerefer",
        title="Re-referrals to children's social care within 12 months",
        owner_agency=ag["social_care"],
        unit="percent",
        polarity="lower",
        frequency="quarterly",
        definition="Referrals in the quarter for a child referred in the previous 12 months, "
        "as a share of all referrals in the quarter.",
        numerator="Re-referrals",
        denominator="Referrals",
        source="Children's social care case management system (fictional)",
        target=Decimal(20),
        tolerance=Decimal(3),
    )

    lead_of = {
        ag["health"].pk: people["lead_health"],
        ag["social_care"].pk: people["lead_sc"],
        ag["police"].pk: people["lead_police"],
    }

    def enter(ind: Indicator, when: dt.date, value: Decimal, **kw: Any) -> None:
        services.value_enter(
            indicator=ind, period_start=when, value=value, by=lead_of[ind.owner_agency_id], **kw
        )

    # Post-birth visits: low, then improving after the Board's challenge (still amber).
    months = _periods("monthly", today)
    for i, m in enumerate(months):
        births = rng.randint(300, 360)
        share = min(0.885, 0.74 + 0.0035 * i + rng.uniform(-0.02, 0.02))
        visited = int(births * share)
        enter(
            pbv,
            m,
            _q(visited / births * 100),
            numerator=Decimal(visited),
            denominator=Decimal(births),
            national=_q(88 + rng.uniform(-1, 1)),
            regional=_q(85 + rng.uniform(-1, 1)),
            neighbours=_q(87 + rng.uniform(-1, 1)),
            commentary=(
                "Two vacant health visitor posts in the north locality."
                if i == 10
                else "Recovery plan in place: weekend visiting clinics started."
                if i == 20
                else ""
            ),
        )
    # Social work caseloads: high, coming down as agency staff are recruited.
    for i, m in enumerate(months):
        enter(
            sw,
            m,
            Decimal(max(14, round(24 - 0.12 * i + rng.uniform(-1.5, 1.5)))),
            national=Decimal(17),
            neighbours=Decimal(18),
        )
    quarters = _periods("quarterly", today)
    for i, q in enumerate(quarters):
        enter(
            hv,
            q,
            Decimal(round(520 - 6 * i + rng.uniform(-15, 15))),
            national=Decimal(380),
            regional=Decimal(410),
        )
        s47_count = int(560 + 12 * i + rng.uniform(-30, 30))
        enter(
            s47,
            q,
            _q(s47_count / float(CHILD_POPULATION) * 10000),
            numerator=Decimal(s47_count),
            denominator=CHILD_POPULATION,
            national=_q(157 + rng.uniform(-3, 3)),
            regional=_q(128 + rng.uniform(-3, 3)),
            neighbours=_q(139 + rng.uniform(-3, 3)),
        )
        ending = rng.randint(38, 60)
        long_plans = rng.choice([0, 2, 3, 5, 6])  # some quarters are small numbers
        enter(
            cpp,
            q,
            _q(long_plans / ending * 100),
            numerator=Decimal(long_plans),
            denominator=Decimal(ending),
            national=Decimal("3.8"),
        )
        referrals = rng.randint(700, 820)
        re_ref = int(referrals * (0.19 + rng.uniform(-0.02, 0.03)))
        enter(
            rerefer,
            q,
            _q(re_ref / referrals * 100),
            numerator=Decimal(re_ref),
            denominator=Decimal(referrals),
            national=Decimal("22.4"),
            neighbours=Decimal("21.0"),
        )

    # Police charge rate: red against target and the region. Its definition changed two
    # years ago (outcomes counted by offence date), so the chart shows a break.
    change_from = (financial_year(today) - 2).first_day
    early = [q for q in quarters if q < change_from]
    for q in early:
        outcomes = rng.randint(90, 120)
        charged = int(outcomes * (0.06 + rng.uniform(-0.01, 0.015)))
        enter(
            police,
            q,
            _q(charged / outcomes * 100),
            numerator=Decimal(charged),
            denominator=Decimal(outcomes),
            regional=_q(11 + rng.uniform(-0.5, 0.5)),
            national=_q(9.5 + rng.uniform(-0.5, 0.5)),
        )
    services.indicator_redefine(
        indicator=police,
        definition="Sexual offences against children recorded in the quarter that have since "
        "been charged or summonsed, as a share of all such offences recorded in the quarter.",
        numerator="Offences recorded in the quarter since charged or summonsed",
        denominator="Offences recorded in the quarter",
        effective_from=change_from,
        reason="The force moved to counting outcomes by the quarter the offence was recorded, "
        "in line with the regional dataset.",
    )
    for q in [q for q in quarters if q >= change_from]:
        recorded = rng.randint(95, 125)
        charged = int(recorded * (0.075 + rng.uniform(-0.01, 0.01)))
        enter(
            police,
            q,
            _q(charged / recorded * 100),
            numerator=Decimal(charged),
            denominator=Decimal(recorded),
            regional=_q(11.5 + rng.uniform(-0.5, 0.5)),
            national=_q(9.8 + rng.uniform(-0.5, 0.5)),
        )
    # A revision, with its reason kept in the history.
    first = pbv.values.order_by("period_start").first()
    if first is not None:
        services.value_revise(
            row=first,
            by=people["lead_health"],
            reason="Late birth notifications from a neighbouring maternity unit added.",
            commentary="Revised: late notifications added.",
        )

    _focus_history(ctx, today, pbv=pbv, hv=hv, s47=s47, sw=sw, police=police)

    # Kingsbrook keeps its own dataset.
    other = ctx.other_partnership
    kb_agency = other.agencies.order_by("pk").first()
    if kb_agency is not None:
        kb = services.indicator_create(
            partnership=other,
            code="pbv14",
            title="New birth visits within 14 days",
            owner_agency=kb_agency,
            unit="percent",
            polarity="higher",
            frequency="quarterly",
            definition="New birth visits within 14 days of birth.",
            source="Kingsbrook health visiting (fictional)",
            effective_from=start,
            target=Decimal(92),
        )
        for q in quarters[-4:]:
            services.value_enter(indicator=kb, period_start=q, value=_q(91.5), by=None)


def _theme_exists(partnership: Any, code: str) -> bool:
    from lift.learning.models import Theme

    return Theme.objects.for_partnership(partnership).filter(code=code).exists()


def _focus_history(ctx: Any, today: dt.date, **ind: Indicator) -> None:
    """Past focus areas (the seed's 2014/15 list) and the one for the next Board meeting."""
    from lift.governance import services as gov
    from lift.governance.choices import MeetingStatus

    boards = ctx.extra.get("boards") or {}
    board = boards.get("board")
    upcoming = ctx.extra.get("next_board_meeting")
    if board is None or upcoming is None:
        return
    ag, people = ctx.agencies, ctx.people
    bu, chair = people["bu"], people["chair"]
    past_areas = [
        (
            "Universal post-birth visits within 14 days",
            "Why is the health trust below the 90% target for new birth visits, and what is "
            "the recovery plan?",
            [ind["pbv"]],
            "health",
            "Vacancies in two localities and late birth notifications explain most late visits.",
            "Why had the shortfall not been escalated to the Board sooner?",
            "The trust will fill vacancies and run weekend clinics; the Board will see monthly "
            "figures until the target is met.",
        ),
        (
            "Health visitor caseloads",
            "Are caseloads safe, and how do they compare with the region?",
            [ind["hv"]],
            "health",
            "Caseloads are well above the regional average; a workforce plan is in place.",
            "What is the risk to vulnerable families while caseloads stay high?",
            "Families on child protection plans are prioritised; recruitment is monitored.",
        ),
        (
            "Social work capacity and caseloads",
            "What is driving high caseloads, and what is the effect on practice?",
            [ind["sw"]],
            "social_care",
            "Turnover and agency staffing; caseloads are falling as permanent staff start.",
            "How does the service know that practice quality is holding up?",
            "Caseload and audit quality to be reported together at each meeting.",
        ),
        (
            "Section 47 enquiries compared with national and statistical neighbours",
            "Is our low rate of Section 47 enquiries a sign of good early help or of missed risk?",
            [ind["s47"]],
            "social_care",
            "A dip sample found thresholds applied appropriately in most cases; strategy "
            "discussions were sometimes late.",
            "How confident is the service that risk is not being missed at the front door?",
            "A multi-agency audit of strategy discussions goes into the audit programme.",
        ),
    ]
    for n, (title, question, inds, agency_key, response, challenge, conclusions) in enumerate(
        past_areas
    ):
        day = today - dt.timedelta(days=120 + 91 * (len(past_areas) - 1 - n))
        meeting = gov.meeting_create(
            board=board,
            starts_at=_at(day, 10),
            ends_at=_at(day, 12),
            location="Harrowmere Civic Centre, Committee Room 2",
            by=bu,
        )
        focus = services.focus_create(
            meeting=meeting, title=title, question=question, indicators=inds
        )
        gov.agenda_item_add(meeting=meeting, title=f"Focus area: {title}", linked=focus, by=bu)
        gov.meeting_status_set(meeting=meeting, status=MeetingStatus.HELD, by=bu)
        req = services.analysis_request_create(
            focus=focus,
            agency=ag[agency_key],
            request=question,
            due_on=day - dt.timedelta(days=14),
            owner=people["lead_health" if agency_key == "health" else "lead_sc"],
        )
        services.analysis_respond(
            request=req, response=response, presented=True, today=day - dt.timedelta(days=16)
        )
        services.focus_record(
            focus=focus,
            presentation=f"Presentation by {ag[agency_key]}: {response}",
            challenge=challenge,
            conclusions=conclusions,
        )
        if n == 0:
            services.focus_finding(
                focus=focus,
                title="Vacancies delay new birth visits",
                text="Late visits clustered where health visitor posts were vacant.",
                by=bu,
            )
            action = services.focus_action(
                focus=focus,
                title="Fill health visitor vacancies and start weekend new birth clinics",
                owner_agency=ag["health"],
                due_on=day + dt.timedelta(days=90),
                success_measure="New birth visits within 14 days above 85% for three months.",
                owner=people["lead_health"],
            )
            learning.action_update_add(
                action=action,
                by=people["lead_health"],
                text="Recruitment under way; weekend clinic pilot in the north locality.",
                status=ActionStatus.IN_PROGRESS,
            )
            learning.action_update_add(
                action=action,
                by=people["lead_health"],
                text="Both posts filled; weekend clinics running in both localities.",
                status=ActionStatus.COMPLETED,
            )
            # Its evidence, so the Chair can verify the impact measured from the indicator.
            learning.evidence_add(
                action=action,
                by=people["lead_health"],
                kind="note",
                description="Staffing return and weekend clinic rota",
                note="Both health visitor posts filled; the rota shows clinics every weekend.",
            )
            values = list(ind["pbv"].values.order_by("period_start"))
            if len(values) > 24:
                services.impact_check_from_indicator(
                    action=action,
                    indicator=ind["pbv"],
                    period_from=values[-24].period_start,
                    period_to=values[-1].period_start,
                    by=chair,
                )

    # The next Board meeting: police charge rates, with commissioned analysis.
    police = ind["police"]
    focus = services.focus_create(
        meeting=upcoming,
        title="Police charge rates for sexual offences against children",
        question="Why is Harrowmere's charge rate for sexual offences against children below "
        "the regional average, and what would raise it?",
        indicators=[police],
    )
    gov.agenda_item_add(
        meeting=upcoming,
        title="Performance dataset and focus area: police charge rates",
        linked=focus,
        presenter=people["lead_police"],
        by=bu,
    )
    received = services.analysis_request_create(
        focus=focus,
        agency=ag["police"],
        request="Analyse outcomes of sexual offences against children over two years: "
        "attrition points, victim withdrawal and time to charge, compared with the region.",
        due_on=today - dt.timedelta(days=3),
        owner=people["lead_police"],
    )
    services.analysis_respond(
        request=received,
        response="Most attrition follows victim withdrawal after long waits for ABE "
        "interviews; time from report to charge is 40 days longer than the regional average.",
        today=today - dt.timedelta(days=5),
    )
    services.analysis_request_create(
        focus=focus,
        agency=ag["social_care"],
        request="How many strategy discussions for child sexual abuse included the police "
        "investigator, and how quickly were ABE interviews arranged?",
        due_on=today + dt.timedelta(days=7),
        owner=people["lead_sc"],
    )
    services.focus_record(
        focus=focus,
        presentation="Draft: the police analysis will be presented by the agency lead.",
        conclusions="Draft for the Board: agree a joint police and social care plan to cut "
        "waits for ABE interviews, and track the charge rate quarterly.",
    )
