"""A database too busy to answer in time is a 503 with Retry-After, never a 500.

SQLite has one write lock: a writer that waits longer than the busy timeout (20 s, settings
OPTIONS "timeout") gets OperationalError "database is locked". PostgreSQL's equivalents are
a lock wait or statement timeout and a serialization failure or deadlock (the transaction is
rolled back and may simply be tried again). The person, or a client of the API, is told LIFT
is busy and to try again in a minute.

BusyMiddleware answers for a view's exception; errors.server_error (handler500) answers with
the same page when the lock was hit in a middleware (saving the session at sign-in).
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 60
BUSY_MESSAGE = "LIFT is busy. Try again in a minute."

# SQLSTATEs: serialization_failure, deadlock_detected, lock_not_available, query_canceled
# (statement_timeout or lock_timeout).
_PG_BUSY = {"40001", "40P01", "55P03", "57014"}
_SQLITE_BUSY = ("database is locked", "database table is locked", "database is busy")


def is_busy(exc: BaseException | None) -> bool:
    """Whether `exc` says the database was busy (locked), not broken."""
    if not isinstance(exc, OperationalError):
        return False
    for error in (exc, exc.__cause__):
        if error is None:
            continue
        code = getattr(error, "sqlstate", None) or getattr(error, "pgcode", None)
        if code in _PG_BUSY:
            return True
        if any(text in str(error).lower() for text in _SQLITE_BUSY):
            return True
    return False


def busy_response(request: HttpRequest | None) -> HttpResponse:
    """503 with Retry-After: JSON for the API, otherwise a standalone page (rendered
    without context processors: the database is what is busy)."""
    path = getattr(request, "path", "") or ""
    response: HttpResponse
    if path.startswith("/api/"):
        response = JsonResponse({"detail": BUSY_MESSAGE, "code": "busy"}, status=503)
    else:
        response = HttpResponse(loader.get_template("errors/503.html").render(), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class BusyMiddleware:
    """Turn a busy database in a view into a 503 (see the module's docstring)."""

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response: HttpResponse = self.get_response(request)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not is_busy(exception):
            return None
        logger.warning(
            "Database busy: %s %s answered 503 (%s)", request.method, request.path, exception
        )
        return busy_response(request)
