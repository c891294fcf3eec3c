"""CSV and XLSX exports of any table, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Iterator
from typing import Any

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from .tables import Table, as_text

# A cell starting with these is run as a formula by spreadsheet programs.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n")


def neutralise(text: str) -> str:
    """Stop CSV/XLSX injection: a leading formula character is escaped with a quote."""
    if text and text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


def printable(text: str) -> str:
    """The text without the control characters a worksheet cannot hold (XML 1.0 forbids
    them; openpyxl refuses the whole file). Tab and new lines stay."""
    return ILLEGAL_CHARACTERS_RE.sub("", text)


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_response(table: Table, objects: Iterable[Any], filename: str) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())

    def rows() -> Iterator[str]:
        yield "\ufeff"  # so spreadsheet programs read UTF-8
        yield writer.writerow(table.headers())
        for obj in objects:
            yield writer.writerow([neutralise(c.text(obj)) for c in table.columns])

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def _cell(value: Any) -> Any:
    if isinstance(value, bool) or value is None:
        return as_text(value)
    if isinstance(value, int | float):
        return value
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).replace(tzinfo=None)
    if isinstance(value, dt.date):
        return value
    return neutralise(printable(as_text(value)))


def xlsx_response(table: Table, objects: Iterable[Any], filename: str, title: str) -> HttpResponse:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31] or "Export")
    sheet.append([printable(str(h)) for h in table.headers()])
    for obj in objects:
        sheet.append([_cell(v) for v in table.values(obj)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response
