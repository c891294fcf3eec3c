"""The regime files: every deadline DOMAIN.md gives, and the validating importer."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from lift.core import reference
from lift.core.reference import UnknownReference, load_regimes, regime, regimes

pytestmark = pytest.mark.django_db  # the shared conftest resets django-axes before every test

D = dt.date


# --- the shipped files: one test per deadline, figures and start events from DOMAIN.md ----

LSCB_2015 = [
    # key, amount, unit, kind, start event, marked (check)
    ("notification", 5, "working_days", "within", "became-aware", False),
    ("chair-decision", 1, "months", "within", "notification", False),
    ("panel-no-decision", 14, "calendar_days", "within", "decision", True),
    ("scr-completion", 6, "months", "within", "decision", True),
    ("publication-notice", 1, "weeks", "notice", "publication", False),
    ("publication-period", 12, "months", "minimum", "publication", False),
]
CURRENT = [
    ("notification", 5, "working_days", "within", "became-aware", False),
    ("rapid-review", 15, "working_days", "within", "notification", False),
    ("lcspr-completion", 6, "months", "within", "decision", True),
    ("publication-notice", 7, "working_days", "notice", "publication", True),
    ("publication-period", 12, "months", "minimum", "publication", False),
]
COMMON = [
    ("section11-cycle", 24, "months", "within", "self-assessment-completed", False),
    ("section11-follow-up", 6, "months", "within", "overview-report", False),
    ("training-impact-follow-up", 3, "months", "within", "course-attended", False),
]


def _case(regime_id: str, row: tuple[str, int, str, str, str, bool]) -> object:
    return pytest.param(regime_id, *row, id=f"{regime_id}:{row[0]}")


@pytest.mark.parametrize(
    ("regime_id", "key", "amount", "unit", "kind", "start", "check"),
    [_case("lscb-2015", r) for r in LSCB_2015]
    + [_case("current", r) for r in CURRENT]
    + [_case(rid, r) for rid in ("lscb-2015", "current") for r in COMMON],
)
def test_deadline_matches_domain(
    regime_id: str, key: str, amount: int, unit: str, kind: str, start: str, check: bool
) -> None:
    rule = regime(regime_id).deadline(key)
    assert (rule.amount, rule.unit, rule.kind) == (amount, unit, kind)
    assert rule.start_event.key == start
    assert rule.check is check
    assert rule.label and rule.description


def test_each_regime_has_exactly_the_deadlines_domain_gives() -> None:
    common = {r[0] for r in COMMON}
    assert set(regime("lscb-2015").deadlines) == {r[0] for r in LSCB_2015} | common
    assert set(regime("current").deadlines) == {r[0] for r in CURRENT} | common


def test_rapid_review_counts_from_notification_with_2018_alternative_documented() -> None:
    rule = regime("current").deadline("rapid-review")
    assert rule.start_event.key == "notification"
    assert rule.alternative_start_event is not None
    assert rule.alternative_start_event.key == "became-aware"
    # 15 working days from a notification on Wed 16 Apr 2025, over Easter and the early
    # May bank holiday (5 May).
    assert rule.due_date(D(2025, 4, 16)) == D(2025, 5, 12)


def test_wording_differs_between_regimes() -> None:
    old, new = regime("lscb-2015").wording, regime("current").wording
    assert old.statutory_review == "Serious Case Review"
    assert new.statutory_review == "Local Child Safeguarding Practice Review"
    assert old.decision_maker == "LSCB Chair"
    assert new.decision_maker == "safeguarding partners"
    assert new.national_panel == "Child Safeguarding Practice Review Panel"
    assert "Independent Experts" in old.national_panel
    assert old.rapid_review == "" and new.rapid_review == "Rapid review"


def test_notification_recipients() -> None:
    assert [r.key for r in regime("lscb-2015").notification_recipients] == ["ofsted", "lscb"]
    assert "panel" in [r.key for r in regime("current").notification_recipients]


def test_urns_are_stable_and_unique_across_regimes() -> None:
    assert (
        regime("lscb-2015").deadline("notification").urn
        == "urn:lift:regime:lscb-2015:deadline:notification"
    )
    own = [
        r.urn for reg in regimes().values() for r in reg.deadlines.values() if r.origin != "common"
    ]
    assert len(own) == len(set(own))
    assert reference.rule_by_urn("urn:lift:regime:current:deadline:rapid-review") is not None
    assert reference.rule_by_urn("urn:lift:nothing") is None


def test_unknown_regime_and_deadline_name_what_exists() -> None:
    with pytest.raises(UnknownReference, match=r"No regime 'nope'.*current, lscb-2015"):
        regime("nope")
    with pytest.raises(KeyError, match="has no deadline 'rapid-review'"):
        regime("lscb-2015").deadline("rapid-review")


def test_period_in_words() -> None:
    assert regime("lscb-2015").deadline("chair-decision").period == "1 month"
    assert regime("current").deadline("publication-notice").period == "7 working days"


def test_regime_choices_and_review_types() -> None:
    assert ("current", regime("current").name) in reference.regime_choices()
    assert regime("lscb-2015").review_type("scr").statutory
    with pytest.raises(KeyError):
        regime("lscb-2015").review_type("lcspr")


def test_load_all_is_called_at_start_up_and_accepts_the_shipped_files() -> None:
    reference.load_all()
    assert set(regimes()) == {"lscb-2015", "current"}


# --- the validator --------------------------------------------------------------------------


@pytest.fixture
def ref_dir(tmp_path: Path) -> Path:
    target = tmp_path / "reference"
    shutil.copytree(Path(settings.REFERENCE_DIR), target)
    return target


Edit = Callable[[dict], None]


def _edit(path: Path, change: Edit) -> None:
    data = yaml.safe_load(path.read_text())
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False))


def _refused(base: Path, message: str) -> None:
    with pytest.raises(ImproperlyConfigured) as exc:
        load_regimes(base)
    assert str(exc.value) == message


def test_the_copied_files_load(ref_dir: Path) -> None:
    assert set(load_regimes(ref_dir)) == {"lscb-2015", "current"}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda d: d["deadlines"][2].update(unit="fortnights"),
            "deadlines[2].unit must be one of working_days, calendar_days, weeks, months "
            "(got 'fortnights')",
        ),
        (
            lambda d: d["deadlines"][0].update(amount=0),
            "deadlines[0].amount must be a whole number of 1 or more",
        ),
        (
            lambda d: d["deadlines"][0].update(amount="5"),
            "deadlines[0].amount must be a whole number of 1 or more",
        ),
        (lambda d: d.update(version="1"), "version must be a whole number of 1 or more"),
        (lambda d: d.pop("wording"), "the file is missing the required key 'wording'"),
        (
            lambda d: d["deadlines"][1].pop("start_event"),
            "deadlines[1] is missing the required key 'start_event'",
        ),
        (
            lambda d: d["deadlines"][1].update(amout=3),
            "deadlines[1] has unknown key 'amout' (allowed: key, urn, label, amount, unit, "
            "start_event, kind, due_soon_days, description, check, source, "
            "alternative_start_event)",
        ),
        (
            lambda d: d["deadlines"][3].update(key=d["deadlines"][0]["key"]),
            "deadlines[3].key 'notification' is already used by deadlines[0]",
        ),
        (
            lambda d: d["deadlines"][4].update(urn=d["deadlines"][1]["urn"]),
            "deadlines[4].urn 'urn:lift:regime:current:deadline:rapid-review' is already used "
            "by deadlines[1]",
        ),
        (
            lambda d: d["deadlines"][0].update(urn="urn:lift:regime:lscb-2015:deadline:x"),
            "deadlines[0].urn must be 'urn:lift:regime:current:deadline:notification'",
        ),
        (
            lambda d: d["deadlines"][0].update(kind="soon"),
            "deadlines[0].kind must be one of within, notice, minimum (got 'soon')",
        ),
        (
            lambda d: d["deadlines"][0].update(check="yes"),
            "deadlines[0].check must be true or false",
        ),
        (
            lambda d: d["deadlines"][0]["start_event"].pop("label"),
            "deadlines[0].start_event is missing the required key 'label'",
        ),
        (
            lambda d: d["deadlines"][0].update(due_soon_days=-1),
            "deadlines[0].due_soon_days must be a whole number of 0 or more, or left out",
        ),
        (lambda d: d.update(id="newer"), "id 'newer' must match the file name 'current'"),
        (lambda d: d.update(urn="urn:lift:regime:other"), "urn must be 'urn:lift:regime:current'"),
        (lambda d: d["wording"].pop("board"), "wording is missing the required key 'board'"),
        (lambda d: d.update(deadlines={}), "deadlines must be a list"),
        (
            lambda d: d["review_types"][0].update(key="Has Spaces"),
            "review_types[0].key must use only lower-case letters, digits, '-' and '_'",
        ),
        (lambda d: d.update(name="  "), "name must be a non-empty string"),
    ],
    ids=lambda v: v if isinstance(v, str) and len(v) < 40 else None,
)
def test_malformed_regime_is_refused_naming_file_and_problem(
    ref_dir: Path, change: Edit, message: str
) -> None:
    _edit(ref_dir / "regimes" / "current.yaml", change)
    _refused(ref_dir, f"reference/regimes/current.yaml: {message}")


def test_yaml_syntax_error_names_file_and_line(ref_dir: Path) -> None:
    path = ref_dir / "regimes" / "lscb-2015.yaml"
    path.write_text("id: lscb-2015\nname: [unclosed\nversion: 1\n")
    with pytest.raises(ImproperlyConfigured) as exc:
        load_regimes(ref_dir)
    message = str(exc.value)
    assert message.startswith("reference/regimes/lscb-2015.yaml: is not valid YAML at line ")
    assert "line 3" in message or "line 4" in message


def test_file_that_is_not_a_mapping_is_refused(ref_dir: Path) -> None:
    (ref_dir / "regimes" / "current.yaml").write_text("- just\n- a list\n")
    _refused(ref_dir, "reference/regimes/current.yaml: must be a mapping of keys to values")


def test_empty_file_is_refused(ref_dir: Path) -> None:
    (ref_dir / "regimes" / "current.yaml").write_text("# nothing here\n")
    _refused(ref_dir, "reference/regimes/current.yaml: is empty")


def test_malformed_common_file_is_refused(ref_dir: Path) -> None:
    _edit(
        ref_dir / "deadlines" / "common.yaml",
        lambda d: d["deadlines"][2].update(unit="years"),
    )
    _refused(
        ref_dir,
        "reference/deadlines/common.yaml: deadlines[2].unit must be one of working_days, "
        "calendar_days, weeks, months (got 'years')",
    )


def test_no_regime_files_is_refused(ref_dir: Path) -> None:
    for path in (ref_dir / "regimes").glob("*.yaml"):
        path.unlink()
    _refused(ref_dir, "reference/regimes/: no regime files (*.yaml) found")


def test_a_regime_may_replace_a_common_rule(ref_dir: Path) -> None:
    def change(d: dict) -> None:
        d["deadlines"].append(
            {
                "key": "training-impact-follow-up",
                "urn": "urn:lift:regime:current:deadline:training-impact-follow-up",
                "label": "Ask for training impact evidence",
                "amount": 8,
                "unit": "weeks",
                "start_event": {"key": "course-attended", "label": "The course"},
            }
        )

    _edit(ref_dir / "regimes" / "current.yaml", change)
    found = load_regimes(ref_dir)
    assert found["current"].deadline("training-impact-follow-up").period == "8 weeks"
    assert found["current"].deadline("training-impact-follow-up").origin == "current"
    assert found["lscb-2015"].deadline("training-impact-follow-up").period == "3 months"


def test_load_all_stops_start_up_for_a_malformed_file(ref_dir: Path, settings: object) -> None:
    _edit(ref_dir / "regimes" / "current.yaml", lambda d: d["deadlines"][0].update(unit="x"))
    settings.REFERENCE_DIR = ref_dir  # type: ignore[attr-defined]
    try:
        with pytest.raises(ImproperlyConfigured, match=r"^reference/regimes/current.yaml: "):
            reference.load_all()
    finally:
        reference.clear_cache()
