"""CDOP reference data (reference/cdop/*.yaml), validated at start-up.

Categories of death, factor domains and scores, outcomes and recorded factors, joint agency
response criteria, the agency reporting form and the NCMD export field list. A malformed
file stops start-up with ImproperlyConfigured naming the file and the problem.
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


@dataclass(frozen=True)
class Choice:
    code: str
    label: str
    description: str = ""


@dataclass(frozen=True)
class Category(Choice):
    number: int = 0


@dataclass(frozen=True)
class Factor(Choice):
    domain: str = ""


@dataclass(frozen=True)
class Score:
    value: int
    label: str


@dataclass(frozen=True)
class Question:
    code: str
    label: str
    hint: str
    max_length: int


@dataclass(frozen=True)
class Supplementary:
    code: str
    label: str
    questions: tuple[Question, ...]


@dataclass(frozen=True)
class ExportField:
    name: str
    description: str
    restricted: bool


@dataclass(frozen=True)
class CdopReference:
    categories: tuple[Category, ...]
    categories_version: int
    domains: tuple[Choice, ...]
    scores: tuple[Score, ...]
    outcomes: tuple[Choice, ...]
    factors: tuple[Factor, ...]
    factors_version: int
    jar_criteria: tuple[Choice, ...]
    jar_version: int
    questions: tuple[Question, ...]
    supplementary: tuple[Supplementary, ...]
    form_version: int
    export_fields: tuple[ExportField, ...]
    export_format_version: str

    def category(self, code: str) -> Category | None:
        return next((c for c in self.categories if c.code == code), None)

    def label(self, items: tuple[Any, ...], code: str) -> str:
        return next((i.label for i in items if i.code == code), code)

    @property
    def score_values(self) -> tuple[int, ...]:
        return tuple(s.value for s in self.scores)


def _choice(value: Any, where: str) -> Choice:
    d = _mapping(value, where, {"code": _identifier, "label": _str}, {"description": _text})
    return Choice(d["code"], d["label"], d.get("description", ""))


def _category(value: Any, where: str) -> Category:
    d = _mapping(
        value,
        where,
        {"code": _identifier, "number": _positive_int, "label": _str},
        {"description": _text},
    )
    return Category(d["code"], d["label"], d.get("description", ""), d["number"])


def _score(value: Any, where: str) -> Score:
    def _value(v: Any, w: str) -> int:
        if isinstance(v, bool) or not isinstance(v, int) or v < 0:
            raise _Invalid(f"{w} must be a whole number of 0 or more")
        return v

    d = _mapping(value, where, {"value": _value, "label": _str})
    return Score(d["value"], d["label"])


def _factor(value: Any, where: str) -> Factor:
    d = _mapping(
        value,
        where,
        {"code": _identifier, "label": _str, "domain": _identifier},
        {"description": _text},
    )
    return Factor(d["code"], d["label"], d.get("description", ""), d["domain"])


def _question(value: Any, where: str) -> Question:
    d = _mapping(
        value,
        where,
        {"code": _identifier, "label": _str, "max_length": _positive_int},
        {"hint": _text},
    )
    return Question(d["code"], d["label"], d.get("hint", ""), d["max_length"])


def _supplementary(value: Any, where: str) -> Supplementary:
    d = _mapping(
        value,
        where,
        {"code": _identifier, "label": _str, "questions": _list_of(_question, unique=("code",))},
    )
    return Supplementary(d["code"], d["label"], d["questions"])


def _export_field(value: Any, where: str) -> ExportField:
    d = _mapping(value, where, {"name": _identifier, "description": _str}, {"restricted": _bool})
    return ExportField(d["name"], d["description"], d.get("restricted", False))


def _read(path: Path, required: dict[str, Any], optional: dict[str, Any] | None = None) -> Any:
    shown = f"reference/cdop/{path.name}"
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ImproperlyConfigured(f"{shown}: is not valid YAML ({exc})") from None
    except OSError as exc:
        raise ImproperlyConfigured(f"{shown}: cannot be read ({exc.strerror})") from None
    try:
        base = {"urn": _urn, "version": _positive_int, "name": _str}
        return _mapping(raw, "", {**base, **required}, optional or {})
    except _Invalid as exc:
        raise ImproperlyConfigured(f"{shown}: {exc}") from None


def parse(base: Path) -> CdopReference:
    cats = _read(
        base / "categories.yaml", {"categories": _list_of(_category, unique=("code", "number"))}
    )
    facs = _read(
        base / "factors.yaml",
        {
            "domains": _list_of(_choice, unique=("code",)),
            "scores": _list_of(_score, unique=("value",)),
            "outcomes": _list_of(_choice, unique=("code",)),
            "factors": _list_of(_factor, unique=("code",)),
        },
    )
    domain_codes = {d.code for d in facs["domains"]}
    for i, f in enumerate(facs["factors"]):
        if f.domain not in domain_codes:
            raise ImproperlyConfigured(
                f"reference/cdop/factors.yaml: factors[{i}].domain {f.domain!r} is not a domain"
            )
    jar = _read(
        base / "joint-agency-response.yaml", {"criteria": _list_of(_choice, unique=("code",))}
    )
    form = _read(
        base / "reporting-form.yaml",
        {
            "questions": _list_of(_question, unique=("code",)),
            "supplementary": _list_of(_supplementary, unique=("code",)),
        },
    )
    export = _read(
        base / "ncmd-export.yaml",
        {"format_version": _str, "fields": _list_of(_export_field, unique=("name",))},
    )
    return CdopReference(
        categories=cats["categories"],
        categories_version=cats["version"],
        domains=facs["domains"],
        scores=facs["scores"],
        outcomes=facs["outcomes"],
        factors=facs["factors"],
        factors_version=facs["version"],
        jar_criteria=jar["criteria"],
        jar_version=jar["version"],
        questions=form["questions"],
        supplementary=form["supplementary"],
        form_version=form["version"],
        export_fields=export["fields"],
        export_format_version=export["format_version"],
    )


@cache
def cdop_reference() -> CdopReference:
    return parse(Path(settings.REFERENCE_DIR) / "cdop")
