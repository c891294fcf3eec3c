"""Backups of the whole database and stored files, with a manifest of checksums.

A backup is one .tar.gz holding `data.json` (every row, Django's serialisation),
`files/...` (every stored file) and `manifest.json` (format version, when, Django and LIFT
versions, the row count per model and the SHA-256 of every member). `restore` checks every
checksum before it changes anything and loads into an empty, migrated database.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import io
import json
import tarfile
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from django.apps import apps
from django.core import serializers
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection, transaction
from django.dispatch import Signal

import lift

FORMAT = 1
# Tables that hold nothing worth restoring (sessions, login attempts, the task queue).
SKIP = {
    "sessions.session",
    "axes.accessattempt",
    "axes.accesslog",
    "axes.accessfailurelog",
    "django_tasks_db.dbtaskresult",
    "contenttypes.contenttype",
    "auth.permission",
    "admin.logentry",
}


class BackupError(Exception):
    pass


# Sent once a restore has loaded every row and file, for what is built from the rows rather
# than kept (the search index: its rows were loaded raw, without the signals that index).
restored = Signal()


def _models() -> list[Any]:
    """Every model worth keeping, people before the rows that name them by natural key."""
    wanted = [
        m
        for m in apps.get_models()
        if m._meta.label_lower not in SKIP and m._meta.managed and not m._meta.proxy
    ]
    by_app: dict[Any, list[Any]] = {}
    for model in wanted:
        by_app.setdefault(model._meta.app_config, []).append(model)
    ordered = serializers.sort_dependencies(by_app.items(), allow_cycles=True)
    # The history goes last: everything it names exists by then, so no row of it needs a
    # second write (which the append-only trigger would refuse).
    last = {"core.changelog", "core.accesslog"}
    return [m for m in ordered if m._meta.label_lower not in last] + [
        m for m in ordered if m._meta.label_lower in last
    ]


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _file_fields(model: Any) -> list[str]:
    from django.db.models import FileField

    return [f.name for f in model._meta.concrete_fields if isinstance(f, FileField)]


def stored_files() -> list[str]:
    names: set[str] = set()
    for model in _models():
        for field in _file_fields(model):
            for name in model._base_manager.exclude(**{field: ""}).values_list(field, flat=True):
                if name:
                    names.add(name)
    return sorted(names)


def backup_create(path: Path) -> dict[str, Any]:
    """Write a backup to `path`; returns the manifest."""
    manifest, members = _collect()
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as out:
        _write(out, manifest, members)
    return manifest


def backup_store(name: str) -> tuple[str, dict[str, Any]]:
    """Write a backup into the configured storage (the object store, when LIFT uses one)
    under `name` (a suffix is added if the name is taken); returns the name it was saved
    under and the manifest."""
    from django.core.files import File

    manifest, members = _collect()
    with tempfile.TemporaryFile() as out:
        _write(out, manifest, members)
        out.seek(0)
        saved = default_storage.save(name, File(out, name=name))
    return saved, manifest


def _collect() -> tuple[dict[str, Any], dict[str, bytes]]:
    """The manifest and the archive's other members (data.json and files/...)."""
    models = _models()
    stream = io.StringIO()
    serializers.serialize(
        "json",
        (obj for model in models for obj in model._base_manager.order_by("pk").iterator()),
        stream=stream,
        use_natural_foreign_keys=True,
        use_natural_primary_keys=False,
    )
    data = stream.getvalue().encode()
    members: dict[str, str] = {"data.json": _sha(data)}
    counts = {m._meta.label_lower: m._base_manager.count() for m in models}
    files: dict[str, bytes] = {}
    for name in stored_files():
        if default_storage.exists(name):
            with default_storage.open(name, "rb") as handle:
                files[name] = handle.read()
            members[f"files/{name}"] = _sha(files[name])
    manifest = {
        "format": FORMAT,
        "created_at": dt.datetime.now(dt.UTC).isoformat(),
        "lift_version": lift.__version__,
        "database": connection.vendor,
        "rows": counts,
        "members": members,
    }
    return manifest, {"data.json": data, **{f"files/{n}": c for n, c in files.items()}}


def _write(out: IO[bytes], manifest: dict[str, Any], members: dict[str, bytes]) -> None:
    with tarfile.open(fileobj=out, mode="w:gz") as tar:
        _add(tar, "manifest.json", json.dumps(manifest, indent=2, sort_keys=True).encode())
        for name, content in members.items():
            _add(tar, name, content)


