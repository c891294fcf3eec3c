"""`lift bench`: measure the key pages against the configured database's bench data."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = (
        "Time the key pages (median, 95th percentile, queries) as ratios to a floor page, "
        "write Markdown and JSON under var/bench/, and name the pages that miss the targets. "
        "With --compare A.json B.json, print the change between two runs instead."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--repeats", type=int, default=20)
        parser.add_argument("--warmups", type=int, default=2)
        parser.add_argument("--scale", default="", help="Label for the results (guessed).")
        parser.add_argument("--only", default="", help="Only pages whose label contains this.")
        parser.add_argument("--no-documents", action="store_true", help="Skip document builds.")
        parser.add_argument("--output", default="", help="Folder for results (var/bench/).")
        parser.add_argument(
            "--fail-on-miss", action="store_true", help="Exit 1 if a page misses a target."
        )
        parser.add_argument(
            "--fail-on-error",
            action="store_true",
            help="Exit 1 if a page does not answer 200 or a document fails to build (CI smoke).",
        )
        parser.add_argument("--compare", nargs=2, metavar=("BEFORE", "AFTER"))
        parser.add_argument(
            "--profile",
            action="store_true",
            help="Show where the time goes for every page (by default only for pages that miss).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from lift.core.bench import runner

        if options["compare"]:
            before, after = (Path(p) for p in options["compare"])
            try:
                self.stdout.write(
                    runner.compare(json.loads(before.read_text()), json.loads(after.read_text()))
                )
            except (OSError, ValueError, KeyError) as exc:
                raise CommandError(f"Cannot compare: {exc}") from exc
            return
        try:
            result = runner.run(
                repeats=options["repeats"],
                warmups=options["warmups"],
                scale=options["scale"],
                documents=not options["no_documents"],
                only=options["only"],
                profile_all=options["profile"],
                out=lambda line: self.stdout.write(line),
            )
        except RuntimeError as exc:
            raise CommandError(str(exc)) from exc
        folder = Path(options["output"]) if options["output"] else None
        json_path, md_path = runner.write(result, folder)
        self.stdout.write("")
        self.stdout.write(runner.markdown(result))
        self.stdout.write(f"Written: {json_path} and {md_path} (and latest.json, latest.md).")
        broken = runner.errors(result)
        for line in broken:
            self.stdout.write(self.style.ERROR(f"  ! {line}"))
        if broken and options["fail_on_error"]:
            raise CommandError(f"{len(broken)} page(s) or document(s) failed.")
        missed = runner.misses(result)
        if missed:
            self.stdout.write(self.style.WARNING(f"{len(missed)} page(s) miss the targets:"))
            for p in missed:
                self.stdout.write(f"  - {p.label}: {'; '.join(p.misses)}")
                if p.profile:
                    total = p.profile["total_ms"]
                    self.stdout.write(f"    {total:.0f} ms in the profiled request:")
                    self.stdout.write(
                        f"    queries {p.profile['queries_ms']:.0f} ms ({p.profile['queries']}), "
                        f"templates {p.profile['templates_ms']:.0f} ms, "
                        f"Python {p.profile['python_ms']:.0f} ms"
                    )
                    if p.profile["slowest_query"]:
                        self.stdout.write(
                            f"    slowest query {p.profile['slowest_query_ms']:.1f} ms: "
                            f"{p.profile['slowest_query']}"
                        )
                    for spot in p.profile["hot_spots"]:
                        self.stdout.write(f"    hot spot: {spot}")
            if options["fail_on_miss"]:
                raise CommandError("Pages miss the targets.")
        else:
            self.stdout.write(self.style.SUCCESS("Every page meets the targets."))
