"""The annual report's sections, registered by key: each builder returns the blocks of its
section for a partnership and a year, or None when the area has nothing for that year (the
section is then left out, never shown empty)."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from lift.core.documents import Block

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
