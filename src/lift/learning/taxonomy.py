"""The shared theme taxonomy (reference/themes.yaml), validated and synced into Theme rows."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from lift.core.reference import (
    _bool,
    _identifier,
    _Invalid,
    _list_of,
    _mapping,
    _positive_int,
    _str,
    _text,
    _urn,
)


@dataclass(frozen=True)
class ThemeEntry:
    code: str
    name: str
    description: str
    retired: bool


@dataclass(frozen=True)
class Taxonomy:
    urn: str
    version: int
    name: str
    themes: tuple[ThemeEntry, ...]


def _theme(value: Any, where: str) -> ThemeEntry:
    data = _mapping(
        value,
        where,
        {"code": _identifier, "name": _str},
        {"description": _text, "retired": _bool},
    )
    return ThemeEntry(
        data["code"], data["name"], data.get("description", ""), data.get("retired", False)
    )


def parse(path: Path) -> Taxonomy:
    shown = f"reference/{path.name}"
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ImproperlyConfigured(f"{shown}: is not valid YAML ({exc})") from None
    except OSError as exc:
        raise ImproperlyConfigured(f"{shown}: cannot be read ({exc.strerror})") from None
    try:
        data = _mapping(
            raw,
            "",
            {
                "urn": _urn,
                "version": _positive_int,
                "name": _str,
                "themes": _list_of(_theme, unique=("code",)),
            },
        )
    except _Invalid as exc:
        raise ImproperlyConfigured(f"{shown}: {exc}") from None
    return Taxonomy(data["urn"], data["version"], data["name"], data["themes"])


@cache
def taxonomy() -> Taxonomy:
    return parse(Path(settings.REFERENCE_DIR) / "themes.yaml")


def sync_themes(**kwargs: Any) -> int:
    """Create or update the shared Theme rows from the file. Returns how many changed."""
    from .models import Theme

    tax = taxonomy()
    existing = {t.code: t for t in Theme.objects.filter(partnership__isnull=True)}
    changed = 0
    for entry in tax.themes:
        urn = f"{tax.urn}:{entry.code}"
        theme = existing.get(entry.code)
        values = {
            "name": entry.name,
            "description": entry.description,
            "urn": urn,
            "version": tax.version,
            "is_active": not entry.retired,
        }
        if theme is None:
            Theme.objects.create(code=entry.code, **values)
            changed += 1
        elif any(getattr(theme, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(theme, k, v)
            theme.save()
            changed += 1
    return changed
