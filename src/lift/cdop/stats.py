"""Trends across child deaths, counted in the database, and the CDOP annual report.

Every aggregate here may be shown outside the panel (the trends page, the annual report to
the Board, the API), so every count passes through small-number suppression
(rules.suppress): a count below the partnership's threshold is withheld, with a second
count withheld where one could be worked out from a total. Aggregates never reveal a child.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q

from lift.core.charts import cached_svg, data_version
from lift.core.documents import (
    Bullets,
    Chart,
    Doc,
    DocTable,
    Heading,
    KeyValue,
    Para,
    render_html,
)
from lift.core.models import Partnership
from lift.learning.models import Action, Recommendation

from . import rules
from .choices import AgeBand, Expected
from .models import Analysis, AnalysisFactor, Campaign, CdopReferral, ChildDeath
from .reference import cdop_reference
from .services import settings_for


@dataclass
class Table:
    """A suppressed cross-tabulation: rows (labels) by years, values int or None."""

    title: str
    row_labels: list[str]
    years: list[int]
    cells: dict[tuple[str, int], int | None] = field(default_factory=dict)
    totals: dict[int, int | None] = field(default_factory=dict)

    def value(self, label: str, year: int) -> int | None:
        return self.cells.get((label, year), 0)


def _shown(value: int | None, threshold: int) -> str:
    return f"fewer than {threshold}" if value is None else f"{value:,}"


def _crosstab(
    title: str,
    counts: dict[tuple[str, int], int],
    labels: list[str],
    years: list[int],
    threshold: int,
) -> Table:
    table = Table(title, labels, years)
    for year in years:
        column = {label: counts.get((label, year), 0) for label in labels}
        for label, value in rules.suppress(column, threshold).items():
            table.cells[(label, year)] = value
        table.totals[year] = rules.suppress_total(sum(column.values()), threshold)
    return table


@dataclass
class Trends:
    years: list[int]
    threshold: int
    deaths: Table
    categories: Table
    age_bands: Table
    expected: Table
    modifiable: Table
    factors: Table
    modifiable_share: dict[int, str]
    campaigns: list[Campaign]


def trends(partnership: Partnership, years: list[int]) -> Trends:
    """Counts by year of death: all deaths, category, age band, expected / unexpected,
    modifiable factors (numbers and proportion of analyses) and recurring factors."""
    ref = cdop_reference()
    threshold = settings_for(partnership).suppression_threshold
    cases = ChildDeath.objects.filter(partnership=partnership, year_of_death__in=years)
    analyses = Analysis.objects.filter(partnership=partnership, case__year_of_death__in=years)

    def by(qs: Any, key: str, year_key: str) -> dict[tuple[str, int], int]:
        rows = qs.values(key, year_key).annotate(n=Count("id")).order_by()
        return {(str(r[key]), int(r[year_key])): int(r["n"]) for r in rows}

    per_year = {
        int(r["year_of_death"]): int(r["n"])
        for r in cases.values("year_of_death").annotate(n=Count("id")).order_by()
    }
    deaths = Table("Child deaths notified", ["All deaths"], years)
    for year in years:
        value = rules.suppress_total(per_year.get(year, 0), threshold)
        deaths.cells[("All deaths", year)] = value
        deaths.totals[year] = value

    cat_labels = {c.code: f"{c.number}. {c.label}" for c in ref.categories}
    raw = by(analyses, "category", "case__year_of_death")
    categories = _crosstab(
        "Deaths reviewed, by category",
        {(cat_labels.get(k, k), y): n for (k, y), n in raw.items()},
        list(cat_labels.values()),
        years,
        threshold,
    )
    band_labels = dict(AgeBand.choices)
    raw = by(cases, "age_band", "year_of_death")
    age_bands = _crosstab(
        "Child deaths, by age at death",
        {(band_labels.get(k, k), y): n for (k, y), n in raw.items()},
        list(band_labels.values()),
        years,
        threshold,
    )
    exp_labels = dict(Expected.choices)
    raw = by(cases, "expected", "year_of_death")
    expected = _crosstab(
        "Expected and unexpected deaths",
        {(exp_labels.get(k, k), y): n for (k, y), n in raw.items()},
        list(exp_labels.values()),
        years,
        threshold,
    )
    out_labels = {o.code: o.label for o in ref.outcomes}
    raw = by(analyses, "modifiable", "case__year_of_death")
    modifiable = _crosstab(
        "Modifiable factors in reviewed deaths",
        {(out_labels.get(k, k), y): n for (k, y), n in raw.items()},
        list(out_labels.values()),
        years,
        threshold,
    )
    share: dict[int, str] = {}
    for year in years:
        found = modifiable.cells.get((out_labels["identified"], year), 0)
        total = sum(n for (k, y), n in raw.items() if y == year)
        if found is None or rules.suppress_total(total, threshold) is None:
            share[year] = "withheld (small numbers)"
        elif total == 0:
            share[year] = "no reviews"
        else:
            share[year] = f"{round(100 * found / total)}%"
    factor_labels = {f.code: f.label for f in ref.factors}
    raw_f = {
        (
            factor_labels.get(str(r["code"]), str(r["code"])),
            int(r["analysis__case__year_of_death"]),
        ): int(r["n"])
        for r in AnalysisFactor.objects.filter(
            partnership=partnership, analysis__case__year_of_death__in=years
        )
        .values("code", "analysis__case__year_of_death")
        .annotate(n=Count("id"))
        .order_by()
    }
    # Factors are not exclusive (a case can have several), so each is suppressed on its own.
    factors = Table("Recurring factors (reviews recording them)", [], years)
    recorded = sorted({label for label, _ in raw_f})
    factors.row_labels = recorded
    for (label, year), n in raw_f.items():
        factors.cells[(label, year)] = rules.suppress_total(n, threshold)
    campaigns = list(
        Campaign.objects.filter(partnership=partnership, started_on__year__in=years).order_by(
            "started_on"
        )
    )
    return Trends(
        years,
        threshold,
        deaths,
        categories,
        age_bands,
        expected,
        modifiable,
        factors,
        share,
        campaigns,
    )


def _doc_table(table: Table, threshold: int, *, total: bool = True) -> DocTable:
    headers = [table.title.split(",")[0], *[str(y) for y in table.years]]
    rows = [
        [label, *[_shown(table.value(label, y), threshold) for y in table.years]]
        for label in table.row_labels
    ]
    if total and table.totals:
        rows.append(["Total", *[_shown(table.totals.get(y), threshold) for y in table.years]])
    return DocTable(table.title, headers, rows, numeric=tuple(range(1, len(headers))))


def _chart(table: Table, kind: str = "barh", data: DocTable | None = None) -> Chart:
    """The table's chart; `data` is its data table (withheld counts in words), shown once
    with the chart rather than after the chart's own copy of the figures."""
    return Chart(
        kind=kind,
        title=table.title,
        categories=[str(y) for y in table.years] if kind == "line" else table.row_labels,
        series=(
            {label: [table.value(label, y) for y in table.years] for label in table.row_labels}
            if kind == "line"
            else {
                str(y): [table.value(label, y) for label in table.row_labels] for y in table.years
            }
        ),
        y_label="Deaths",
        period=f"{table.years[0]} to {table.years[-1]}" if len(table.years) > 1 else "",
        source="LIFT, the Child Death Overview Panel's reviews",
        data=data,
    )


