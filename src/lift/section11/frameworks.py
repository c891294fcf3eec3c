"""Standards frameworks as data: versioned YAML in reference/section11/, validated and loaded
into Framework / RatingScale / Standard / Requirement rows.

A file is refused, with a message naming it and the problem, when it is malformed (unknown
or missing keys, a URN not under the framework's URN, a rating scale with repeated values,
a standard without requirements...) or when it is OLDER than the version already loaded.
The same version loaded again is a no-op when unchanged; changed content under an unchanged
version is refused once a cycle uses it (bump the version). Each version is its own rows,
so a cycle keeps the version it started with.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.db.models import Max

from lift.core.reference import (
    _bool,
    _identifier,
    _Invalid,
    _list_of,
    _mapping,
    _str,
    _text,
    _urn,
)

from .choices import HALFWAY, TAG_COLOURS

FOLDER = "section11"


@dataclass(frozen=True)
class LevelEntry:
    value: str
    label: str
    score: int
    colour: str


@dataclass(frozen=True)
class ScaleEntry:
    key: str
    name: str
    levels: tuple[LevelEntry, ...]
    halfway: str = "lower"


@dataclass(frozen=True)
class RequirementEntry:
    ref: str
    urn: str
    text: str
    guidance: str
    evidence: tuple[str, ...]
    essential: bool


@dataclass(frozen=True)
class StandardEntry:
    ref: str
    urn: str
    title: str
    description: str
    requirements: tuple[RequirementEntry, ...]


@dataclass(frozen=True)
class FrameworkFile:
    id: str
    urn: str
    version: int
    name: str
    short_name: str
    description: str
    source: str
    scale: ScaleEntry
    standards: tuple[StandardEntry, ...]
    shown: str
    content_hash: str

    @property
    def requirement_count(self) -> int:
        return sum(len(s.requirements) for s in self.standards)


def _int(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _Invalid(f"{where} must be a whole number")
    return value


def _version(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise _Invalid(f"{where} must be a whole number of 1 or more")
    return value


def _ref(value: Any, where: str) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    text = _str(value, where)
    if len(text) > 20 or any(c.isspace() for c in text):
        raise _Invalid(f"{where} must be a short reference without spaces, like 1.2")
    return text


def _value(value: Any, where: str) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    return _identifier(value, where)


def _colour(value: Any, where: str) -> str:
    if value not in TAG_COLOURS:
        raise _Invalid(f"{where} must be one of {', '.join(TAG_COLOURS)} (got {value!r})")
    return str(value)


def _strings(value: Any, where: str) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise _Invalid(f"{where} must be a list")
    return tuple(_str(v, f"{where}[{i}]") for i, v in enumerate(value))


def _level(value: Any, where: str) -> LevelEntry:
    data = _mapping(
        value,
        where,
        {"value": _value, "label": _str, "score": _int, "colour": _colour},
    )
    return LevelEntry(**data)


def _halfway(value: Any, where: str) -> str:
    if value not in HALFWAY:
        raise _Invalid(f"{where} must be one of {', '.join(HALFWAY)} (got {value!r})")
    return str(value)


def _scale(value: Any, where: str) -> ScaleEntry:
    data = _mapping(
        value,
        where,
        {"key": _identifier, "name": _str, "levels": _list_of(_level, unique=("value",))},
        {"halfway": _halfway},
    )
    if len(data["levels"]) < 2:
        raise _Invalid(f"{where}.levels must have at least two levels")
    return ScaleEntry(**data)


def _requirement(value: Any, where: str) -> RequirementEntry:
    data = _mapping(
        value,
        where,
        {"ref": _ref, "urn": _urn, "text": _str},
        {"guidance": _text, "evidence": _strings, "essential": _bool},
    )
    return RequirementEntry(
        ref=data["ref"],
        urn=data["urn"],
        text=data["text"],
        guidance=data.get("guidance", ""),
        evidence=data.get("evidence", ()),
        essential=data.get("essential", False),
    )


def _standard(value: Any, where: str) -> StandardEntry:
    data = _mapping(
        value,
        where,
        {
            "ref": _ref,
            "urn": _urn,
            "title": _str,
            "requirements": _list_of(_requirement, unique=("ref", "urn")),
        },
        {"description": _text},
    )
    if not data["requirements"]:
        raise _Invalid(f"{where}.requirements must list at least one requirement")
    return StandardEntry(
        ref=data["ref"],
        urn=data["urn"],
        title=data["title"],
        description=data.get("description", ""),
        requirements=data["requirements"],
    )


def _source(value: Any, where: str) -> str:
    data = _mapping(value, where, {"title": _str}, {"url": _text, "note": _text})
    return " ".join(v for v in (data["title"], data.get("note", "")) if v)[:300]


def _check_urns(urn: str, standards: tuple[StandardEntry, ...]) -> None:
    """Standards are `<urn>:standard:<ref>`, requirements `<urn>:requirement:<ref>`, so an
    identifier names one thing for good; requirement refs are unique across the file."""
    seen: dict[str, str] = {}
    for i, std in enumerate(standards):
        expected = f"{urn}:standard:{std.ref}"
        if std.urn != expected:
            raise _Invalid(f"standards[{i}].urn must be '{expected}'")
        for j, req in enumerate(std.requirements):
            where = f"standards[{i}].requirements[{j}]"
            expected = f"{urn}:requirement:{req.ref}"
            if req.urn != expected:
                raise _Invalid(f"{where}.urn must be '{expected}'")
            if req.ref in seen:
                raise _Invalid(f"{where}.ref {req.ref!r} is already used by {seen[req.ref]}")
            seen[req.ref] = where


def parse_text(text: str, shown: str) -> FrameworkFile:
    """Validate a framework file's text; ImproperlyConfigured names `shown` and the problem."""
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise ImproperlyConfigured(f"{shown}: is not valid YAML{at}: {problem}") from None
    if raw is None:
        raise ImproperlyConfigured(f"{shown}: is empty")
    try:
        data = _mapping(
            raw,
            "",
            {
                "id": _identifier,
                "urn": _urn,
                "version": _version,
                "name": _str,
                "short_name": _str,
                "scale": _scale,
                "standards": _list_of(_standard, unique=("ref", "urn")),
            },
            {"description": _text, "source": _source},
        )
        if data["urn"] != f"urn:lift:section11:{data['id']}":
            raise _Invalid(f"urn must be 'urn:lift:section11:{data['id']}'")
        if not data["standards"]:
            raise _Invalid("standards must list at least one standard")
        _check_urns(data["urn"], data["standards"])
    except _Invalid as exc:
        raise ImproperlyConfigured(f"{shown}: {exc}") from None
    return FrameworkFile(
        id=data["id"],
        urn=data["urn"],
        version=data["version"],
        name=data["name"],
        short_name=data["short_name"],
        description=data.get("description", ""),
        source=data.get("source", ""),
        scale=data["scale"],
        standards=data["standards"],
        shown=shown,
        content_hash=hashlib.sha256(text.encode("utf-8")).hexdigest(),
    )


