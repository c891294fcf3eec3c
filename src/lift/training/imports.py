"""Importing the single-agency training register from CSV or Excel: all or nothing.

Every row is checked first; if any row is wrong, nothing is imported and each problem is
reported with its line number (the header is line 1). lift.core.imports did not exist when
this was written, so the parsing is here; it uses only the standard csv module and
openpyxl.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from lift.core.models import Agency, Partnership
from lift.learning.models import Theme

from .choices import Level
from .models import AgencyTraining
from .services import agency_training_record

COLUMNS = ("agency", "title", "level", "period_start", "period_end", "number_trained")
OPTIONAL = ("themes", "notes")
MAX_ROWS = 5000
MAX_BYTES = 5 * 1024 * 1024


@dataclass
class ImportResult:
    created: list[AgencyTraining] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _rows(uploaded: Any) -> list[list[Any]]:
    name = (getattr(uploaded, "name", "") or "").lower()
    data = uploaded.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ValidationError("The file is too large (the limit is 5 MB).")
    if name.endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as exc:
            raise ValidationError("The file could not be read as an Excel workbook.") from exc
        sheet = book.worksheets[0]
        return [list(row) for row in sheet.iter_rows(values_only=True)]
    if name.endswith(".csv"):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ValidationError("The CSV file must be UTF-8 text.") from exc
        return list(csv.reader(io.StringIO(text)))
    raise ValidationError("Upload a .csv or .xlsx file.")


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value).strip())


def _int(value: Any) -> int:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return int(str(value).strip())


def import_agency_training(
    *, partnership: Partnership, uploaded: Any, agencies: Iterable[Agency]
) -> ImportResult:
    """Import register entries for `agencies` (those the importing person may record for)."""
    result = ImportResult()
    try:
        rows = _rows(uploaded)
    except ValidationError as exc:
        result.errors = list(exc.messages)
        return result
    rows = [r for r in rows if any(c not in (None, "") for c in r)]
    if not rows:
        result.errors.append("The file is empty.")
        return result
    header = [str(c or "").strip().lower().replace(" ", "_") for c in rows[0]]
    missing = [c for c in COLUMNS if c not in header]
    unknown = [c for c in header if c and c not in COLUMNS + OPTIONAL]
    if missing:
        result.errors.append(f"Line 1: missing column(s) {', '.join(missing)}.")
    if unknown:
        result.errors.append(f"Line 1: unknown column(s) {', '.join(unknown)}.")
    if result.errors:
        return result
    if len(rows) - 1 > MAX_ROWS:
        result.errors.append(f"The file has more than {MAX_ROWS} rows.")
        return result
    by_name = {a.name.strip().lower(): a for a in agencies}
    themes = {t.code: t for t in Theme.objects.for_partnership(partnership)}
    levels = {str(v) for v in Level.values}
    parsed: list[dict[str, Any]] = []
    for index, raw in enumerate(rows[1:], start=2):
        cells = dict(zip(header, list(raw) + [None] * (len(header) - len(raw)), strict=False))
        problems: list[str] = []
        agency = by_name.get(str(cells.get("agency") or "").strip().lower())
        if agency is None:
            problems.append(
                f"agency {cells.get('agency')!r} is not one you may record training for"
            )
        title = str(cells.get("title") or "").strip()
        if not title:
            problems.append("title is empty")
        level = str(cells.get("level") or "").strip().removesuffix(".0")
        if level not in levels:
            problems.append(f"level must be 1, 2 or 3 (got {cells.get('level')!r})")
        dates = []
        for key in ("period_start", "period_end"):
            try:
                dates.append(_date(cells.get(key)))
            except (TypeError, ValueError):
                problems.append(f"{key} must be a date as YYYY-MM-DD (got {cells.get(key)!r})")
        if len(dates) == 2 and dates[1] < dates[0]:
            problems.append("period_end is before period_start")
        try:
            number = _int(cells.get("number_trained"))
            if number < 0:
                raise ValueError
        except (TypeError, ValueError):
            problems.append(
                f"number_trained must be a whole number (got {cells.get('number_trained')!r})"
            )
            number = 0
        codes = [c.strip() for c in str(cells.get("themes") or "").split(";") if c.strip()]
        bad = [c for c in codes if c not in themes]
        if bad:
            problems.append(f"unknown theme(s) {', '.join(bad)}")
        if problems:
            result.errors.append(f"Line {index}: " + "; ".join(problems) + ".")
            continue
        parsed.append(
            {
                "agency": agency,
                "title": title,
                "level": int(level),
                "period_start": dates[0],
                "period_end": dates[1],
                "number_trained": number,
                "themes": [themes[c] for c in codes],
                "notes": str(cells.get("notes") or "").strip(),
                "line": index,
            }
        )
    if result.errors:
        return result
    try:
        with transaction.atomic():
            for row in parsed:
                line = row.pop("line")
                try:
                    result.created.append(agency_training_record(**row))
                except ValidationError as exc:
                    raise ValidationError(f"Line {line}: {' '.join(exc.messages)}") from exc
    except ValidationError as exc:
        result.created = []
        result.errors = list(exc.messages)
    return result
