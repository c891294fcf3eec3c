"""Scale testing: reproducible synthetic data and the page benchmark.

Each area plugs in by registering, from its AppConfig.ready() or from here:

- a data generator: ``register_generator("training", generate_training, order=50)``, where
  ``generate_training(ctx, scale, rng)`` bulk-inserts fictional rows for every partnership
  in ``ctx`` (see :mod:`lift.core.bench.data` for the context and the scales);
- a page to measure: ``register_page("Training dashboard", "training:dashboard", role="bu")``
  (see :mod:`lift.core.bench.pages`);
- a document subject: ``register_document_subject("board_pack", find_meeting)`` so the
  benchmark can time one build of that document.

`lift bench-data` runs the generators; `lift bench` runs the page benchmark.
"""

from __future__ import annotations

from .registry import (
    BenchPage,
    Generator,
    generators,
    pages,
    register_document_subject,
    register_generator,
    register_page,
)

# Where the floor page lives in the benchmark's URLconf (never in LIFT's own).
FLOOR_PATH = "/__bench__/floor/"

__all__ = [
    "FLOOR_PATH",
    "BenchPage",
    "Generator",
    "generators",
    "pages",
    "register_document_subject",
    "register_generator",
    "register_page",
]
