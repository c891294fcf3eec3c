"""The benchmark: the search page and its API, and the index built after the bulk load."""

from __future__ import annotations

import random
from typing import Any


def _rebuild(ctx: Any, scale: Any, rng: random.Random) -> None:
    from .index import rebuild

    counts = rebuild(out=ctx.progress)
    ctx.progress(f"search index: {sum(counts.values()):,} entries")


def register() -> None:
    from lift.core.bench import register_generator, register_page

    # After every area's generator (order 90 and up runs last): the bulk loader sends no
    # signals, so the index is built from what they inserted.
    register_generator("search", _rebuild, order=95, weight=1)
    register_page("Search, business unit", "search:search", role="bu", query="?q=neglect")
    register_page(
        "Search, one area (business unit)",
        "search:search",
        role="bu",
        query="?q=neglected+assessed&area=learning",
    )
    register_page("Search, safeguarding lead", "search:search", role="lead", query="?q=neglect")
    register_page("API: search", "api:search-list", role="bu", kind="api", query="?q=neglect")
