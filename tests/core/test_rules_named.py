"""Every rule in an app's `rules.py` is named by a test (issue 18, item 6).

A rule is each public class or function of `src/lift/<app>/rules.py`. "Named" means its
name appears, as a word, in a test module other than this one - a test that breaks the
rule and checks its message or code (`violation()` codes the error with the rule's name),
or that calls it with the cases it decides.

`NOT_YET_NAMED` is the list of rules that had no test of their own when this check was
written (the service tests exercise most of them through the services, without naming
them). It may only shrink: a rule added without a test fails, and so does a rule on the
list that has since been given one (take it off).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import lift

SRC = Path(lift.__file__).parent
TESTS = Path(__file__).resolve().parents[1]

NOT_YET_NAMED = frozenset(
    {
        "performance.Limits",
        "training.holds_place",
    }
)


def _rules() -> list[str]:
    found = []
    for path in sorted(SRC.glob("*/rules.py")):
        if path.parent.name == "core":
            continue  # the base itself (lift.core.rules.BusinessRule)
        tree = ast.parse(path.read_text())
        for node in tree.body:
            if isinstance(node, ast.ClassDef | ast.FunctionDef) and not node.name.startswith("_"):
                found.append(f"{path.parent.name}.{node.name}")
    return found


def _test_text() -> str:
    own = Path(__file__).resolve()
    return "\n".join(p.read_text() for p in TESTS.rglob("*.py") if p.resolve() != own)


def test_the_rules_are_found() -> None:
    rules = _rules()
    assert "audits.WaiverAgreedByChair" in rules
    assert len(rules) > 100


def test_every_rule_is_named_by_a_test() -> None:
    text = _test_text()

    def named(rule: str) -> bool:
        return re.search(rf"\b{re.escape(rule.split('.', 1)[1])}\b", text) is not None

    rules = _rules()
    unnamed = sorted(r for r in rules if not named(r) and r not in NOT_YET_NAMED)
    assert unnamed == [], f"rules that no test names: {unnamed}"
    now_named = sorted(r for r in NOT_YET_NAMED if r in rules and named(r))
    assert now_named == [], f"named by a test now: take them off NOT_YET_NAMED: {now_named}"
    gone = sorted(NOT_YET_NAMED - set(rules))
    assert gone == [], f"no longer rules: take them off NOT_YET_NAMED: {gone}"
