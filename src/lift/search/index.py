"""Keeping the index current: the one place that writes `SearchEntry`.

Every save and delete of an indexed record (and of the records whose text it includes,
such as a Section 11 return's answers), and every change to its themes or agencies, marks
the record; when the transaction commits, the marked records are read afresh and their
entries rewritten, or removed if the record is gone (`reindex`). Nothing is indexed from a
transaction that rolls back, and a record is read once however often it changed.

`QuerySet.update()`, `bulk_create()` and raw SQL send no signals: code writing that way
(the benchmark's bulk loader) rebuilds the index afterwards (`rebuild`, `lift search-index
--rebuild`).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from typing import Any

from django.apps import apps
from django.db import connection, transaction
from django.db.models import Q
from django.db.models.signals import m2m_changed, post_delete, post_save

from . import backends
from .kinds import BY_KEY, KINDS, Kind, Masks, documents
from .models import SearchEntry

log = logging.getLogger(__name__)
BATCH = 500


# --- writing entries ----------------------------------------------------------------------


def _rows(kind: Kind, where: Q) -> Any:
    qs = kind.model._base_manager.filter(where)  # type: ignore[attr-defined]
    if kind.select:
        qs = qs.select_related(*kind.select)
    if kind.prefetch:
        qs = qs.prefetch_related(*kind.prefetch)
    return qs


def _write(kind: Kind, rows: list[Any], masks: Masks) -> list[int]:
    """Replace the entries of `rows` (records of `kind`); return the new entries' ids."""
    docs = documents(kind, rows, masks)
    SearchEntry.objects.filter(kind=kind.key, object_id__in=[r.pk for r in rows]).delete()
    entries = SearchEntry.objects.bulk_create(
        SearchEntry(
            partnership_id=d.partnership_id,
            kind=kind.key,
            object_id=d.object_id,
            title=d.title[:300],
            body=d.body,
            dated_on=d.dated_on,
        )
        for d in docs
    )
    if connection.features.can_return_rows_from_bulk_insert:
        ids = [e.pk for e in entries]
    else:  # pragma: no cover - both supported databases return ids
        ids = list(
            SearchEntry.objects.filter(
                kind=kind.key, object_id__in=[d.object_id for d in docs]
            ).values_list("pk", flat=True)
        )
    by_object = dict(zip((d.object_id for d in docs), ids, strict=True))
    themes: Any = SearchEntry.themes.through
    agencies: Any = SearchEntry.agencies.through
    themes.objects.bulk_create(
        themes(searchentry_id=by_object[d.object_id], theme_id=t) for d in docs for t in d.theme_ids
    )
    agencies.objects.bulk_create(
        agencies(searchentry_id=by_object[d.object_id], agency_id=a)
        for d in docs
        for a in d.agency_ids
    )
    return ids


def reindex(kind: Kind, pks: Iterable[int] = (), where: Q | None = None) -> int:
    """Rewrite the entries of the records `pks` of `kind` (and those matching `where`);
    entries of records that no longer exist are removed. Returns the entries written."""
    pks = set(pks)
    condition = Q(pk__in=pks) if pks else Q(pk__in=[])
    if where is not None:
        condition |= where
    written = 0
    with transaction.atomic():
        rows = list(_rows(kind, condition))
        gone = pks - {r.pk for r in rows}
        if gone:
            SearchEntry.objects.filter(kind=kind.key, object_id__in=gone).delete()
        masks = Masks()
        for start in range(0, len(rows), BATCH):
            ids = _write(kind, rows[start : start + BATCH], masks)
            backends.refresh_vectors(SearchEntry.objects.filter(pk__in=ids))
            written += len(ids)
    return written


def rebuild(
    *, partnership: Any = None, out: Callable[[str], None] | None = None, batch: int = 2000
) -> dict[str, int]:
    """Build the index again from the records: every partnership's, or one's. Returns the
    number of entries of each kind."""
    counts: dict[str, int] = {}
    pid = getattr(partnership, "pk", partnership)
    with transaction.atomic():
        old = (
            SearchEntry.objects.all()
            if pid is None
            else SearchEntry.objects.filter(partnership_id=pid)
        )
        old.delete()
        for kind in KINDS:
            model = kind.model
            base = model._base_manager.all()  # type: ignore[attr-defined]
            if pid is not None:
                base = base.filter(partnership_id=pid)
            pks = list(base.order_by("pk").values_list("pk", flat=True))
            counts[kind.key] = 0
            masks = Masks()
            for start in range(0, len(pks), batch):
                rows = list(_rows(kind, Q(pk__in=pks[start : start + batch])).order_by("pk"))
                counts[kind.key] += len(_write(kind, rows, masks))
            if out is not None:
                out(f"{kind.label}: {counts[kind.key]:,}")
        fresh = (
            SearchEntry.objects.all()
            if pid is None
            else SearchEntry.objects.filter(partnership_id=pid)
        )
        backends.refresh_vectors(fresh)
    if pid is None:
        _pending.batch = None  # everything marked is in the rebuilt index
    return counts


