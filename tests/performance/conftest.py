"""A small dataset: a percentage indicator owned by `agency`, a rate owned by `other_agency`,
monthly values, and a Board meeting."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from lift.core.models import Agency, Partnership, Person
from lift.governance import services as gov
from lift.governance.choices import GroupKind
from lift.governance.models import Meeting
from lift.performance import services
from lift.performance.models import Indicator

START = dt.date(2014, 4, 1)


def make_indicator(partnership: Partnership, agency: Agency, **kw: Any) -> Indicator:
    fields: dict[str, Any] = {
        "code": "pbv14",
        "title": "Post-birth visits within 14 days",
        "unit": "percent",
        "polarity": "higher",
        "frequency": "monthly",
        "definition": "Births visited by a health visitor within 14 days of birth.",
        "numerator": "Births visited within 14 days",
        "denominator": "Births notified",
        "source": "Fictional health visiting records",
        "effective_from": START,
        "target": Decimal(90),
        "tolerance": Decimal(5),
    }
    fields.update(kw)
    return services.indicator_create(partnership=partnership, owner_agency=agency, **fields)


@pytest.fixture
def indicator(partnership: Partnership, agency: Agency) -> Indicator:
    return make_indicator(partnership, agency)


@pytest.fixture
def rate(partnership: Partnership, other_agency: Agency) -> Indicator:
    return make_indicator(
        partnership,
        other_agency,
        code="s47",
        title="Section 47 enquiries per 10,000 children",
        unit="rate_10k",
        polarity="neither",
        frequency="quarterly",
        target=None,
        numerator="",
        denominator="",
    )


@pytest.fixture
def with_values(indicator: Indicator) -> Indicator:
    for i, v in enumerate([80, 82, 84, 81, 83, 85, 84, 86, 87, 85, 88, 86]):
        month = dt.date(2014 + (3 + i) // 12, (3 + i) % 12 + 1, 1)
        services.value_enter(
            indicator=indicator, period_start=month, value=Decimal(v), by=None, national=Decimal(88)
        )
    return indicator


@pytest.fixture
def meeting(partnership: Partnership, business_unit: Person) -> Meeting:
    board = gov.board_create(
        partnership=partnership, kind=GroupKind.BOARD, name="The Board", by=business_unit
    )
    starts = timezone.make_aware(
        dt.datetime.combine(timezone.localdate() + dt.timedelta(days=20), dt.time(10))
    )
    meeting = gov.meeting_create(board=board, starts_at=starts, by=business_unit)
    gov.agenda_item_add(meeting=meeting, title="Performance dataset", by=business_unit)
    return meeting
