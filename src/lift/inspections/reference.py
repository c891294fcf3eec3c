"""Inspectorates and judgement scales (reference/inspections/inspectorates.yaml)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from lift.core.reference import (
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
class Grade:
    code: str
    label: str


@dataclass(frozen=True)
class Scale:
    code: str
    label: str
    grades: tuple[Grade, ...]


@dataclass(frozen=True)
class Inspectorate:
    code: str
    label: str
    description: str
    scale: str
    areas: tuple[str, ...]


@dataclass(frozen=True)
class InspectionReference:
    version: int
    inspectorates: tuple[Inspectorate, ...]
    scales: tuple[Scale, ...]

    def inspectorate(self, code: str) -> Inspectorate | None:
        return next((i for i in self.inspectorates if i.code == code), None)

    def scale_for(self, inspectorate: str) -> Scale | None:
        found = self.inspectorate(inspectorate)
        if found is None:
            return None
        return next((s for s in self.scales if s.code == found.scale), None)

    def choices(self) -> list[tuple[str, str]]:
        return [(i.code, i.label) for i in self.inspectorates]


def _grade(value: Any, where: str) -> Grade:
    d = _mapping(value, where, {"code": _identifier, "label": _str})
    return Grade(d["code"], d["label"])


def _scale(value: Any, where: str) -> Scale:
    d = _mapping(
        value,
        where,
        {"code": _identifier, "label": _str, "grades": _list_of(_grade, unique=("code",))},
    )
    return Scale(d["code"], d["label"], d["grades"])


def _areas(value: Any, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not value:
        raise _Invalid(f"{where} must be a non-empty list")
    return tuple(_str(v, f"{where}[{i}]") for i, v in enumerate(value))


def _inspectorate(value: Any, where: str) -> Inspectorate:
    d = _mapping(
        value,
        where,
        {"code": _identifier, "label": _str, "scale": _identifier, "areas": _areas},
        {"description": _text},
    )
    return Inspectorate(d["code"], d["label"], d.get("description", ""), d["scale"], d["areas"])


def parse(path: Path) -> InspectionReference:
    shown = f"reference/inspections/{path.name}"
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ImproperlyConfigured(f"{shown}: is not valid YAML ({exc})") from None
    except OSError as exc:
        raise ImproperlyConfigured(f"{shown}: cannot be read ({exc.strerror})") from None
    try:
        d = _mapping(
            raw,
            "",
            {
                "urn": _urn,
                "version": _positive_int,
                "name": _str,
                "inspectorates": _list_of(_inspectorate, unique=("code",)),
                "scales": _list_of(_scale, unique=("code",)),
            },
        )
    except _Invalid as exc:
        raise ImproperlyConfigured(f"{shown}: {exc}") from None
    scales = {s.code for s in d["scales"]}
    for i, insp in enumerate(d["inspectorates"]):
        if insp.scale not in scales:
            raise ImproperlyConfigured(
                f"{shown}: inspectorates[{i}].scale {insp.scale!r} is not a scale"
            )
    return InspectionReference(d["version"], d["inspectorates"], d["scales"])


@cache
def inspection_reference() -> InspectionReference:
    return parse(Path(settings.REFERENCE_DIR) / "inspections" / "inspectorates.yaml")
