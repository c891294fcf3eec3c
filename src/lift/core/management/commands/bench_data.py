"""`lift bench-data`: fill the configured database with reproducible synthetic data."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = (
        "Generate reproducible FICTIONAL data for the benchmark through bulk inserts (no "
        "change history). Run it on an empty, migrated database made for benchmarking, "
        "never on a live one."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        from lift.core.bench.data import SCALES

        parser.add_argument("--scale", choices=sorted(SCALES), default="partnership")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--only",
            action="append",
            default=[],
            help="Run only this generator (besides core); repeat for more.",
        )
        parser.add_argument(
            "--add",
            action="append",
            default=[],
            metavar="GENERATOR",
            help="Add this area's data to a database that already holds bench data (from a "
            "run before the area had a generator); repeat for more. Same --scale and --seed.",
        )
        parser.add_argument(
            "--jobs",
            type=int,
            default=None,
            help="Processes for the area generators (PostgreSQL only; default: up to 2, one "
            "per core). 1 runs everything in this process.",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing (successfully) if bench data is already there.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from lift.core.bench import areas, bulkload  # noqa: F401  (areas registers generators)
        from lift.core.bench.data import add, already_generated, default_jobs, generate

        jobs = options["jobs"] if options["jobs"] is not None else default_jobs()
        if jobs < 1:
            raise CommandError("--jobs must be 1 or more.")
        if bulkload.available():  # an interrupted run's indexes and foreign keys
            bulkload.restore(lambda line: self.stdout.write(line))

        if options["add"]:
            if not already_generated():
                raise CommandError("No bench data here to add to: run without --add first.")
            try:
                ctx = add(
                    options["add"],
                    scale=options["scale"],
                    seed=options["seed"],
                    out=lambda line: self.stdout.write(line),
                    jobs=jobs,
                )
            except (ValueError, RuntimeError) as exc:
                raise CommandError(str(exc)) from exc
            self._summary(ctx)
            return
        if already_generated():
            if options["if_empty"]:
                self.stdout.write("Bench data is already there: nothing to do.")
                return
            raise CommandError(
                "This database already holds bench data (Bench Partnership 001). "
                "Use a fresh database, or --if-empty to keep it."
            )
        ctx = generate(
            scale=options["scale"],
            seed=options["seed"],
            only=options["only"],
            out=lambda line: self.stdout.write(line),
            jobs=jobs,
        )
        self._summary(ctx)

    def _summary(self, ctx: Any) -> None:
        self.stdout.write("Rows inserted:")
        for label, count in sorted(ctx.counts.items()):
            self.stdout.write(f"  {label:40} {count:>10,}")
        for name, why in ctx.skipped.items():
            self.stdout.write(self.style.WARNING(f"Skipped {name}: {why}"))
        self.stdout.write(
            "Sign in as bench-bu@bench.example (and bench-chair, -board, -lead, -auditor, "
            "-trainer, -learner, -cdop) with the bench password in docs/performance.md."
        )
