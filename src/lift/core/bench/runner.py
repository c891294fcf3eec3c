"""The page benchmark: server time and queries of each key page, as ratios to a floor.

Requests go through django.test.Client (the whole middleware stack, no network), signed in
with force_login as the bench people (lift.core.bench.data.BENCH_PEOPLE). Timing requests
run without query capture; one more request per page counts the queries.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import platform
import statistics
import time
from collections.abc import Callable, Collection
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import NoReverseMatch, reverse

from . import (
    FLOOR_PATH,
    key_pages,  # noqa: F401  (registers the default pages)
)
from .data import BENCH_PEOPLE, SLUG_PREFIX
from .registry import BenchPage, Targets, document_subjects, pages

# Targets from issue 11.
MAX_RATIO = 5.0
MAX_QUERIES = 20


@dataclass
class PageResult:
    label: str
    url: str
    role: str
    kind: str
    status: int
    median_ms: float
    p95_ms: float
    queries: int
    ratio: float = 0.0
    misses: list[str] = field(default_factory=list)
    # Where the time goes (lift.core.bench.profile.Profile), for a page that misses a target.
    profile: dict[str, Any] | None = None


@dataclass
class BenchResult:
    started_at: str
    scale: str
    database: str
    machine: dict[str, Any]
    repeats: int
    warmups: int
    floor: PageResult
    pages: list[PageResult]
    skipped: list[dict[str, str]]
    documents: list[dict[str, Any]]

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def _percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    k = (len(ordered) - 1) * pct / 100
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def _measure(client: Client, url: str, *, repeats: int, warmups: int) -> tuple[int, list[float]]:
    status = 0
    for _ in range(warmups):
        status = client.get(url).status_code
    times: list[float] = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - t0) * 1000)
        status = response.status_code
    return status, times


def _count_queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    return len(captured.captured_queries)


def _machine() -> dict[str, Any]:
    import os

    memory = ""
    try:
        with open("/proc/meminfo") as f:
            kb = int(f.readline().split()[1])
        memory = f"{kb / 1024 / 1024:.0f} GB"
    except (OSError, ValueError, IndexError):
        pass
    return {
        "cpus": os.cpu_count(),
        "memory": memory,
        "python": platform.python_version(),
        "platform": platform.platform(terse=True),
        "processor": platform.machine(),
    }


def _database() -> str:
    vendor = connection.vendor
    version = ""
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "select sqlite_version()" if vendor == "sqlite" else "show server_version"
            )
            version = str(cursor.fetchone()[0])
    except Exception:
        pass
    return f"{vendor} {version}".strip()


def _targets() -> Targets:
    from lift.core.models import Partnership, Person

    people = {
        key: Person.objects.filter(email=email).first()
        for key, (email, *_rest) in BENCH_PEOPLE.items()
    }
    found = {k: v for k, v in people.items() if v is not None}
    partnership = (
        Partnership.objects.filter(slug=f"{SLUG_PREFIX}001").first()
        or Partnership.objects.order_by("pk").first()
    )
    if partnership is None or "bu" not in found:
        raise RuntimeError("No bench data here: run `lift bench-data --scale ...` first.")
    return Targets(partnership=partnership, people=found)


def _resolve(page: BenchPage, targets: Targets) -> tuple[str | None, str]:
    """The page's URL, or None and why it is skipped."""
    args: tuple[Any, ...] = ()
    if page.args is not None:
        found = page.args(targets)
        if found is None:
            return None, "no data for it in this database"
        args = found
    try:
        url = reverse(page.url_name, args=args)
    except NoReverseMatch:
        return None, "no such page (area not built)"
    query = page.query(targets) if callable(page.query) else page.query
    if query is None:
        return None, "no data for its filter"
    return url + query, ""


def _time_documents(targets: Targets) -> list[dict[str, Any]]:
    """Time one build of each registered document that has a subject here: the work the
    background task does (builder, then PDF rendering), run in this process."""
    try:
        from lift.core.documents import document_builders, render
    except ImportError:
        return []
    results: list[dict[str, Any]] = []
    subjects = document_subjects()
    for kind, builder in sorted(document_builders().items()):
        finder = subjects.get(kind)
        subject = finder(targets) if finder else None
        if subject is None:
            results.append({"kind": kind, "skipped": "no subject for it in this database"})
            continue
        steps: list[int] = []
        t0 = time.perf_counter()
        try:
            with CaptureQueriesContext(connection) as captured:
                doc = builder(subject, steps.append)
            built = time.perf_counter()
            pdf = render(doc, "pdf")
        except Exception as exc:  # reported (and failed by --fail-on-error), not raised
            results.append({"kind": kind, "error": f"{type(exc).__name__}: {exc}"[:200]})
            continue
        done = time.perf_counter()
        results.append(
            {
                "kind": kind,
                "subject": str(subject),
                "build_ms": round((built - t0) * 1000, 1),
                "pdf_ms": round((done - built) * 1000, 1),
                "total_ms": round((done - t0) * 1000, 1),
                "queries": len(captured.captured_queries),
                "pdf_bytes": len(pdf),
                "progress_steps": len(steps),
            }
        )
    return results


