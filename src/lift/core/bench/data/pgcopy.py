"""Rows into PostgreSQL with COPY instead of INSERT (what `BenchContext.insert` uses when
the table allows it)."""

from __future__ import annotations

import datetime as dt
import json
import operator
from collections.abc import Callable
from typing import Any, TypeVar

from django.db import DEFAULT_DB_ALIAS, connection, connections, models
from django.utils import timezone

T = TypeVar("T", bound=models.Model)


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
