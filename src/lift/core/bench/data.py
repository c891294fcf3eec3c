"""Reproducible, fictional synthetic data at three scales, inserted in bulk.

Rows go in with ``bulk_create`` in batches: no ``save()``, so no change-history entries and
no signals. That is deliberate for bench data (the history of a synthetic row tells nobody
anything) and keeps national scale within minutes. Never run it against a live database.

Every name here is invented: "Bench Partnership 001", "Agency 001-07", "Person 001-00042".
Dates are offsets from today drawn from the seeded generator, so the same seed gives the
same rows (the same values in the same order) on the same day.
"""

from __future__ import annotations

import datetime as dt
import json
import multiprocessing
import operator
import os
import random
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connection, connections, models, transaction
from django.utils import timezone

from . import bulkload
from .registry import Generator, generators, register_generator

BATCH = 2000
BENCH_PASSWORD = "bench-password-not-secret"  # fictional bench accounts only
BENCH_DOMAIN = "bench.example"
SLUG_PREFIX = "bench-"

# The known benchmark logins: key -> (e-mail, name, partnership role, agency-bound?).
# All of them hold their role in the first bench partnership, in its first agency.
BENCH_PEOPLE: dict[str, tuple[str, str, str, bool]] = {
    "bu": (f"bench-bu@{BENCH_DOMAIN}", "Bench Business Unit", "business_unit", False),
    "chair": (f"bench-chair@{BENCH_DOMAIN}", "Bench Chair", "chair", False),
    "board": (f"bench-board@{BENCH_DOMAIN}", "Bench Board Member", "board_member", False),
    "lead": (f"bench-lead@{BENCH_DOMAIN}", "Bench Safeguarding Lead", "safeguarding_lead", True),
    "auditor": (f"bench-auditor@{BENCH_DOMAIN}", "Bench Auditor", "auditor", True),
    "trainer": (f"bench-trainer@{BENCH_DOMAIN}", "Bench Trainer", "trainer", False),
    "learner": (f"bench-learner@{BENCH_DOMAIN}", "Bench Learner", "learner", True),
    "cdop": (f"bench-cdop@{BENCH_DOMAIN}", "Bench CDOP Coordinator", "cdop_coordinator", False),
}


@dataclass(frozen=True)
class Scale:
    """Sizes per partnership (areas read `per_partnership[...]` for their own counts)."""

    name: str
    partnerships: int
    agencies: int
    people: int
    actions: int
    per_partnership: dict[str, int] = field(default_factory=dict)

    def count(self, key: str, default: int = 0) -> int:
        return self.per_partnership.get(key, default)


# National: 150 partnerships x 33 agencies ~ 5,000; x 1,333 people ~ 200,000;
# x 2,000 actions = 300,000; the per-partnership figures below match the totals.
SCALES: dict[str, Scale] = {
    "smoke": Scale(
        "smoke",
        partnerships=2,
        agencies=6,
        people=40,
        actions=30,
        per_partnership={
            "training_attendances": 40,
            "reviews": 3,
            "dataset_values": 60,
            "audits": 2,
            "section11_returns": 4,
            "child_death_reviews": 3,
            "meetings_per_board": 3,
        },
    ),
    "partnership": Scale(
        "partnership",
        partnerships=1,
        agencies=40,
        people=2000,
        actions=3000,
        per_partnership={
            "training_attendances": 7000,
            "reviews": 130,
            "dataset_values": 33000,
            "audits": 65,
            "section11_returns": 40,
            "child_death_reviews": 55,
            "meetings_per_board": 24,
        },
    ),
    "national": Scale(
        "national",
        partnerships=150,
        agencies=33,
        people=1333,
        actions=2000,
        per_partnership={
            "training_attendances": 6667,
            "reviews": 133,
            "dataset_values": 33333,
            "audits": 67,
            "section11_returns": 40,
            "child_death_reviews": 53,
            "meetings_per_board": 24,
        },
    ),
}

T = TypeVar("T", bound=models.Model)
V = TypeVar("V")


