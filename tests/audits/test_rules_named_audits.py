"""The audits rule not named elsewhere, by name (issue 18, item 6): `identifiers_in`, which
decides `NoIdentifiersInText`, once where the text holds no identifier and the service
saves it, once where it holds one and the service refuses with the rule's message, saving
nothing."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from lift.audits import rules, services
from lift.audits.models import Audit
from lift.core.rules import BusinessRule

from .conftest import CHILD_NAME, World

pytestmark = pytest.mark.django_db


def _codes(err: ValidationError) -> set[str]:
    if hasattr(err, "error_dict"):
        return {e.code for errors in err.error_dict.values() for e in errors}
    return {e.code for e in err.error_list}


def assert_refused_by(rule: type[BusinessRule], err: ValidationError) -> None:
    """The error is the rule's own: its name as the code, its message as the words."""
    assert rule.__name__ in _codes(err)
    assert rule.message() in err.messages


def test_identifiers_in() -> None:
    names = [CHILD_NAME, "", "SC-1234"]
    assert rules.identifiers_in(f"We met {CHILD_NAME.upper()} at school.", names) == [CHILD_NAME]
    assert rules.identifiers_in("Record SC-1234 was read.", names) == ["SC-1234"]
    assert rules.identifiers_in(f"{CHILD_NAME}, record SC-1234", names) == [CHILD_NAME, "SC-1234"]
    assert rules.identifiers_in("Record SC-12345 was read.", names) == []  # a longer number
    assert rules.identifiers_in("The plan ended well.", names) == []
    assert rules.identifiers_in("", names) == []


def test_identifiers_in_decides_the_overview(world: World) -> None:
    audit = world.audit
    assert rules.identifiers_in(CHILD_NAME, services.audit_identifiers(audit, world.bu))
    with pytest.raises(ValidationError) as err:
        services.audit_overview_save(
            audit=audit, summary=f"Plans for {CHILD_NAME} ended too soon.", by=world.bu
        )
    assert_refused_by(rules.NoIdentifiersInText, err.value)
    assert "overview_summary" in err.value.message_dict
    assert Audit.objects.get(pk=audit.pk).overview_summary == ""
    services.audit_overview_save(audit=audit, summary="Plans ended too soon.", by=world.bu)
    assert Audit.objects.get(pk=audit.pk).overview_summary == "Plans ended too soon."
