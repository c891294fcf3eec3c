"""`lift retention [--dry-run]`: apply every record type's retention rule and print counts."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = (
        "Apply each record type's retention rule (see docs/operations.md; override with the "
        "LIFT_RETENTION setting). --dry-run only counts."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Count, change nothing.")

    def handle(self, *args: Any, **options: Any) -> None:
        from lift.core.retention import KEPT, retention_apply

        dry_run = bool(options["dry_run"])
        verb = "would " if dry_run else ""
        for result in retention_apply(dry_run=dry_run):
            rule = result.rule
            if result.cutoff is None:
                self.stdout.write(f"{rule.label}: rule switched off.")
                continue
            done = "delete" if rule.action == "delete" else "anonymise"
            past = done + ("" if dry_run else "d")
            self.stdout.write(
                f"{rule.label}: {verb}{past} {result.count} "
                f"({rule.field} before {result.cutoff.date().isoformat()}, {rule.years} years)."
            )
        for label, reason in KEPT.items():
            self.stdout.write(f"{label}: {reason}")
        if dry_run:
            self.stdout.write("Dry run: nothing was changed.")