# --- marking changed records, flushed on commit ---------------------------------------------


class _Batch:
    def __init__(self) -> None:
        self.pks: dict[str, set[int]] = {}
        self.by_field: dict[str, dict[str, set[int]]] = {}
        self.done = False

    def add(self, key: str, pk: Any) -> None:
        if pk is not None:
            self.pks.setdefault(key, set()).add(int(pk))

    def add_follower(self, key: str, field: str, pk: Any) -> None:
        if pk is not None:
            self.by_field.setdefault(key, {}).setdefault(field, set()).add(int(pk))

    def flush(self) -> None:
        self.done = True
        if _pending.batch is self:
            _pending.batch = None
        for key in sorted(set(self.pks) | set(self.by_field)):
            kind = BY_KEY[key]
            where = None
            for field, values in self.by_field.get(key, {}).items():
                clause = Q(**{f"{field}__in": values})
                where = clause if where is None else where | clause
            try:
                reindex(kind, self.pks.get(key, ()), where)
            except Exception:  # the change is saved; the index catches up on the next rebuild
                log.exception("Search index: could not re-index %s %s", key, self.pks.get(key))


class _Pending(threading.local):
    batch: _Batch | None = None


_pending = _Pending()


def _batch() -> _Batch:
    """The batch flushed when the current transaction commits (at once in autocommit)."""
    batch = _pending.batch
    if (
        batch is not None
        and not batch.done
        and connection.in_atomic_block
        and any(entry[1] == batch.flush for entry in connection.run_on_commit)
    ):
        return batch
    batch = _Batch()
    _pending.batch = batch
    if connection.in_atomic_block:
        transaction.on_commit(batch.flush, robust=True)
    # In autocommit the write is already saved: the caller flushes at once.
    return batch


def mark(key: str, pk: Any) -> None:
    batch = _batch()
    batch.add(key, pk)
    if not connection.in_atomic_block:
        batch.flush()


def _mark_follower(key: str, field: str, pk: Any) -> None:
    batch = _batch()
    batch.add_follower(key, field, pk)
    if not connection.in_atomic_block:
        batch.flush()


def _on_save(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    if raw:  # loading a fixture or a backup: rebuild afterwards
        return
    for key in _own.get(sender, ()):
        mark(key, instance.pk)
    for key, field in _parents.get(sender, ()):
        mark(key, getattr(instance, field, None))
    for key, field in _followers.get(sender, ()):
        _mark_follower(key, field, instance.pk)


def _on_delete(sender: Any, instance: Any, **kwargs: Any) -> None:
    _on_save(sender, instance)


def _on_m2m(sender: Any, instance: Any, action: str, reverse: bool, pk_set: Any, **kwargs: Any):  # type: ignore[no-untyped-def]
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    key = _m2m.get(sender)
    if key is None:
        return
    if not reverse:
        mark(key, instance.pk)
    else:
        for pk in pk_set or ():
            mark(key, pk)


_own: dict[type, list[str]] = {}
_parents: dict[type, list[tuple[str, str]]] = {}
_followers: dict[type, list[tuple[str, str]]] = {}
_m2m: dict[type, str] = {}


def connect() -> None:
    """Listen to every model the kinds read (called once, from the app's ready())."""
    for kind in KINDS:
        model = kind.model
        _own.setdefault(model, []).append(kind.key)
        for label, field in kind.parents:
            _parents.setdefault(apps.get_model(label), []).append((kind.key, field))
        for label, field in kind.followers:
            _followers.setdefault(apps.get_model(label), []).append((kind.key, field))
        for name in ("themes", "agencies"):
            f = next((f for f in model._meta.many_to_many if f.name == name), None)
            if f is not None:
                through: Any = f.remote_field.through  # type: ignore[union-attr]
                _m2m[through] = kind.key
    for model in {*_own, *_parents, *_followers}:
        uid = f"lift_search_{model._meta.label_lower}"
        post_save.connect(_on_save, sender=model, dispatch_uid=uid)
        post_delete.connect(_on_delete, sender=model, dispatch_uid=uid)
    for through in _m2m:
        m2m_changed.connect(_on_m2m, sender=through, dispatch_uid=f"lift_search_{through}")
