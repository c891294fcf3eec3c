"""Reference data for reviews (reference/reviews/*.yaml), loaded by a validating importer.

- `criteria.yaml`: per regime, the serious incident checklist (stage `notification`) and the
  criteria the decision-maker gives reasons against (stage `review`), with the combinations
  that make an incident notifiable or point to a statutory review;
- `publication.yaml`: the questions considered before publishing (seed appendix 3);
- `methodologies.yaml`: review methodologies (SCIE systems approach and others);
- `letters.yaml`: default text of the national panel letters and the placeholders allowed.

A malformed file stops start-up with ImproperlyConfigured naming the file and the problem.
"""

from __future__ import annotations

from collections.abc import Mapping
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
    _one_of,
    _positive_int,
    _str,
    _text,
    _urn,
    regimes,
)

STAGES = ("notification", "review")


@dataclass(frozen=True)
class Criterion:
    key: str
    stage: str
    label: str
    description: str = ""


@dataclass(frozen=True)
class RegimeCriteria:
    regime: str
    source: str
    criteria: tuple[Criterion, ...]
    notifiable_when: tuple[tuple[str, ...], ...]
    statutory_review_when: tuple[tuple[str, ...], ...]

    def at(self, stage: str) -> tuple[Criterion, ...]:
        return tuple(c for c in self.criteria if c.stage == stage)

    def keys(self) -> set[str]:
        return {c.key for c in self.criteria}

    def label(self, key: str) -> str:
        for c in self.criteria:
            if c.key == key:
                return c.label
        return key


@dataclass(frozen=True)
class Question:
    key: str
    label: str


@dataclass(frozen=True)
class Methodology:
    key: str
    label: str
    description: str = ""


@dataclass(frozen=True)
class LetterDefault:
    key: str
    name: str
    subject: str
    body: str


@dataclass(frozen=True)
class ReviewsReference:
    criteria: Mapping[str, RegimeCriteria]
    criteria_version: int
    questions: tuple[Question, ...]
    publication_version: int
    methodologies: tuple[Methodology, ...]
    letters: tuple[LetterDefault, ...]
    letters_version: int
    placeholders: Mapping[str, str]

    def for_regime(self, regime: str) -> RegimeCriteria:
        try:
            return self.criteria[regime]
        except KeyError:
            raise ImproperlyConfigured(
                f"reference/reviews/criteria.yaml has no criteria for regime {regime!r}."
            ) from None

    def letter(self, key: str) -> LetterDefault:
        for letter in self.letters:
            if letter.key == key:
                return letter
        raise KeyError(key)

    def methodology_choices(self) -> list[tuple[str, str]]:
        return [(m.key, m.label) for m in self.methodologies]

    def methodology_label(self, key: str) -> str:
        return next((m.label for m in self.methodologies if m.key == key), key)


def _criterion(value: Any, where: str) -> Criterion:
    data = _mapping(
        value,
        where,
        {"key": _identifier, "stage": _one_of(STAGES), "label": _str},
        {"description": _text},
    )
    return Criterion(**data)


def _combination(value: Any, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not value:
        raise _Invalid(f"{where} must be a non-empty list of criterion keys")
    return tuple(_identifier(v, f"{where}[{i}]") for i, v in enumerate(value))


def _regime_criteria(value: Any, where: str) -> RegimeCriteria:
    data = _mapping(
        value,
        where,
        {
            "regime": _identifier,
            "criteria": _list_of(_criterion, unique=("key",)),
            "notifiable_when": _list_of(_combination),
            "statutory_review_when": _list_of(_combination),
        },
        {"source": _text},
    )
    known = {c.key for c in data["criteria"]}
    for field in ("notifiable_when", "statutory_review_when"):
        for i, combo in enumerate(data[field]):
            for key in combo:
                if key not in known:
                    raise _Invalid(f"{where}.{field}[{i}] names unknown criterion {key!r}")
    return RegimeCriteria(
        regime=data["regime"],
        source=data.get("source", ""),
        criteria=data["criteria"],
        notifiable_when=data["notifiable_when"],
        statutory_review_when=data["statutory_review_when"],
    )


def _question(value: Any, where: str) -> Question:
    return Question(**_mapping(value, where, {"key": _identifier, "label": _str}))


def _methodology(value: Any, where: str) -> Methodology:
    return Methodology(
        **_mapping(value, where, {"key": _identifier, "label": _str}, {"description": _text})
    )


def _letter(value: Any, where: str) -> LetterDefault:
    return LetterDefault(
        **_mapping(value, where, {"key": _identifier, "name": _str, "subject": _str, "body": _str})
    )


def _placeholders(value: Any, where: str) -> dict[str, str]:
    if not isinstance(value, dict) or not value:
        raise _Invalid(f"{where} must be a mapping of placeholder names to descriptions")
    return {_identifier(k, f"{where} key"): _str(v, f"{where}.{k}") for k, v in value.items()}


def _load(name: str, spec: dict[str, Any]) -> dict[str, Any]:
    shown = f"reference/reviews/{name}"
    path = Path(settings.REFERENCE_DIR) / "reviews" / name
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ImproperlyConfigured(f"{shown}: is not valid YAML ({exc})") from None
    except OSError as exc:
        raise ImproperlyConfigured(f"{shown}: cannot be read ({exc.strerror})") from None
    common = {"urn": _urn, "version": _positive_int, "name": _str}
    try:
        return _mapping(raw, "", {**common, **spec})
    except _Invalid as exc:
        raise ImproperlyConfigured(f"{shown}: {exc}") from None


def parse_letters_placeholders(letters: tuple[LetterDefault, ...], allowed: set[str]) -> None:
    from .letters import placeholders_in

    for i, letter in enumerate(letters):
        for part in ("subject", "body"):
            unknown = placeholders_in(getattr(letter, part)) - allowed
            if unknown:
                raise ImproperlyConfigured(
                    f"reference/reviews/letters.yaml: templates[{i}].{part} uses unknown "
                    f"placeholder {sorted(unknown)[0]!r}"
                )


@cache
def reference() -> ReviewsReference:
    crit = _load("criteria.yaml", {"regimes": _list_of(_regime_criteria, unique=("regime",))})
    pub = _load("publication.yaml", {"questions": _list_of(_question, unique=("key",))})
    meth = _load("methodologies.yaml", {"methodologies": _list_of(_methodology, unique=("key",))})
    let = _load(
        "letters.yaml",
        {"placeholders": _placeholders, "templates": _list_of(_letter, unique=("key",))},
    )
    by_regime = {rc.regime: rc for rc in crit["regimes"]}
    missing = sorted(set(regimes()) - set(by_regime))
    if missing:
        raise ImproperlyConfigured(
            f"reference/reviews/criteria.yaml: no criteria for regime {missing[0]!r}"
        )
    parse_letters_placeholders(let["templates"], set(let["placeholders"]))
    return ReviewsReference(
        criteria=by_regime,
        criteria_version=crit["version"],
        questions=pub["questions"],
        publication_version=pub["version"],
        methodologies=meth["methodologies"],
        letters=let["templates"],
        letters_version=let["version"],
        placeholders=let["placeholders"],
    )