def run(
    *,
    repeats: int = 20,
    warmups: int = 2,
    scale: str = "",
    documents: bool = True,
    only: str = "",
    labels: Collection[str] = (),
    profile_all: bool = False,
    out: Callable[[str], None] = print,
) -> BenchResult:
    """Measure the floor and every registered page that exists here; profile the pages that
    miss a target (every page with ``profile_all``)."""
    from .profile import profile

    # force_login goes through django-axes, which logs every sign-in at INFO.
    # WeasyPrint logs each layout step.
    for name in ("axes", "weasyprint", "weasyprint.progress", "fontTools"):
        logging.getLogger(name).setLevel(logging.WARNING)
    with override_settings(
        ROOT_URLCONF="lift.core.bench.urls",
        LIFT_ENFORCE_MFA=False,
        ALLOWED_HOSTS=["testserver", *settings.ALLOWED_HOSTS],
        DEBUG=False,
    ):
        targets = _targets()
        clients: dict[str, Client] = {"": Client()}
        for key, person in targets.people.items():
            client = Client()
            client.force_login(person)
            clients[key] = client

        def measure(label: str, url: str, role: str, kind: str) -> PageResult:
            client = clients[role]
            status, times = _measure(client, url, repeats=repeats, warmups=warmups)
            queries = _count_queries(client, url)
            return PageResult(
                label=label,
                url=url,
                role=role or "anonymous",
                kind=kind,
                status=status,
                median_ms=round(statistics.median(times), 2),
                p95_ms=round(_percentile(times, 95), 2),
                queries=queries,
            )

        floor = measure("Floor (signed-in page, one query)", FLOOR_PATH, "bu", "floor")
        if floor.status != 200:
            raise RuntimeError(f"The floor page answered {floor.status}: cannot compare.")
        floor.ratio = 1.0
        out(f"floor: {floor.median_ms:.1f} ms median, {floor.queries} queries")
        results: list[PageResult] = []
        skipped: list[dict[str, str]] = []
        for page in pages():
            if only and only.lower() not in page.label.lower():
                continue
            if labels and page.label not in labels:
                continue
            if page.role and page.role not in clients:
                skipped.append({"label": page.label, "why": f"no bench person {page.role!r}"})
                continue
            url, why = _resolve(page, targets)
            if url is None:
                skipped.append({"label": page.label, "why": why})
                continue
            result = measure(page.label, url, page.role, page.kind)
            result.ratio = round(result.median_ms / floor.median_ms, 2) if floor.median_ms else 0
            if result.status != 200:
                result.misses.append(f"status {result.status}")
            if result.ratio > MAX_RATIO:
                result.misses.append(f"median {result.ratio:.1f}x floor > {MAX_RATIO:.0f}x")
            if result.queries > MAX_QUERIES:
                result.misses.append(f"{result.queries} queries > {MAX_QUERIES}")
            out(
                f"{result.label}: {result.median_ms:.1f} ms ({result.ratio:.1f}x), "
                f"{result.queries} queries{' MISS' if result.misses else ''}"
            )
            if result.misses or profile_all:
                found = profile(clients[page.role], url)
                result.profile = asdict(found)
                out(f"  where the time goes: {found.summary()}")
            results.append(result)
        docs = _time_documents(targets) if documents and not only else []
    return BenchResult(
        started_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        scale=scale or _guess_scale(),
        database=_database(),
        machine=_machine(),
        repeats=repeats,
        warmups=warmups,
        floor=floor,
        pages=results,
        skipped=skipped,
        documents=docs,
    )


def _guess_scale() -> str:
    from lift.core.models import Partnership

    n = Partnership.objects.filter(slug__startswith=SLUG_PREFIX).count()
    return {0: "unknown", 1: "partnership", 2: "smoke"}.get(n, "national" if n > 10 else f"{n}")


# --- output ---------------------------------------------------------------------------------


