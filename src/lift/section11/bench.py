"""Synthetic Section 11 data for the benchmark (`lift bench-data`).

One shared bench framework of 8 standards x 15 requirements (120) on a RAG scale. Per
partnership two cycles over the first `section11_returns` agencies: the current one (first
inserted, so the benchmark's "Section 11 overview (cycle report)" and "A Section 11 return"
pages land on it) with returns in every state, a peer challenge panel with a lay member,
challenge questions, moderated ratings and action plans; and the previous cycle, closed and
moderated, so the report's comparison with the previous cycle has figures. Every return has
its 120 answer rows. Inserted in bulk (no save(), history or signals), fictional throughout.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from typing import Any

from django.utils import timezone

from lift.core.bench.data import BenchContext, Scale, pick, row_factory
from lift.core.calendar import financial_year, financial_years_label

STANDARDS = 8
PER_STANDARD = 15
CODE = "bench-framework"
URN = f"urn:lift:section11:{CODE}"
LEVELS = [
    ("fully", "Fully met", 3, "green"),
    ("partially", "Partially met", 2, "yellow"),
    ("not-met", "Not met", 1, "red"),
]
RATING_WEIGHTS = [55, 35, 10]
# Status of the current cycle's returns, by weight.
STATUS_MIX = [("draft", 15), ("submitted", 20), ("under_challenge", 30), ("moderated", 35)]
NARRATIVES = [
    "The policy is in place and was reviewed by the senior team this year.",
    "Training records show most staff completed the course; some gaps in new starters.",
    "Supervision audits sampled twenty cases; the voice of the child was recorded in most.",
    "Information sharing agreements are signed; the escalation policy needs refreshing.",
]


def _cycle_label(starts_on: dt.date) -> str:
    """A two-year cycle's name from its first day, as 2015-17."""
    return financial_years_label(financial_year(starts_on), 2)


def _framework(ctx: BenchContext) -> tuple[Any, list[Any], list[Any]]:
    """The shared bench framework (created once per database): (framework, standards,
    requirements in order)."""
    from .models import Framework, RatingLevel, RatingScale, Requirement, Standard

    existing = Framework.objects.filter(urn=URN, partnership__isnull=True).first()
    if existing is not None:
        return (
            existing,
            list(existing.standards.order_by("order")),
            list(existing.requirements.order_by("order")),
        )
    fw = ctx.insert(
        Framework,
        [
            Framework(
                code=CODE,
                urn=URN,
                version=1,
                name="Bench Section 11 framework (fictional)",
                short_name="Bench S11",
                description="120 requirements for the benchmark.",
                file_name="bench (generated)",
                content_hash=hashlib.sha256(URN.encode()).hexdigest(),
            )
        ],
    )[0]
    scale = ctx.insert(RatingScale, [RatingScale(framework_id=fw.pk, key="rag", name="RAG")])[0]
    ctx.insert(
        RatingLevel,
        (
            RatingLevel(scale_id=scale.pk, value=v, label=lbl, score=sc, colour=c, order=i)
            for i, (v, lbl, sc, c) in enumerate(LEVELS)
        ),
    )
    standards = ctx.insert(
        Standard,
        (
            Standard(
                framework_id=fw.pk,
                urn=f"{URN}:standard:{s}",
                ref=str(s),
                title=f"Bench standard {s}: agencies safeguard children in area {s}",
                order=s - 1,
            )
            for s in range(1, STANDARDS + 1)
        ),
    )
    requirements = ctx.insert(
        Requirement,
        (
            Requirement(
                framework_id=fw.pk,
                standard_id=std.pk,
                urn=f"{URN}:requirement:{si + 1}.{q}",
                ref=f"{si + 1}.{q}",
                text=f"Bench requirement {si + 1}.{q}: the agency can show how it does this.",
                guidance="Describe what you do and how you know it works.",
                evidence_expected="Policy\nAudit report",
                essential=q == 1,
                order=si * PER_STANDARD + q - 1,
            )
            for si, std in enumerate(standards)
            for q in range(1, PER_STANDARD + 1)
        ),
    )
    return fw, standards, requirements


