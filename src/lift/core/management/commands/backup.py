"""`lift backup PATH`: the database and stored files in one checksummed archive."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Back up every row and stored file to a .tar.gz with a manifest of checksums."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)

    def handle(self, *args: Any, path: Path, **options: Any) -> None:
        from lift.core.backup import backup_create

        manifest = backup_create(path)
        rows = sum(manifest["rows"].values())
        files = sum(1 for name in manifest["members"] if name.startswith("files/"))
        self.stdout.write(self.style.SUCCESS(f"Backed up {rows} rows and {files} files to {path}."))