MAX_UPLOAD_BYTES = 1_000_000
UPLOAD_SUFFIXES = (".yaml", ".yml")


def parse_upload(data: bytes, name: str) -> FrameworkFile:
    """Validate a framework file uploaded through the web with the same loader as the files
    in reference/section11/. Also refused, naming the file: anything but .yaml/.yml, more
    than 1 MB, not UTF-8, or using YAML anchors and aliases (a framework never needs them,
    and aliases can make a small file expand into an enormous one)."""
    shown = Path(name.replace("\\", "/")).name[:200] or "framework.yaml"
    if not shown.lower().endswith(UPLOAD_SUFFIXES):
        raise ImproperlyConfigured(f"{shown}: must be a YAML file ending .yaml or .yml")
    if len(data) > MAX_UPLOAD_BYTES:
        raise ImproperlyConfigured(f"{shown}: is larger than 1 MB")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImproperlyConfigured(f"{shown}: is not UTF-8 text") from None
    try:
        for token in yaml.scan(text, Loader=yaml.SafeLoader):
            if isinstance(token, (yaml.AliasToken, yaml.AnchorToken)):
                line = token.start_mark.line + 1
                raise ImproperlyConfigured(
                    f"{shown}: uses a YAML anchor or alias at line {line}; write the values out"
                )
    except yaml.YAMLError:
        pass  # parse_text reports the syntax error with its line and column
    return parse_text(text, shown)