@dataclass
class BenchPartnership:
    """What a generator needs to know about one generated partnership (ids, not rows)."""

    pk: int
    index: int
    agency_ids: list[int] = field(default_factory=list)
    person_ids: list[int] = field(default_factory=list)
    # Person ids by role, and each person's agency (for agency-bound roles).
    by_role: dict[str, list[int]] = field(default_factory=dict)
    agency_of: dict[int, int] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class BenchContext:
    seed: int
    scale: Scale
    today: dt.date
    partnerships: list[BenchPartnership] = field(default_factory=list)
    # Known logins: key of BENCH_PEOPLE -> person id.
    people: dict[str, int] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)
    out: Callable[[str], None] = print
    started: float = field(default_factory=time.monotonic)

    def progress(self, message: str) -> None:
        self.out(f"[{time.monotonic() - self.started:7.1f}s] {message}")

    def insert(self, model: type[T], rows: Iterable[T], *, batch_size: int = BATCH) -> list[T]:
        """bulk_create in batches; counts rows per model label. Returns the rows (with
        primary keys on PostgreSQL and SQLite)."""
        write = _copy if _can_copy(model) else model._default_manager.bulk_create
        created: list[T] = []
        batch: list[T] = []
        for row in rows:
            batch.append(row)
            if len(batch) >= batch_size:
                created.extend(write(batch))
                batch = []
        if batch:
            created.extend(write(batch))
        label = model._meta.label
        self.counts[label] = self.counts.get(label, 0) + len(created)
        return created

    def day(self, rng: random.Random, lo: int, hi: int) -> dt.date:
        return self.today + dt.timedelta(days=rng.randint(lo, hi))


def _analyze(ctx: BenchContext) -> None:
    """Planner statistics for the new rows, as a live database would have them (without them
    SQLite may choose the wrong index, and PostgreSQL's autovacuum may not have run yet)."""
    ctx.progress("analyzing tables for the query planner")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _can_copy(model: type[models.Model]) -> bool:
    """PostgreSQL, and a table whose key is a plain auto-increment column: rows can go in with
    COPY (several times faster than INSERT ... VALUES at national scale)."""
    return connection.vendor == "postgresql" and isinstance(
        model._meta.pk, models.AutoField | models.BigAutoField | models.SmallAutoField
    )


def _copy(batch: list[T]) -> list[T]:
    """Insert `batch` with COPY: primary keys are reserved from the table's sequence first
    (one statement) and set on the objects, so callers get them as from bulk_create. Values
    are prepared as bulk_create prepares them (auto_now dates, defaults already set)."""
    model = type(batch[0])
    opts = model._meta
    pk = opts.pk
    assert pk is not None
    fields = list(opts.concrete_fields)
    table = connection.ops.quote_name(opts.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT setval(seq, nextval(seq) + %s - 1) FROM pg_get_serial_sequence(%s, %s) seq",
            [len(batch), opts.db_table, pk.column],
        )
        last = cursor.fetchone()[0]
        for offset, obj in enumerate(batch):
            obj.pk = last - len(batch) + 1 + offset
            obj._state.adding = False
        columns = ", ".join(connection.ops.quote_name(str(f.column)) for f in fields)
        raw = cursor.cursor  # psycopg's own cursor, for its COPY support
        now = timezone.now()  # auto_now(_add) fields: one instant for the batch
        prepare = [_preparer(f, now) for f in fields]
        with raw.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            write = copy.write_row
            for obj in batch:
                write([p(obj) for p in prepare])
    from lift.core import dataversion

    dataversion.bump()  # COPY bypasses the execute wrapper that sees every other write
    return batch


# Fields whose Python value psycopg writes as it is: no Django preparation needed (exact
# types only: a subclass may prepare its values). Decimals go as they are too: PostgreSQL
# rounds them to the column's scale. The others (custom fields) go through pre_save and
# get_db_prep_save, as bulk_create does; doing that for every field was most of the
# generator's time (about 100 microseconds a row).
_PLAIN_FIELDS = (
    models.AutoField,
    models.BigAutoField,
    models.SmallAutoField,
    models.IntegerField,
    models.BigIntegerField,
    models.SmallIntegerField,
    models.PositiveIntegerField,
    models.PositiveSmallIntegerField,
    models.PositiveBigIntegerField,
    models.FloatField,
    models.DecimalField,
    models.BooleanField,
    models.CharField,
    models.TextField,
    models.SlugField,
    models.EmailField,
    models.ForeignKey,
    models.OneToOneField,
    models.DateField,
    models.DateTimeField,
)


