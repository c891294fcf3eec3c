"""The request (or task) a line of log belongs to, in a context variable.

`RequestMiddleware` opens a context for each request (its id from a valid `X-Request-ID`
header, or a new one); the task worker opens one for each task, with the id of the request
that queued it (`lift.core.ops.tasks`). Logging filters read it (`lift.core.ops.logs`).
"""

from __future__ import annotations

import contextvars
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

# A request id from outside is used only if short and plain, so it cannot forge log lines.
REQUEST_ID_RE = re.compile(r"^[A-Za-z0-9-]{1,64}$")


class RestrictedValues:
    """An ordered set of restricted strings and the pattern that finds them."""

    def __init__(self, limit: int | None = None) -> None:
        self.values: dict[str, None] = {}
        self.limit = limit
        self._pattern: tuple[int, re.Pattern[str] | None] = (0, None)

    def add(self, value: str) -> None:
        key = value.casefold()
        if key in self.values:
            return
        self.values[key] = None
        if self.limit is not None and len(self.values) > self.limit:
            del self.values[next(iter(self.values))]
            self._pattern = (-1, None)

    def pattern(self) -> re.Pattern[str] | None:
        size, compiled = self._pattern
        if size != len(self.values):
            if not self.values:
                compiled = None
            else:
                alternatives = sorted(self.values, key=len, reverse=True)
                compiled = re.compile(
                    r"(?<!\w)(?:" + "|".join(re.escape(v) for v in alternatives) + r")(?!\w)",
                    re.IGNORECASE,
                )
            self._pattern = (len(self.values), compiled)
        return compiled


@dataclass
class OpsContext:
    request_id: str
    user_id: int | None = None
    path: str = ""
    task: str = ""
    task_id: str = ""
    # Restricted values seen while handling this request or task (see logs.redact).
    restricted: RestrictedValues = field(default_factory=RestrictedValues)


_current: contextvars.ContextVar[OpsContext | None] = contextvars.ContextVar(
    "lift_ops_context", default=None
)


def new_request_id() -> str:
    return uuid.uuid4().hex


def valid_request_id(value: str | None) -> str | None:
    """`value` if it may be used as a request id (1-64 of A-Z, a-z, 0-9 and "-")."""
    if value and REQUEST_ID_RE.match(value):
        return value
    return None


def current() -> OpsContext | None:
    return _current.get()


def current_request_id() -> str | None:
    ctx = _current.get()
    return ctx.request_id if ctx else None


@contextmanager
def opened(
    request_id: str | None = None, *, path: str = "", task: str = "", task_id: str = ""
) -> Iterator[OpsContext]:
    """Everything logged inside carries this request id (a new one if none is given)."""
    ctx = OpsContext(
        request_id=valid_request_id(request_id) or new_request_id(),
        path=path,
        task=task,
        task_id=task_id,
    )
    token = _current.set(ctx)
    try:
        yield ctx
    finally:
        _current.reset(token)
