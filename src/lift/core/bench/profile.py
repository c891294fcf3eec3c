"""Where a page's time goes, from one profiled request: its queries, its template rendering
and the rest (Python: views, forms, selectors, middleware).

Two requests are made, both after the page's timed ones (so caches are as warm as theirs):

- a *split* request, timed with perf_counter only (no profiler, so the parts are real): every
  query through ``connection.execute_wrapper``, every top-level template render by wrapping
  ``django.template.base.Template.render`` (an ``{% include %}`` inside it is not counted
  twice). Queries run while a template renders (a lazy queryset in a loop) count as queries,
  not as rendering. Python is what is left: total - queries - rendering;
- a *cProfile* request for the hot spots: the functions with the most time of their own
  (``tottime``), and the slowest query's first words.

A query's time is the time of executing its statement; fetching its rows and building model
instances from them happens as the results are read, and counts as Python.

``lift bench`` profiles each page that misses a target (``--profile`` for every page).
"""

from __future__ import annotations

import cProfile
import pstats
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.template import base as template_base
from django.test import Client

HOT_SPOTS = 5


@dataclass
class Profile:
    total_ms: float
    queries: int
    queries_ms: float
    templates_ms: float
    python_ms: float
    slowest_query_ms: float = 0.0
    slowest_query: str = ""
    hot_spots: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """One line: "41 ms: queries 9 ms (10), templates 20 ms, Python 12 ms"."""
        return (
            f"{self.total_ms:.0f} ms: queries {self.queries_ms:.0f} ms ({self.queries}), "
            f"templates {self.templates_ms:.0f} ms, Python {self.python_ms:.0f} ms"
        )


class _Clock:
    """Time spent in queries and in top-level template renders during one request."""

    def __init__(self) -> None:
        self.queries = 0
        self.queries_ms = 0.0
        self.templates_ms = 0.0
        self.queries_in_templates_ms = 0.0
        self.slowest_ms = 0.0
        self.slowest_sql = ""
        self._depth = 0

    def query(
        self, execute: Callable[..., Any], sql: str, params: Any, many: bool, ctx: Any
    ) -> Any:
        t0 = time.perf_counter()
        try:
            return execute(sql, params, many, ctx)
        finally:
            ms = (time.perf_counter() - t0) * 1000
            self.queries += 1
            self.queries_ms += ms
            if self._depth:
                self.queries_in_templates_ms += ms
            if ms > self.slowest_ms:
                self.slowest_ms, self.slowest_sql = ms, str(sql)

    @contextmanager
    def templates(self) -> Iterator[None]:
        original = template_base.Template.render
        clock = self

        def render(template: Any, context: Any) -> Any:
            if clock._depth:
                return original(template, context)
            clock._depth += 1
            t0 = time.perf_counter()
            try:
                return original(template, context)
            finally:
                clock.templates_ms += (time.perf_counter() - t0) * 1000
                clock._depth -= 1

        template_base.Template.render = render  # type: ignore[method-assign,assignment]
        try:
            yield
        finally:
            template_base.Template.render = original  # type: ignore[method-assign]


def _module(filename: str) -> str:
    """ "/.../site-packages/django/template/base.py" -> "django.template.base"."""
    for marker in ("/site-packages/", "/src/"):
        if marker in filename:
            filename = filename.rsplit(marker, 1)[1]
            break
    else:
        return filename.rsplit("/", 1)[-1]
    return filename.removesuffix(".py").replace("/", ".")


def _hot_spots(stats: pstats.Stats, limit: int = HOT_SPOTS) -> list[str]:
    """The functions (LIFT's, Django's and the libraries') with the most time of their own,
    as "django.template.base:render_annotated 3.1 ms"; built-ins are left out."""
    rows = []
    for (filename, _line, name), (_cc, _nc, tottime, _ct, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        if filename == "~" or filename.startswith("<"):
            continue
        rows.append((tottime, f"{_module(filename)}:{name}"))
    rows.sort(reverse=True)
    return [f"{where} {t * 1000:.1f} ms" for t, where in rows[:limit] if t > 0]


def profile(client: Client, url: str) -> Profile:
    """One split request and one cProfile request of ``url`` by ``client``."""
    clock = _Clock()
    with connection.execute_wrapper(clock.query), clock.templates():
        t0 = time.perf_counter()
        client.get(url)
        total_ms = (time.perf_counter() - t0) * 1000
    templates_ms = max(clock.templates_ms - clock.queries_in_templates_ms, 0.0)
    profiler = cProfile.Profile()
    profiler.enable()
    try:
        client.get(url)
    finally:
        profiler.disable()
    words = " ".join(clock.slowest_sql.split())
    return Profile(
        total_ms=round(total_ms, 1),
        queries=clock.queries,
        queries_ms=round(clock.queries_ms, 1),
        templates_ms=round(templates_ms, 1),
        python_ms=round(max(total_ms - clock.queries_ms - templates_ms, 0.0), 1),
        slowest_query_ms=round(clock.slowest_ms, 1),
        slowest_query=words[:160] + ("..." if len(words) > 160 else ""),
        hot_spots=_hot_spots(pstats.Stats(profiler)),
    )
