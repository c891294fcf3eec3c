"""Export one partnership's data as documented JSON, for migration to another system.

The file is one JSON object:

    {"manifest": {"format": "lift-partnership-export", "version": 1, "partnership": {...},
                  "exported_at": ISO time, "include_restricted": bool,
                  "models": {"app.Model": {"count": n, "sha256": hex}, ...},
                  "excluded": {"app.Model": reason, ...}},
     "data": {"app.Model": [{"pk": ..., "fields": {...}}, ...], ...}}

`data` holds every row of every model with a `partnership` foreign key, filtered to that
partnership; the partnership itself; the people who hold a role in it (profile fields only:
never password hashes, tokens or MFA secrets); and their role assignments. Rows are in
Django's serialisation shape (foreign keys as primary keys), ordered by primary key. Models
that hold restricted child identifiers (those declaring `history_restricted`) are left out
unless `include_restricted=True`, and without it the restricted fields' values in the change
history are replaced by "[restricted]". Each model's `sha256` is over its rows' canonical JSON
so a receiving system can check what it loaded.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.apps import apps
from django.core import serializers
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone

from .models import Partnership, Person

FORMAT = "lift-partnership-export"
VERSION = 1
PERSON_FIELDS = (
    "email",
    "full_name",
    "job_title",
    "phone",
    "agency",
    "line_manager",
    "is_active",
    "date_joined",
)
REDACTED = "[restricted]"


def _partnership_fk(model: type[models.Model]) -> bool:
    try:
        field = model._meta.get_field("partnership")
    except Exception:
        return False
    related = getattr(field, "related_model", None)
    return bool(getattr(field, "many_to_one", False)) and related is Partnership


def is_restricted_model(model: type[models.Model]) -> bool:
    """A model holding restricted child identifiers."""
    return bool(getattr(model, "history_restricted", frozenset()))


def _rows(queryset: models.QuerySet[Any], fields: tuple[str, ...] | None = None) -> list[Any]:
    kwargs: dict[str, Any] = {"fields": fields} if fields else {}
    rows = serializers.serialize("python", queryset.order_by("pk"), **kwargs)
    for row in rows:
        row.pop("model", None)
    return rows


def _redact_history(rows: list[dict[str, Any]]) -> None:
    for row in rows:
        fields = row["fields"]
        hidden = set(fields.get("restricted_fields") or [])
        changes = fields.get("changes")
        if hidden and isinstance(changes, dict):
            fields["changes"] = {k: (REDACTED if k in hidden else v) for k, v in changes.items()}


def partnership_export(
    *, partnership: Partnership, include_restricted: bool = False
) -> dict[str, Any]:
    """The whole export as a JSON-ready dict (see the module docstring for its shape)."""
    data: dict[str, list[Any]] = {}
    excluded: dict[str, str] = {}
    data["core.Partnership"] = _rows(Partnership.objects.filter(pk=partnership.pk))
    people = Person.objects.filter(role_assignments__partnership=partnership).distinct()
    data["core.Person"] = _rows(people, PERSON_FIELDS)
    for model in sorted(apps.get_models(), key=lambda m: m._meta.label):
        label = model._meta.label
        if not _partnership_fk(model):
            continue
        if is_restricted_model(model) and not include_restricted:
            excluded[label] = "restricted child identifiers (use --include-restricted)"
            continue
        rows = _rows(model._base_manager.filter(partnership=partnership))
        if label == "core.ChangeLog" and not include_restricted:
            _redact_history(rows)
        data[label] = rows
    encoded = {
        label: json.dumps(rows, cls=DjangoJSONEncoder, sort_keys=True).encode()
        for label, rows in data.items()
    }
    manifest = {
        "format": FORMAT,
        "version": VERSION,
        "partnership": {"pk": partnership.pk, "slug": partnership.slug, "name": partnership.name},
        "exported_at": timezone.now().isoformat(),
        "include_restricted": include_restricted,
        "models": {
            label: {"count": len(data[label]), "sha256": hashlib.sha256(blob).hexdigest()}
            for label, blob in encoded.items()
        },
        "excluded": excluded,
    }
    return {"manifest": manifest, "data": data}


def partnership_export_write(
    *, partnership: Partnership, path: str, include_restricted: bool = False
) -> dict[str, Any]:
    """Write the export to `path` (created with owner-only permissions); return the manifest."""
    import os

    export = partnership_export(partnership=partnership, include_restricted=include_restricted)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(export, handle, cls=DjangoJSONEncoder, sort_keys=True, indent=1)
    manifest: dict[str, Any] = export["manifest"]
    return manifest


def partnership_export_store(
    *, partnership: Partnership, name: str, include_restricted: bool = False
) -> tuple[str, dict[str, Any]]:
    """Write the export into the configured storage (the object store, when LIFT uses one)
    under `name` (a suffix is added if the name is taken); return that name and the
    manifest. The store's objects are private: nothing serves them but LIFT."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    export = partnership_export(partnership=partnership, include_restricted=include_restricted)
    body = json.dumps(export, cls=DjangoJSONEncoder, sort_keys=True, indent=1).encode()
    saved = default_storage.save(name, ContentFile(body, name=name))
    manifest: dict[str, Any] = export["manifest"]
    return saved, manifest
