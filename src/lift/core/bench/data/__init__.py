"""Reproducible, fictional synthetic data at three scales, inserted in bulk.

Rows go in with ``bulk_create`` in batches: no ``save()``, so no change-history entries and
no signals. That is deliberate for bench data (the history of a synthetic row tells nobody
anything) and keeps national scale within minutes. Never run it against a live database.

Every name here is invented: "Bench Partnership 001", "Agency 001-07", "Person 001-00042".
Dates are offsets from today drawn from the seeded generator, so the same seed gives the
same rows (the same values in the same order) on the same day.

The modules: ``scales`` (the scales, the known logins, shared constants), ``context`` (the
bench context and row helpers), ``pgcopy`` (rows in with COPY on PostgreSQL), ``run``
(generate, add, load_context), and the generators of ``core``, ``learning`` and
``governance``, registered here.
"""

from __future__ import annotations

from ..registry import register_generator
from .context import BenchContext, BenchPartnership, model_or_none, pick, row_factory
from .core import AGENCY_BOUND, AGENCY_TYPES, ROLE_MIX, generate_core
from .governance import BOARDS, generate_governance
from .learning import TOPICS, generate_learning
from .run import (
    AREA_FIRST,
    AREA_LAST,
    add,
    already_generated,
    can_run_concurrently,
    default_jobs,
    first_rows,
    generate,
    load_context,
)
from .scales import (
    BATCH,
    BENCH_DOMAIN,
    BENCH_PASSWORD,
    BENCH_PEOPLE,
    SCALES,
    SLUG_PREFIX,
    Scale,
)

register_generator("core", generate_core, order=0)
register_generator("learning", generate_learning, order=10)
register_generator("governance", generate_governance, order=20)

__all__ = [
    "AGENCY_BOUND",
    "AGENCY_TYPES",
    "AREA_FIRST",
    "AREA_LAST",
    "BATCH",
    "BENCH_DOMAIN",
    "BENCH_PASSWORD",
    "BENCH_PEOPLE",
    "BOARDS",
    "ROLE_MIX",
    "SCALES",
    "SLUG_PREFIX",
    "TOPICS",
    "BenchContext",
    "BenchPartnership",
    "Scale",
    "add",
    "already_generated",
    "can_run_concurrently",
    "default_jobs",
    "first_rows",
    "generate",
    "generate_core",
    "generate_governance",
    "generate_learning",
    "load_context",
    "model_or_none",
    "pick",
    "row_factory",
]
