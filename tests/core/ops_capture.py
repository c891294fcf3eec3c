"""Capture what the configured log handler writes (the real filters and formatter)."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from lift.core.ops.logs import ContextFilter


def lift_handler() -> logging.StreamHandler[Any]:
    """The root logger's handler set up by the LOGGING setting."""
    for handler in logging.getLogger().handlers:
        if isinstance(handler, logging.StreamHandler) and any(
            isinstance(f, ContextFilter) for f in handler.filters
        ):
            return handler
    raise AssertionError("the LOGGING setting's console handler is not on the root logger")


class Captured:
    def __init__(self, stream: io.StringIO) -> None:
        self.stream = stream

    @property
    def text(self) -> str:
        return self.stream.getvalue()

    @property
    def lines(self) -> list[dict[str, Any]]:
        return [json.loads(line) for line in self.text.splitlines() if line.strip()]


@contextmanager
def captured_log(level: int = logging.DEBUG) -> Iterator[Captured]:
    handler = lift_handler()
    stream = io.StringIO()
    old = handler.setStream(stream)  # type: ignore[arg-type]
    root = logging.getLogger()
    old_level = root.level
    root.setLevel(level)
    try:
        yield Captured(stream)
    finally:
        root.setLevel(old_level)
        if old is not None:
            handler.setStream(old)
