"""Training's section of the annual report: the Training sub-group's report, the training
annual report of the programme of the report's year nested in it. Registered with
`lift.reports.registry` from the app's `ready()`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from lift.core.documents import Block, Para
from lift.core.wording import long_date
from lift.reports.registry import nested, register_annual_section

from .models import Programme
from .reports import annual_report as programme_report


def training_section(partnership: Any, start: dt.date, end: dt.date) -> list[Block] | None:
    from lift.voice.rules import year_of

    overlapping = Programme.objects.filter(
        partnership=partnership, starts_on__lte=end, ends_on__gte=start
    )
    # The programme of the report's year; failing that, the latest one running in it.
    programme = (
        overlapping.filter(year=year_of(start)).first()
        or overlapping.order_by("-starts_on").first()
    )
    if programme is None:
        return None
    return [
        Para(
            f"Figures for the training programme {programme.year}, "
            f"{long_date(programme.starts_on)} to {long_date(programme.ends_on)}."
        ),
        *nested(programme_report(partnership, programme).sections),
    ]


def register() -> None:
    register_annual_section(
        "training", "Training: the Training sub-group's report", 30, training_section
    )
