"""The request id, the request's log line and its metrics.

`RequestMiddleware` comes first in MIDDLEWARE: it takes the request id from a valid
`X-Request-ID` header (1-64 letters, digits and hyphens; anything else is replaced) or makes
one, opens the logging context for the request, answers with the id in `X-Request-ID`, and
at the end writes one line (method, path without the query string, status, duration, view;
INFO, or WARNING for a 4xx and ERROR for a 5xx, in place of Django's own "Not Found: ..."
line, which it writes after the middleware and so without the id) and counts the request
for /metrics. `RequestUserMiddleware`, after authentication, adds
the signed-in person's id to the context, so every later line names them.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from . import metrics
from .context import current, opened

log = logging.getLogger("lift.request")

HEADER = "X-Request-ID"


def view_label(request: HttpRequest) -> str:
    """The URL pattern's name ("core:home"): a small, fixed set of values for the metrics,
    never the path itself (which holds ids)."""
    match = getattr(request, "resolver_match", None)
    if match is not None:
        return match.view_name or match._func_path
    if request.path.startswith(settings.STATIC_URL or "/static/"):
        return "static"
    return "unmatched"


class RequestMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        with opened(request.headers.get(HEADER), path=request.path) as ctx:
            request.request_id = ctx.request_id  # type: ignore[attr-defined]
            response = self.get_response(request)
            seconds = time.perf_counter() - started
            view = view_label(request)
            metrics.observe_request(view, request.method or "", response.status_code, seconds)
            status = response.status_code
            level = (
                logging.ERROR
                if status >= 500
                else logging.WARNING
                if status >= 400
                else logging.INFO
            )
            log.log(
                level,
                "%s %s %s %.0f ms",
                request.method,
                request.path,
                response.status_code,
                seconds * 1000,
                extra={
                    "status": response.status_code,
                    "duration_ms": round(seconds * 1000, 1),
                    "method": request.method,
                    "view": view,
                },
            )
            # This line says it: Django's own "Not Found: /path" line, written after the
            # middleware (so without the request id), is not written again.
            response._has_been_logged = True  # type: ignore[attr-defined]
            response[HEADER] = ctx.request_id
            return response


class RequestUserMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        ctx = current()
        user = getattr(request, "user", None)
        if ctx is not None and user is not None and user.is_authenticated:
            ctx.user_id = user.pk
        return self.get_response(request)
