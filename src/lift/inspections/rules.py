"""Rules of learning from inspection, each named and documented (the seed: "The LSCB
receives the report of any inspection ... and the action plan drawn up to address its
recommendations. Progress against the action is monitored at regular intervals by the
Board.")."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from lift.core import calendar
from lift.core.rules import BusinessRule

from .reference import inspection_reference

if TYPE_CHECKING:
    from .models import Inspection


class InspectorateInList(BusinessRule):
    """Choose an inspectorate from the list in reference/inspections."""

    field = "inspectorate"

    @classmethod
    def check(cls, code: str) -> None:
        if inspection_reference().inspectorate(code) is None:
            raise cls.violation()


class GradeOnScale(BusinessRule):
    """Choose a grade from the inspectorate's own judgement scale."""

    field = "grade"

    @classmethod
    def check(cls, inspectorate: str, grade: str) -> None:
        scale = inspection_reference().scale_for(inspectorate)
        if scale is None or grade not in {g.code for g in scale.grades}:
            raise cls.violation()


class InspectionDatesInOrder(BusinessRule):
    """The inspection ends on or after it starts, and its report is published after it."""

    field = "ended_on"

    @classmethod
    def check(cls, started: dt.date, ended: dt.date, published: dt.date | None) -> None:
        if ended < started or (published is not None and published < started):
            raise cls.violation()


def progress_due(previous: dt.date, interval_months: int) -> dt.date:
    """Progress against the action plan is reported to the Board at the interval set for
    the inspection: the next report is due that many months after the previous one (or
    after the report's publication, for the first). Months clamp to the month's end."""
    return calendar.add_months(previous, interval_months)


def check_inspection(inspection: Inspection) -> None:
    InspectorateInList.check(inspection.inspectorate)
    InspectionDatesInOrder.check(
        inspection.started_on, inspection.ended_on, inspection.published_on
    )
