"""Filling a GOV.UK date input (core.widgets.GovukDateInput) in a browser test: the
fieldset named by its legend holds the Day, Month and Year boxes."""

from __future__ import annotations

import datetime as dt

from playwright.sync_api import Page


def fill_date(page: Page, legend: str, day: dt.date) -> None:
    """Type `day` into the date input whose legend is `legend`, as a person would."""
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))
