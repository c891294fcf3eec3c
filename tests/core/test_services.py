"""core.services.changes_apply: the one way an `<noun>_update` service writes plain field
changes."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from lift.core.models import Agency
from lift.core.services import changes_apply
from lift.learning.models import Finding, Theme

pytestmark = pytest.mark.django_db

EDITABLE = frozenset({"name", "is_active"})


def test_changes_are_validated_and_saved(agency: Agency) -> None:
    changes_apply(agency, {"name": "Harbour Family Help", "is_active": False}, editable=EDITABLE)
    agency.refresh_from_db()
    assert agency.name == "Harbour Family Help" and agency.is_active is False


def test_a_field_not_offered_is_refused_and_nothing_saved(agency: Agency) -> None:
    name = agency.name
    with pytest.raises(ValidationError, match="cannot be changed here: agency_type"):
        changes_apply(agency, {"name": "Other", "agency_type": "police"}, editable=EDITABLE)
    agency.refresh_from_db()
    assert agency.name == name


def test_an_invalid_value_is_refused_by_the_model(agency: Agency) -> None:
    name = agency.name
    with pytest.raises(ValidationError) as refused:
        changes_apply(agency, {"name": ""}, editable=EDITABLE)
    assert "name" in refused.value.message_dict
    agency.refresh_from_db()
    assert agency.name == name


def test_many_to_many_fields_are_set_after_the_save(partnership) -> None:
    import datetime as dt

    theme = Theme.objects.create(partnership=partnership, code="neglect-x", name="Neglect")
    finding = Finding.objects.create(
        partnership=partnership, title="A lesson", text="Text.", identified_on=dt.date(2026, 3, 2)
    )
    changes_apply(
        finding,
        {"title": "A lesson learned", "themes": [theme]},
        editable=frozenset({"title", "themes"}),
    )
    finding.refresh_from_db()
    assert finding.title == "A lesson learned" and list(finding.themes.all()) == [theme]
