"""The signed-off snapshot keeps a chart's own data table (Chart.data), so the frozen report
renders as it was signed, and a report frozen before that still renders."""

from __future__ import annotations

import json

from lift.core import documents as d
from lift.reports.snapshot import freeze, thaw


def _doc() -> d.Doc:
    table = d.DocTable(
        "Deaths by category, with withheld counts in words",
        ["Category", "2025", "2026"],
        [["Sudden death", "Fewer than 3", 4], ["Total", 6, 7]],
        numeric=(1, 2),
    )
    return d.Doc(
        title="Annual report 2025/26",
        sections=[
            d.Chart("bar", "Deaths by category", ["Sudden death"], {"2025": [2], "2026": [4]}),
            d.Chart(
                "bar",
                "Deaths by category (withheld)",
                ["Sudden death"],
                {"2025": [None], "2026": [4]},
                data=table,
            ),
        ],
    )


def test_a_charts_own_table_survives_freezing() -> None:
    frozen = json.loads(json.dumps(freeze(_doc())))  # as stored in the JSON field
    thawed = thaw(frozen, None)
    plain, own = thawed.sections
    assert isinstance(own, d.Chart) and isinstance(own.data, d.DocTable)
    assert own.data == _doc().sections[1].data  # type: ignore[union-attr]
    assert isinstance(plain, d.Chart) and plain.data is None
    html = d.render_html(thawed)
    assert "Fewer than 3" in html
    assert html.count("Deaths by category, with withheld counts in words") == 1


def test_a_report_frozen_with_the_table_as_text_still_renders() -> None:
    frozen = freeze(_doc())
    frozen["sections"][1]["data"] = "DocTable(caption='Deaths by category', ...)"
    thawed = thaw(frozen, None)
    assert thawed.sections[1].data is None  # type: ignore[union-attr]
    assert "Data for the chart: Deaths by category (withheld)" in d.render_html(thawed)
