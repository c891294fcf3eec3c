"""The learning chain's generator: findings, recommendations, actions and their updates."""

from __future__ import annotations

import datetime as dt
import random

from .context import BenchContext, pick, row_factory
from .scales import Scale

TOPICS = [
    "information sharing at the front door",
    "recording the voice of the child",
    "professional curiosity about adults in the household",
    "escalation of disagreement between agencies",
    "strategy discussions held within the timescale",
    "neglect assessed with the graded care profile",
    "supervision of staff holding complex cases",
    "transition from children's to adult services",
    "missing episodes and return interviews",
    "health visitor contact after a change of address",
]


def generate_learning(ctx: BenchContext, scale: Scale, rng: random.Random) -> None:
    from lift.learning.choices import ActionStatus, FindingKind, Priority, Response
    from lift.learning.models import Action, ActionUpdate, Finding, Recommendation, Theme

    theme_ids = list(
        Theme.objects.filter(partnership__isnull=True).order_by("pk").values_list("pk", flat=True)
    )
    statuses = [s.value for s in ActionStatus]
    status_weights = [10, 15, 30, 15, 10, 12, 4, 4]
    priorities = [p.value for p in Priority]
    action_themes = Action.themes.through
    finding_themes = Finding.themes.through
    new_action, new_update = row_factory(Action), row_factory(ActionUpdate)
    new_action_theme = row_factory(action_themes)
    for bp in ctx.partnerships:
        n_actions = scale.actions
        n_findings = max(1, n_actions // 6)
        n_recs = max(1, n_actions // 3)
        editors = bp.by_role.get("subgroup_chair") or bp.person_ids
        findings = ctx.insert(
            Finding,
            (
                Finding(
                    partnership_id=bp.pk,
                    title=f"Finding {n}: {pick(rng, TOPICS)}"[:250],
                    text=f"Practice in {pick(rng, TOPICS)} was inconsistent across agencies.",
                    kind=FindingKind.STRENGTH if rng.random() < 0.2 else FindingKind.IMPROVEMENT,
                    identified_on=ctx.day(rng, -900, -30),
                    recorded_by_id=pick(rng, editors),
                )
                for n in range(1, n_findings + 1)
            ),
        )
        if theme_ids:
            ctx.insert(
                finding_themes,
                (finding_themes(finding_id=f.pk, theme_id=pick(rng, theme_ids)) for f in findings),
            )
        recs = ctx.insert(
            Recommendation,
            (
                Recommendation(
                    partnership_id=bp.pk,
                    reference=f"R{n}",
                    text=f"Partners should improve {pick(rng, TOPICS)}.",
                    response=pick(rng, [Response.ACCEPTED, Response.ACCEPTED, Response.PENDING]),
                )
                for n in range(1, n_recs + 1)
            ),
        )
        rec_findings = Recommendation.findings.through
        ctx.insert(
            rec_findings,
            (
                rec_findings(recommendation_id=rec.pk, finding_id=pick(rng, findings).pk)
                for rec in recs
            ),
        )
        rows = []
        for n in range(1, n_actions + 1):
            agency_id = pick(rng, bp.agency_ids)
            status = rng.choices(statuses, status_weights)[0]
            due = ctx.day(rng, -400, 300)
            done = status in ("completed", "evidenced", "closed")
            rows.append(
                new_action(
                    partnership_id=bp.pk,
                    recommendation_id=pick(rng, recs).pk,
                    title=f"Action {n}: {pick(rng, TOPICS)}"[:250],
                    description="Agree and carry out the change; report progress to the sub-group.",
                    owner_agency_id=agency_id,
                    owner_id=pick(rng, bp.person_ids),
                    due_on=due,
                    original_due_on=due,
                    priority=pick(rng, priorities),
                    success_measure="A re-audit shows the change in most cases sampled.",
                    status=status,
                    completed_on=due - dt.timedelta(days=rng.randint(0, 30)) if done else None,
                    closed_on=due if status == "closed" else None,
                )
            )
        actions = ctx.insert(Action, rows)
        if theme_ids:
            ctx.insert(
                action_themes,
                (new_action_theme(action_id=a.pk, theme_id=pick(rng, theme_ids)) for a in actions),
            )
        ctx.insert(
            ActionUpdate,
            (
                new_update(
                    partnership_id=bp.pk,
                    action_id=a.pk,
                    author_id=a.owner_id,
                    text=f"Progress note {k + 1}: work continues as planned.",
                    status_from="agreed" if k == 0 else "",
                    status_to="in_progress" if k == 0 else "",
                )
                for a in actions
                for k in range(rng.randint(1, 3))
            ),
        )
        bp.extra["action_ids"] = [a.pk for a in actions[:50]]
        if bp.index == 1 or bp.index % 10 == 0:
            ctx.progress(
                f"learning: partnership {bp.index}, "
                f"{ctx.counts.get('learning.Action', 0):,} actions"
            )
