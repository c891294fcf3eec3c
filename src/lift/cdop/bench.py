"""Synthetic child death review data for the benchmark (`lift bench-data`): per partnership
`child_death_reviews` cases over four years (case numbers only: no identity records, no
notifier details), the panel meetings that reviewed them, an analysis with its category,
domain scores and recorded factors for most, and a few campaigns (one published).

Inserted in bulk (no history, no signals), reproducible from the seed, fictional throughout.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from lift.core.bench.data import BenchContext, Scale

AGE_BANDS = ["neonatal", "infant", "1-4", "5-9", "10-14", "15-17"]
AGE_WEIGHTS = [40, 22, 10, 6, 9, 13]


def generate_cdop(ctx: BenchContext, scale: Scale, rng: random.Random) -> None:
    from .models import (
        Analysis,
        AnalysisDomain,
        AnalysisFactor,
        Campaign,
        CdopMeeting,
        CdopSettings,
        ChildDeath,
    )
    from .reference import cdop_reference

    ref = cdop_reference()
    categories = [c.code for c in ref.categories]
    outcomes = [o.code for o in ref.outcomes]
    domains = [d.code for d in ref.domains]
    factors = list(ref.factors)
    this_year = ctx.today.year
    for bp in ctx.partnerships:
        total = scale.count("child_death_reviews", 20)
        if total <= 0:
            continue
        coordinators = bp.by_role.get("cdop_coordinator") or []
        coordinator = coordinators[0] if coordinators else None
        ctx.insert(CdopSettings, [CdopSettings(partnership_id=bp.pk)])
        meeting_days = [
            dt.date(this_year - back, month, 15)
            for back in range(3, -1, -1)
            for month in (2, 5, 8, 11)
            if dt.date(this_year - back, month, 15) <= ctx.today
        ]
        meetings = ctx.insert(
            CdopMeeting,
            [
                CdopMeeting(
                    partnership_id=bp.pk,
                    held_on=day,
                    title=f"Bench CDOP panel {day:%B %Y}",
                    location="Bench room",
                )
                for day in meeting_days
            ],
        )
        numbers: dict[int, int] = {}
        cases: list[Any] = []
        for _ in range(total):
            notified = ctx.day(rng, -4 * 365 + 30, -3)
            year = notified.year
            numbers[year] = numbers.get(year, 0) + 1
            expected = "unexpected" if rng.random() < 0.45 else "expected"
            later = [m for m in meetings if m.held_on > notified + dt.timedelta(days=60)]
            reviewed = bool(later) and rng.random() < 0.85
            cases.append(
                ChildDeath(
                    partnership_id=bp.pk,
                    reference=f"CDOP-{year}-{numbers[year]:03d}",
                    notified_on=notified,
                    notifier_name="Bench notifier",
                    year_of_death=year,
                    age_band=rng.choices(AGE_BANDS, AGE_WEIGHTS)[0],
                    sex=rng.choice(["female", "male"]),
                    expected=expected,
                    joint_agency_response=expected == "unexpected",
                    jar_started_on=notified if expected == "unexpected" else None,
                    status="reviewed" if reviewed else rng.choice(["notified", "gathering"]),
                    meeting_id=later[0].pk if reviewed else None,
                    recorded_by_id=coordinator,
                )
            )
        created = ctx.insert(ChildDeath, cases)
        meeting_day = {m.pk: m.held_on for m in meetings}
        analyses = ctx.insert(
            Analysis,
            [
                Analysis(
                    partnership_id=bp.pk,
                    case_id=case.pk,
                    meeting_id=case.meeting_id,
                    category=rng.choice(categories),
                    modifiable=rng.choice(outcomes),
                    learning_points="Bench learning point." if rng.random() < 0.5 else "",
                    completed_on=meeting_day[case.meeting_id],
                )
                for case in created
                if case.meeting_id is not None
            ],
        )
        ctx.insert(
            AnalysisDomain,
            [
                AnalysisDomain(
                    partnership_id=bp.pk, analysis_id=a.pk, domain=d, score=rng.randint(0, 2)
                )
                for a in analyses
                for d in domains
            ],
        )
        ctx.insert(
            AnalysisFactor,
            [
                AnalysisFactor(
                    partnership_id=bp.pk,
                    analysis_id=a.pk,
                    code=f.code,
                    domain=f.domain,
                    modifiable=rng.random() < 0.4,
                )
                for a in analyses
                for f in rng.sample(factors, min(len(factors), rng.randint(0, 3)))
            ],
        )
        ctx.insert(
            Campaign,
            [
                Campaign(
                    partnership_id=bp.pk,
                    title=f"Bench campaign {n}",
                    kind="campaign" if n % 2 else "newsletter",
                    audience="public",
                    factor=factors[n % len(factors)].code if factors else "",
                    started_on=ctx.day(rng, -700, -10),
                    reach=rng.randint(50, 3000),
                    description="A fictional awareness campaign.",
                    published=n == 1,
                )
                for n in range(1, 5)
            ],
        )
        bp.extra["cdop_case"] = created[0].pk


def register() -> None:
    from lift.core.bench import register_generator

    register_generator("cdop", generate_cdop, order=70)
