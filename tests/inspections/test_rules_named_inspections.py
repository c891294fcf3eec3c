"""The inspection check by name (issue 18, item 6): once where it holds and the service
records the inspection, once where it is broken and the service refuses with the rule's
message, saving nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from lift.core.models import Agency, Partnership, Person
from lift.core.rules import BusinessRule
from lift.inspections import rules, services
from lift.inspections.models import Inspection

pytestmark = pytest.mark.django_db


def _codes(err: ValidationError) -> set[str]:
    if hasattr(err, "error_dict"):
        return {e.code for errors in err.error_dict.values() for e in errors}
    return {e.code for e in err.error_list}


def assert_refused_by(rule: type[BusinessRule], err: ValidationError) -> None:
    """The error is the rule's own: its name as the code, its message as the words."""
    assert rule.__name__ in _codes(err)
    assert rule.message() in err.messages


def _record(partnership: Partnership, agency: Agency, by: Person, **fields: Any) -> Inspection:
    values: dict[str, Any] = {
        "inspectorate": "ofsted",
        "title": "Inspection of children's services",
        "started_on": dt.date(2025, 1, 13),
        "ended_on": dt.date(2025, 1, 24),
        "published_on": dt.date(2025, 3, 4),
    }
    values.update(fields)
    return services.inspection_create(partnership=partnership, agency=agency, by=by, **values)


def test_check_inspection(partnership: Partnership, agency: Agency, business_unit: Person) -> None:
    """`rules.check_inspection` (the inspection's clean()), through inspection_create."""
    with pytest.raises(ValidationError) as err:
        _record(partnership, agency, business_unit, inspectorate="not-an-inspectorate")
    assert_refused_by(rules.InspectorateInList, err.value)
    with pytest.raises(ValidationError) as err:
        _record(partnership, agency, business_unit, ended_on=dt.date(2025, 1, 12))
    assert_refused_by(rules.InspectionDatesInOrder, err.value)
    with pytest.raises(ValidationError) as err:
        _record(partnership, agency, business_unit, published_on=dt.date(2025, 1, 1))
    assert_refused_by(rules.InspectionDatesInOrder, err.value)
    assert not Inspection.objects.exists()
    inspection = _record(partnership, agency, business_unit)
    assert Inspection.objects.get().pk == inspection.pk
    rules.check_inspection(inspection)
