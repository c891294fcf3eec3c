"""Sub-group responsibilities (reference/governance/responsibilities.yaml), validated on start-up.

A group names a responsibility set; each year it reports a status against every item of it.
Reports keep the item's stable code, so the wording can be revised without losing history.
"""

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

FILE = "governance/responsibilities.yaml"


@dataclass(frozen=True)
class Responsibility:
    code: str
    number: str
    text: str
    retired: bool
    urn: str = ""


@dataclass(frozen=True)
class ResponsibilitySet:
    code: str
    name: str
    source: str
    items: tuple[Responsibility, ...]

    def item(self, code: str) -> Responsibility | None:
        return next((i for i in self.items if i.code == code), None)

    def current(self) -> tuple[Responsibility, ...]:
        return tuple(i for i in self.items if not i.retired)


@dataclass(frozen=True)
class Catalogue:
    urn: str
    version: int
    name: str
    sets: tuple[ResponsibilitySet, ...]

    def get(self, code: str) -> ResponsibilitySet | None:
        return next((s for s in self.sets if s.code == code), None)

    def choices(self) -> list[tuple[str, str]]:
        return [(s.code, s.name) for s in self.sets]


def _item(value: Any, where: str) -> Responsibility:
    data = _mapping(
        value,
        where,
        {"code": _identifier, "number": _str, "text": _str},
        {"retired": _bool},
    )
    return Responsibility(data["code"], data["number"], data["text"], data.get("retired", False))


def _set(value: Any, where: str) -> ResponsibilitySet:
    data = _mapping(
        value,
        where,
        {"code": _identifier, "name": _str, "items": _list_of(_item, unique=("code",))},
        {"source": _text},
    )
    return ResponsibilitySet(data["code"], data["name"], data.get("source", ""), data["items"])


def parse(path: Path) -> Catalogue:
    shown = f"reference/{FILE}"
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
                "sets": _list_of(_set, unique=("code",)),
            },
        )
    except _Invalid as exc:
        raise ImproperlyConfigured(f"{shown}: {exc}") from None
    seen: dict[str, str] = {}
    sets = []
    for s in data["sets"]:
        items = []
        for item in s.items:
            if item.code in seen:
                raise ImproperlyConfigured(
                    f"{shown}: item code {item.code!r} is used in both {seen[item.code]!r} "
                    f"and {s.code!r}"
                )
            seen[item.code] = s.code
            items.append(
                Responsibility(
                    item.code, item.number, item.text, item.retired, f"{data['urn']}:{item.code}"
                )
            )
        sets.append(ResponsibilitySet(s.code, s.name, s.source, tuple(items)))
    return Catalogue(data["urn"], data["version"], data["name"], tuple(sets))


@cache
def catalogue() -> Catalogue:
    return parse(Path(settings.REFERENCE_DIR) / FILE)


def responsibility(code: str) -> Responsibility | None:
    for s in catalogue().sets:
        found = s.item(code)
        if found is not None:
            return found
    return None