def _add(tar: tarfile.TarFile, name: str, content: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(content)
    info.mtime = int(dt.datetime.now(dt.UTC).timestamp())
    tar.addfile(info, io.BytesIO(content))


@contextlib.contextmanager
def _source(path: Path | str, from_storage: bool) -> Iterator[IO[bytes]]:
    """The archive: a local file, or a file in the configured storage."""
    if not from_storage:
        with open(path, "rb") as f:
            yield f
        return
    from .storage import is_unavailable

    try:
        handle = default_storage.open(str(path), "rb")
    except Exception as exc:
        if is_unavailable(exc):
            raise BackupError(f"The file store could not be reached to read {path}: {exc}") from exc
        raise BackupError(f"{path} is not in the file store.") from exc
    with handle:
        yield handle


def _read_backup(
    path: Path | str, *, from_storage: bool = False
) -> tuple[dict[str, Any], dict[str, bytes]]:
    contents: dict[str, bytes] = {}
    try:
        with _source(path, from_storage) as f, tarfile.open(fileobj=f, mode="r:gz") as tar:
            for member in tar.getmembers():
                if (
                    not member.isfile()
                    or member.name.startswith("/")
                    or ".." in member.name.split("/")
                ):
                    raise BackupError(f"Unsafe member in backup: {member.name!r}")
                handle = tar.extractfile(member)
                contents[member.name] = handle.read() if handle else b""
    except (tarfile.TarError, OSError) as exc:
        raise BackupError(f"{path} is not a readable LIFT backup: {exc}") from exc
    if "manifest.json" not in contents:
        raise BackupError(f"{path} has no manifest.json: not a LIFT backup.")
    manifest = json.loads(contents.pop("manifest.json"))
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Backup format {manifest.get('format')} is not supported.")
    expected = manifest["members"]
    if set(expected) != set(contents):
        missing = sorted(set(expected) - set(contents))
        extra = sorted(set(contents) - set(expected))
        raise BackupError(
            f"Backup members differ from the manifest (missing {missing}, extra {extra})."
        )
    for name, digest in expected.items():
        if _sha(contents[name]) != digest:
            raise BackupError(f"Checksum mismatch for {name}: the backup is damaged.")
    return manifest, contents


def backup_verify(path: Path | str, *, from_storage: bool = False) -> dict[str, Any]:
    manifest, _contents = _read_backup(path, from_storage=from_storage)
    return manifest


def backup_restore(path: Path | str, *, from_storage: bool = False) -> dict[str, Any]:
    """Restore into an empty, migrated database. Refuses a database that has partnerships.
    With `from_storage`, `path` names the archive in the configured storage."""
    from .models import ChangeLog, Partnership

    manifest, contents = _read_backup(path, from_storage=from_storage)
    if Partnership.objects.exists() or ChangeLog.objects.exists():
        raise BackupError("The database is not empty: restore into a freshly migrated database.")
    from . import history

    history.suppress_during_migrate(True)
    try:
        _load(contents)
    finally:
        history.suppress_during_migrate(False)
    _restore_files(contents)
    from django.core.cache import cache

    cache.clear()  # drawings cached for the database this one replaces
    counts = {m._meta.label_lower: m._base_manager.count() for m in _models()}
    differing = {k: (v, counts.get(k)) for k, v in manifest["rows"].items() if counts.get(k) != v}
    if differing:
        raise BackupError(f"Row counts after restore differ from the backup: {differing}")
    restored.send(sender=backup_restore, manifest=manifest)
    return manifest


def _load(contents: dict[str, bytes]) -> None:
    """Replace the reference rows `migrate` made with the backup's, then load every row."""
    from django.contrib.contenttypes.models import ContentType

    # Content types are named by natural key in the backup; the manager's cache may hold
    # ids from before the database was emptied and migrated.
    ContentType.objects.clear_cache()
    with transaction.atomic():
        for model in reversed(_models()):
            if model._meta.label_lower not in {"core.changelog", "core.accesslog"}:
                model._base_manager.all().delete()
        fixture = io.StringIO(contents["data.json"].decode())
        # As loaddata does: rows may name rows that come later (an agency's lead is a person
        # who works for an agency), so constraints are checked once everything is in.
        with connection.constraint_checks_disabled():
            deferred = []
            for obj in serializers.deserialize("json", fixture, handle_forward_references=True):
                obj.save()
                if obj.deferred_fields:
                    deferred.append(obj)
            for obj in deferred:
                obj.save_deferred_fields()
        connection.check_constraints()
        _reset_sequences()


def _restore_files(contents: dict[str, bytes]) -> None:
    for name, content in contents.items():
        if name.startswith("files/"):
            stored = name.removeprefix("files/")
            if default_storage.exists(stored):
                default_storage.delete(stored)
            default_storage.save(stored, ContentFile(content))


def _reset_sequences() -> None:
    if connection.vendor != "postgresql":
        return
    out = io.StringIO()
    labels = sorted({m._meta.app_label for m in _models()})
    call_command("sqlsequencereset", *labels, stdout=out, no_color=True)
    with connection.cursor() as cursor:
        cursor.execute(out.getvalue())