def markdown(result: BenchResult) -> str:
    lines = [
        f"Benchmark {result.started_at}: scale {result.scale}, {result.database}, "
        f"{result.machine.get('cpus')} CPUs, {result.machine.get('memory')} memory; "
        f"median and 95th percentile of {result.repeats} requests after {result.warmups} "
        "warm-ups.",
        "",
        f"Floor: {result.floor.median_ms:.1f} ms median, {result.floor.p95_ms:.1f} ms p95, "
        f"{result.floor.queries} queries (middleware included).",
        "",
        "| Page | Role | Median ms | p95 ms | x floor | Queries | Meets target |",
        "|---|---|---:|---:|---:|---:|---|",
    ]
    for p in result.pages:
        verdict = "yes" if not p.misses else "no: " + "; ".join(p.misses)
        lines.append(
            f"| {p.label} | {p.role} | {p.median_ms:.1f} | {p.p95_ms:.1f} | {p.ratio:.1f} "
            f"| {p.queries} | {verdict} |"
        )
    if result.documents:
        lines += ["", "| Document build | Subject | Build ms | PDF ms | Queries |"]
        lines.append("|---|---|---:|---:|---:|")
        for d in result.documents:
            if "skipped" in d:
                lines.append(f"| {d['kind']} | skipped: {d['skipped']} | | | |")
            elif "error" in d:
                lines.append(f"| {d['kind']} | FAILED: {d['error']} | | | |")
            else:
                lines.append(
                    f"| {d['kind']} | {d['subject']} | {d['build_ms']:.0f} | {d['pdf_ms']:.0f} "
                    f"| {d['queries']} |"
                )
    profiled = [p for p in result.pages if p.profile]
    if profiled:
        lines += [
            "",
            "Where the time goes (one profiled request of each page that misses: queries, "
            "template rendering, and the Python left; the functions with most time of "
            "their own, under cProfile):",
            "",
            "| Page | Total ms | Queries ms (n) | Templates ms | Python ms | Hot spots |",
            "|---|---:|---:|---:|---:|---|",
        ]
        for p in profiled:
            f = p.profile or {}
            hot = "; ".join(f.get("hot_spots", [])[:3]).replace("|", "\\|")
            lines.append(
                f"| {p.label} | {f['total_ms']:.0f} | {f['queries_ms']:.0f} ({f['queries']}) "
                f"| {f['templates_ms']:.0f} | {f['python_ms']:.0f} | {hot} |"
            )
    if result.skipped:
        lines += ["", "Skipped: " + "; ".join(f"{s['label']} ({s['why']})" for s in result.skipped)]
    return "\n".join(lines) + "\n"


def misses(result: BenchResult) -> list[PageResult]:
    return [p for p in result.pages if p.misses]


def errors(result: BenchResult) -> list[str]:
    """What broke rather than ran slowly: pages not answering 200, documents failing to build."""
    found = [f"{p.label}: status {p.status}" for p in result.pages if p.status != 200]
    found += [f"document {d['kind']}: {d['error']}" for d in result.documents if "error" in d]
    return found


def write(result: BenchResult, directory: Path | None = None) -> tuple[Path, Path]:
    """Write <timestamp>-<scale>.json and .md under var/bench/ and copy them to latest.*."""
    folder = directory or Path(settings.VAR_DIR) / "bench"
    folder.mkdir(parents=True, exist_ok=True)
    stamp = result.started_at.replace(":", "").replace("+0000", "Z")
    stem = f"{stamp}-{result.scale}"
    data = json.dumps(result.as_json(), indent=2)
    text = markdown(result)
    json_path, md_path = folder / f"{stem}.json", folder / f"{stem}.md"
    json_path.write_text(data)
    md_path.write_text(text)
    (folder / "latest.json").write_text(data)
    (folder / "latest.md").write_text(text)
    return json_path, md_path


def compare(before: dict[str, Any], after: dict[str, Any]) -> str:
    """A Markdown table of each page's ratio to the floor in two runs, and the change."""
    old = {p["label"]: p for p in before["pages"]}
    lines = [
        f"Before: {before['started_at']} ({before['scale']}, {before['database']}); "
        f"after: {after['started_at']} ({after['scale']}, {after['database']}).",
        "",
        "| Page | x floor before | x floor after | Change | Queries before | Queries after |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for p in after["pages"]:
        b = old.pop(p["label"], None)
        if b is None:
            lines.append(f"| {p['label']} | - | {p['ratio']:.1f} | new | - | {p['queries']} |")
            continue
        change = (p["ratio"] - b["ratio"]) / b["ratio"] * 100 if b["ratio"] else 0.0
        lines.append(
            f"| {p['label']} | {b['ratio']:.1f} | {p['ratio']:.1f} | {change:+.0f}% "
            f"| {b['queries']} | {p['queries']} |"
        )
    for label, b in old.items():
        lines.append(f"| {label} | {b['ratio']:.1f} | - | gone | {b['queries']} | - |")
    return "\n".join(lines) + "\n"
