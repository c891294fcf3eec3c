"""The data version: a value that changes whenever anything LIFT shows may have changed, so
a page can cache what it read (the "My work" to-do list) and never serve it stale.

Every statement sent to the database passes through `_watch` (installed on each new
connection). A statement that writes (anything but a read or a transaction statement) to a
table other than the bookkeeping ones in `IGNORED` changes the version: at once when the
connection is in autocommit, and when the transaction commits otherwise (the new value is
set after the data are visible to other connections). The version is a fresh random value
each time, kept in the default cache, so two processes changing it at once cannot leave
it at a value a reader has already used.

A reader must read the version before the data (`current()` then the queries) and must
not cache what it read while its own connection holds uncommitted writes
(`may_cache()`): in a transaction that wrote, the data read are not yet everyone's.

Several app servers must share the default cache (the database or Redis cache back end),
or each keeps its own version and a write on one is not seen by the others' caches; the
cached entries also expire after `TTL` seconds. A change made outside LIFT (`psql`) is seen
when the entries expire.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.signals import connection_created

KEY = "lift:data-version"
TTL = 300  # seconds a cached reading lives at most (changes from outside LIFT)

# Statements that do not change data.
READS = (
    "SELECT",
    "SAVEPOINT",
    "RELEASE",
    "ROLLBACK",
    "BEGIN",
    "COMMIT",
    "PRAGMA",
    "SET",
    "SHOW",
    "EXPLAIN",
    "VALUES",
)
# Tables written on almost every request or by the worker, whose rows no cached page shows.
IGNORED = frozenset(
    {
        "django_session",
        "django_cache",
        "core_workerheartbeat",
        "core_outboundemail",
        "django_tasks_database_dbtaskresult",
        "axes_accessattempt",
        "axes_accesslog",
        "axes_accessfailurelog",
    }
)
_TABLE = re.compile(
    r'^\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM)\s+"?([\w.]+)"?', re.I
)


def writes(sql: str) -> bool:
    """Does this statement change data LIFT shows?"""
    head = sql.lstrip()[:12].upper()
    if head.startswith(READS):
        return False
    found = _TABLE.match(sql)
    return not (found and found.group(1).lower() in IGNORED)


def current() -> str:
    """The version now (read it before the data it guards)."""
    value = cache.get(KEY)
    if value is None:
        value = secrets.token_hex(8)
        if not cache.add(KEY, value, timeout=None):
            value = cache.get(KEY) or value
    return str(value)


def bump() -> None:
    cache.set(KEY, secrets.token_hex(8), timeout=None)


def _pending(connection: BaseDatabaseWrapper) -> bool:
    return any(entry[1] is bump for entry in connection.run_on_commit)


def may_cache(using: str = "default") -> bool:
    """May what this connection reads now be cached for others? Not while it holds
    uncommitted writes."""
    connection = connections[using]
    return not (connection.in_atomic_block and _pending(connection))


def _watch(connection: BaseDatabaseWrapper) -> Callable[..., Any]:
    def watch(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        result = execute(sql, params, many, context)
        if not isinstance(sql, str) or writes(sql):  # a composed statement: assume it writes
            if connection.in_atomic_block:
                if not _pending(connection):
                    connection.on_commit(bump)
            else:
                bump()
        return result

    return watch


def _install(sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    if not any(getattr(w, "lift_data_version", False) for w in connection.execute_wrappers):
        wrapper = _watch(connection)
        wrapper.lift_data_version = True  # type: ignore[attr-defined]
        connection.execute_wrappers.append(wrapper)


def install() -> None:
    """Watch every connection (from CoreConfig.ready), including one already open."""
    connection_created.connect(_install, dispatch_uid="lift_data_version")
    for connection in connections.all(initialized_only=True):
        _install(None, connection)