CHART_FACTORS = 10


def _top(table: Table, n: int = CHART_FACTORS) -> Table:
    """The `n` rows with the most (shown) reviews over the years, for a chart that stays
    legible; the data table below it keeps every row."""
    if len(table.row_labels) <= n:
        return table
    total = {
        label: sum(table.value(label, y) or 0 for y in table.years) for label in table.row_labels
    }
    keep = sorted(table.row_labels, key=lambda label: (-total[label], label))[:n]
    return Table(
        f"{table.title}: the {n} most recorded",
        keep,
        table.years,
        {k: v for k, v in table.cells.items() if k[0] in keep},
    )


# Drawing the charts is most of the page's time; the figures are counted in the database on
# every request and the drawn page is reused while they are the same (the key is a hash of
# every figure and label shown, so a changed count is never served stale).
TRENDS_CACHE_SECONDS = 60 * 60


def trends_html(t: Trends) -> str:
    """The trends as an HTML fragment (charts with their tables), cached by their data."""
    blocks = trends_blocks(t)
    return cached_svg(
        "cdop:trends",
        data_version(blocks),
        lambda: render_html(Doc(title="Child death trends", sections=blocks), include_title=False),
        timeout=TRENDS_CACHE_SECONDS,
    )


def trends_blocks(t: Trends) -> list[Any]:
    """The trends as document blocks: each chart with its data table."""
    note = Para(
        f"Counts below {t.threshold} are withheld and shown as 'fewer than {t.threshold}' "
        "(blank in the chart data) so that no child can be identified; where one withheld "
        "count could be worked out from a total, another is withheld too."
    )
    blocks: list[Any] = [note, Heading("Deaths over the years", 2)]
    blocks.append(_chart(t.deaths, "line", _doc_table(t.deaths, t.threshold, total=False)))
    for table in (t.categories, t.age_bands, t.expected):
        blocks += [Heading(table.title, 2), _chart(table, data=_doc_table(table, t.threshold))]
    blocks += [
        Heading(t.modifiable.title, 2),
        _chart(t.modifiable, data=_doc_table(t.modifiable, t.threshold)),
    ]
    blocks.append(
        KeyValue([(f"Modifiable factors identified, {y}", t.modifiable_share[y]) for y in t.years])
    )
    blocks.append(Heading(t.factors.title, 2))
    if t.factors.row_labels:
        blocks.append(_chart(_top(t.factors), data=_doc_table(t.factors, t.threshold, total=False)))
    else:
        blocks.append(Para("No factors recorded in these years."))
    return blocks


