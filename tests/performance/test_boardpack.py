"""The Board pack stays a Board paper at any size: every red indicator in the table, but
charts only for the focus area and the red indicators furthest from target; overdue
actions counted by agency with only the longest overdue listed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from lift.core.documents import Chart, DocTable
from lift.core.models import Agency, Partnership
from lift.governance.models import Meeting
from lift.learning.choices import ActionStatus
from lift.learning.services import action_create
from lift.performance import boardpack, services
from lift.performance.models import IndicatorValue

from .conftest import make_indicator

pytestmark = pytest.mark.django_db


def test_board_pack_charts_and_tables_are_bounded(
    partnership: Partnership, agency: Agency, meeting: Meeting
) -> None:
    red = []
    for i in range(10):
        ind = make_indicator(partnership, agency, code=f"r{i}", title=f"Red {i}")
        version = ind.versions.get()
        IndicatorValue.objects.bulk_create(
            IndicatorValue(
                partnership=partnership,
                indicator=ind,
                version=version,
                period_start=dt.date(2012 + (3 + m) // 12, (3 + m) % 12 + 1, 1),
                value=Decimal(50 + i),
            )
            for m in range(48)
        )
        services.indicator_refresh(indicator=ind)
        red.append(ind)
    services.focus_create(meeting=meeting, title="Focus", question="Why?", indicators=[red[9]])
    for n in range(40):
        action_create(
            title=f"Late action {n}",
            owner_agency=agency,
            due_on=dt.date(2020, 1, 1) + dt.timedelta(days=n),
            success_measure="Done",
            status=ActionStatus.IN_PROGRESS,
        )
    steps: list[int] = []
    doc = boardpack.build_board_pack(meeting, steps.append)
    assert steps == sorted(steps) and steps[-1] >= 85  # progress is reported as it goes
    charts = [b for b in doc.sections if isinstance(b, Chart)]
    assert len(charts) == boardpack.MAX_EXCEPTION_CHARTS + 1  # furthest red + the focus one
    assert all(len(c.categories) <= boardpack.MAX_CHART_POINTS for c in charts)
    assert charts[0].title == "Red 0"  # 50 against 90 is the furthest from target
    tables = {b.caption: b for b in doc.sections if isinstance(b, DocTable)}
    assert len(tables["Red indicators"].rows) == 10
    assert tables["Overdue actions by agency"].rows[0][1] == 40
    listed = tables[f"The {boardpack.MAX_OVERDUE_LISTED} longest overdue of 40"]
    assert len(listed.rows) == boardpack.MAX_OVERDUE_LISTED
    assert listed.rows[0][1] == "Late action 0"


def test_a_focus_indicator_already_charted_is_charted_once(
    partnership: Partnership, agency: Agency, meeting: Meeting
) -> None:
    ind = make_indicator(partnership, agency, code="pcsex", title="Charge rate")
    IndicatorValue.objects.bulk_create(
        IndicatorValue(
            partnership=partnership,
            indicator=ind,
            version=ind.versions.get(),
            period_start=dt.date(2024, m, 1),
            value=Decimal(50),
        )
        for m in range(1, 13)
    )
    services.indicator_refresh(indicator=ind)
    services.focus_create(meeting=meeting, title="Focus", question="Why?", indicators=[ind])
    doc = boardpack.build_board_pack(meeting, lambda _n: None)
    charts = [b for b in doc.sections if isinstance(b, Chart)]
    assert [c.title for c in charts] == ["Charge rate"]  # its name, not "pcsex: ..."
    assert charts[0].period and charts[0].source.startswith("LIFT, ")
    assert "pcsex" not in repr(doc.sections)
