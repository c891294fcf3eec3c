"""Reference data from versioned YAML files in `reference/`, loaded by a validating importer.

`reference/regimes/<id>.yaml` holds one statutory regime each (the 2015 LSCB rules, the
current safeguarding partner rules): its wording, review types, notification recipients
and deadlines. `reference/deadlines/common.yaml` holds deadlines every regime shares
(Section 11 follow-up, training impact follow-up); a regime that declares a rule with the
same key replaces the common one. The format is described in `reference/README.md`.

A malformed file stops start-up (`load_all()` runs in CoreConfig.ready) with an
ImproperlyConfigured error naming the file and the problem, e.g.
`reference/regimes/current.yaml: deadlines[2].unit must be one of working_days, ...`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from .calendar import UNITS

KINDS = ("within", "notice", "minimum")
COMMON_FILE = Path("deadlines") / "common.yaml"


class UnknownReference(KeyError):
    """A regime or deadline identifier that no reference file defines."""

    def __str__(self) -> str:  # KeyError quotes its argument; show the message as written
        return str(self.args[0]) if self.args else ""


@dataclass(frozen=True)
class StartEvent:
    key: str
    label: str


@dataclass(frozen=True)
class DeadlineRule:
    """One deadline: `amount` `unit`s from (or, for a notice, before) a start event."""

    key: str
    urn: str
    label: str
    amount: int
    unit: str
    start_event: StartEvent
    kind: str = "within"
    due_soon_days: int | None = None
    description: str = ""
    check: bool = False
    source: str = ""
    alternative_start_event: StartEvent | None = None
    origin: str = ""  # the regime id, or "common"

    def due_date(self, start: dt.date) -> dt.date:
        from .calendar import due_date

        return due_date(self, start)

    @property
    def period(self) -> str:
        """The period in words, e.g. "5 working days", "1 month"."""
        unit = self.unit.replace("_", " ")
        if self.amount == 1:
            unit = unit.removesuffix("s")
        return f"{self.amount} {unit}"


@dataclass(frozen=True)
class Source:
    title: str
    url: str = ""
    note: str = ""


@dataclass(frozen=True)
class Wording:
    """What the regime calls things, for pages, letters and reports."""

    board: str
    board_short: str
    decision_maker: str
    national_panel: str
    national_panel_short: str
    statutory_review: str
    statutory_review_short: str
    rapid_review: str = ""  # empty where the regime has no rapid review (2015)


@dataclass(frozen=True)
class ReviewType:
    key: str
    label: str
    statutory: bool = False
    description: str = ""


@dataclass(frozen=True)
class Recipient:
    key: str
    label: str
    description: str = ""


@dataclass(frozen=True)
class Regime:
    id: str
    urn: str
    version: int
    name: str
    short_name: str
    description: str
    source: Source
    wording: Wording
    review_types: tuple[ReviewType, ...]
    notification_recipients: tuple[Recipient, ...]
    deadlines: Mapping[str, DeadlineRule] = field(default_factory=dict)
    path: str = ""

    def deadline(self, key: str) -> DeadlineRule:
        try:
            return self.deadlines[key]
        except KeyError:
            known = ", ".join(sorted(self.deadlines))
            raise UnknownReference(
                f"Regime {self.id!r} has no deadline {key!r}; it has: {known}."
            ) from None

    def review_type(self, key: str) -> ReviewType:
        for rt in self.review_types:
            if rt.key == key:
                return rt
        raise UnknownReference(f"Regime {self.id!r} has no review type {key!r}.")

    def __str__(self) -> str:
        return self.name


# --- validation -------------------------------------------------------------------------
# These checks are shared by the other apps' reference loaders (governance, learning,
# reviews import them): each takes (value, where) and returns the cleaned value or raises
# _Invalid("<where> <problem>"); the loader prefixes the file name. Keep their names stable.


class _Invalid(Exception):
    pass


Check = Callable[[Any, str], Any]


def _fail(where: str, problem: str) -> _Invalid:
    return _Invalid(f"{where} {problem}" if where else problem)


def _str(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _fail(where, "must be a non-empty string")
    return value.strip()


def _text(value: Any, where: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise _fail(where, "must be a string")
    return value.strip()


def _bool(value: Any, where: str) -> bool:
    if not isinstance(value, bool):
        raise _fail(where, "must be true or false")
    return value


def _positive_int(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise _fail(where, "must be a whole number of 1 or more")
    return value


def _optional_non_negative_int(value: Any, where: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise _fail(where, "must be a whole number of 0 or more, or left out")
    return value


def _identifier(value: Any, where: str) -> str:
    text = _str(value, where)
    if not all(c.isalnum() or c in "-_" for c in text) or text != text.lower():
        raise _fail(where, "must use only lower-case letters, digits, '-' and '_'")
    return text


def _urn(value: Any, where: str) -> str:
    text = _str(value, where)
    if not text.startswith("urn:lift:") or any(c.isspace() for c in text):
        raise _fail(where, "must be a URN starting 'urn:lift:' with no spaces")
    return text


def _one_of(choices: tuple[str, ...]) -> Check:
    def check(value: Any, where: str) -> str:
        if value not in choices:
            raise _fail(where, f"must be one of {', '.join(choices)} (got {value!r})")
        return str(value)

    return check


def _mapping(
    value: Any, where: str, required: dict[str, Check], optional: dict[str, Check] | None = None
) -> dict[str, Any]:
    """Check a mapping's keys and values; unknown keys are refused."""
    optional = optional or {}
    if not isinstance(value, dict):
        raise _fail(where, "must be a mapping of keys to values")
    unknown = sorted(str(k) for k in value if k not in required and k not in optional)
    if unknown:
        allowed = ", ".join([*required, *optional])
        raise _fail(where, f"has unknown key {unknown[0]!r} (allowed: {allowed})")
    out: dict[str, Any] = {}
    prefix = f"{where}." if where else ""
    for key, check in required.items():
        if key not in value:
            raise _fail(where or "the file", f"is missing the required key {key!r}")
        out[key] = check(value[key], f"{prefix}{key}")
    for key, check in optional.items():
        if key in value:
            out[key] = check(value[key], f"{prefix}{key}")
    return out


