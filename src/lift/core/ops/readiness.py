"""What /readyz checks: the database, the file storage and the task queue.

Each check answers "ok" or a short reason; `/readyz` is 200 when all are "ok", 503 when one
is not, with the same JSON body either way and never a traceback (the reason's exception is
logged, by class and message, on the `lift.core.ops.readiness` logger).
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection

log = logging.getLogger(__name__)

PROBE_DIR = "readyz"


def check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def check_storage() -> None:
    """Write, read back and delete a small probe file through the default storage."""
    content = secrets.token_hex(8).encode()
    name = default_storage.save(
        f"{PROBE_DIR}/probe-{secrets.token_hex(8)}.txt", ContentFile(content)
    )
    try:
        with default_storage.open(name, "rb") as f:
            read = f.read()
        if read != content:
            raise OSError("the probe file read back differs from what was written")
    finally:
        default_storage.delete(name)


def check_queue() -> None:
    """The task table answers (the queue workers take tasks from)."""
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.order_by().values_list("pk").first()


CHECKS: dict[str, tuple[Callable[[], None], str]] = {
    "database": (check_database, "unreachable"),
    "storage": (check_storage, "unavailable"),
    "queue": (check_queue, "unreachable"),
}


def readiness() -> tuple[bool, dict[str, str]]:
    """(ready, {check: "ok" or its failure}) for every check, each run even if one failed."""
    results: dict[str, str] = {}
    for name, (check, failure) in CHECKS.items():
        try:
            check()
        except Exception as exc:
            log.warning("Readiness: %s %s (%s: %s)", name, failure, type(exc).__name__, exc)
            results[name] = failure
        else:
            results[name] = "ok"
    return all(v == "ok" for v in results.values()), results