def parse(path: Path) -> FrameworkFile:
    shown = _shown(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ImproperlyConfigured(f"{shown}: cannot be read ({exc})") from None
    return parse_text(text, shown)


def _shown(path: Path) -> str:
    base = Path(settings.REFERENCE_DIR)
    try:
        return f"reference/{path.resolve().relative_to(base.resolve()).as_posix()}"
    except ValueError:
        return str(path)


def shared_files() -> list[Path]:
    return sorted((Path(settings.REFERENCE_DIR) / FOLDER).glob("*.yaml"))


def check_all() -> list[FrameworkFile]:
    """Validate every shared framework file (start-up and `lift load_frameworks --check`)."""
    return [parse(p) for p in shared_files()]


@transaction.atomic
def framework_load(*, parsed: FrameworkFile, partnership: Any = None) -> tuple[Any, bool]:
    """Load one parsed file as rows (shared when `partnership` is None).

    Returns (framework, created). Refuses (ImproperlyConfigured naming the file) a version
    older than the newest loaded, and changed content under a version a cycle already uses.
    """
    from .models import Framework, RatingLevel, RatingScale, Requirement, Standard

    same_owner = Framework.objects.filter(urn=parsed.urn, partnership=partnership)
    newest = same_owner.aggregate(v=Max("version"))["v"]
    if newest is not None and parsed.version < newest:
        raise ImproperlyConfigured(
            f"{parsed.shown}: version {parsed.version} is older than version {newest} of "
            f"{parsed.urn}, which is already loaded. Load a newer version (bump 'version')."
        )
    existing = same_owner.filter(version=parsed.version).first()
    if existing is not None:
        if existing.content_hash == parsed.content_hash:
            return existing, False
        if existing.cycles.exists():
            raise ImproperlyConfigured(
                f"{parsed.shown}: version {parsed.version} of {parsed.urn} is used by a "
                "Section 11 cycle and its content has changed. Bump 'version' to load the "
                "change as a new version."
            )
        existing.delete()  # not used yet: replace it with the file's content
    framework = Framework(
        partnership=partnership,
        code=parsed.id,
        urn=parsed.urn,
        version=parsed.version,
        name=parsed.name,
        short_name=parsed.short_name,
        description=parsed.description,
        source=parsed.source,
        file_name=parsed.shown,
        content_hash=parsed.content_hash,
    )
    framework.full_clean()
    framework.save()
    scale = RatingScale.objects.create(
        framework=framework,
        key=parsed.scale.key,
        name=parsed.scale.name,
        halfway=parsed.scale.halfway,
    )
    RatingLevel.objects.bulk_create(
        RatingLevel(
            scale=scale,
            value=level.value,
            label=level.label,
            score=level.score,
            colour=level.colour,
            order=i,
        )
        for i, level in enumerate(parsed.scale.levels)
    )
    standards = Standard.objects.bulk_create(
        Standard(
            framework=framework,
            urn=std.urn,
            ref=std.ref,
            title=std.title,
            description=std.description,
            order=i,
        )
        for i, std in enumerate(parsed.standards)
    )
    order = 0
    requirements = []
    for std_row, std in zip(standards, parsed.standards, strict=True):
        for req in std.requirements:
            requirements.append(
                Requirement(
                    framework=framework,
                    standard=std_row,
                    urn=req.urn,
                    ref=req.ref,
                    text=req.text,
                    guidance=req.guidance,
                    evidence_expected="\n".join(req.evidence),
                    essential=req.essential,
                    order=order,
                )
            )
            order += 1
    Requirement.objects.bulk_create(requirements, batch_size=500)
    return framework, True


def load_shared(**kwargs: Any) -> list[tuple[Any, bool]]:
    """Load every file in reference/section11/ as shared frameworks (post_migrate)."""
    return [framework_load(parsed=parsed) for parsed in check_all()]