def _list_of(item: Check, *, unique: tuple[str, ...] = ()) -> Check:
    def check(value: Any, where: str) -> tuple[Any, ...]:
        if not isinstance(value, list):
            raise _fail(where, "must be a list")
        items = tuple(item(v, f"{where}[{i}]") for i, v in enumerate(value))
        for attr in unique:
            seen: dict[str, int] = {}
            for i, it in enumerate(items):
                v = getattr(it, attr)
                if v in seen:
                    raise _fail(
                        f"{where}[{i}].{attr}", f"{v!r} is already used by {where}[{seen[v]}]"
                    )
                seen[v] = i
        return items

    return check


def _start_event(value: Any, where: str) -> StartEvent:
    data = _mapping(value, where, {"key": _identifier, "label": _str})
    return StartEvent(**data)


def _source(value: Any, where: str) -> Source:
    data = _mapping(value, where, {"title": _str}, {"url": _text, "note": _text})
    return Source(**data)


def _wording(value: Any, where: str) -> Wording:
    data = _mapping(
        value,
        where,
        {name: _str for name in Wording.__dataclass_fields__ if name != "rapid_review"},
        {"rapid_review": _text},
    )
    return Wording(**data)


def _review_type(value: Any, where: str) -> ReviewType:
    data = _mapping(
        value,
        where,
        {"key": _identifier, "label": _str},
        {"statutory": _bool, "description": _text},
    )
    return ReviewType(**data)


def _recipient(value: Any, where: str) -> Recipient:
    data = _mapping(value, where, {"key": _identifier, "label": _str}, {"description": _text})
    return Recipient(**data)


def _deadline(value: Any, where: str) -> DeadlineRule:
    data = _mapping(
        value,
        where,
        {
            "key": _identifier,
            "urn": _urn,
            "label": _str,
            "amount": _positive_int,
            "unit": _one_of(UNITS),
            "start_event": _start_event,
        },
        {
            "kind": _one_of(KINDS),
            "due_soon_days": _optional_non_negative_int,
            "description": _text,
            "check": _bool,
            "source": _text,
            "alternative_start_event": _start_event,
        },
    )
    return DeadlineRule(**data)


_DEADLINES = _list_of(_deadline, unique=("key", "urn"))


def _check_urns(file_urn: str, rules: tuple[DeadlineRule, ...]) -> None:
    # The URN is derived from the key so either identifies the rule; renaming a key
    # therefore makes a new rule, and clocks keep pointing at the old one.
    for i, rule in enumerate(rules):
        expected = f"{file_urn}:deadline:{rule.key}"
        if rule.urn != expected:
            raise _fail(f"deadlines[{i}].urn", f"must be '{expected}'")


def _read(path: Path, shown: str) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ImproperlyConfigured(f"{shown}: cannot be read ({exc})") from exc
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise ImproperlyConfigured(f"{shown}: is not valid YAML{at}: {problem}") from exc
    if data is None:
        raise ImproperlyConfigured(f"{shown}: is empty")
    return data


def _parse_common(data: Any) -> tuple[DeadlineRule, ...]:
    header = _mapping(
        data,
        "",
        {
            "id": _identifier,
            "urn": _urn,
            "version": _positive_int,
            "name": _str,
            "deadlines": _DEADLINES,
        },
        {"description": _text},
    )
    if header["id"] != "common" or header["urn"] != "urn:lift:common":
        raise _fail("id", "must be 'common' with urn 'urn:lift:common'")
    rules = header["deadlines"]
    _check_urns(header["urn"], rules)
    return tuple(_with_origin(r, "common") for r in rules)


def _with_origin(rule: DeadlineRule, origin: str) -> DeadlineRule:
    from dataclasses import replace

    return replace(rule, origin=origin)


