"""Synthetic training data for the benchmark (`lift bench-data`): per partnership a
programme, a dozen courses and sessions carrying `training_attendances` bookings with
attendance, reaction and before/after scores, and some impact follow-ups. The first session
is a conference with a 200-learner register (the benchmark's "session register" page).

Inserted in bulk (no history, no signals), fictional throughout.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from lift.core.bench.data import BenchContext, Scale, pick, row_factory
from lift.core.calendar import financial_year

LEVELS = [1, 2, 2, 2, 2, 3]
FORMATS = ["course", "workshop", "briefing", "conference", "e_learning", "development_day"]
THEMES = ["neglect", "child-sexual-exploitation", "domestic-abuse", "early-help", "online-safety"]
ATTENDANCE = [("attended", 80), ("partial", 5), ("no_show", 10), ("cancelled_late", 5)]


def generate_training(ctx: BenchContext, scale: Scale, rng: random.Random) -> None:
    from lift.learning.models import Theme

    from .models import Booking, Course, FollowUp, Programme, TrainingSession

    new_booking = row_factory(Booking)

    themes = list(Theme.objects.filter(partnership__isnull=True, code__in=THEMES))
    kinds = [k for k, _ in ATTENDANCE]
    weights = [w for _, w in ATTENDANCE]
    for bp in ctx.partnerships:
        learners = bp.by_role.get("learner") or bp.person_ids
        if not learners:
            continue
        total = scale.count("training_attendances", 40)
        start = ctx.today - dt.timedelta(days=300)
        programme = ctx.insert(
            Programme,
            [
                Programme(
                    partnership_id=bp.pk,
                    year=financial_year(start).label,
                    title="Multi-agency training programme",
                    starts_on=start,
                    ends_on=start + dt.timedelta(days=364),
                    status="approved",
                    approved_by_body="Executive",
                    approved_on=start - dt.timedelta(days=20),
                )
            ],
        )[0]
        courses = ctx.insert(
            Course,
            [
                Course(
                    partnership_id=bp.pk,
                    programme_id=programme.pk,
                    title=f"Course {n:02d}",
                    level=(level := LEVELS[n % len(LEVELS)]),
                    format=FORMATS[n % len(FORMATS)],
                    learning_outcomes="Outcome one\nOutcome two",
                    trainer_kind="external",
                    paid_by="requesting_agencies" if level == 3 else "partnership",
                )
                for n in range(12)
            ],
        )
        through = Course.themes.through
        ctx.insert(
            through,
            [through(course_id=c.pk, theme_id=pick(rng, themes).pk) for c in courses if themes],
        )
        big = min(200, total)
        rest = max(total - big, 0)
        sizes = [big] + [15] * (rest // 15) + ([rest % 15] if rest % 15 else [])
        sessions = ctx.insert(
            TrainingSession,
            [
                TrainingSession(
                    partnership_id=bp.pk,
                    course_id=courses[3].pk if i == 0 else pick(rng, courses).pk,
                    starts_on=(
                        day := ctx.day(rng, -290, -5) if i else ctx.today - dt.timedelta(days=2)
                    ),
                    ends_on=day,
                    venue="Bench venue",
                    capacity=250 if i == 0 else 20,
                )
                for i in range(len(sizes))
            ],
        )
        bookings: list[Any] = []
        for session, size in zip(sessions, sizes, strict=True):
            chosen = rng.sample(learners, min(size, len(learners)))
            for person_id in chosen:
                attendance = rng.choices(kinds, weights)[0]
                came = attendance in ("attended", "partial")
                pre = round(rng.uniform(1.5, 3.5), 2) if came and rng.random() < 0.7 else None
                bookings.append(
                    new_booking(
                        partnership_id=bp.pk,
                        session_id=session.pk,
                        learner_id=person_id,
                        agency_id=bp.agency_of.get(person_id),
                        status="cancelled" if attendance == "cancelled_late" else "confirmed",
                        cancelled_late=attendance == "cancelled_late",
                        attendance=attendance,
                        reaction_score=round(rng.uniform(3, 5), 2) if came else None,
                        pre_score=pre,
                        post_score=None if pre is None else min(5.0, pre + rng.uniform(0, 2)),
                    )
                )
        created = ctx.insert(Booking, bookings)
        ctx.insert(
            FollowUp,
            [
                FollowUp(
                    partnership_id=bp.pk,
                    booking_id=b.pk,
                    role="participant",
                    respondent_id=b.learner_id,
                    sent_on=ctx.today - dt.timedelta(days=rng.randint(1, 60)),
                    status=rng.choice(["sent", "reminded", "answered"]),
                )
                for b in created
                if b.attendance == "attended" and rng.random() < 0.1
            ],
        )
        bp.extra["training_register_session"] = sessions[0].pk


def _programme(t: Any) -> Any:
    return t.first("training.Programme")


def register() -> None:
    from lift.core.bench import register_document_subject, register_generator

    register_generator("training", generate_training, order=60, weight=3)
    # The annual training report's background build, timed on the bench programme.
    register_document_subject("training_annual_report", _programme)
