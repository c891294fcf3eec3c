"""Questionnaires as data: versioned question sets in reference/training/*.yaml.

Each file is one question set (reaction, confidence and knowledge before and after, impact
follow-up for participants and for line managers, training needs). A malformed file stops
start-up with an ImproperlyConfigured error naming the file and the problem. Every version
is synced into a QuestionSet row and never deleted, and each answer stores the version it
answered, so old answers are always shown with their own questions.

Question types: `scale` (min..max, scored answers make the score), `text`, `choice`
(options) and `yes_no`. A question marked `evidence: true` asks for practice-change or gap
evidence: answers to it can be turned into learning-chain findings.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from django import forms
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from lift.core.reference import (
    _bool,
    _fail,
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

from .choices import QuestionSetKind

QUESTION_TYPES = ("scale", "text", "choice", "yes_no")
FOLDER = "training"


@dataclass(frozen=True)
class Option:
    value: str
    label: str


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    type: str
    hint: str = ""
    required: bool = True
    scored: bool = False
    evidence: bool = False
    min: int = 1
    max: int = 5
    low_label: str = ""
    high_label: str = ""
    options: tuple[Option, ...] = ()


@dataclass(frozen=True)
class QuestionSetFile:
    urn: str
    version: int
    kind: str
    title: str
    description: str
    questions: tuple[Question, ...]

    def definition(self) -> dict[str, Any]:
        return {
            "description": self.description,
            "questions": [
                {**asdict(q), "options": [asdict(o) for o in q.options]} for q in self.questions
            ],
        }


def _option(value: Any, where: str) -> Option:
    data = _mapping(value, where, {"value": _identifier, "label": _str})
    return Option(data["value"], data["label"])


def _small_int(value: Any, where: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 10:
        raise _fail(where, "must be a whole number from 0 to 10")
    return value


def _question(value: Any, where: str) -> Question:
    data = _mapping(
        value,
        where,
        {"id": _identifier, "text": _str, "type": _one_of(QUESTION_TYPES)},
        {
            "hint": _text,
            "required": _bool,
            "scored": _bool,
            "evidence": _bool,
            "min": _small_int,
            "max": _small_int,
            "low_label": _text,
            "high_label": _text,
            "options": _list_of(_option, unique=("value",)),
        },
    )
    kind = data["type"]
    if kind == "choice" and not data.get("options"):
        raise _fail(where, "is a choice question without options")
    if kind != "choice" and data.get("options"):
        raise _fail(where, "has options but is not a choice question")
    if kind != "scale" and data.get("scored"):
        raise _fail(where, "is scored but only scale questions can be scored")
    low, high = data.get("min", 1), data.get("max", 5)
    if kind == "scale" and high <= low:
        raise _fail(f"{where}.max", f"must be more than min ({low})")
    return Question(
        id=data["id"],
        text=data["text"],
        type=kind,
        hint=data.get("hint", ""),
        required=data.get("required", True),
        scored=data.get("scored", False),
        evidence=data.get("evidence", False),
        min=low,
        max=high,
        low_label=data.get("low_label", ""),
        high_label=data.get("high_label", ""),
        options=tuple(data.get("options", ())),
    )


def parse(path: Path) -> QuestionSetFile:
    shown = f"reference/{FOLDER}/{path.name}"
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
                "kind": _one_of(tuple(QuestionSetKind.values)),
                "title": _str,
                "questions": _list_of(_question, unique=("id",)),
            },
            {"description": _text},
        )
        if not data["urn"].startswith("urn:lift:training:questionset:"):
            raise _fail("urn", "must start with urn:lift:training:questionset:")
        if not data["questions"]:
            raise _fail("questions", "must list at least one question")
    except _Invalid as exc:
        raise ImproperlyConfigured(f"{shown}: {exc}") from None
    return QuestionSetFile(
        urn=data["urn"],
        version=data["version"],
        kind=data["kind"],
        title=data["title"],
        description=data.get("description", ""),
        questions=data["questions"],
    )


def load(base: Path) -> dict[str, QuestionSetFile]:
    """Every question set in `base`/training, by kind (one current file per kind)."""
    out: dict[str, QuestionSetFile] = {}
    for path in sorted((base / FOLDER).glob("*.yaml")):
        qs = parse(path)
        if qs.kind in out:
            raise ImproperlyConfigured(
                f"reference/{FOLDER}/{path.name}: a second question set of kind {qs.kind!r} "
                f"(the first is {out[qs.kind].urn})"
            )
        out[qs.kind] = qs
    missing = set(QuestionSetKind.values) - set(out)
    if missing:
        raise ImproperlyConfigured(
            f"reference/{FOLDER}/: no question set of kind {', '.join(sorted(missing))}"
        )
    return out


@cache
def question_sets() -> dict[str, QuestionSetFile]:
    return load(Path(settings.REFERENCE_DIR))


def sync_question_sets(**kwargs: Any) -> int:
    """Create a QuestionSet row for each file version not yet stored; mark the file's
    version current. Older versions stay, for the answers given to them."""
    from .models import QuestionSet

    changed = 0
    for qs in question_sets().values():
        row = QuestionSet.objects.filter(urn=qs.urn, version=qs.version).first()
        if row is None:
            QuestionSet.objects.create(
                urn=qs.urn,
                version=qs.version,
                kind=qs.kind,
                title=qs.title,
                definition=qs.definition(),
                is_current=True,
            )
            changed += 1
        elif row.definition != qs.definition() or row.title != qs.title or not row.is_current:
            # Same version, new text: a file edited without bumping its version. Keep the
            # stored wording in step (answers keep their question ids).
            row.definition = qs.definition()
            row.title = qs.title
            row.is_current = True
            row.save()
            changed += 1
        changed += (
            QuestionSet.objects.filter(urn=qs.urn, is_current=True)
            .exclude(version=qs.version)
            .update(is_current=False)
        )
    return changed


def current(kind: str) -> Any:
    """The current QuestionSet row of a kind (synced on first use if need be)."""
    from .models import QuestionSet

    row = QuestionSet.objects.filter(kind=kind, is_current=True).order_by("-version").first()
    if row is None:
        sync_question_sets()
        row = QuestionSet.objects.get(kind=kind, is_current=True)
    return row


# --- answering ----------------------------------------------------------------------


def _scale_choices(q: dict[str, Any]) -> list[tuple[str, str]]:
    out = []
    for n in range(q["min"], q["max"] + 1):
        label = str(n)
        if n == q["min"] and q.get("low_label"):
            label = f"{n} - {q['low_label']}"
        elif n == q["max"] and q.get("high_label"):
            label = f"{n} - {q['high_label']}"
        out.append((str(n), label))
    return out


def form_class(question_set: Any) -> type[forms.Form]:
    """A form with one field per question of this question set version."""
    fields: dict[str, forms.Field] = {}
    for q in question_set.questions:
        common = {"label": q["text"], "help_text": q.get("hint", ""), "required": q["required"]}
        if q["type"] == "scale":
            fields[q["id"]] = forms.ChoiceField(
                choices=_scale_choices(q), widget=forms.RadioSelect, **common
            )
        elif q["type"] == "choice":
            fields[q["id"]] = forms.ChoiceField(
                choices=[(o["value"], o["label"]) for o in q["options"]],
                widget=forms.RadioSelect,
                **common,
            )
        elif q["type"] == "yes_no":
            fields[q["id"]] = forms.ChoiceField(
                choices=[("yes", "Yes"), ("no", "No")], widget=forms.RadioSelect, **common
            )
        else:
            fields[q["id"]] = forms.CharField(
                widget=forms.Textarea(attrs={"rows": 4}), max_length=5000, **common
            )
    return type("QuestionSetForm", (forms.Form,), fields)


def clean_answers(question_set: Any, raw: dict[str, Any]) -> dict[str, Any]:
    """Validate answers against the question set: scale answers as whole numbers in range,
    choices from the options, required questions answered. Raises ValueError listing the
    problems by question."""
    problems: list[str] = []
    out: dict[str, Any] = {}
    known = {q["id"] for q in question_set.questions}
    unknown = sorted(set(raw) - known)
    if unknown:
        problems.append(f"Unknown question {unknown[0]!r}.")
    for q in question_set.questions:
        value = raw.get(q["id"])
        if value in (None, ""):
            if q["required"]:
                problems.append(f"Answer '{q['text']}'.")
            continue
        if q["type"] == "scale":
            try:
                n = int(value)
            except (TypeError, ValueError):
                problems.append(f"'{q['text']}' needs a number.")
                continue
            if not q["min"] <= n <= q["max"]:
                problems.append(f"'{q['text']}' must be from {q['min']} to {q['max']}.")
                continue
            out[q["id"]] = n
        elif q["type"] == "choice":
            if value not in {o["value"] for o in q["options"]}:
                problems.append(f"'{q['text']}' has no option {value!r}.")
                continue
            out[q["id"]] = value
        elif q["type"] == "yes_no":
            if value not in ("yes", "no"):
                problems.append(f"'{q['text']}' must be yes or no.")
                continue
            out[q["id"]] = value
        else:
            out[q["id"]] = str(value).strip()
    if problems:
        raise ValueError(problems)
    return out


def score(question_set: Any, answers: dict[str, Any]) -> float | None:
    """The mean of the scored scale answers, or None if none is scored."""
    values = [
        float(answers[q["id"]])
        for q in question_set.questions
        if q["type"] == "scale" and q.get("scored") and answers.get(q["id"]) is not None
    ]
    return round(sum(values) / len(values), 3) if values else None


def evidence_text(question_set: Any, answers: dict[str, Any]) -> str:
    """The answers to evidence questions, as text for a finding."""
    parts = []
    for q in question_set.questions:
        if q.get("evidence") and answers.get(q["id"]):
            parts.append(f"{q['text']}\n{answers[q['id']]}")
    return "\n\n".join(parts)


def answer_text(q: dict[str, Any], value: Any) -> str:
    if value in (None, ""):
        return ""
    if q["type"] == "choice":
        return next((o["label"] for o in q["options"] if o["value"] == value), str(value))
    if q["type"] == "yes_no":
        return "Yes" if value == "yes" else "No"
    if q["type"] == "scale":
        return f"{value} out of {q['max']}"
    return str(value)
