"""The benchmark: `lift bench-data` builds the index after the bulk load, and the search
pages it measures answer with results within the query target."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from lift.core.bench import runner
from lift.core.bench.data import generate
from lift.learning.models import Finding
from lift.search.models import SearchEntry

pytestmark = pytest.mark.django_db

LABELS = (
    "Search, business unit",
    "Search, one area (business unit)",
    "Search, safeguarding lead",
    "API: search",
)


def _quiet(line: str) -> None:
    pass


def test_bench_data_indexes_and_the_search_pages_are_measured(tmp_path: Path) -> None:
    ctx = generate(scale="smoke", seed=1, out=_quiet)
    assert "search" not in ctx.skipped
    assert SearchEntry.objects.filter(kind="learning.finding").count() == Finding.objects.count()
    assert SearchEntry.objects.filter(body__icontains="neglect").exists()
    result: Any = runner.run(
        repeats=1, warmups=1, scale="smoke", documents=False, labels=LABELS, out=_quiet
    )
    runner.write(result, tmp_path)
    pages = {p["label"]: p for p in json.loads((tmp_path / "latest.json").read_text())["pages"]}
    for label in LABELS:
        assert pages[label]["status"] == 200, label
        assert 0 < pages[label]["queries"] <= 20, (label, pages[label]["queries"])
