"""The registries the bench tools read: data generators, pages, document subjects."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .data import BenchContext, Scale

GeneratorFn = Callable[["BenchContext", "Scale", random.Random], None]
# Given the bench context (people, objects found in the database), the URL arguments of a
# page, or None when the database holds nothing to show there.
ArgsFn = Callable[["Targets"], "tuple[Any, ...] | None"]
SubjectFn = Callable[["Targets"], Any]


@dataclass(frozen=True)
class Generator:
    name: str
    func: GeneratorFn
    order: int
    # Relative cost at national scale, to share the area generators between processes.
    weight: int = 1


@dataclass(frozen=True)
class BenchPage:
    """A page (or API endpoint) the benchmark requests, by URL name."""

    label: str
    url_name: str
    role: str = "bu"
    args: ArgsFn | None = None
    query: str | Callable[[Targets], str | None] = ""
    kind: str = "page"  # "page" or "api"


@dataclass
class Targets:
    """What the benchmark found in the database to point pages at (filled by the runner)."""

    partnership: Any
    people: dict[str, Any] = field(default_factory=dict)
    cache: dict[str, Any] = field(default_factory=dict)

    def first(self, model_label: str, **filters: Any) -> Any:
        """The first row of `model_label` ("app.Model") in the bench partnership matching
        `filters`, or None if the model does not exist or has no such row."""
        key = f"{model_label}:{sorted(filters.items())!r}"
        if key not in self.cache:
            self.cache[key] = _first(model_label, self.partnership, filters)
        return self.cache[key]

    def pk(self, model_label: str, **filters: Any) -> tuple[Any, ...] | None:
        obj = self.first(model_label, **filters)
        return None if obj is None else (obj.pk,)


def _first(model_label: str, partnership: Any, filters: dict[str, Any]) -> Any:
    from django.apps import apps

    try:
        model = apps.get_model(model_label)
    except (LookupError, ValueError):
        return None
    qs = model._default_manager.all()
    if any(f.name == "partnership" for f in model._meta.concrete_fields):
        qs = qs.filter(partnership=partnership)
    try:
        return qs.filter(**filters).order_by("pk").first()
    except Exception:  # a field renamed under us: the page is skipped, not the run
        return None


_generators: dict[str, Generator] = {}
_pages: dict[str, BenchPage] = {}
_document_subjects: dict[str, SubjectFn] = {}


def register_generator(
    name: str, func: GeneratorFn, *, order: int = 100, weight: int = 1
) -> GeneratorFn:
    """Add (or replace) the synthetic-data generator `name`; lower `order` runs first
    (core 0, learning 10, governance 20; areas 50 and up).

    Generators ordered 50-89 ("area" generators) may run at the same time as each other, in
    separate processes on PostgreSQL (`lift bench-data --jobs`): each may read what core,
    learning and governance made, but not another area's rows, and must not share a table
    with another area generator except through rows only it inserts. `weight` is its
    relative cost, used to balance the processes. Order 90 and up runs after all of them."""
    _generators[name] = Generator(name=name, func=func, order=order, weight=weight)
    return func


def generators() -> list[Generator]:
    return sorted(_generators.values(), key=lambda g: (g.order, g.name))


def register_page(
    label: str,
    url_name: str,
    *,
    role: str = "bu",
    args: ArgsFn | None = None,
    query: str | Callable[[Targets], str | None] = "",
    kind: str = "page",
) -> BenchPage:
    """Measure `url_name` (reversed with `args(targets)`) signed in as the bench person
    `role` (a key of lift.core.bench.data.BENCH_PEOPLE). Missing URL names are skipped."""
    page = BenchPage(label=label, url_name=url_name, role=role, args=args, query=query, kind=kind)
    _pages[label] = page
    return page


def pages() -> list[BenchPage]:
    return list(_pages.values())


def register_document_subject(kind: str, func: SubjectFn) -> SubjectFn:
    """How to find a subject for document `kind` (see lift.core.documents) to time a build."""
    _document_subjects[kind] = func
    return func


def document_subjects() -> dict[str, SubjectFn]:
    return dict(_document_subjects)
