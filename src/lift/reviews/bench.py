"""Synthetic serious incidents and reviews for the benchmark (`lift bench-data`).

Per partnership, `scale.count("reviews")` serious incidents ("Child B-0042"), each with a
restricted record (an invented name), three agencies, its notification and decision clocks,
and (for most) the Chair's decision and its panel letter. Statutory and single-agency
decisions open a review ("Bench review 17") at a stage that follows its age: planning, in
progress, final, published; statutory reviews carry three IMR requests and a completion
clock; published ones a publication decision and a public slug.

Inserted in bulk (no history, no signals, no full_clean), reproducible from `rng` alone;
every name, date and number is invented.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from lift.core.bench.data import BenchContext, Scale, pick

OUTCOMES = [("statutory", 50), ("no_review", 25), ("learning_lessons", 10), ("single_agency", 15)]
METHODS = ["scie-systems", "practice-review-learning-event", "appreciative-inquiry"]
FIRST = ["Alex", "Sam", "Jo", "Robin", "Charlie", "Frankie", "Morgan", "Rowan"]
LAST = ["Benchley", "Testwood", "Samplin", "Fakeham", "Mockford", "Dummett"]


def _clock(
    ct: int,
    obj: Any,
    partnership_id: int,
    rule: str,
    label: str,
    started: dt.date,
    due: dt.date,
    today: dt.date,
    met: dt.date | None,
    owner_id: int | None,
) -> Any:
    from lift.core.models import Clock

    if met is not None:
        state = "met" if met <= due else "met_late"
    elif due < today:
        state = "overdue"
    elif (due - today).days <= 5:
        state = "due_soon"
    else:
        state = "running"
    return Clock(
        partnership_id=partnership_id,
        content_type_id=ct,
        object_id=obj.pk,
        rule=rule,
        label=label,
        start_event=rule,
        started_on=started,
        due_on=max(due, started),
        state=state,
        met_on=met,
        owner_id=owner_id,
    )


def generate_reviews(ctx: BenchContext, scale: Scale, rng: random.Random) -> None:
    from django.contrib.contenttypes.models import ContentType

    from lift.core.models import Clock, Partnership

    from .models import (
        AgencyRequest,
        ChildIdentity,
        Decision,
        Incident,
        Letter,
        Publication,
        Review,
    )

    ct_incident = ContentType.objects.get_for_model(Incident).pk
    ct_review = ContentType.objects.get_for_model(Review).pk
    regimes = dict(
        Partnership.objects.filter(pk__in=[bp.pk for bp in ctx.partnerships]).values_list(
            "pk", "regime"
        )
    )
    outcomes = [o for o, _ in OUTCOMES]
    weights = [w for _, w in OUTCOMES]
    today = ctx.today
    for bp in ctx.partnerships:
        total = scale.count("reviews", 3)
        if not bp.person_ids or not bp.agency_ids:
            continue
        regime = regimes.get(bp.pk, "current")
        short = "LCSPR" if regime == "current" else "SCR"
        bu = ctx.people.get("bu") if bp.index == 1 else None
        chair = ctx.people.get("chair") if bp.index == 1 else None
        bu = bu or pick(rng, bp.person_ids)
        chair = chair or pick(rng, bp.person_ids)
        plans: list[dict[str, Any]] = []
        for n in range(1, total + 1):
            aware = today - dt.timedelta(days=rng.randint(5, 900))
            incident_on = aware - dt.timedelta(days=rng.randint(0, 3))
            notified = aware + dt.timedelta(days=rng.randint(1, 6)) if rng.random() < 0.95 else None
            age = (today - aware).days
            decided_on = (
                aware + dt.timedelta(days=rng.randint(20, 35))
                if notified and age > 40 and rng.random() < 0.95
                else None
            )
            plans.append(
                {
                    "n": n,
                    "aware": aware,
                    "incident_on": incident_on,
                    "notified": min(notified, today) if notified else None,
                    "decided": min(decided_on, today) if decided_on else None,
                    "outcome": rng.choices(outcomes, weights)[0],
                    "agencies": rng.sample(bp.agency_ids, k=min(3, len(bp.agency_ids))),
                    "type": "death" if rng.random() < 0.3 else "serious_harm",
                }
            )
        incidents = ctx.insert(
            Incident,
            (
                Incident(
                    partnership_id=bp.pk,
                    reference=f"SI-B-{p['n']:04d}",
                    pseudonym=f"Child B-{p['n']:04d}",
                    regime=regime,
                    incident_type=p["type"],
                    incident_on=p["incident_on"],
                    became_aware_on=p["aware"],
                    notified_on=p["notified"],
                    criteria=["abuse-or-neglect", "seriously-harmed"],
                    summary=f"Bench incident {p['n']}: fictional.",
                    recorded_by_id=bu,
                    owner_id=bu,
                )
                for p in plans
            ),
        )
        through = Incident.agencies.through
        ctx.insert(
            through,
            (
                through(incident_id=i.pk, agency_id=a)
                for i, p in zip(incidents, plans, strict=True)
                for a in p["agencies"]
            ),
        )
        ctx.insert(
            ChildIdentity,
            (
                ChildIdentity(
                    partnership_id=bp.pk,
                    incident_id=i.pk,
                    pseudonym=i.pseudonym,
                    is_subject=True,
                    full_name=f"{pick(rng, FIRST)} {pick(rng, LAST)}-{p['n']:04d}",
                    postcode=f"BX{bp.index % 90 + 1} {p['n'] % 9 + 1}ZZ",
                )
                for i, p in zip(incidents, plans, strict=True)
            ),
        )
        clocks: list[Clock] = []
        for i, p in zip(incidents, plans, strict=True):
            clocks.append(
                _clock(
                    ct_incident,
                    i,
                    bp.pk,
                    "notification",
                    "Notify Ofsted / the national panel",
                    p["aware"],
                    p["aware"] + dt.timedelta(days=7),
                    today,
                    p["notified"],
                    bu,
                )
            )
            if p["notified"]:
                rule = "chair-decision" if regime != "current" else "rapid-review"
                clocks.append(
                    _clock(
                        ct_incident,
                        i,
                        bp.pk,
                        rule,
                        "Decide on a review" if rule == "chair-decision" else "Rapid review",
                        p["notified"],
                        p["notified"] + dt.timedelta(days=21),
                        today,
                        p["decided"],
                        bu,
                    )
                )
        decided = [(i, p) for i, p in zip(incidents, plans, strict=True) if p["decided"]]
        ctx.insert(
            Decision,
            (
                Decision(
                    partnership_id=bp.pk,
                    incident_id=i.pk,
                    decided_on=p["decided"],
                    decided_by_id=chair,
                    outcome=p["outcome"],
                    reasons="Bench decision: fictional reasons.",
                    criteria_reasons={},
                    refer_for_learning_review=p["outcome"] == "learning_lessons",
                )
                for i, p in decided
            ),
        )
        letters = []
        for i, p in decided:
            sent = p["decided"] + dt.timedelta(days=5)
            sent_ok = sent <= today
            letters.append(
                Letter(
                    partnership_id=bp.pk,
                    incident_id=i.pk,
                    kind="initiation-yes" if p["outcome"] == "statutory" else "initiation-no",
                    recipients="The national panel",
                    subject=f"Decision on {i.pseudonym}",
                    body="Bench letter: fictional text.",
                    sent_on=sent if sent_ok else None,
                    sent_by_id=bu if sent_ok else None,
                )
            )
        ctx.insert(Letter, letters)
        reviewed = [(i, p) for i, p in decided if p["outcome"] in ("statutory", "single_agency")]
        review_rows = []
        for i, p in reviewed:
            age = (today - p["decided"]).days
            completed = p["decided"] + dt.timedelta(days=150) if age > 170 else None
            published = completed is not None and age > 230 and p["outcome"] == "statutory"
            status = (
                "published"
                if published
                else "final"
                if completed
                else "in_progress"
                if age > 30
                else "planning"
            )
            p["completed"], p["published"] = completed, published
            review_rows.append(
                Review(
                    partnership_id=bp.pk,
                    incident_id=i.pk,
                    kind="statutory" if p["outcome"] == "statutory" else "single_agency",
                    title=f"Bench review {p['n']}: {short} {i.pseudonym}",
                    pseudonym=i.pseudonym,
                    slug=f"bench-{bp.index:03d}-review-{p['n']:04d}" if published else None,
                    decided_on=p["decided"],
                    status=status,
                    terms_of_reference="Bench terms of reference." if age > 10 else "",
                    methodology=pick(rng, METHODS),
                    report_text="Bench report: fictional." if completed else "",
                    completed_on=completed,
                )
            )
        reviews = ctx.insert(Review, review_rows)
        rthrough = Review.agencies.through
        ctx.insert(
            rthrough,
            (
                rthrough(review_id=r.pk, agency_id=a)
                for r, (_i, p) in zip(reviews, reviewed, strict=True)
                for a in p["agencies"]
            ),
        )
        requests = []
        for r, (i, p) in zip(reviews, reviewed, strict=True):
            if r.kind != "statutory":
                continue
            clocks.append(
                _clock(
                    ct_review,
                    r,
                    bp.pk,
                    "lcspr-completion" if regime == "current" else "scr-completion",
                    "Complete the review",
                    p["decided"],
                    p["decided"] + dt.timedelta(days=182),
                    today,
                    p["completed"],
                    bu,
                )
            )
            for a in p["agencies"]:
                requested = p["decided"] + dt.timedelta(days=7)
                received = requested + dt.timedelta(days=rng.randint(20, 45))
                got = received <= today
                requests.append(
                    AgencyRequest(
                        partnership_id=bp.pk,
                        incident_id=i.pk,
                        review_id=r.pk,
                        agency_id=a,
                        kind="imr",
                        requested_on=requested,
                        due_on=requested + dt.timedelta(days=30),
                        received_on=received if got else None,
                        quality_assured_on=received + dt.timedelta(days=5)
                        if got and received + dt.timedelta(days=5) <= today
                        else None,
                    )
                )
        ctx.insert(AgencyRequest, requests)
        ctx.insert(
            Publication,
            (
                Publication(
                    partnership_id=bp.pk,
                    review_id=r.pk,
                    answers={},
                    decision="publish",
                    decided_on=p["completed"] + dt.timedelta(days=10),
                    planned_on=p["completed"] + dt.timedelta(days=40),
                    sent_to_panel_on=p["completed"] + dt.timedelta(days=12),
                    published_on=p["completed"] + dt.timedelta(days=40),
                    public_summary="Bench summary: fictional.",
                )
                for r, (_i, p) in zip(reviews, reviewed, strict=True)
                if p.get("published")
            ),
        )
        ctx.insert(Clock, clocks)
