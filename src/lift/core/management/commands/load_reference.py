"""`lift load_reference`: validate the reference files and list the regimes and deadlines."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError, CommandParser

from lift.core.reference import load_regimes


class Command(BaseCommand):
    help = "Check the reference YAML files (reference/) and list each regime's deadlines."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dir",
            default=str(settings.REFERENCE_DIR),
            help="The reference directory to check (default: settings.REFERENCE_DIR).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            found = load_regimes(Path(options["dir"]))
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from exc
        for reg in found.values():
            self.stdout.write(f"{reg.id} (version {reg.version}): {reg.name}")
            for rule in reg.deadlines.values():
                check = "  (check)" if rule.check else ""
                when = "before" if rule.kind == "notice" else "from"
                self.stdout.write(
                    f"  {rule.key}: {rule.period} {when} event '{rule.start_event.label}'{check}"
                )
        self.stdout.write(self.style.SUCCESS("The reference files are valid."))
