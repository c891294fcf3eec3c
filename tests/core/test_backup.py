"""Backup and restore: a round trip keeps every row and file; damage is refused."""

from __future__ import annotations

import json
import tarfile

import pytest
from django.core import serializers
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from lift.core.backup import BackupError, _models, backup_create, backup_restore, backup_verify
from lift.core.models import Agency, ChangeLog, Partnership

pytestmark = pytest.mark.django_db(transaction=True)


def _snapshot() -> dict[str, list]:
    out = {}
    for model in _models():
        rows = model._base_manager.order_by("pk")
        text = serializers.serialize("json", rows, use_natural_foreign_keys=True)
        out[model._meta.label_lower] = json.loads(text)
    return out


def _flush() -> None:
    """Empty the database and migrate it, as the restore procedure asks for."""
    call_command("flush", "--noinput", verbosity=0, inhibit_post_migrate=True)
    call_command("migrate", verbosity=0)


def _data(agency, business_unit):
    import io

    from pypdf import PdfWriter

    from lift.core.files import attachment_create

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)  # a whole PDF: uploads are parsed, not only sniffed
    pdf = SimpleUploadedFile("report.pdf", buffer.getvalue())
    attachment_create(
        subject=agency, uploaded_file=pdf, uploaded_by=business_unit, description="A file"
    )


def test_round_trip_keeps_every_row_and_file(tmp_path, agency, business_unit):
    _data(agency, business_unit)
    before = _snapshot()
    from lift.core.models import Attachment

    att = Attachment.objects.get()
    content = att.file.read()
    path = tmp_path / "lift.tar.gz"
    manifest = backup_create(path)
    assert manifest["rows"]["core.agency"] == Agency.objects.count()
    _flush()
    assert not Partnership.objects.exists()
    backup_restore(path)
    assert _snapshot() == before
    restored = Attachment.objects.get()
    assert restored.file.read() == content
    assert ChangeLog.objects.count() == len(before["core.changelog"])


def test_damaged_backup_is_refused(tmp_path, agency):
    path = tmp_path / "lift.tar.gz"
    backup_create(path)
    damaged = tmp_path / "damaged.tar.gz"
    with tarfile.open(path, "r:gz") as src, tarfile.open(damaged, "w:gz") as dst:
        for member in src.getmembers():
            data = src.extractfile(member).read()
            if member.name == "data.json":
                data = data.replace(b"Harrowmere", b"Hacked")
            member.size = len(data)
            import io

            dst.addfile(member, io.BytesIO(data))
    with pytest.raises(BackupError, match="Checksum mismatch"):
        backup_verify(damaged)


def test_restore_refuses_a_database_with_data(tmp_path, agency):
    path = tmp_path / "lift.tar.gz"
    backup_create(path)
    with pytest.raises(BackupError, match="not empty"):
        backup_restore(path)


def test_commands(tmp_path, agency):
    path = tmp_path / "b.tar.gz"
    call_command("backup", str(path), verbosity=0)
    call_command("restore", str(path), "--verify", verbosity=0)
    with pytest.raises(CommandError):
        call_command("restore", str(tmp_path / "missing.tar.gz"))


def test_history_is_append_only_in_the_database(agency):
    from django.db import DatabaseError, connection

    if connection.vendor != "postgresql":
        pytest.skip("The append-only trigger is PostgreSQL's (SQLite relies on the ORM guard).")
    with pytest.raises(DatabaseError, match="append-only"), connection.cursor() as cursor:
        cursor.execute("UPDATE core_changelog SET reason = 'tampered'")
    with pytest.raises(DatabaseError, match="append-only"), connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_changelog")