def annual_report(
    partnership: Partnership, year: int, *, period: tuple[dt.date, dt.date] | None = None
) -> Doc:
    """The CDOP annual report to the Board: the year's work, trends over three years,
    learning, recommendations and their actions, referrals, and campaigns.

    The year's work is counted over the calendar year `year`, or over `period` (its first
    and last day: the partnership's annual report passes its financial year); the trends
    are by calendar year of death, the three years to `year`."""
    years = [year - 2, year - 1, year]
    t = trends(partnership, years)
    threshold = t.threshold
    first, last = period or (dt.date(year, 1, 1), dt.date(year, 12, 31))
    cases = ChildDeath.objects.filter(
        partnership=partnership, notified_on__gte=first, notified_on__lte=last
    )
    reviewed = Analysis.objects.filter(
        partnership=partnership, completed_on__gte=first, completed_on__lte=last
    )
    counts = cases.aggregate(n=Count("id"), jar=Count("id", filter=Q(joint_agency_response=True)))
    recs = Recommendation.objects.filter(
        partnership=partnership,
        source_type__model="analysis",
        source_type__app_label="cdop",
        source_id__in=reviewed.values("pk"),
    )
    actions = Action.objects.filter(recommendation__in=recs).select_related("owner_agency")
    referrals = CdopReferral.objects.filter(
        partnership=partnership, referred_on__gte=first, referred_on__lte=last
    )
    learning = [a.learning_points for a in reviewed.exclude(learning_points="")[:20]]
    campaigns = list(
        Campaign.objects.filter(
            partnership=partnership, started_on__gte=first, started_on__lte=last
        ).order_by("started_on")
    )
    sections: list[Any] = [
        Heading("Summary", 1),
        KeyValue(
            [
                (
                    "Deaths notified",
                    _shown(rules.suppress_total(counts["n"], threshold), threshold),
                ),
                (
                    "Joint agency responses",
                    _shown(rules.suppress_total(counts["jar"], threshold), threshold),
                ),
                (
                    "Reviews completed by the panel",
                    _shown(rules.suppress_total(reviewed.count(), threshold), threshold),
                ),
                ("Recommendations to agencies", f"{recs.count():,}"),
                (
                    "Referrals for reviews",
                    _shown(rules.suppress_total(referrals.count(), threshold), threshold),
                ),
            ]
        ),
        Heading("Trends", 1),
        *trends_blocks(t),
        Heading("Learning", 1),
        Bullets(learning) if learning else Para("No learning points recorded this year."),
        Heading("Recommendations and actions", 1),
    ]
    if actions:
        sections.append(
            DocTable(
                "Actions from the panel's recommendations",
                ["Action", "Agency", "Due", "Status"],
                [[a.title, a.owner_agency.name, a.due_on, a.get_status_display()] for a in actions],
            )
        )
    else:
        sections.append(Para("No actions from recommendations this year."))
    sections.append(Heading("Campaigns and publications", 1))
    if campaigns:
        sections.append(
            DocTable(
                "Campaigns and publications",
                ["Title", "Kind", "Audience", "Partners", "Reach"],
                [
                    [c.title, c.get_kind_display(), c.get_audience_display(), c.partners, c.reach]
                    for c in campaigns
                ],
                numeric=(4,),
            )
        )
    else:
        sections.append(Para("No campaigns recorded this year."))
    return Doc(
        title=f"Child Death Overview Panel annual report {year}",
        subtitle="Report to the Board",
        partnership=partnership,
        sections=sections,
    )
