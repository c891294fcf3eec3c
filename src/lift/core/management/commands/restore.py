"""`lift restore PATH`: restore a backup into an empty, migrated database.

With `--storage`, PATH is the backup's name in the configured storage (`lift backup
--storage`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = (
        "Check a backup's checksums, then restore it into an empty, migrated database "
        "(run `lift migrate` first). With --verify, only check the backup."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="The backup (with --storage: its name there).")
        parser.add_argument("--verify", action="store_true", help="Only check the backup.")
        parser.add_argument(
            "--storage",
            action="store_true",
            help="Read the backup from LIFT's file storage (the object store, if configured).",
        )

    def handle(self, *args: Any, path: str, verify: bool, storage: bool, **options: Any) -> None:
        from lift.core.backup import BackupError, backup_restore, backup_verify

        source = path if storage else Path(path)
        try:
            if verify:
                manifest = backup_verify(source, from_storage=storage)
            else:
                manifest = backup_restore(source, from_storage=storage)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(manifest["rows"].values())
        verb = "Checked" if verify else "Restored"
        self.stdout.write(
            self.style.SUCCESS(f"{verb} {rows} rows from {path} ({manifest['created_at']}).")
        )