def _preparer(f: models.Field, now: dt.datetime) -> Callable[[Any], Any]:
    if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
        # What pre_save would set on every row of the batch.
        value = now if isinstance(f, models.DateTimeField) else now.date()
        return lambda obj: value
    if type(f) in _PLAIN_FIELDS:
        return operator.attrgetter(f.attname)
    if type(f) is models.JSONField:
        from psycopg.types.json import Jsonb

        get = operator.attrgetter(f.attname)
        encoder = f.encoder

        def dumps(value: Any) -> str:
            return json.dumps(value, cls=encoder)

        return lambda obj: None if (v := get(obj)) is None else Jsonb(v, dumps=dumps)
    real = connections[DEFAULT_DB_ALIAS]  # not the thread-local proxy, once per row
    return lambda obj: f.get_db_prep_save(f.pre_save(obj, add=True), connection=real)


def row_factory(model: type[T]) -> Callable[..., T]:
    """A constructor for unsaved rows of `model` that skips ``Model.__init__`` (its signals,
    descriptors and per-field checks took a third of the generators' time at national
    scale). Keyword arguments are attribute names (``agency_id=``, not ``agency=``); every
    other concrete field gets its default, as the model's constructor would give it.
    Only for bench rows headed for ``ctx.insert``."""
    fields = model._meta.concrete_fields
    attnames = {f.attname for f in fields}
    fixed: dict[str, Any] = {}
    dynamic: list[models.Field] = []
    for f in fields:
        if f.has_default() and callable(f.default):
            dynamic.append(f)
        else:
            fixed[f.attname] = f.get_default()
    new = model.__new__
    state = models.base.ModelState

    def make(**values: Any) -> T:
        unknown = values.keys() - attnames
        if unknown:
            raise TypeError(f"{model.__name__} has no field {', '.join(sorted(unknown))}")
        obj = new(model)
        data = obj.__dict__
        data.update(fixed)
        for f in dynamic:
            data[f.attname] = f.get_default()
        data.update(values)
        obj._state = state()
        return obj

    return make


def model_or_none(label: str) -> type[models.Model] | None:
    """The model `label` ("app.Model") if its app is installed, else None."""
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


def pick(rng: random.Random, seq: Sequence[V]) -> V:
    return seq[rng.randrange(len(seq))]


# --- the run ------------------------------------------------------------------------------


def already_generated() -> bool:
    from lift.core.models import Partnership

    return Partnership.objects.filter(slug=f"{SLUG_PREFIX}001").exists()


# Generators ordered in [AREA_FIRST, AREA_LAST) may run concurrently (see register_generator).
AREA_FIRST, AREA_LAST = 50, 90


def can_run_concurrently() -> bool:
    """Several processes can insert at once: PostgreSQL, outside any transaction (a test's
    transaction would hide core's rows from the other processes), on a system with fork."""
    return (
        connection.vendor == "postgresql" and not connection.in_atomic_block and hasattr(os, "fork")
    )


def default_jobs() -> int:
    return min(2, os.cpu_count() or 1) if can_run_concurrently() else 1


def _run_one(ctx: BenchContext, gen: Generator, seed: int) -> None:
    """Run one generator in its own transaction, with its own random stream. An area
    generator that fails is skipped (its model changed: keep the rest of the data)."""
    rng = random.Random(f"{seed}:{gen.name}")
    ctx.progress(f"{gen.name}: generating")
    try:
        with transaction.atomic():
            gen.func(ctx, ctx.scale, rng)
    except Exception as exc:
        if gen.name == "core":
            raise
        ctx.skipped[gen.name] = f"{type(exc).__name__}: {exc}"
        ctx.progress(f"{gen.name}: SKIPPED ({ctx.skipped[gen.name]})")


