"""The demo: its records are indexed as they are made; the index is rebuilt at the end so
it holds every partnership's records whatever made them."""

from __future__ import annotations

from typing import Any


def build(ctx: Any) -> None:
    from .index import rebuild

    rebuild()
