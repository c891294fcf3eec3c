"""The learning chain's rules not named elsewhere, by name (issue 18, item 6): once where the
rule holds and the service goes ahead, once where it is broken and the service refuses with
the rule's message, saving nothing."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError

from lift.core.models import Person
from lift.core.rules import BusinessRule
from lift.learning import rules, services
from lift.learning.choices import ActionStatus as S
from lift.learning.models import Action, ActionUpdate

pytestmark = pytest.mark.django_db


def _codes(err: ValidationError) -> set[str]:
    if hasattr(err, "error_dict"):
        return {e.code for errors in err.error_dict.values() for e in errors}
    return {e.code for e in err.error_list}


def assert_refused_by(rule: type[BusinessRule], err: ValidationError) -> None:
    """The error is the rule's own: its name as the code, its message as the words."""
    assert rule.__name__ in _codes(err)
    assert rule.message() in err.messages


def test_ReasonRequired(make_action: Callable[..., Action], lead: Person) -> None:
    rules.ReasonRequired.check("Duplicate of another action")
    with pytest.raises(ValidationError) as err:
        rules.ReasonRequired.check("   ")
    assert_refused_by(rules.ReasonRequired, err.value)
    # The reasons the workflow asks for are this rule with their own words.
    assert issubclass(rules.ActionNotAcceptedNeedsReason, rules.ReasonRequired)
    assert issubclass(rules.ActionReopenNeedsReason, rules.ReasonRequired)
    proposed = make_action(status=S.PROPOSED)
    with pytest.raises(ValidationError) as err:
        services.action_transition(action=proposed, to=S.NOT_ACCEPTED, by=lead, reason=" ")
    assert_refused_by(rules.ActionNotAcceptedNeedsReason, err.value)
    assert Action.objects.get(pk=proposed.pk).status == S.PROPOSED
    assert not ActionUpdate.objects.filter(action=proposed).exists()
    services.action_transition(
        action=proposed, to=S.NOT_ACCEPTED, by=lead, reason="Covered by the new policy"
    )
    assert Action.objects.get(pk=proposed.pk).status == S.NOT_ACCEPTED


@pytest.mark.parametrize(
    ("status", "moves"),
    [
        (S.PROPOSED, [S.AGREED, S.NOT_ACCEPTED, S.SUPERSEDED]),
        (S.AGREED, [S.IN_PROGRESS, S.NOT_ACCEPTED, S.SUPERSEDED]),
        (S.IN_PROGRESS, [S.COMPLETED, S.SUPERSEDED]),
        (S.COMPLETED, [S.IN_PROGRESS, S.EVIDENCED, S.SUPERSEDED]),
        (S.EVIDENCED, [S.IN_PROGRESS, S.CLOSED]),
        (S.CLOSED, []),
        (S.NOT_ACCEPTED, []),
        (S.SUPERSEDED, []),
    ],
)
def test_allowed_moves(status: str, moves: list[str]) -> None:
    order = list(S.values)
    assert rules.allowed_moves(status) == sorted(moves, key=order.index)


def test_allowed_moves_decide_the_transition(action: Action, lead: Person) -> None:
    assert S.CLOSED not in rules.allowed_moves(action.status)
    with pytest.raises(ValidationError) as err:
        services.action_transition(action=action, to=S.CLOSED, by=lead)
    assert_refused_by_code(rules.ActionTransitionAllowed, err.value)
    assert "From in progress it can move to: completed, superseded." in err.value.messages[0]
    assert Action.objects.get(pk=action.pk).status == S.IN_PROGRESS
    assert S.COMPLETED in rules.allowed_moves(action.status)
    services.action_update_add(action=action, by=lead, text="Training delivered.")
    services.action_transition(action=action, to=S.COMPLETED, by=lead)
    assert Action.objects.get(pk=action.pk).status == S.COMPLETED


def assert_refused_by_code(rule: type[BusinessRule], err: ValidationError) -> None:
    """A rule that adds to its message (the moves that are allowed): its code and its words."""
    assert rule.__name__ in _codes(err)
    assert any(m.startswith(rule.message()) for m in err.messages)
