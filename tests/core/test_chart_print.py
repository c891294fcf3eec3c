"""Charts fit for print (issue 20 item 2): every chart has its title, units, period and
source; its labels are readable on A4 (at least 9 pt, none over another, from the chart's
own drawn layout); each chart is in a document once, with its data table; and no internal
code (an indicator's code, a slug or key) is printed in the demo's Board pack."""

from __future__ import annotations

import datetime as dt
import html
import logging
import re
from typing import Any

import matplotlib
import pytest

from lift.core import charts, demo
from lift.core.documents import Chart, render_html

logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)

MONTHS = [dt.date(2024 + (3 + m) // 12, (3 + m) % 12 + 1, 1).strftime("%b %Y") for m in range(36)]

# An internal code as printed: a lower-case token glued to another by a colon, as in
# "pcsex:q1", "documents:chart" or "reviews:case-12" (no space after the colon, so prose
# such as "as follows: the" is not one). Indicator codes are checked by name as well,
# since "pcsex: Police charge rate" has a space.
INTERNAL_CODE = re.compile(r"(?<![\w/.#@-])[a-z][a-z0-9_]*:[a-z0-9][a-z0-9_-]*\b")


def monthly_chart(**kw: Any) -> Chart:
    return Chart(
        "line",
        "Average social work caseload",
        MONTHS,
        {"Caseload": [float(15 + i % 7) for i in range(36)], "Target": [18.0] * 36},
        y_label="Number of cases",
        period="April 2024 to March 2027",
        source="LIFT, Harrowmere performance dataset",
        **kw,
    )


def drawn(chart: Chart) -> Any:
    with matplotlib.rc_context(charts._RC):  # type: ignore[arg-type]
        fig = charts._figure(chart)
        boxes = charts.label_boxes(fig)
        return fig, boxes


@pytest.mark.parametrize("kind", ["line", "bar", "stacked"])
def test_36_months_on_an_a4_figure_have_no_overlapping_labels(kind: str) -> None:
    fig, boxes = drawn(monthly_chart_kind(kind))
    assert fig.get_figwidth() == charts.FIGURE_WIDTH_IN
    assert charts.overlaps(boxes) == []
    ticks = [t for t in fig.axes[0].get_xticklabels() if t.get_visible()]
    assert 2 <= len(ticks) < 36  # thinned, with the first month kept
    assert ticks[0].get_text() == "Apr 2024"
    assert charts.smallest_font_pt(fig) >= charts.MIN_PRINT_PT


def monthly_chart_kind(kind: str) -> Chart:
    chart = monthly_chart()
    chart.kind = kind
    return chart


def test_the_overlap_check_sees_an_overlap() -> None:
    # Without thinning, 36 month labels on a 6.4 inch axis lie over each other.
    with matplotlib.rc_context(charts._RC):  # type: ignore[arg-type]
        fig = charts._figure(monthly_chart())
        for tick in fig.axes[0].xaxis.get_major_ticks():
            tick.label1.set_visible(True)
        assert charts.overlaps(charts.label_boxes(fig))


def test_a_few_short_labels_are_all_shown() -> None:
    chart = Chart("bar", "Returns", ["Police", "Health", "Schools"], {"Returns": [4, 6, 2]})
    fig, boxes = drawn(chart)
    assert [t.get_text() for t in fig.axes[0].get_xticklabels() if t.get_visible()] == [
        "Police",
        "Health",
        "Schools",
    ]
    assert charts.overlaps(boxes) == []


@pytest.mark.parametrize("kind", ["bar", "barh", "line", "stacked"])
def test_a_chart_of_zeros_has_an_axis_with_readable_labels(kind: str) -> None:
    # The CDOP's small numbers: every count shown is 0, the others withheld (None).
    chart = Chart(kind, "Modifiable factors", ["Identified", "None"], {"2025": [0, None]})
    fig, boxes = drawn(chart)
    assert charts.overlaps(boxes) == []
    ax = fig.axes[0]
    ticks = [
        t.get_text() for t in (ax.get_xticklabels() if kind == "barh" else ax.get_yticklabels())
    ]
    assert "0" in ticks and "1" in ticks


def test_long_category_names_fit_on_the_page() -> None:
    # The CDOP's categories, beside a horizontal bar chart with a legend.
    names = [
        "1. Deliberately inflicted injury, abuse or neglect",
        "3. Trauma and other external factors, including medical/surgical complications or error",
        "10. Sudden unexpected, unexplained death",
    ]
    chart = Chart("barh", "Deaths reviewed", names, {"2024": [1, 2, 0], "2025": [0, 3, 1]})
    fig, boxes = drawn(chart)
    assert charts.clipped(fig, boxes) == []
    assert charts.overlaps(boxes) == []
    assert charts.smallest_font_pt(fig) >= charts.MIN_PRINT_PT


def test_title_units_period_and_source_are_drawn() -> None:
    _fig, boxes = drawn(monthly_chart())
    texts = [text for text, _box in boxes]
    assert "Average social work caseload" in texts
    assert "Number of cases" in texts
    assert (
        "Source: LIFT, Harrowmere performance dataset. Period: April 2024 to March 2027." in texts
    )
    svg = charts.chart_svg(monthly_chart())
    assert "Period: April 2024 to March 2027." in html.unescape(svg)


def test_source_defaults_to_lift() -> None:
    assert charts.caption(Chart("bar", "x", ["a"], {"s": [1]})) == "Source: LIFT."


def test_font_size_follows_the_printed_width() -> None:
    # 9 pt printed at 16 cm needs a little more than 9 pt on the 6.4 inch figure.
    assert charts.FONT_PT * charts.PRINT_WIDTH_IN / charts.FIGURE_WIDTH_IN >= 9.0


# --- the demo's Board pack --------------------------------------------------------------


@pytest.fixture(scope="module")
def packs(built: demo.DemoContext, django_db_blocker: Any) -> list[Any]:
    from lift.performance.boardpack import build_board_pack
    from lift.performance.models import ScrutinyFocus

    with django_db_blocker.unblock():
        meetings = {f.meeting for f in ScrutinyFocus.objects.filter(partnership=built.partnership)}
        assert meetings
        return [build_board_pack(m, lambda _n: None) for m in meetings]


@pytest.mark.django_db
def test_board_pack_shows_each_chart_once_with_its_table(packs: list[Any]) -> None:
    for doc in packs:
        titles = [b.title for b in doc.sections if isinstance(b, Chart)]
        assert len(titles) == len(set(titles)), titles
        page = render_html(doc)
        for title in titles:
            shown = html.escape(title)
            assert page.count(f'<figcaption class="govuk-heading-s">{shown}</figcaption>') == 1
            assert page.count(f"Data for the chart: {shown}") == 1
        assert page.count('class="lift-chart"') == len(titles)


@pytest.mark.django_db
def test_board_pack_charts_have_period_and_source(packs: list[Any]) -> None:
    charted = [b for doc in packs for b in doc.sections if isinstance(b, Chart)]
    assert charted
    for chart in charted:
        # The dataset's charts, and those of the items' LIFT sections (an inspection's plan).
        assert chart.y_label and chart.period and chart.source.startswith("LIFT, ")
        assert "Harrowmere" in chart.source


@pytest.mark.django_db
def test_no_internal_code_in_the_board_pack(built: demo.DemoContext, packs: list[Any]) -> None:
    from lift.performance.models import Indicator

    codes = list(
        Indicator.objects.filter(partnership=built.partnership).values_list("code", flat=True)
    )
    assert "pcsex" in codes
    for doc in packs:
        text = html.unescape(re.sub(r"<[^>]+>", " ", render_html(doc)))
        assert not INTERNAL_CODE.findall(text)
        for code in codes:
            assert not re.search(rf"(?<![\w-]){re.escape(code)}(?![\w-])", text), code
