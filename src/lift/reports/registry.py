"""The annual report's sections, registered by key: each builder returns the blocks of its
section for a partnership and a year, or None when the area has nothing for that year (the
section is then left out, never shown empty). Each area registers its own sections from its
app's `ready()` (its `annual_report.register()`); reports reads none of their models."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from lift.core.documents import Block, Heading

log = logging.getLogger(__name__)

SectionBuilder = Callable[[Any, dt.date, dt.date], "list[Block] | None"]


@dataclass(frozen=True)
class AnnualSection:
    key: str
    title: str
    order: int
    builder: SectionBuilder


_sections: dict[str, AnnualSection] = {}


def register_annual_section(key: str, title: str, order: int, builder: SectionBuilder) -> None:
    """Add (or replace) a section of the annual report."""
    _sections[key] = AnnualSection(key, title, order, builder)


def nested(blocks: list[Block]) -> list[Block]:
    """Another document's blocks (an area's own report), one heading level down, to sit in
    a section."""
    out: list[Block] = []
    for b in blocks:
        if isinstance(b, Heading):
            out.append(Heading(b.text, min(5, b.level + 1)))
        else:
            out.append(b)
    return out


def annual_sections() -> list[AnnualSection]:
    return sorted(_sections.values(), key=lambda s: (s.order, s.key))


def build_section(
    section: AnnualSection, partnership: Any, start: dt.date, end: dt.date
) -> list[Block] | None:
    """The section's blocks, or None for an area not in use. An area whose app or model is
    missing (ImportError, LookupError) is not in use."""
    try:
        blocks = section.builder(partnership, start, end)
    except (ImportError, LookupError):
        log.info("Annual report section %s left out: its area is not installed", section.key)
        return None
    return blocks or None
