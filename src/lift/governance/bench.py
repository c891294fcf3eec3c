"""The governance pages the benchmark measures besides core's key pages (the Board meeting
with its pack panel is one of those): an agenda item with its papers, and the page to add a
paper."""

from __future__ import annotations

from typing import Any


def _board_item(t: Any) -> tuple[Any, ...] | None:
    return t.pk("governance.AgendaItem", meeting__board__kind="board")


def register() -> None:
    from lift.core.bench import register_page

    register_page(
        "An agenda item and its papers",
        "governance:agendaitem_detail",
        role="bu",
        args=_board_item,
    )
    register_page(
        "Add a paper to an agenda item",
        "governance:agendaitem_papers",
        role="bu",
        args=_board_item,
    )
