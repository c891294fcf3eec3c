"""The bench tools: reproducible synthetic data, the page benchmark and the comparison."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction

from lift.core.bench import runner
from lift.core.bench.data import BENCH_PEOPLE, SCALES, first_rows, generate
from lift.core.models import Partnership, Person, RoleAssignment
from lift.learning.models import Action, ActionUpdate

pytestmark = pytest.mark.django_db


def _quiet(line: str) -> None:
    pass


def _snapshot() -> tuple[dict[str, int], dict[str, Any]]:
    counts = {
        "partnerships": Partnership.objects.count(),
        "people": Person.objects.count(),
        "roles": RoleAssignment.objects.count(),
        "actions": Action.objects.count(),
        "updates": ActionUpdate.objects.count(),
    }
    return counts, first_rows()


def test_smoke_scale_is_reproducible_for_a_seed() -> None:
    runs = []
    for seed in (7, 7, 8):
        with transaction.atomic():
            ctx = generate(scale="smoke", seed=seed, out=_quiet)
            runs.append((_snapshot(), dict(ctx.counts)))
            transaction.set_rollback(True)
    (counts, rows), inserted = runs[0]
    smoke = SCALES["smoke"]
    assert counts["partnerships"] == smoke.partnerships
    assert counts["people"] == smoke.partnerships * smoke.people + len(BENCH_PEOPLE)
    assert counts["actions"] >= smoke.partnerships * smoke.actions  # areas add their own
    assert counts["updates"] >= counts["actions"]
    assert inserted["governance.Meeting"] > 0
    assert runs[1][0] == runs[0][0]  # same seed: same counts and the same first rows
    assert runs[2][0][1]["actions"] != rows["actions"]  # another seed: other data


def test_bench_data_command_refuses_to_generate_twice() -> None:
    call_command("bench-data", "--scale", "smoke", "--seed", "1", stdout=_Sink())
    assert Person.objects.filter(email=BENCH_PEOPLE["bu"][0]).exists()
    call_command("bench_data", "--scale", "smoke", "--if-empty", stdout=_Sink())
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("bench_data", "--scale", "smoke", stdout=_Sink())


class _Sink:
    def write(self, text: str) -> None:
        pass

    def flush(self) -> None:
        pass


def test_benchmark_measures_the_floor_and_key_pages_and_compares(tmp_path: Path) -> None:
    generate(scale="smoke", seed=1, out=_quiet)
    labels = ("Home (my work), business unit", "Action tracker", "An action", "Public site home")
    result = runner.run(
        repeats=2, warmups=0, scale="smoke", documents=False, labels=labels, out=_quiet
    )
    json_path, md_path = runner.write(result, tmp_path)
    data = json.loads((tmp_path / "latest.json").read_text())
    assert data == json.loads(json_path.read_text())
    assert data["floor"]["status"] == 200 and data["floor"]["median_ms"] > 0
    assert data["floor"]["queries"] >= 1
    by_label = {p["label"]: p for p in data["pages"]}
    assert "Public site home" not in by_label or by_label["Public site home"]["status"] == 200
    for label in labels[:3]:
        assert by_label[label]["status"] == 200, label
        assert by_label[label]["queries"] > 0
        assert by_label[label]["ratio"] > 0
    assert "| Action tracker |" in md_path.read_text()

    after = json.loads(json_path.read_text())
    after["pages"][0]["ratio"] = data["pages"][0]["ratio"] * 2
    table = runner.compare(data, after)
    assert f"| {data['pages'][0]['label']} |" in table
    assert "+100%" in table


def test_benchmark_without_bench_data_says_so() -> None:
    with pytest.raises(RuntimeError, match="bench-data"):
        runner.run(repeats=1, warmups=0, documents=False, out=_quiet)


def test_add_runs_a_generator_later_with_the_context_read_back() -> None:
    """An area added later (--add) gets the same rows as if it had run with the others."""
    from lift.core.bench.data import add, load_context

    with transaction.atomic():
        full = generate(scale="smoke", seed=3, out=_quiet, only=["learning"])
        expected = first_rows()
        read_back = load_context(scale="smoke", seed=3, out=_quiet)
        assert [bp.pk for bp in read_back.partnerships] == [bp.pk for bp in full.partnerships]
        for before, after in zip(full.partnerships, read_back.partnerships, strict=True):
            assert after.agency_ids == before.agency_ids
            assert after.person_ids == before.person_ids
            assert after.by_role == {k: sorted(v) for k, v in before.by_role.items()}
        assert read_back.people == full.people
        transaction.set_rollback(True)
    generate(scale="smoke", seed=3, out=_quiet, only=["no-such-area"])  # core alone
    assert not Action.objects.exists()
    ctx = add(["learning"], scale="smoke", seed=3, out=_quiet)
    assert ctx.counts["learning.Action"] == SCALES["smoke"].partnerships * SCALES["smoke"].actions
    assert first_rows()["actions"] == expected["actions"]
    with pytest.raises(ValueError, match="No generator nothing"):
        add(["nothing"], scale="smoke", out=_quiet)


def test_row_factory_gives_the_rows_the_constructor_would() -> None:
    from lift.core.bench.data import row_factory

    make = row_factory(Action)
    fast = make(title="Bench action", partnership_id=1, owner_agency_id=2)
    slow = Action(title="Bench action", partnership_id=1, owner_agency_id=2)
    for f in Action._meta.concrete_fields:
        if f.attname not in ("created_at", "updated_at"):  # callable defaults: "now"
            assert getattr(fast, f.attname) == getattr(slow, f.attname), f.name
    assert fast._state.adding and fast.pk is None
    with pytest.raises(TypeError, match="no field owner_agency"):
        make(owner_agency=None)  # attribute names only: a relation by object is refused


def test_area_generators_are_shared_between_processes_by_weight() -> None:
    from lift.core.bench.data.run import _balance
    from lift.core.bench.registry import Generator

    def gen(name: str, weight: int) -> Generator:
        return Generator(name=name, func=lambda *a: None, order=60, weight=weight)

    gens = [gen("a", 1), gen("b", 10), gen("c", 3), gen("d", 3), gen("e", 2), gen("f", 1)]
    groups = _balance(gens, 2)
    assert [[g.name for g in group] for group in groups] == [["b"], ["a", "c", "d", "e", "f"]]
    assert _balance(gens[:1], 2) == [gens[:1]]  # never an empty process
    assert len(_balance(gens, 8)) == 6


def test_a_page_that_misses_says_where_its_time_goes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    generate(scale="smoke", seed=1, out=_quiet)
    labels = ("Action tracker", "Public site home")
    monkeypatch.setattr(runner, "MAX_RATIO", 1e9)  # every page meets the targets
    monkeypatch.setattr(runner, "MAX_QUERIES", 10**6)
    quick = runner.run(repeats=1, warmups=0, documents=False, labels=labels, out=_quiet)
    assert quick.pages and all(p.profile is None for p in quick.pages)  # so none is profiled
    monkeypatch.setattr(runner, "MAX_QUERIES", 0)  # now every page misses
    lines: list[str] = []
    result = runner.run(repeats=1, warmups=0, documents=False, labels=labels, out=lines.append)
    tracker = next(p for p in result.pages if p.label == "Action tracker")
    found = tracker.profile
    assert found is not None
    assert found["queries"] == tracker.queries  # the same queries the count saw
    assert found["queries_ms"] > 0 and found["templates_ms"] > 0 and found["python_ms"] > 0
    parts = found["queries_ms"] + found["templates_ms"] + found["python_ms"]
    assert abs(parts - found["total_ms"]) <= 0.5  # the parts are the whole
    assert found["slowest_query"].upper().startswith(("SELECT", "WITH"))
    assert found["hot_spots"] and all(" ms" in h for h in found["hot_spots"])
    assert any("where the time goes: " in line for line in lines)
    runner.write(result, tmp_path)
    text = (tmp_path / "latest.md").read_text()
    assert "Where the time goes" in text and "| Action tracker |" in text.split("Where")[1]


def test_the_profile_counts_a_template_and_its_includes_once() -> None:
    import time

    from django.template import Context, Template

    from lift.core.bench.profile import _Clock

    clock = _Clock()
    inner = Template("{% for i in items %}{{ i }}{% endfor %}")
    outer = Template("{% include inner %}" * 20)
    with clock.templates():
        t0 = time.perf_counter()
        outer.render(Context({"inner": inner, "items": range(200)}))
        wall_ms = (time.perf_counter() - t0) * 1000
    # Counted once, not once for the page and again for each include (which would be about
    # twice the wall time).
    assert 0 < clock.templates_ms <= wall_ms
    assert Template.render.__qualname__ == "Template.render"  # put back afterwards
