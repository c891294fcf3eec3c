"""Items "ready for a meeting" that other areas put on the forward plan without editing
governance: `register_forward_plan_source(callable(partnership) -> list of dicts)` where each
dict has title, url, group_kind (a GroupKind value, e.g. "board") and due (a date or None).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Source = Callable[[Any], list[dict[str, Any]]]

_sources: list[Source] = []


@dataclass(frozen=True)
class ReadyItem:
    title: str
    url: str
    group_kind: str
    due: dt.date | None
    source: str


def register_forward_plan_source(source: Source) -> None:
    """Add a source of items ready for a meeting (registered once, e.g. in AppConfig.ready)."""
    if source not in _sources:
        _sources.append(source)


def unregister_forward_plan_source(source: Source) -> None:
    if source in _sources:
        _sources.remove(source)


def ready_items(partnership: Any) -> list[ReadyItem]:
    """Every registered source's items for the partnership, soonest due first."""
    out: list[ReadyItem] = []
    for source in _sources:
        name = getattr(source, "__module__", "") or ""
        for raw in source(partnership) or []:
            out.append(
                ReadyItem(
                    title=str(raw["title"]),
                    url=str(raw.get("url") or ""),
                    group_kind=str(raw.get("group_kind") or ""),
                    due=raw.get("due"),
                    source=name,
                )
            )
    out.sort(key=lambda i: (i.due is None, i.due or dt.date.max, i.title))
    return out
