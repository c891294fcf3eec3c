"""Importing the single-agency training register from CSV or Excel, through
lift.core.imports: every row is checked first; a file with any bad row imports nothing, and
each problem is reported with its row number (the heading row is 1) and column."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from lift.core.imports import (
    Column,
    ImportResult,
    ImportSpec,
    import_all_or_nothing,
    parse_choice,
    parse_date,
    parse_int,
    read_rows,
)
from lift.core.models import Agency, Partnership
from lift.learning.models import Theme

from .choices import Level
from .models import AgencyTraining
from .services import agency_training_record


def _agency_parser(agencies: Iterable[Agency]) -> Callable[[str], Agency]:
    by_name = {a.name.strip().lower(): a for a in agencies}

    def parse(value: str) -> Agency:
        agency = by_name.get(value.strip().lower())
        if agency is None:
            raise ValueError(f"“{value}” is not an agency you may record training for.")
        return agency

    return parse


def _themes_parser(partnership: Partnership) -> Callable[[str], list[Theme]]:
    themes = {t.code: t for t in Theme.objects.for_partnership(partnership)}

    def parse(value: str) -> list[Theme]:
        codes = [c.strip() for c in value.split(";") if c.strip()]
        unknown = [c for c in codes if c not in themes]
        if unknown:
            raise ValueError(f"Unknown theme code(s): {', '.join(unknown)}.")
        return [themes[c] for c in codes]

    return parse


def _count(value: str) -> int:
    number = parse_int(value)
    if number < 0:
        raise ValueError("The number trained cannot be negative.")
    return number


def spec(partnership: Partnership, agencies: Iterable[Agency]) -> ImportSpec:
    return ImportSpec(
        columns=[
            Column("agency", required=True, parser=_agency_parser(agencies)),
            Column("title", required=True),
            Column(
                "level",
                required=True,
                parser=parse_choice([(str(v), str(v)) for v in Level.values]),
            ),
            Column("period start", required=True, parser=parse_date, aliases=("from",)),
            Column("period end", required=True, parser=parse_date, aliases=("to",)),
            Column("number trained", required=True, parser=_count, aliases=("trained",)),
            Column("themes", parser=_themes_parser(partnership)),
            Column("notes"),
        ]
    )


def import_agency_training(
    *, partnership: Partnership, uploaded: Any, agencies: Iterable[Agency]
) -> tuple[ImportResult, list[AgencyTraining]]:
    """Import register entries for `agencies` (those the importing person may record for).
    Returns the checked result (its errors, if any) and the entries created (none if any
    row had a problem)."""
    result = read_rows(uploaded, spec(partnership, list(agencies)))
    created: list[AgencyTraining] = []

    def create(row: dict[str, Any], line: int) -> Any:
        return agency_training_record(
            agency=row["agency"],
            title=row["title"],
            level=int(row["level"]),
            period_start=row["period start"],
            period_end=row["period end"],
            number_trained=row["number trained"],
            themes=row.get("themes") or [],
            notes=row.get("notes") or "",
        )

    # The rows are tried once before they are written: collect keeps only those written.
    import_all_or_nothing(result, create, collect=created)
    return result, created
