"""Freeze a document's blocks as JSON (at sign-off) and thaw them back, so a signed-off
report renders exactly as it was signed off, as a page, PDF or DOCX."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from typing import Any

from lift.core import documents as d
from lift.core.charts import format_value

BLOCKS: dict[str, type] = {
    cls.__name__: cls
    for cls in (
        d.Heading,
        d.Para,
        d.Bullets,
        d.DocTable,
        d.Chart,
        d.KeyValue,
        d.PageBreak,
        d.Callout,
        d.Image,
    )
}


def _plain(value: Any) -> Any:
    if type(value) in BLOCKS.values():  # a block inside a block: a chart's own data table
        return freeze_block(value)
    if isinstance(value, bool) or value is None or isinstance(value, (int, float, str)):
        return value
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return format_value(value)
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return str(value)


def freeze_block(block: Any) -> dict[str, Any]:
    data = {f.name: _plain(getattr(block, f.name)) for f in dataclasses.fields(block)}
    return {"type": type(block).__name__, **data}


def thaw_block(data: dict[str, Any]) -> Any:
    data = dict(data)
    cls = BLOCKS[data.pop("type")]
    if cls is d.DocTable:
        data["numeric"] = tuple(data.get("numeric", ()))
    if cls is d.KeyValue:
        data["rows"] = [tuple(row) for row in data.get("rows", [])]
    if cls is d.Chart:
        # A chart's fuller data table, frozen as a block. Reports signed before it was
        # frozen so hold its text instead: their chart shows its plain table.
        table = data.get("data")
        data["data"] = thaw_block(table) if isinstance(table, dict) else None
    return cls(**data)


def freeze(doc: d.Doc) -> dict[str, Any]:
    return {
        "title": doc.title,
        "subtitle": doc.subtitle,
        "author": doc.author,
        "date": doc.date.isoformat() if doc.date else None,
        "sections": [freeze_block(b) for b in doc.sections],
    }


def thaw(data: dict[str, Any], partnership: Any) -> d.Doc:
    return d.Doc(
        title=data["title"],
        subtitle=data.get("subtitle", ""),
        partnership=partnership,
        author=data.get("author", ""),
        date=dt.date.fromisoformat(data["date"]) if data.get("date") else None,
        sections=[thaw_block(b) for b in data.get("sections", [])],
    )
