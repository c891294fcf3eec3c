"""`lift restore PATH`: restore a backup into an empty, migrated database."""

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
        parser.add_argument("path", type=Path)
        parser.add_argument("--verify", action="store_true", help="Only check the backup.")

    def handle(self, *args: Any, path: Path, verify: bool, **options: Any) -> None:
        from lift.core.backup import BackupError, backup_restore, backup_verify

        try:
            manifest = backup_verify(path) if verify else backup_restore(path)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(manifest["rows"].values())
        verb = "Checked" if verify else "Restored"
        self.stdout.write(
            self.style.SUCCESS(f"{verb} {rows} rows from {path} ({manifest['created_at']}).")
        )
