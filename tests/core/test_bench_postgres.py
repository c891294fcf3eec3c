"""Bench data on PostgreSQL outside a transaction: the area generators in two processes, with
indexes and foreign keys set aside for the load and built again after.

These need PostgreSQL (CI's PostgreSQL stage runs them); on SQLite they are skipped.
"""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from lift.core.bench import bulkload
from lift.core.bench.data import first_rows, generate

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="bulk loading with COPY needs PostgreSQL"
    ),
]


def _definitions() -> set[tuple[str, ...]]:
    """Every foreign key and index of the database's tables, by name and definition."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
            "FROM pg_constraint WHERE contype = 'f' AND connamespace = 'public'::regnamespace"
        )
        fks = {("fk", *row) for row in cursor.fetchall()}
        cursor.execute(
            "SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'"
        )
        indexes = {("index", *row) for row in cursor.fetchall()}
    return fks | indexes


def _quiet(line: str) -> None:
    pass


def test_concurrent_bulk_load_gives_the_same_data_and_keeps_the_schema() -> None:
    before = _definitions()
    # The sequential path (inside a transaction: no processes, no setting aside).
    with transaction.atomic():
        ctx = generate(scale="smoke", seed=3, out=_quiet, jobs=2)
        sequential: dict[str, Any] = {"counts": dict(ctx.counts), "rows": first_rows()}
        transaction.set_rollback(True)
    assert not ctx.skipped

    already = {label: _count(label) for label in sequential["counts"]}  # reference rows
    # A run killed during an earlier load left its stash: the command restores it first.
    assert bulkload.set_aside(_quiet) > 100
    assert len(_definitions()) < len(before)
    out = StringIO()
    call_command("bench-data", "--scale", "smoke", "--seed", "3", "--jobs", "2", stdout=out)
    log = out.getvalue()
    assert "running in 2 processes" in log
    assert "set aside" in log and "restored" in log
    assert "Skipped" not in log
    assert "random_page_cost set to 1.1" in log
    assert _definitions() == before  # every index and foreign key back, same names
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s)", [bulkload.STASH])
        assert cursor.fetchone()[0] is None

    assert first_rows() == sequential["rows"]
    for label, n in sequential["counts"].items():
        assert _count(label) - already[label] == n, label


def _count(label: str) -> int:
    from django.apps import apps

    app_label, name = label.split(".")
    if "_" in name:  # an auto-created many-to-many table, e.g. "learning.Action_themes"
        owner, field = name.split("_", 1)
        model = getattr(apps.get_model(app_label, owner), field).through
    else:
        model = apps.get_model(app_label, name)
    return model._default_manager.count()


def test_set_aside_and_restore_round_trip() -> None:
    before = _definitions()
    n = bulkload.set_aside(_quiet)
    assert n > 100
    remaining = _definitions()
    assert not any(kind == "fk" for kind, *_ in remaining)
    assert bulkload.restore(_quiet) == n
    assert _definitions() == before
    assert bulkload.restore(_quiet) == 0  # nothing left to restore
