"""Audit templates from reference/audits/*.yaml: validated, then synced into template rows.

Each file is one version of one template (its `urn` and `version`). Syncing creates the
rows of a version not seen before and never changes a version an audit may already use:
to change a template, raise its version. Older versions stay, marked not current.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from lift.core.reference import (
    _bool,
    _identifier,
    _Invalid,
    _list_of,
    _mapping,
    _one_of,
    _positive_int,
    _str,
    _text,
    _urn,
)

from .choices import AnswerType, Focus, TemplateKind


@dataclass(frozen=True)
class GradeEntry:
    code: str
    label: str
    score: int
    description: str


@dataclass(frozen=True)
class QuestionEntry:
    code: str
    text: str
    help: str
    required: bool
    answer: str


@dataclass(frozen=True)
class LineEntry:
    code: str
    title: str
    focus: str
    description: str
    questions: tuple[QuestionEntry, ...]
    scale: tuple[GradeEntry, ...]


@dataclass(frozen=True)
class TemplateEntry:
    urn: str
    version: int
    name: str
    kind: str
    agency_type: str
    description: str
    scale: tuple[GradeEntry, ...]
    lines: tuple[LineEntry, ...]
    file: str


def _grade(value: Any, where: str) -> GradeEntry:
    data = _mapping(
        value,
        where,
        {"code": _identifier, "label": _str, "score": _positive_int},
        {"description": _text},
    )
    return GradeEntry(data["code"], data["label"], data["score"], data.get("description", ""))


def _scale(value: Any, where: str) -> tuple[GradeEntry, ...]:
    grades: tuple[GradeEntry, ...] = _list_of(_grade, unique=("code", "score", "label"))(
        value, where
    )
    if len(grades) < 2:
        raise _Invalid(f"{where} must have at least two grades")
    return grades


def _question(value: Any, where: str) -> QuestionEntry:
    data = _mapping(
        value,
        where,
        {"code": _identifier, "text": _str},
        {
            "help": _text,
            "required": _bool,
            "answer": _one_of(tuple(AnswerType.values)),
        },
    )
    return QuestionEntry(
        data["code"],
        data["text"],
        data.get("help", ""),
        data.get("required", True),
        data.get("answer", AnswerType.TEXT),
    )


def _line(value: Any, where: str) -> LineEntry:
    data = _mapping(
        value,
        where,
        {"code": _identifier, "title": _str, "questions": _list_of(_question, unique=("code",))},
        {"focus": _one_of(tuple(Focus.values)), "description": _text, "scale": _scale},
    )
    if not data["questions"]:
        raise _Invalid(f"{where}.questions must have at least one question")
    return LineEntry(
        data["code"],
        data["title"],
        data.get("focus", Focus.OTHER),
        data.get("description", ""),
        data["questions"],
        data.get("scale", ()),
    )


def parse(path: Path) -> TemplateEntry:
    shown = f"reference/audits/{path.name}"
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
                "kind": _one_of(tuple(TemplateKind.values)),
                "scale": _scale,
                "lines": _list_of(_line, unique=("code",)),
            },
            {"description": _text, "agency_type": _identifier},
        )
        if not data["lines"]:
            raise _Invalid("lines must have at least one line of enquiry")
        if data["kind"] == TemplateKind.SINGLE_AGENCY and not data.get("agency_type"):
            raise _Invalid("a single-agency template must name its agency_type")
    except _Invalid as exc:
        raise ImproperlyConfigured(f"{shown}: {exc}") from None
    return TemplateEntry(
        data["urn"],
        data["version"],
        data["name"],
        data["kind"],
        data.get("agency_type", ""),
        data.get("description", ""),
        data["scale"],
        data["lines"],
        shown,
    )


def load_all(directory: Path | None = None) -> tuple[TemplateEntry, ...]:
    base = directory or Path(settings.REFERENCE_DIR) / "audits"
    entries = tuple(parse(p) for p in sorted(base.glob("*.yaml")))
    seen: dict[tuple[str, int], str] = {}
    for e in entries:
        key = (e.urn, e.version)
        if key in seen:
            raise ImproperlyConfigured(
                f"{e.file}: {e.urn} version {e.version} is already defined in {seen[key]}"
            )
        seen[key] = e.file
    return entries


@cache
def templates() -> tuple[TemplateEntry, ...]:
    return load_all()


@transaction.atomic
def sync_templates(entries: tuple[TemplateEntry, ...] | None = None) -> int:
    """Create the rows of every template version not yet loaded; mark which are current.
    Returns how many versions were created."""
    from .models import AuditTemplate, TemplateGrade, TemplateQuestion, TemplateSection

    entries = templates() if entries is None else entries
    created = 0
    current = {(e.urn, e.version) for e in entries}
    for e in entries:
        if AuditTemplate.objects.filter(urn=e.urn, version=e.version).exists():
            continue
        tpl = AuditTemplate.objects.create(
            urn=e.urn,
            version=e.version,
            name=e.name,
            kind=e.kind,
            agency_type=e.agency_type,
            description=e.description,
        )
        for g in e.scale:
            TemplateGrade.objects.create(
                template=tpl, code=g.code, label=g.label, score=g.score, description=g.description
            )
        for i, line in enumerate(e.lines, start=1):
            section = TemplateSection.objects.create(
                template=tpl,
                code=line.code,
                title=line.title,
                focus=line.focus,
                description=line.description,
                order=i,
            )
            for g in line.scale:
                TemplateGrade.objects.create(
                    template=tpl,
                    section=section,
                    code=g.code,
                    label=g.label,
                    score=g.score,
                    description=g.description,
                )
            for j, question in enumerate(line.questions, start=1):
                TemplateQuestion.objects.create(
                    section=section,
                    code=question.code,
                    text=question.text,
                    help_text=question.help,
                    required=question.required,
                    answer_type=question.answer,
                    order=j,
                )
        created += 1
    for tpl in AuditTemplate.objects.all():
        is_current = (tpl.urn, tpl.version) in current
        if tpl.is_current != is_current:
            tpl.is_current = is_current
            tpl.save(update_fields=["is_current", "updated_at"])
    return created


def template_by_urn(urn: str) -> Any:
    """The current version's row of a template (after sync)."""
    from .models import AuditTemplate

    return AuditTemplate.objects.filter(urn=urn).order_by("-version").first()