def generate_section11(ctx: BenchContext, scale: Scale, rng: random.Random) -> None:
    from django.contrib.contenttypes.models import ContentType

    from lift.core.models import RoleAssignment
    from lift.learning.models import Action

    from .models import (
        Answer,
        ChallengeQuestion,
        Cycle,
        OverviewReport,
        Panel,
        PanelMember,
        Section11Return,
    )

    n_returns = scale.count("section11_returns", 4)
    fw, standards, requirements = _framework(ctx)
    panel_ct = ContentType.objects.get_for_model(Panel)
    return_ct = ContentType.objects.get_for_model(Section11Return)
    now = timezone.now()
    agencies_m2m = Cycle.agencies.through
    for bp in ctx.partnerships:
        agency_ids = bp.agency_ids[:n_returns]
        if not agency_ids:
            continue
        current, previous = ctx.insert(
            Cycle,
            [
                Cycle(
                    partnership_id=bp.pk,
                    name=f"Bench {_cycle_label(ctx.today - dt.timedelta(days=200))}",
                    framework_id=fw.pk,
                    starts_on=ctx.today - dt.timedelta(days=200),
                    deadline=ctx.today - dt.timedelta(days=110),
                    challenge_starts_on=ctx.today - dt.timedelta(days=90),
                    challenge_ends_on=ctx.today + dt.timedelta(days=30),
                    status="open",
                    opened_on=ctx.today - dt.timedelta(days=200),
                ),
                Cycle(
                    partnership_id=bp.pk,
                    name=f"Bench {_cycle_label(ctx.today - dt.timedelta(days=930))}",
                    framework_id=fw.pk,
                    starts_on=ctx.today - dt.timedelta(days=930),
                    deadline=ctx.today - dt.timedelta(days=840),
                    challenge_starts_on=ctx.today - dt.timedelta(days=820),
                    challenge_ends_on=ctx.today - dt.timedelta(days=780),
                    status="closed",
                    opened_on=ctx.today - dt.timedelta(days=930),
                    closed_on=ctx.today - dt.timedelta(days=700),
                ),
            ],
        )
        Cycle.objects.filter(pk=current.pk).update(previous_id=previous.pk)
        ctx.insert(
            agencies_m2m,
            (
                agencies_m2m(cycle_id=c.pk, agency_id=a)
                for c in (current, previous)
                for a in agency_ids
            ),
        )
        # The panel: two partnership-level people and a lay member (if the bench has one).
        panel = ctx.insert(
            Panel,
            [
                Panel(
                    partnership_id=bp.pk,
                    cycle_id=current.pk,
                    name="Bench peer challenge panel",
                    meets_on=ctx.today - dt.timedelta(days=60),
                )
            ],
        )[0]
        lay = bp.by_role.get("lay_member", [])[:1]
        others = (bp.by_role.get("subgroup_member") or bp.person_ids)[:2]
        seats = list(dict.fromkeys(others + lay))
        ctx.insert(
            PanelMember,
            (
                PanelMember(
                    partnership_id=bp.pk,
                    panel_id=panel.pk,
                    person_id=pid,
                    is_lay=pid in lay,
                    is_chair=k == 0,
                )
                for k, pid in enumerate(seats)
            ),
        )
        ctx.insert(
            RoleAssignment,
            (
                RoleAssignment(
                    person_id=pid,
                    partnership_id=bp.pk,
                    role="case_team",
                    case_type_id=panel_ct.pk,
                    case_id=panel.pk,
                    starts_on=ctx.today - dt.timedelta(days=90),
                )
                for pid in seats
            ),
        )
        statuses = [s for s, _ in STATUS_MIX]
        weights = [w for _, w in STATUS_MIX]
        plan: list[tuple[Any, str]] = []
        return_rows = []
        for k, agency_id in enumerate(agency_ids):
            # The first return (the benchmark's page) is under challenge: questions,
            # moderated ratings beside self-ratings.
            status = "under_challenge" if k == 0 else rng.choices(statuses, weights)[0]
            plan.append((current, status))
            return_rows.append(
                Section11Return(
                    partnership_id=bp.pk,
                    cycle_id=current.pk,
                    agency_id=agency_id,
                    status=status,
                    submitted_on=None if status == "draft" else current.deadline,
                    panel_id=None if status in ("draft", "submitted") else panel.pk,
                    conclusion="The panel agreed the plan." if status == "moderated" else "",
                    moderated_on=(
                        current.challenge_starts_on + dt.timedelta(days=20)
                        if status == "moderated"
                        else None
                    ),
                )
            )
        for agency_id in agency_ids:
            plan.append((previous, "closed"))
            return_rows.append(
                Section11Return(
                    partnership_id=bp.pk,
                    cycle_id=previous.pk,
                    agency_id=agency_id,
                    status="closed",
                    submitted_on=previous.deadline,
                    conclusion="Moderated by the panel.",
                    moderated_on=previous.challenge_ends_on,
                )
            )
        returns = ctx.insert(Section11Return, return_rows)

        ctx.insert(Answer, _answers(rng, bp.pk, returns, [st for _, st in plan], requirements, now))
        challenged = [r for r, (_, st) in zip(returns, plan, strict=True) if st != "draft"]
        ctx.insert(
            ChallengeQuestion,
            (
                ChallengeQuestion(
                    partnership_id=bp.pk,
                    agency_return_id=ret.pk,
                    standard_id=std.pk,
                    question=f"How do you know standard {std.ref} is met across the agency?",
                    asked_by_id=seats[0] if seats else None,
                    response="Our audit programme samples cases each quarter." if j else "",
                    responded_at=now if j else None,
                )
                for ret in challenged
                if ret.cycle_id == current.pk and ret.status != "submitted"
                for j, std in enumerate(standards[:3])
            ),
        )
        owners = bp.by_role.get("safeguarding_lead") or bp.person_ids
        ctx.insert(
            Action,
            (
                Action(
                    partnership_id=bp.pk,
                    source_type_id=return_ct.pk,
                    source_id=ret.pk,
                    title=f"Section 11 action {j + 1}: close a gap in standard {j + 2}",
                    description="From the agency's Section 11 self-assessment.",
                    owner_agency_id=ret.agency_id,
                    owner_id=pick(rng, owners),
                    due_on=(due := ctx.day(rng, -120, 240)),
                    original_due_on=due,
                    success_measure="A re-audit shows the change.",
                    status="agreed" if due > ctx.today else "in_progress",
                )
                for ret in returns
                if ret.cycle_id == current.pk
                for j in range(3)
            ),
        )
        ctx.insert(
            OverviewReport,
            [
                OverviewReport(
                    partnership_id=bp.pk,
                    cycle_id=previous.pk,
                    summary="Every agency returned; most standards were fully met.",
                    key_areas="Supervision\nVoice of the child\nInformation sharing",
                    common_themes="Training of new starters",
                    board_date=previous.closed_on,
                )
            ],
        )
        bp.extra["section11_cycle"] = current.pk
        if bp.index == 1 or bp.index % 10 == 0:
            ctx.progress(
                f"section11: partnership {bp.index}, "
                f"{ctx.counts.get('section11.Answer', 0):,} answers"
            )


