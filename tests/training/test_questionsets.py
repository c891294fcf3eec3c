"""Question sets as data: the validating importer, versions kept, answers checked."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from lift.training import questionsets
from lift.training.models import QuestionSet

GOOD = """
urn: urn:lift:training:questionset:reaction
version: 1
kind: reaction
title: Feedback
questions:
  - {id: overall, text: "Overall", type: scale, scored: true}
"""


def _write(tmp_path: Path, text: str, name: str = "reaction.yaml") -> Path:
    folder = tmp_path / "training"
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_text(text)
    return path


def test_shipped_question_sets_load() -> None:
    sets = questionsets.load(Path(__file__).resolve().parents[2] / "reference")
    assert set(sets) == {"reaction", "prepost", "impact_participant", "impact_manager", "needs"}
    assert any(q.evidence for q in sets["impact_participant"].questions)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (GOOD.replace("type: scale", "type: essay"), "type must be one of"),
        (GOOD.replace("kind: reaction", "kind: poll"), "kind must be one of"),
        (GOOD + "colour: red\n", "unknown key 'colour'"),
        (GOOD.replace("scored: true", "scored: true, min: 5, max: 1"), "max must be more than min"),
        (
            GOOD.replace("urn:lift:training:questionset:reaction", "urn:lift:other:x"),
            "must start with",
        ),
        (GOOD.replace("type: scale, scored: true", "type: text, scored: true"), "only scale"),
    ],
)
def test_malformed_files_name_the_file_and_problem(tmp_path: Path, text: str, message: str) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(ImproperlyConfigured, match=message) as info:
        questionsets.parse(path)
    assert "reference/training/reaction.yaml" in str(info.value)


@pytest.mark.django_db
def test_sync_keeps_old_versions(
    settings: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    base = Path(__file__).resolve().parents[2] / "reference"
    sets = questionsets.load(base)
    questionsets.sync_question_sets()
    first = QuestionSet.objects.get(kind="reaction", is_current=True)
    bumped = dict(sets)
    old = sets["reaction"]
    bumped["reaction"] = questionsets.QuestionSetFile(
        old.urn, old.version + 1, old.kind, old.title, old.description, old.questions[:2]
    )
    monkeypatch.setattr(questionsets, "question_sets", lambda: bumped)
    questionsets.sync_question_sets()
    first.refresh_from_db()
    assert not first.is_current
    assert QuestionSet.objects.get(kind="reaction", is_current=True).version == old.version + 1
    assert QuestionSet.objects.filter(urn=old.urn).count() == 2


@pytest.mark.django_db
def test_clean_answers_and_score() -> None:
    qs = questionsets.current("prepost")
    clean = questionsets.clean_answers(
        qs, {"recognise": "2", "procedures": 4, "share": 3, "escalate": 3}
    )
    assert clean["recognise"] == 2 and questionsets.score(qs, clean) == 3.0
    with pytest.raises(ValueError) as info:
        questionsets.clean_answers(qs, {"recognise": 7, "bogus": 1})
    problems = info.value.args[0]
    assert any("Unknown question" in p for p in problems)
    assert any("from 1 to 5" in p for p in problems)
    assert any("Answer" in p for p in problems)
