"""`lift export_partnership SLUG PATH [--include-restricted]`: one partnership's data as JSON."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = (
        "Export one partnership's data (every partnership-scoped record, its people and roles) "
        "as documented JSON with a manifest, for migration. Restricted child identifiers are "
        "left out unless --include-restricted is given."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug", help="The partnership's slug.")
        parser.add_argument("path", help="The JSON file to write (with --storage: its name there).")
        parser.add_argument(
            "--storage",
            action="store_true",
            help="Write the export into LIFT's file storage (the object store, if configured).",
        )
        parser.add_argument(
            "--include-restricted",
            action="store_true",
            help="Also export restricted records (child identifiers). Handle the file accordingly.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from lift.core.models import Partnership
        from lift.core.portability import partnership_export_store, partnership_export_write
        from lift.core.storage import is_unavailable

        partnership = Partnership.objects.filter(slug=options["slug"]).first()
        if partnership is None:
            raise CommandError(f"No partnership with the slug {options['slug']!r}.")
        include = bool(options["include_restricted"])
        where = options["path"]
        if options["storage"]:
            try:
                saved, manifest = partnership_export_store(
                    partnership=partnership, name=where, include_restricted=include
                )
            except Exception as exc:
                if is_unavailable(exc):
                    raise CommandError(f"The file store could not be reached: {exc}") from exc
                raise
            where = f"{saved} in the file storage"
        else:
            manifest = partnership_export_write(
                partnership=partnership, path=where, include_restricted=include
            )
        total = sum(m["count"] for m in manifest["models"].values())
        self.stdout.write(
            f"Exported {total} records of {len(manifest['models'])} types for "
            f"{partnership.name} to {where}."
        )
        for label, reason in manifest["excluded"].items():
            self.stdout.write(f"Left out {label}: {reason}.")