def _balance(gens: Sequence[Generator], jobs: int) -> list[list[Generator]]:
    """Share generators between `jobs` processes, heaviest first to the lightest process
    (each process then runs its share in registry order)."""
    groups: list[list[Generator]] = [[] for _ in range(min(jobs, len(gens)))]
    loads = [0] * len(groups)
    for gen in sorted(gens, key=lambda g: -g.weight):
        lightest = loads.index(min(loads))
        groups[lightest].append(gen)
        loads[lightest] += gen.weight
    order = {g.name: n for n, g in enumerate(gens)}
    return [sorted(group, key=lambda g: order[g.name]) for group in groups if group]


# Database connections a forked process found open: kept, never used or closed (closing one
# would end the session of the process that owns its socket).
_INHERITED: list[Any] = []


def _child(ctx: BenchContext, group: list[Generator], seed: int, pipe: Any) -> None:
    """In a forked process: run `group`, send back what the parent's context needs."""
    for conn in connections.all(initialized_only=True):
        if conn.connection is not None:  # open in the parent: this process opens its own
            _INHERITED.append(conn.connection)
            conn.connection = None
    ctx.counts, ctx.skipped = {}, {}
    try:
        for gen in group:
            _run_one(ctx, gen, seed)
        pipe.send((ctx.counts, ctx.skipped, [bp.extra for bp in ctx.partnerships]))
    finally:
        connections.close_all()
        pipe.close()


def _run_concurrently(ctx: BenchContext, gens: list[Generator], jobs: int, seed: int) -> None:
    groups = _balance(gens, jobs)
    if len(groups) < 2:
        for gen in gens:
            _run_one(ctx, gen, seed)
        return
    ctx.progress(
        f"running in {len(groups)} processes: "
        + "; ".join(", ".join(g.name for g in group) for group in groups)
    )
    connections.close_all()  # each process opens its own connection
    fork = multiprocessing.get_context("fork")
    running = []
    for group in groups:
        receive, send = fork.Pipe(duplex=False)
        process = fork.Process(target=_child, args=(ctx, group, seed, send), daemon=True)
        process.start()
        send.close()
        running.append((process, receive, group))
    for process, receive, group in running:
        try:
            counts, skipped, extras = receive.recv()
        except EOFError:  # the process died without a word
            process.join()
            why = f"its process exited with status {process.exitcode}"
            for gen in group:
                ctx.skipped[gen.name] = why
            continue
        process.join()
        for label, n in counts.items():
            ctx.counts[label] = ctx.counts.get(label, 0) + n
        ctx.skipped.update(skipped)
        for bp, extra in zip(ctx.partnerships, extras, strict=True):
            bp.extra.update(extra)


def _run(ctx: BenchContext, gens: list[Generator], *, seed: int, jobs: int) -> None:
    """Run `gens` in registry order; the area generators (orders 50-89) in `jobs` processes
    when the database allows it."""
    areas = [g for g in gens if AREA_FIRST <= g.order < AREA_LAST]
    concurrent = jobs > 1 and len(areas) > 1 and can_run_concurrently()
    done_areas = False
    for gen in gens:
        if concurrent and gen in areas:
            if not done_areas:
                _run_concurrently(ctx, areas, jobs, seed)
                done_areas = True
            continue
        _run_one(ctx, gen, seed)


def generate(
    *,
    scale: str | Scale,
    seed: int = 1,
    out: Callable[[str], None] = print,
    only: Sequence[str] = (),
    jobs: int = 1,
) -> BenchContext:
    """Run every registered generator (or those named in `only`, core always) at `scale`;
    with `jobs` > 1 on PostgreSQL the area generators share that many processes."""
    chosen = SCALES[scale] if isinstance(scale, str) else scale
    ctx = BenchContext(seed=seed, scale=chosen, today=timezone.localdate(), out=out)
    cache.clear()  # drawings cached for an earlier database under the same name
    gens = [g for g in generators() if not only or g.name == "core" or g.name in only]
    if bulkload.available():  # PostgreSQL: indexes and foreign keys built once, after
        bulkload.set_aside(ctx.progress)
        try:
            _run(ctx, gens, seed=seed, jobs=jobs)
        finally:
            bulkload.restore(ctx.progress)
        bulkload.tune_planner(ctx.progress)
    else:
        _run(ctx, gens, seed=seed, jobs=jobs)
    _analyze(ctx)
    ctx.progress("done")
    return ctx


