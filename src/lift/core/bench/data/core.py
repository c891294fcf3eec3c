"""Core's generator: partnerships, agencies, people, role assignments."""

from __future__ import annotations

import datetime as dt
import random

from django.contrib.auth.hashers import make_password

from .context import BenchContext, BenchPartnership, pick, row_factory
from .scales import BENCH_DOMAIN, BENCH_PASSWORD, BENCH_PEOPLE, SLUG_PREFIX, Scale

AGENCY_TYPES = [
    "social_care",
    "police",
    "health_provider",
    "icb",
    "education",
    "probation",
    "youth_justice",
    "voluntary",
    "education",
    "health_provider",
]
# Roles of generated (non-login) people, by weight: mostly learners and practitioners.
ROLE_MIX: list[tuple[str, int]] = [
    ("learner", 70),
    ("auditor", 8),
    ("line_manager", 8),
    ("safeguarding_lead", 3),
    ("subgroup_member", 4),
    ("board_member", 2),
    ("trainer", 2),
    ("subgroup_chair", 1),
    ("scrutineer", 1),
    ("lay_member", 1),
]
AGENCY_BOUND = {"learner", "auditor", "line_manager", "safeguarding_lead"}


def generate_core(ctx: BenchContext, scale: Scale, rng: random.Random) -> None:
    from lift.core.models import Agency, Partnership, Person, RoleAssignment

    new_person, new_assignment = row_factory(Person), row_factory(RoleAssignment)
    unusable = make_password(None)
    known_hash = make_password(BENCH_PASSWORD)
    roles = [r for r, _ in ROLE_MIX]
    weights = [w for _, w in ROLE_MIX]
    start = ctx.today - dt.timedelta(days=365)
    for i in range(1, scale.partnerships + 1):
        partnership = ctx.insert(
            Partnership,
            [
                Partnership(
                    name=f"Bench Partnership {i:03d}",
                    short_name=f"Bench {i:03d}",
                    slug=f"{SLUG_PREFIX}{i:03d}",
                    area=f"Benchshire {i:03d} (fictional)",
                    regime="lscb-2015" if i % 2 else "current",
                )
            ],
        )[0]
        bp = BenchPartnership(pk=partnership.pk, index=i)
        agencies = ctx.insert(
            Agency,
            (
                Agency(
                    partnership_id=partnership.pk,
                    name=f"Agency {i:03d}-{n:02d}",
                    agency_type=AGENCY_TYPES[n % len(AGENCY_TYPES)],
                )
                for n in range(1, scale.agencies + 1)
            ),
        )
        bp.agency_ids = [a.pk for a in agencies]
        people_rows: list[Person] = []
        planned_roles: list[tuple[str, int | None]] = []
        if i == 1:
            for key, (email, name, role, bound) in BENCH_PEOPLE.items():
                agency_id = bp.agency_ids[0] if bound else None
                people_rows.append(
                    Person(
                        email=email,
                        full_name=name,
                        password=known_hash,
                        agency_id=bp.agency_ids[0],
                        home_partnership_id=partnership.pk,
                        job_title=f"Benchmark {key}",
                    )
                )
                planned_roles.append((role, agency_id))
        for n in range(1, scale.people + 1):
            role = rng.choices(roles, weights)[0]
            agency_id = pick(rng, bp.agency_ids)
            people_rows.append(
                new_person(
                    email=f"person{i:03d}-{n:05d}@{BENCH_DOMAIN}",
                    full_name=f"Person {i:03d}-{n:05d}",
                    password=unusable,
                    agency_id=agency_id,
                    home_partnership_id=partnership.pk,
                    job_title=role.replace("_", " ").capitalize(),
                )
            )
            planned_roles.append((role, agency_id if role in AGENCY_BOUND else None))
        people = ctx.insert(Person, people_rows)
        if i == 1:
            for key, person in zip(BENCH_PEOPLE, people, strict=False):
                ctx.people[key] = person.pk
        assignments = []
        for person, (role, agency_id) in zip(people, planned_roles, strict=True):
            bp.person_ids.append(person.pk)
            bp.by_role.setdefault(role, []).append(person.pk)
            if person.agency_id is not None:
                bp.agency_of[person.pk] = person.agency_id
            assignments.append(
                new_assignment(
                    person_id=person.pk,
                    partnership_id=partnership.pk,
                    role=role,
                    agency_id=agency_id,
                    starts_on=start,
                )
            )
        ctx.insert(RoleAssignment, assignments)
        ctx.partnerships.append(bp)
        if i == 1 or i % 10 == 0 or i == scale.partnerships:
            ctx.progress(
                f"core: {i}/{scale.partnerships} partnerships, "
                f"{ctx.counts.get('core.Person', 0):,} people"
            )
