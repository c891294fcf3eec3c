"""Synthetic performance data for the benchmark (`lift bench-data`).

Per partnership: about 300 indicators spread over its agencies (mixed units, polarities and
frequencies, one in ten with a definition change part-way), with values over ten years,
`dataset_values` in all (33,333 at national scale, so 5,000,000 over 150 partnerships),
comparators on most, commentary on some; and a scrutiny focus area with commissioned
analysis for every Board meeting.

Inserted in bulk (no history, no signals, no per-row queries); each indicator's stored
summary (latest value, RAG, direction, sparkline) is computed here from the rows in memory
with the same function the services use, so pages read it as they would in use.
Fictional throughout ("Bench indicator 017").
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from lift.core.bench.data import BenchContext, Scale, row_factory

YEARS = 10
# At national scale 300 indicators x (90% monthly x 120 + 6% quarterly x 40 + 4% annual x
# 10) ~ 33,240 values per partnership, just under the 33,333 budget.
INDICATORS = 300
VALUES_PER_INDICATOR = 111
FREQUENCIES = [("monthly", 90), ("quarterly", 6), ("annual", 4)]
PERIODS_PER_YEAR = {"monthly": 12, "quarterly": 4, "annual": 1}
UNITS = [("percent", 45), ("count", 20), ("rate_10k", 20), ("days", 15)]
POLARITIES = [("higher", 45), ("lower", 40), ("neither", 15)]
THEMES = ["neglect", "child-sexual-exploitation", "domestic-abuse", "early-help", "online-safety"]
SUBJECTS = [
    "post-birth visits within 14 days",
    "health visitor caseload",
    "Section 47 enquiries",
    "social work caseload",
    "charge rate for sexual offences",
    "re-referrals within 12 months",
    "child protection plans lasting two years or more",
    "return interviews within 72 hours",
    "initial child protection conferences within 15 days",
    "school attendance of children in need",
]
# A plausible level for each unit: (low, high) of the starting level, step of the walk.
LEVELS = {
    "percent": (45.0, 92.0, 2.5),
    "count": (40.0, 400.0, 12.0),
    "rate_10k": (200.0, 650.0, 15.0),
    "days": (8.0, 60.0, 2.0),
}
CENT = Decimal("0.01")


def _dec(x: float) -> Decimal:
    return Decimal(f"{x:.2f}")


def _period_starts(today: dt.date) -> dict[str, list[dt.date]]:
    """The last ten years of periods of each frequency, oldest first, ending with the last
    finished period (the same for every indicator, so computed once)."""
    from .periods import containing, following

    out = {}
    for freq, per_year in PERIODS_PER_YEAR.items():
        last = following(freq, containing(freq, today), -1)
        n = YEARS * per_year
        out[freq] = [following(freq, last, k - n + 1) for k in range(n)]
    return out


def _weighted(rng: random.Random, options: list[tuple[str, int]]) -> str:
    return rng.choices([o for o, _ in options], [w for _, w in options])[0]


def generate_performance(ctx: BenchContext, scale: Scale, rng: random.Random) -> None:
    from lift.governance.models import Meeting
    from lift.learning.models import Theme

    from .models import (
        AnalysisRequest,
        Indicator,
        IndicatorValue,
        IndicatorVersion,
        ScrutinyFocus,
    )
    from .summary import RECENT_VALUES, summarise

    new_value = row_factory(IndicatorValue)

    theme_ids = list(
        Theme.objects.filter(partnership__isnull=True, code__in=THEMES).values_list("pk", flat=True)
    )
    starts = _period_starts(ctx.today)
    indicator_themes = Indicator.themes.through
    focus_indicators = ScrutinyFocus.indicators.through
    budget_total = scale.count("dataset_values", 60)
    n_indicators = min(INDICATORS, max(4, budget_total // VALUES_PER_INDICATOR))
    for bp in ctx.partnerships:
        if not bp.agency_ids:
            continue
        budget = budget_total
        indicators: list[Indicator] = []
        planned: list[tuple[list[IndicatorValue], dt.date | None]] = []
        for k in range(n_indicators):
            freq = "monthly" if k == 0 else _weighted(rng, FREQUENCIES)
            unit = "percent" if k == 0 else _weighted(rng, UNITS)
            polarity = "higher" if k == 0 else _weighted(rng, POLARITIES)
            low, high, step = LEVELS[unit]
            level = rng.uniform(low, high)
            target = None if polarity == "neither" else _dec(level * rng.uniform(0.9, 1.1))
            if unit == "percent" and target is not None:
                target = min(target, Decimal(100))
            # Share what is left of the budget over the indicators still to make.
            n = min(len(starts[freq]), -(-budget // (n_indicators - k)))
            budget -= n
            periods = starts[freq][len(starts[freq]) - n :]
            # One in ten changes its definition part-way (the chart shows the break).
            break_at = periods[n // 2] if n >= 4 and k % 10 == 3 else None
            ind = Indicator(
                partnership_id=bp.pk,
                code=f"bench-{k + 1:03d}",
                title=f"Bench indicator {k + 1:03d}: {SUBJECTS[k % len(SUBJECTS)]}",
                owner_agency_id=bp.agency_ids[k % len(bp.agency_ids)],
                unit=unit,
                polarity=polarity,
                frequency=freq,
                target=target,
                tolerance=_dec(step * 2),
                source="Agency case management system (fictional)",
                regional_label="Region",
                suppress_below=5 if unit == "count" and k % 20 == 7 else None,
                data_version=1,
            )
            values: list[IndicatorValue] = []
            national = rng.random() < 0.7
            regional = rng.random() < 0.5
            neighbours = rng.random() < 0.5
            for i, start in enumerate(periods):
                level += rng.gauss(0, step)
                if unit == "percent":
                    level = min(max(level, 1.0), 99.0)
                    denominator = rng.randint(60, 600)
                    numerator = round(level * denominator / 100)
                    value = (Decimal(numerator) * 100 / Decimal(denominator)).quantize(CENT)
                    num: Decimal | None = Decimal(numerator)
                    den: Decimal | None = Decimal(denominator)
                else:
                    level = max(level, 1.0)
                    value = Decimal(round(level)) if unit == "count" else _dec(level)
                    num = den = None
                    if ind.suppress_below and i % 17 == 5:
                        value = Decimal(rng.randint(1, 4))  # a small number, suppressed
                values.append(
                    new_value(
                        partnership_id=bp.pk,
                        period_start=start,
                        value=value,
                        numerator=num,
                        denominator=den,
                        national=_dec(level * rng.uniform(0.9, 1.1)) if national else None,
                        regional=_dec(level * rng.uniform(0.9, 1.1)) if regional else None,
                        neighbours=_dec(level * rng.uniform(0.9, 1.1)) if neighbours else None,
                        commentary=(
                            f"Bench commentary for {start:%B %Y}: within the expected range."
                            if i % 12 == 11
                            else ""
                        ),
                    )
                )
            if unit == "percent" and ind.valid_max is None:
                ind.valid_min, ind.valid_max = Decimal(0), Decimal(100)
            newest = values[::-1][:RECENT_VALUES]
            for name, v in summarise(ind, newest).items():
                setattr(ind, name, v)
            indicators.append(ind)
            planned.append((values, break_at))
        inserted = ctx.insert(Indicator, indicators)
        version_rows = []
        for ind, (values, break_at) in zip(inserted, planned, strict=True):
            since = values[0].period_start if values else ctx.today
            version_rows.append(
                IndicatorVersion(
                    partnership_id=bp.pk,
                    indicator_id=ind.pk,
                    number=1,
                    definition=f"How {ind.title.split(': ', 1)[1]} is counted (definition 1).",
                    numerator="Children for whom it happened" if ind.unit == "percent" else "",
                    denominator="Children eligible" if ind.unit == "percent" else "",
                    effective_from=since,
                )
            )
            if break_at is not None:
                version_rows.append(
                    IndicatorVersion(
                        partnership_id=bp.pk,
                        indicator_id=ind.pk,
                        number=2,
                        definition=(
                            f"How {ind.title.split(': ', 1)[1]} is counted, now including "
                            "children placed out of area (definition 2)."
                        ),
                        effective_from=break_at,
                        change_reason="The national guidance changed what is counted.",
                    )
                )
        versions = ctx.insert(IndicatorVersion, version_rows)
        by_indicator: dict[int, dict[int, IndicatorVersion]] = {}
        for version in versions:
            by_indicator.setdefault(version.indicator_id, {})[version.number] = version

        ctx.insert(IndicatorValue, _value_rows(inserted, planned, by_indicator))
        if theme_ids:
            ctx.insert(
                indicator_themes,
                (
                    indicator_themes(indicator_id=ind.pk, theme_id=theme_ids[k % len(theme_ids)])
                    for k, ind in enumerate(inserted)
                ),
            )
        _focus_areas(ctx, bp, rng, inserted, Meeting, ScrutinyFocus, AnalysisRequest)
        ctx.insert(
            focus_indicators,
            (
                focus_indicators(scrutinyfocus_id=fid, indicator_id=ind.pk)
                for fid in bp.extra.get("performance_focus_ids", [])
                for ind in rng.sample(inserted, min(3, len(inserted)))
            ),
        )
        if bp.index == 1 or bp.index % 10 == 0:
            ctx.progress(
                f"performance: partnership {bp.index}, "
                f"{ctx.counts.get('performance.IndicatorValue', 0):,} values"
            )


def _value_rows(
    inserted: list[Any],
    planned: list[tuple[list[Any], dt.date | None]],
    versions: dict[int, dict[int, Any]],
) -> Any:
    """The planned values with their indicator and definition (2 from the break on)."""
    for ind, (values, break_at) in zip(inserted, planned, strict=True):
        mine = versions[ind.pk]
        for v in values:
            v.indicator_id = ind.pk
            later = break_at is not None and v.period_start >= break_at
            v.version_id = mine[2 if later else 1].pk
            yield v


def _focus_areas(
    ctx: BenchContext,
    bp: Any,
    rng: random.Random,
    indicators: list[Any],
    meeting_model: Any,
    focus_model: Any,
    request_model: Any,
) -> None:
    """A focus area for every Board meeting of the partnership, with analysis commissioned
    from two agencies (received for meetings already held)."""
    meetings = list(
        meeting_model.objects.filter(partnership_id=bp.pk, board__kind="board")
        .order_by("starts_at")
        .values_list("pk", "starts_at", "status")
    )
    focus_rows = []
    for n, (pk, _starts, status) in enumerate(meetings, start=1):
        subject = SUBJECTS[n % len(SUBJECTS)]
        held = status == "held"
        focus_rows.append(
            focus_model(
                partnership_id=bp.pk,
                meeting_id=pk,
                title=f"Bench focus {n:02d}: {subject}",
                question=f"Why has {subject} changed, and what are partners doing about it?",
                presentation="Agencies presented their analysis of the trend." if held else "",
                challenge="The Board asked whether the change was real or noise." if held else "",
                conclusions="The change is a signal; actions were agreed." if held else "",
            )
        )
    focus = ctx.insert(focus_model, focus_rows)
    bp.extra["performance_focus_ids"] = [f.pk for f in focus]
    rows = []
    for f, (_pk, starts, status) in zip(focus, meetings, strict=True):
        for agency_id in rng.sample(bp.agency_ids, min(2, len(bp.agency_ids))):
            received = status == "held"
            rows.append(
                request_model(
                    partnership_id=bp.pk,
                    focus_id=f.pk,
                    agency_id=agency_id,
                    request="Analyse the last two years of the focus indicators by team.",
                    due_on=starts.date() - dt.timedelta(days=14),
                    status="received" if received else "requested",
                    response="The rise is concentrated in two teams." if received else "",
                    received_on=starts.date() - dt.timedelta(days=16) if received else None,
                )
            )
    ctx.insert(request_model, rows)


def register() -> None:
    from lift.core.bench import register_generator

    register_generator("performance", generate_performance, order=70, weight=10)
