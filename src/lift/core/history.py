"""Change history: every save and delete of a tracked model is logged, whatever made it.

The actor, the source (web, API, command, task) and the reason come from a context that
middleware, commands and tasks set; services add a reason with `change_reason(...)`.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import decimal
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.signals import m2m_changed, post_delete, post_save

from .models.base import Tracked
from .models.history import AccessLog, ChangeLog


@dataclass(frozen=True)
class HistoryContext:
    actor: Any = None
    source: str = ChangeLog.Source.SYSTEM
    reason: str = ""


_context: contextvars.ContextVar[HistoryContext] = contextvars.ContextVar(
    "lift_history",
    default=HistoryContext(),  # noqa: B039 - frozen, so sharing the default is safe
)


def current() -> HistoryContext:
    return _context.get()


# While `migrate` runs, reference data synced from the versioned files in reference/ is not
# logged: its history is the files' git history, and a restore must find no history rows in
# a freshly migrated database.
_suppressed = False


def suppress_during_migrate(on: bool) -> None:
    global _suppressed
    _suppressed = on


@contextlib.contextmanager
def acting(
    actor: Any = None, source: str | None = None, reason: str | None = None
) -> Iterator[None]:
    """Attribute changes made inside the block to `actor`, from `source`, for `reason`."""
    ctx = current()
    new = replace(
        ctx,
        actor=actor if actor is not None else ctx.actor,
        source=source or ctx.source,
        reason=reason if reason is not None else ctx.reason,
    )
    token = _context.set(new)
    try:
        yield
    finally:
        _context.reset(token)


def begin(*, actor: Any = None, source: str | None = None) -> contextvars.Token[HistoryContext]:
    """Start attributing changes (for code that cannot use `acting` as a block); pass the
    result to `end`."""
    ctx = current()
    new = replace(ctx, actor=actor if actor is not None else ctx.actor, source=source or ctx.source)
    return _context.set(new)


def end(token: contextvars.Token[HistoryContext]) -> None:
    _context.reset(token)


def change_reason(reason: str) -> contextlib.AbstractContextManager[None]:
    return acting(reason=reason)


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if hasattr(value, "name"):  # files
        return str(value.name)
    return str(value)


def _tracked_fields(instance: Tracked) -> list[models.Field]:
    return [
        f
        for f in instance._meta.concrete_fields
        if f.attname not in instance.history_exclude and f.name not in instance.history_exclude
    ]


def snapshot(instance: Tracked) -> dict[str, Any]:
    return {f.attname: _jsonable(f.value_from_object(instance)) for f in _tracked_fields(instance)}


def _loaded(instance: Tracked) -> dict[str, Any] | None:
    loaded = getattr(instance, "_loaded_values", None)
    if loaded is None:
        return None
    fields = {f.attname for f in _tracked_fields(instance)}
    return {k: _jsonable(v) for k, v in loaded.items() if k in fields}


def _write(
    instance: models.Model, action: str, changes: dict[str, Any], restricted: list[str]
) -> None:
    if _suppressed:
        return
    ctx = current()
    actor = ctx.actor if ctx.actor is not None and getattr(ctx.actor, "pk", None) else None
    ChangeLog.objects.create(
        partnership_id=_partnership_id(instance),
        content_type=ContentType.objects.get_for_model(instance.__class__),
        object_id=str(instance.pk),
        object_repr=str(instance)[:300],
        action=action,
        actor=actor,
        actor_repr=str(actor)[:300] if actor else "",
        source=ctx.source,
        reason=ctx.reason,
        changes=changes,
        restricted_fields=restricted,
    )


def _partnership_id(instance: models.Model) -> int | None:
    if instance._meta.model_name == "partnership":
        return instance.pk  # type: ignore[return-value]
    return getattr(instance, "partnership_id", None)


def _on_save(
    sender: type[models.Model], instance: Tracked, created: bool, raw: bool = False, **kw: Any
) -> None:
    if raw or not isinstance(instance, Tracked):
        return
    after = snapshot(instance)
    if created:
        changes = {k: [None, v] for k, v in after.items() if v not in (None, "", [], {})}
        action = ChangeLog.Action.CREATE
    else:
        before = _loaded(instance)
        if before is None:
            changes = {k: [None, v] for k, v in after.items()}
        else:
            changes = {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}
        if not changes:
            return
        action = ChangeLog.Action.UPDATE
    restricted = sorted(_restricted_attnames(instance) & set(changes))
    _write(instance, action, changes, restricted)
    # The saved values are the new baseline for a later save of the same instance.
    instance._loaded_values = {
        f.attname: f.value_from_object(instance) for f in instance._meta.concrete_fields
    }


def _restricted_attnames(instance: Tracked) -> set[str]:
    names = set(instance.history_restricted)
    out = set()
    for f in instance._meta.concrete_fields:
        if f.name in names or f.attname in names:
            out.add(f.attname)
    return out


def _on_delete(sender: type[models.Model], instance: Tracked, **kw: Any) -> None:
    if not isinstance(instance, Tracked):
        return
    before = snapshot(instance)
    changes = {k: [v, None] for k, v in before.items() if v not in (None, "", [], {})}
    restricted = sorted(_restricted_attnames(instance) & set(changes))
    _write(instance, ChangeLog.Action.DELETE, changes, restricted)


def _on_m2m(
    sender: Any, instance: models.Model, action: str, model: Any, pk_set: Any, **kw: Any
) -> None:
    if not isinstance(instance, Tracked) or action not in {"post_add", "post_remove", "post_clear"}:
        return
    field_name = next(
        (f.name for f in instance._meta.many_to_many if f.remote_field.through is sender),
        sender._meta.model_name,
    )
    verb = {"post_add": "added", "post_remove": "removed", "post_clear": "cleared"}[action]
    changes = {field_name: {verb: sorted(pk_set) if pk_set else []}}
    _write(instance, ChangeLog.Action.UPDATE, changes, [])


def connect_signals() -> None:
    post_save.connect(_on_save, dispatch_uid="lift_history_save")
    post_delete.connect(_on_delete, dispatch_uid="lift_history_delete")
    m2m_changed.connect(_on_m2m, dispatch_uid="lift_history_m2m")


def record_change(instance: models.Model, changes: dict[str, list[Any]]) -> None:
    """Write a change that is not a field of the record (a person's two-factor devices, say)
    into its history: `changes` maps a label to [before, after]."""
    _write(instance, "update", changes, [])


def record_access(user: Any, obj: models.Model, *, purpose: str = "", path: str = "") -> None:
    """Log that `user` read the restricted record `obj`."""
    AccessLog.objects.create(
        partnership_id=_partnership_id(obj),
        person=user,
        content_type=ContentType.objects.get_for_model(obj.__class__),
        object_id=str(obj.pk),
        object_repr=str(obj)[:300],
        purpose=purpose,
        path=path[:500],
    )


def for_object(obj: models.Model) -> models.QuerySet[ChangeLog]:
    return ChangeLog.objects.filter(
        content_type=ContentType.objects.get_for_model(obj.__class__), object_id=str(obj.pk)
    ).select_related("actor")


def display_changes(entry: ChangeLog, *, can_see_restricted: bool) -> list[tuple[str, Any, Any]]:
    """Rows of (field label, before, after) with restricted values hidden unless allowed."""
    model = entry.content_type.model_class()
    labels: dict[str, str] = {}
    if model is not None:
        for f in model._meta.get_fields():
            if getattr(f, "concrete", False) or getattr(f, "many_to_many", False):
                labels[getattr(f, "attname", f.name)] = str(getattr(f, "verbose_name", f.name))
                labels[f.name] = str(getattr(f, "verbose_name", f.name))
    hidden = set(entry.restricted_fields)
    rows = []
    for key, change in entry.changes.items():
        label = labels.get(key, key).capitalize()
        if key in hidden and not can_see_restricted:
            rows.append((label, "(restricted)", "(restricted)"))
        elif isinstance(change, list) and len(change) == 2:
            rows.append((label, change[0], change[1]))
        else:
            rows.append((label, "", change))
    return rows