def _answers(
    rng: random.Random,
    partnership_id: int,
    returns: list[Any],
    statuses: list[str],
    requirements: list[Any],
    now: dt.datetime,
) -> Any:
    """Each return's answer rows: drafts partly answered; moderated ratings on moderated and
    closed returns and on half the answers of those under challenge."""
    from .models import Answer

    new_answer = row_factory(Answer)
    values = [v for v, *_ in LEVELS]
    for ret, status in zip(returns, statuses, strict=True):
        answered_share = rng.uniform(0.3, 0.9) if status == "draft" else 1.0
        moderated = status in ("moderated", "closed")
        challenged = status == "under_challenge"
        for req in requirements:
            rated = rng.random() < answered_share
            self_rating = rng.choices(values, RATING_WEIGHTS)[0] if rated else ""
            mod = ""
            if self_rating and (moderated or (challenged and rng.random() < 0.5)):
                mod = self_rating if rng.random() < 0.8 else pick(rng, values)
            yield new_answer(
                partnership_id=partnership_id,
                agency_return_id=ret.pk,
                requirement_id=req.pk,
                self_rating=self_rating,
                narrative=pick(rng, NARRATIVES) if rated else "",
                evidence_links="https://intranet.example/safeguarding-policy" if rated else "",
                answered_at=now if rated else None,
                moderated_rating=mod,
                moderation_note="Evidence seen at the panel." if mod else "",
            )


def register() -> None:
    from lift.core.bench import register_generator

    register_generator("section11", generate_section11, order=65, weight=2)
