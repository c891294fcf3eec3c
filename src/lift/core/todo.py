"""The to-do list: every step a person must take, from every area, read from the records'
states (never stored, so never stale).

Each app registers its kinds of to-do in its `AppConfig.ready()`:

    from lift.core import todo

    todo.register(
        todo.Kind(
            key="learning.verify_impact",
            label="Verify impact",
            provider=providers.verify_impact,
        )
    )

A provider is `provider(person, partnership) -> Iterable[ToDo]`: the to-do items that
`person` has in `partnership` now. It reads through `restrict(person, ...)` or a selector
given the person, in a bounded number of queries (no query per row), and yields an item
only while the step is still to be done, so doing the step (through its service) clears it
in the same transaction. `items_for(person, partnership)` gathers every kind, sorted by due
date (undated last), and `group_by_when()` splits them into "Overdue", "Due this week",
"Due later" and "No due date" for the "My work" page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from .models.clocks import OPEN_STATES


@dataclass(frozen=True)
class ToDo:
    """One step a person must take.

    kind: the registered Kind's key ("learning.verify_impact").
    title: what to do, in the imperative and naming the record ("Verify the impact of
        'Joint strategy meeting attendance'"): it is the link text.
    url: the page that does the step (not merely the record's page, where the step has one).
    subject: the record the step concerns (its str() and get_absolute_url() are shown).
    due_on: when it is due, if it has a date; clock_state: the Clock's state when a
        statutory clock runs for the step ("running", "due_soon", "overdue", ...).
    hint: one short sentence of context ("Police. Evidence: 2 files.").
    """

    kind: str
    title: str
    url: str
    subject: Any = None
    due_on: dt.date | None = None
    clock_state: str | None = None
    hint: str = ""

    def overdue(self, today: dt.date | None = None) -> bool:
        if self.clock_state is not None and self.clock_state not in OPEN_STATES:
            return False
        return self.due_on is not None and self.due_on < (today or timezone.localdate())

    @property
    def subject_label(self) -> str:
        return str(self.subject) if self.subject is not None else ""

    @property
    def subject_url(self) -> str:
        subject = self.subject
        return str(subject.get_absolute_url()) if hasattr(subject, "get_absolute_url") else ""


Provider = Callable[[Any, Any], Iterable[ToDo]]


@dataclass(frozen=True)
class Kind:
    key: str  # "<app>.<step>"
    label: str  # shown in the kind filter: "Verify impact"
    provider: Provider = field(compare=False)


_kinds: dict[str, Kind] = {}


def register(kind: Kind) -> None:
    """Register a kind of to-do (idempotent: the same key registered again replaces it)."""
    _kinds[kind.key] = kind


def kinds() -> list[Kind]:
    return sorted(_kinds.values(), key=lambda k: k.label)


def items_for(person: Any, partnership: Any, *, only: Sequence[str] | None = None) -> list[ToDo]:
    """Every to-do of `person` in `partnership`, due soonest first (undated last)."""
    if partnership is None or not getattr(person, "is_authenticated", False):
        return []
    out: list[ToDo] = []
    for key, kind in _kinds.items():
        if only is not None and key not in only:
            continue
        out.extend(kind.provider(person, partnership))
    return sorted(out, key=lambda t: (t.due_on is None, t.due_on or dt.date.max, t.title))


WHEN = (
    ("overdue", "Overdue"),
    ("week", "Due in the next 7 days"),
    ("later", "Due later"),
    ("undated", "No due date"),
)


def when(item: ToDo, today: dt.date) -> str:
    if item.due_on is None:
        return "undated"
    if item.overdue(today):
        return "overdue"
    if item.due_on <= today + dt.timedelta(days=7):
        return "week"
    return "later"


def group_by_when(items: Iterable[ToDo], today: dt.date | None = None) -> list[dict[str, Any]]:
    """[{"key": "overdue", "label": "Overdue", "items": [...]}, ...], empty groups left out."""
    today = today or timezone.localdate()
    groups: dict[str, list[ToDo]] = {key: [] for key, _ in WHEN}
    for item in items:
        groups[when(item, today)].append(item)
    return [
        {"key": key, "label": label, "items": groups[key]} for key, label in WHEN if groups[key]
    ]