def load_context(
    *, scale: str | Scale, seed: int = 1, out: Callable[[str], None] = print
) -> BenchContext:
    """The context core's generator would have built, read back from an existing bench
    database: partnerships in order, their agencies, people by role, the known logins."""
    from lift.core.models import Agency, Partnership, Person, RoleAssignment

    chosen = SCALES[scale] if isinstance(scale, str) else scale
    ctx = BenchContext(seed=seed, scale=chosen, today=timezone.localdate(), out=out)
    partnerships = list(
        Partnership.objects.filter(slug__startswith=SLUG_PREFIX).order_by("slug").values_list("pk")
    )
    by_pk: dict[int, BenchPartnership] = {}
    for index, (pk,) in enumerate(partnerships, start=1):
        by_pk[pk] = BenchPartnership(pk=pk, index=index)
        ctx.partnerships.append(by_pk[pk])
    for agency_pk, partnership_pk in (
        Agency.objects.filter(partnership__in=by_pk).order_by("pk").values_list("pk", "partnership")
    ):
        by_pk[partnership_pk].agency_ids.append(agency_pk)
    rows = (
        RoleAssignment.objects.filter(partnership__in=by_pk)
        .order_by("person_id", "pk")
        .values_list("partnership_id", "person_id", "role", "person__agency_id")
    )
    for partnership_pk, person_pk, role, agency_pk in rows.iterator(chunk_size=BATCH):
        bp = by_pk[partnership_pk]
        if not bp.person_ids or bp.person_ids[-1] != person_pk:
            bp.person_ids.append(person_pk)
        bp.by_role.setdefault(role, []).append(person_pk)
        if agency_pk is not None:
            bp.agency_of[person_pk] = agency_pk
    emails = {email: key for key, (email, *_rest) in BENCH_PEOPLE.items()}
    for pk, email in Person.objects.filter(email__in=emails).values_list("pk", "email"):
        ctx.people[emails[email]] = pk
    ctx.progress(
        f"read back {len(ctx.partnerships)} partnerships, "
        f"{sum(len(bp.person_ids) for bp in ctx.partnerships):,} people"
    )
    return ctx


def add(
    names: Sequence[str],
    *,
    scale: str | Scale,
    seed: int = 1,
    out: Callable[[str], None] = print,
    jobs: int = 1,
) -> BenchContext:
    """Run the generators `names` on a database that already holds bench data (for an area
    built after the data was generated). Each runs in one transaction, as in `generate`."""
    known = {g.name: g for g in generators()}
    unknown = [n for n in names if n not in known or n == "core"]
    if unknown:
        choices = ", ".join(sorted(set(known) - {"core"}))
        raise ValueError(f"No generator {', '.join(unknown)} to add (choose from {choices}).")
    ctx = load_context(scale=scale, seed=seed, out=out)
    cache.clear()
    gens = [g for g in generators() if g.name in names]
    _run(ctx, gens, seed=seed, jobs=jobs)
    for name, why in ctx.skipped.items():  # adding is explicit: a failure is an error
        raise RuntimeError(f"{name}: {why}")
    _analyze(ctx)
    ctx.progress("done")
    return ctx


# --- core: partnerships, agencies, people, role assignments --------------------------------

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


# --- learning chain -----------------------------------------------------------------------

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


# --- governance -----------------------------------------------------------------------------

BOARDS = [
    ("board", "Safeguarding Children Board", "Board"),
    ("executive", "Executive Group", "Exec"),
    ("subgroup", "Learning and Improvement Sub-group", "L&I"),
    ("subgroup", "Quality Assurance Sub-group", "QA"),
    ("subgroup", "Training Sub-group", "Training"),
    ("cdop", "Child Death Overview Panel", "CDOP"),
]


