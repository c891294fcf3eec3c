"""`lift backup PATH`: the database and stored files in one checksummed archive.

With `--storage`, PATH is a name in the configured storage (the object store, when LIFT
uses one), e.g. `lift backup --storage backups/lift-2026-12-07.tar.gz`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "Back up every row and stored file to a .tar.gz with a manifest of checksums."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="The file to write (with --storage: its name there).")
        parser.add_argument(
            "--storage",
            action="store_true",
            help="Write the backup into LIFT's file storage (the object store, if configured).",
        )

    def handle(self, *args: Any, path: str, storage: bool, **options: Any) -> None:
        from lift.core.backup import backup_create, backup_store
        from lift.core.storage import is_unavailable

        if storage:
            try:
                where, manifest = backup_store(path)
            except Exception as exc:
                if is_unavailable(exc):
                    raise CommandError(f"The file store could not be reached: {exc}") from exc
                raise
            where = f"{where} in the file storage"
        else:
            manifest = backup_create(Path(path))
            where = path
        rows = sum(manifest["rows"].values())
        files = sum(1 for name in manifest["members"] if name.startswith("files/"))
        self.stdout.write(
            self.style.SUCCESS(f"Backed up {rows} rows and {files} files to {where}.")
        )
