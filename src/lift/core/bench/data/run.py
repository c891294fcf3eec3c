"""The run: every registered generator in order (the area generators in several
processes on PostgreSQL), adding an area to existing bench data, and a fingerprint of the
generated rows."""

from __future__ import annotations

import multiprocessing
import os
import random
from collections.abc import Callable, Sequence
from typing import Any

from django.core.cache import cache
from django.db import connection, connections, transaction
from django.utils import timezone

from .. import bulkload
from ..registry import Generator, generators
from .context import BenchContext, BenchPartnership
from .scales import BATCH, BENCH_DOMAIN, BENCH_PEOPLE, SCALES, SLUG_PREFIX, Scale


def _analyze(ctx: BenchContext) -> None:
    """Planner statistics for the new rows, as a live database would have them (without them
    SQLite may choose the wrong index, and PostgreSQL's autovacuum may not have run yet)."""
    ctx.progress("analyzing tables for the query planner")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


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
