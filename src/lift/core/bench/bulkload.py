"""Bulk loading on PostgreSQL: foreign keys and secondary indexes set aside for the load.

PostgreSQL's own advice for populating a database ("Populating a Database" in its manual) is
to drop indexes and foreign keys, load, then create them again: building an index once over
all the rows, and checking a foreign key with one join, cost a fraction of maintaining seven
indexes and queueing four foreign-key checks for every row inserted. Measured here on
323,644 dataset values: 0.8 s into a bare table, 10 s with the table's seven indexes, 27 s
with its foreign keys as well.

`set_aside()` does that for every LIFT table a generator may fill: foreign keys and indexes
that are neither primary keys nor unique (those keep guarding the data during the load) are
written to a stash table, then dropped; `restore()` creates each again under the same name
with the same definition (so later migrations find them), removing it from the stash as it
goes. A run that is killed leaves the stash behind; the next `lift bench-data` restores it
before doing anything else, so a bench database never stays without its constraints.

Only for a database made for benchmarking, outside any transaction (`lift bench-data` on
PostgreSQL); never on a live database.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.apps import apps
from django.db import connection, transaction

STASH = "lift_bench_stash"


def available() -> bool:
    return connection.vendor == "postgresql" and not connection.in_atomic_block


def _tables() -> list[str]:
    tables = set()
    for model in apps.get_models(include_auto_created=True):
        opts = model._meta
        if opts.managed and not opts.proxy and not opts.swapped:
            tables.add(opts.db_table)
    return sorted(tables)


def _stash_exists() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [STASH])
        return bool(cursor.fetchone()[0])


def set_aside(out: Callable[[str], None] = print) -> int:
    """Drop the foreign keys and secondary indexes of LIFT's tables, keeping their
    definitions in the stash table. Returns how many were set aside."""
    restore(out)  # what an interrupted run left behind
    tables = _tables()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE {STASH} (pos serial PRIMARY KEY, kind text NOT NULL, "
            "tbl text NOT NULL, name text NOT NULL, definition text NOT NULL)"
        )
        cursor.execute(
            f"""
            INSERT INTO {STASH} (kind, tbl, name, definition)
            SELECT 'index', i.indrelid::regclass::text, i.indexrelid::regclass::text,
                   pg_get_indexdef(i.indexrelid)
              FROM pg_index i
             WHERE i.indrelid = ANY(%s::regclass[])
               AND NOT i.indisprimary AND NOT i.indisunique
               AND NOT EXISTS (SELECT 1 FROM pg_constraint c
                                WHERE c.conindid = i.indexrelid AND c.conrelid = i.indrelid)
             ORDER BY i.indrelid::regclass::text, i.indexrelid::regclass::text
            """,
            [tables],
        )
        cursor.execute(
            f"""
            INSERT INTO {STASH} (kind, tbl, name, definition)
            SELECT 'fk', c.conrelid::regclass::text, quote_ident(c.conname),
                   pg_get_constraintdef(c.oid)
              FROM pg_constraint c
             WHERE c.contype = 'f' AND c.conrelid = ANY(%s::regclass[])
             ORDER BY c.conrelid::regclass::text, c.conname
            """,
            [tables],
        )
        cursor.execute(f"SELECT kind, tbl, name FROM {STASH} ORDER BY pos")
        stashed = cursor.fetchall()
        for kind, table, name in stashed:
            if kind == "fk":
                cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {name}")
        for kind, _table, name in stashed:
            if kind == "index":
                cursor.execute(f"DROP INDEX {name}")
    out(
        f"set aside {sum(k == 'index' for k, *_ in stashed)} indexes and "
        f"{sum(k == 'fk' for k, *_ in stashed)} foreign keys for the load"
    )
    return len(stashed)


def restore(out: Callable[[str], None] = print) -> int:
    """Create again every index and foreign key in the stash (indexes first: the foreign
    keys' checks use them), one transaction each, then drop the stash."""
    if not _stash_exists():
        return 0
    started = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT pos, kind, tbl, name, definition FROM {STASH} ORDER BY kind = 'fk', pos"
        )
        stashed = cursor.fetchall()
    for n, (pos, kind, table, name, definition) in enumerate(stashed, start=1):
        with transaction.atomic(), connection.cursor() as cursor:
            if kind == "index":
                cursor.execute(definition)
            else:
                cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {name} {definition}")
            cursor.execute(f"DELETE FROM {STASH} WHERE pos = %s", [pos])
        if n % 200 == 0:
            out(f"restored {n}/{len(stashed)} indexes and foreign keys")
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {STASH}")
    out(f"restored {len(stashed)} indexes and foreign keys in {time.monotonic() - started:.0f}s")
    return len(stashed)


# PostgreSQL's default random_page_cost (4) describes spinning disks; on solid-state storage,
# which any deployment has today, 1.1 is the usual setting (docs/performance.md, "Sizing").
# With 4, the planner scans the whole person table rather than look up one partnership's
# 1,300 people by key: the People page took 92 ms instead of 15 at national scale.
SSD_RANDOM_PAGE_COST = "1.1"


def tune_planner(out: Callable[[str], None] = print) -> None:
    """Set the bench database's planner costs as docs/performance.md advises for production
    (new connections pick them up)."""
    name = connection.ops.quote_name(str(connection.settings_dict["NAME"]))
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER DATABASE {name} SET random_page_cost = {SSD_RANDOM_PAGE_COST}")
    out(f"random_page_cost set to {SSD_RANDOM_PAGE_COST} for this database (solid-state storage)")