def _parse_regime(data: Any, stem: str, common: tuple[DeadlineRule, ...], shown: str) -> Regime:
    top = _mapping(
        data,
        "",
        {
            "id": _identifier,
            "urn": _urn,
            "version": _positive_int,
            "name": _str,
            "short_name": _str,
            "description": _str,
            "source": _source,
            "wording": _wording,
            "review_types": _list_of(_review_type, unique=("key",)),
            "notification_recipients": _list_of(_recipient, unique=("key",)),
            "deadlines": _DEADLINES,
        },
    )
    if top["id"] != stem:
        raise _fail("id", f"{top['id']!r} must match the file name {stem!r}")
    if top["urn"] != f"urn:lift:regime:{top['id']}":
        raise _fail("urn", f"must be 'urn:lift:regime:{top['id']}'")
    _check_urns(top["urn"], top["deadlines"])
    # The regime's own rules first; a common rule with the same key is replaced.
    deadlines = {rule.key: _with_origin(rule, top["id"]) for rule in top["deadlines"]}
    for rule in common:
        deadlines.setdefault(rule.key, rule)
    top["deadlines"] = deadlines
    return Regime(**top, path=shown)


def _shown(path: Path, base: Path) -> str:
    return f"{base.name}/{path.relative_to(base).as_posix()}"


def load_regimes(base: Path) -> dict[str, Regime]:
    """Read and validate every regime under `base` (a `reference/` directory), uncached.

    Raises ImproperlyConfigured naming the file and the problem for a malformed file.
    """
    base = Path(base)
    common: tuple[DeadlineRule, ...] = ()
    common_path = base / COMMON_FILE
    if common_path.exists():
        shown = _shown(common_path, base)
        try:
            common = _parse_common(_read(common_path, shown))
        except _Invalid as exc:
            raise ImproperlyConfigured(f"{shown}: {exc}") from None
    paths = sorted((base / "regimes").glob("*.yaml"))
    if not paths:
        raise ImproperlyConfigured(f"{base.name}/regimes/: no regime files (*.yaml) found")
    out: dict[str, Regime] = {}
    for path in paths:
        shown = _shown(path, base)
        try:
            regime = _parse_regime(_read(path, shown), path.stem, common, shown)
        except _Invalid as exc:
            raise ImproperlyConfigured(f"{shown}: {exc}") from None
        out[regime.id] = regime
    return out


@cache
def regimes() -> dict[str, Regime]:
    """Every regime in settings.REFERENCE_DIR, by id (cached for the process)."""
    return load_regimes(Path(settings.REFERENCE_DIR))


def regime(regime_id: str) -> Regime:
    """The regime with this id; UnknownReference (a KeyError) names the known ones."""
    found = regimes()
    try:
        return found[regime_id]
    except KeyError:
        raise UnknownReference(
            f"No regime {regime_id!r} in reference/regimes/; known: {', '.join(sorted(found))}."
        ) from None


@cache
def _rules_by_urn() -> dict[str, DeadlineRule]:
    return {rule.urn: rule for r in regimes().values() for rule in r.deadlines.values()}


def rule_by_urn(urn: str) -> DeadlineRule | None:
    """The deadline rule with this URN in any regime (None if no file defines it now)."""
    return _rules_by_urn().get(urn)


def regime_choices() -> list[tuple[str, str]]:
    """(id, name) pairs for a form's regime field."""
    return [(r.id, r.name) for r in sorted(regimes().values(), key=lambda r: r.id)]


def clear_cache() -> None:
    regimes.cache_clear()
    _rules_by_urn.cache_clear()
    escalation.cache_clear()


# --- escalating overdue to-do steps ---------------------------------------------------

ESCALATION_FILE = Path("todo") / "escalation.yaml"


@dataclass(frozen=True)
class Escalation:
    """After how many working days overdue a to-do step goes to the owner's agency
    safeguarding lead, and then to the Chair (reference/todo/escalation.yaml)."""

    urn: str
    version: int
    name: str
    agency_lead_after: int
    chair_after: int


def load_escalation(base: Path) -> Escalation:
    """Read and validate `todo/escalation.yaml` under `base`, uncached."""
    path = Path(base) / ESCALATION_FILE
    shown = _shown(path, Path(base))
    try:
        data = _mapping(
            _read(path, shown),
            "",
            {
                "urn": _urn,
                "version": _positive_int,
                "name": _str,
                "agency_lead_after": _positive_int,
                "chair_after": _positive_int,
            },
        )
        if data["urn"] != "urn:lift:todo:escalation":
            raise _fail("urn", "must be 'urn:lift:todo:escalation'")
        if data["chair_after"] <= data["agency_lead_after"]:
            raise _fail(
                "chair_after",
                f"must be more than agency_lead_after ({data['agency_lead_after']}): the "
                "Chair is told after the agency's safeguarding lead",
            )
    except _Invalid as exc:
        raise ImproperlyConfigured(f"{shown}: {exc}") from None
    return Escalation(**data)


@cache
def escalation() -> Escalation:
    """The escalation thresholds in settings.REFERENCE_DIR (cached for the process)."""
    return load_escalation(Path(settings.REFERENCE_DIR))


def load_all() -> None:
    """Load and validate every reference file; raise ImproperlyConfigured if one is bad."""
    clear_cache()
    regimes()
    escalation()
