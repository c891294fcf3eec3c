"""`lift load_frameworks`: validate and load Section 11 framework files.

Without arguments, loads every file in reference/section11/ as a shared framework (as the
post_migrate sync does). `--file PATH --partnership SLUG` loads one file as a partnership's
own variant (another area's tool, a schools or voluntary-sector form). `--check` only
validates. A malformed or older-version file is refused with a message naming it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError, CommandParser

from lift.core import history
from lift.core.models import ChangeLog, Partnership

from ...frameworks import check_all, framework_load, parse, shared_files


class Command(BaseCommand):
    help = "Validate and load Section 11 standards frameworks (reference/section11/*.yaml)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--file", help="Load this framework file instead of the shared ones.")
        parser.add_argument("--partnership", help="Slug of the partnership that owns --file.")
        parser.add_argument("--check", action="store_true", help="Validate only; load nothing.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            parsed_list = [parse(Path(options["file"]))] if options["file"] else check_all()
            if options["check"]:
                for parsed in parsed_list:
                    self.stdout.write(
                        f"{parsed.shown}: {parsed.name} version {parsed.version}, "
                        f"{len(parsed.standards)} standards, {parsed.requirement_count} "
                        "requirements"
                    )
                self.stdout.write(self.style.SUCCESS("The framework files are valid."))
                return
            partnership = None
            if options["partnership"]:
                partnership = Partnership.objects.filter(slug=options["partnership"]).first()
                if partnership is None:
                    raise CommandError(f"No partnership with slug {options['partnership']!r}.")
            elif options["file"] and Path(options["file"]).resolve().parent != (
                shared_files()[0].parent.resolve() if shared_files() else None
            ):
                raise CommandError("Give --partnership for a file outside reference/section11/.")
            with history.acting(source=ChangeLog.Source.COMMAND, reason="lift load_frameworks"):
                for parsed in parsed_list:
                    framework, created = framework_load(parsed=parsed, partnership=partnership)
                    verb = "Loaded" if created else "Unchanged"
                    self.stdout.write(f"{verb}: {framework} from {parsed.shown}")
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from exc