def generate_governance(ctx: BenchContext, scale: Scale, rng: random.Random) -> None:
    from lift.governance.models import AgendaItem, Attendance, Board, Meeting, Membership

    per_board = scale.count("meetings_per_board", 12)
    new_attendance, new_item = row_factory(Attendance), row_factory(AgendaItem)
    tz = timezone.get_current_timezone()
    for bp in ctx.partnerships:
        boards = ctx.insert(
            Board,
            (
                Board(partnership_id=bp.pk, kind=kind, name=name, short_name=short, quorum=3)
                for kind, name, short in BOARDS
            ),
        )
        members = (
            bp.by_role.get("board_member", [])
            + bp.by_role.get("subgroup_member", [])
            + bp.by_role.get("subgroup_chair", [])
            + bp.by_role.get("lay_member", [])
        ) or bp.person_ids[:10]
        if bp.index == 1:
            members = [ctx.people[k] for k in ("bu", "chair", "board") if k in ctx.people] + members
        seats: dict[int, list[int]] = {}
        membership_rows = []
        for board in boards:
            chosen = members[:3] + rng.sample(members, min(len(members), 12))
            seats[board.pk] = list(dict.fromkeys(chosen))[:14]
            for k, person_id in enumerate(seats[board.pk]):
                membership_rows.append(
                    Membership(
                        partnership_id=bp.pk,
                        board_id=board.pk,
                        person_id=person_id,
                        role="chair" if k == 0 else "member",
                        agency_id=bp.agency_of.get(person_id),
                        starts_on=ctx.today - dt.timedelta(days=800),
                    )
                )
        ctx.insert(Membership, membership_rows)
        meeting_rows = []
        for board in boards:
            for m in range(per_board):
                when = dt.datetime.combine(
                    ctx.today + dt.timedelta(days=(m - per_board + 2) * 30),
                    dt.time(10, 0),
                    tzinfo=tz,
                )
                meeting_rows.append(
                    Meeting(
                        partnership_id=bp.pk,
                        board_id=board.pk,
                        starts_at=when,
                        ends_at=when + dt.timedelta(hours=2),
                        location="Room 1, Bench House (fictional)",
                        status="held" if when.date() < ctx.today else "planned",
                    )
                )
        meetings = ctx.insert(Meeting, meeting_rows)
        ctx.insert(
            AgendaItem,
            (
                new_item(
                    partnership_id=bp.pk,
                    meeting_id=mt.pk,
                    order=k + 1,
                    title=f"Item {k + 1}: {pick(rng, TOPICS)}"[:250],
                    presenter_id=pick(rng, seats[mt.board_id]),
                    purpose=pick(rng, ["decision", "discussion", "information", "assurance"]),
                )
                for mt in meetings
                for k in range(6)
            ),
        )
        ctx.insert(
            Attendance,
            (
                new_attendance(
                    partnership_id=bp.pk,
                    meeting_id=mt.pk,
                    person_id=person_id,
                    status=rng.choices(["attended", "apologies", "absent"], [8, 2, 1])[0],
                )
                for mt in meetings
                if mt.status == "held"
                for person_id in seats[mt.board_id]
            ),
        )
        bp.extra["board_ids"] = [b.pk for b in boards]


register_generator("core", generate_core, order=0)
register_generator("learning", generate_learning, order=10)
register_generator("governance", generate_governance, order=20)


def first_rows(limit: int = 5) -> dict[str, list[tuple[Any, ...]]]:
    """A fingerprint of the generated data that ignores primary keys (for reproducibility
    checks): the first rows of the main models, by their natural values."""
    from lift.core.models import Agency, Person
    from lift.learning.models import Action

    return {
        "agencies": list(
            Agency.objects.filter(partnership__slug__startswith=SLUG_PREFIX)
            .order_by("pk")
            .values_list("name", "agency_type")[:limit]
        ),
        "people": list(
            Person.objects.filter(email__endswith=BENCH_DOMAIN)
            .order_by("pk")
            .values_list("email", "agency__name", "role_assignments__role")[:limit]
        ),
        "actions": list(
            Action.objects.filter(partnership__slug__startswith=SLUG_PREFIX)
            .order_by("pk")
            .values_list("title", "status", "due_on", "owner_agency__name", "owner__email")[:limit]
        ),
    }
