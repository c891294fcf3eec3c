"""What the generators share: the bench context (partnerships generated so far, known
logins, row counts), a fast constructor for unsaved rows, and small helpers."""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.apps import apps
from django.db import models

from .pgcopy import T, _can_copy, _copy
from .scales import BATCH, Scale

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
