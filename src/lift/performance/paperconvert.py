"""Word and Excel papers turned into document blocks for the Board pack, in pure Python
(python-docx and openpyxl, both in the lock; LibreOffice is not available to LIFT).

A Word paper keeps its headings, paragraphs, lists and tables, in order; an Excel paper
becomes one table per sheet (cell values, formulas as last saved). Pictures, charts,
layout and formatting are not carried over: the pack says so and links to the original.
Both run on files already checked at upload (`lift.core.files.check_upload`), in the
background build, with bounds so a long paper cannot make an endless pack.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import re
from dataclasses import dataclass
from typing import Any

from lift.core.documents import Block, Bullets, DocTable, Heading, Para

log = logging.getLogger(__name__)

MAX_DOCX_BLOCKS = 600
MAX_SHEETS = 10
MAX_ROWS = 200
MAX_COLUMNS = 12


@dataclass
class Converted:
    blocks: list[Block]
    covers: str  # what the conversion kept, for the note in the pack


def convert(kind: str, data: bytes, *, level: int = 3) -> Converted | None:
    """The paper as blocks (headings from `level` down), or None if it cannot be read."""
    try:
        if kind == "docx":
            return docx_blocks(data, level=level)
        if kind == "xlsx":
            return xlsx_blocks(data)
    except Exception:  # a damaged file: the pack lists it with its link instead
        log.warning("A %s paper could not be converted", kind, exc_info=True)
        return None
    return None


def _heading_level(style: str) -> int | None:
    if style == "Title":
        return 1
    found = re.fullmatch(r"Heading (\d)", style)
    return int(found.group(1)) if found else None


def docx_blocks(data: bytes, *, level: int = 3) -> Converted:
    from docx import Document
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    document = Document(io.BytesIO(data))
    blocks: list[Block] = []
    bullets: list[str] = []
    tables = 0
    cut = False

    def flush() -> None:
        if bullets:
            blocks.append(Bullets(list(bullets)))
            bullets.clear()

    for child in document.element.body.iterchildren():
        if len(blocks) >= MAX_DOCX_BLOCKS:
            cut = True
            break
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            paragraph = Paragraph(child, document)
            text = " ".join(paragraph.text.split())
            if not text:
                continue
            style = paragraph.style.name if paragraph.style is not None else ""
            heading = _heading_level(style or "")
            if heading is not None:
                flush()
                blocks.append(Heading(text, min(5, level + heading - 1)))
            elif "List" in (style or ""):
                bullets.append(text)
            else:
                flush()
                blocks.append(Para(text))
        elif tag == "tbl":
            flush()
            rows = [
                [" ".join(c.text.split()) for c in row.cells] for row in Table(child, document).rows
            ]
            rows = [r for r in rows if any(r)]
            if not rows:
                continue
            tables += 1
            width = max(len(r) for r in rows)
            rows = [r + [""] * (width - len(r)) for r in rows]
            headers = [h or f"Column {i + 1}" for i, h in enumerate(rows[0])]
            blocks.append(
                DocTable(caption=f"Table {tables} of the paper", headers=headers, rows=rows[1:])
            )
    flush()
    if cut:
        blocks.append(Para("The rest of the paper is in the original."))
    if not blocks:
        blocks.append(Para("The paper has no text to show."))
    return Converted(blocks, "its headings, paragraphs, lists and tables")


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date() if value.time() == dt.time() else value.strftime("%-d %b %Y %H:%M")
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, int | float | dt.date):
        return value
    return " ".join(str(value).split())


def xlsx_blocks(data: bytes) -> Converted:
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    blocks: list[Block] = []
    try:
        sheets = workbook.worksheets
        for sheet in sheets[:MAX_SHEETS]:
            rows: list[list[Any]] = []
            more_rows = more_columns = False
            for n, row in enumerate(sheet.iter_rows(values_only=True)):
                if n > MAX_ROWS:
                    more_rows = True
                    break
                values = [_cell(v) for v in row]
                if len(values) > MAX_COLUMNS:
                    more_columns = more_columns or any(v != "" for v in values[MAX_COLUMNS:])
                    values = values[:MAX_COLUMNS]
                if any(v != "" for v in values):
                    rows.append(values)
            if not rows:
                blocks.append(Para(f"Sheet “{sheet.title}” is empty."))
                continue
            width = max(
                (max((i for i, v in enumerate(r) if v != ""), default=0) + 1 for r in rows),
                default=1,
            )
            rows = [(r + [""] * width)[:width] for r in rows]
            headers = [str(h) if h != "" else f"Column {i + 1}" for i, h in enumerate(rows[0])]
            blocks.append(
                DocTable(caption=f"Sheet “{sheet.title}”", headers=headers, rows=rows[1:])
            )
            if more_rows or more_columns:
                blocks.append(
                    Para(
                        f"Only the first {MAX_ROWS} rows and {MAX_COLUMNS} columns of "
                        f"“{sheet.title}” are shown; the rest are in the original."
                    )
                )
        if len(sheets) > MAX_SHEETS:
            blocks.append(
                Para(f"The workbook has {len(sheets)} sheets; the first {MAX_SHEETS} are shown.")
            )
    finally:
        workbook.close()
    return Converted(blocks, "each sheet's cell values (formulas as last saved)")
