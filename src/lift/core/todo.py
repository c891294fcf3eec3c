"""The to-do list: every step a person must take, from every area, read from the records'
states (never stored, so never stale).

Each app registers its kinds of to-do in its `AppConfig.ready()`:

    from lift.core import todo

    todo.register(
        todo.Kind(
            key="learning.verify_impact",
            label="Verify impact",
            provider=providers.verify_impact,
            roles=frozenset({R.CHAIR}),  # optional: only people holding one of these
        )
    )

A provider is `provider(person, partnership) -> Iterable[ToDo]`: the to-do items that
`person` has in `partnership` now. It reads through `restrict(person, ...)` or a selector
given the person, in a bounded number of queries (no query per row), and yields an item
only while the step is still to be done, so doing the step (through its service) clears it
in the same transaction. A kind that declares `roles` is not asked at all (no query) for a
person who holds none of them in the partnership; a kind for "whoever is named on the
record" (an action's owner, an IMR's author) leaves `roles` out.

`items_for(person, partnership)` gathers every kind, sorted by due date (undated last), and
`group_by_when()` splits them into "Overdue", "Due in the next 7 days", "Due later" and "No
due date" for the "My work" page. A notification that asked someone to take a step is marked
read by `notifications_done()` when the step is done, in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from django.core.cache import cache
from django.utils import timezone

from . import dataversion
from .models.clocks import OPEN_STATES, ClockState

# The colour of each state's tag (GOV.UK tag modifiers), as for clocks elsewhere.
STATE_COLOURS = {
    "overdue": "red",
    "due_soon": "yellow",
    "running": "blue",
    "met": "green",
    "met_late": "orange",
    "stopped": "grey",
}


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

    def state(self, today: dt.date | None = None) -> str:
        """The state shown on the item's tag: the clock's when a clock runs for the step,
        otherwise "overdue" past the due date, "due_soon" within 7 days, else ""."""
        if self.clock_state:
            return self.clock_state
        today = today or timezone.localdate()
        if self.due_on is None:
            return ""
        if self.due_on < today:
            return ClockState.OVERDUE
        if self.due_on <= today + dt.timedelta(days=7):
            return ClockState.DUE_SOON
        return ""

    @property
    def state_label(self) -> str:
        state = self.state()
        return str(ClockState(state).label) if state in ClockState.values else ""

    @property
    def state_colour(self) -> str:
        return STATE_COLOURS.get(self.state(), "grey")


@dataclass(frozen=True)
class Subject:
    """What a kept list (`items_for(cached=True)`) holds of a step's record: its name and
    its address, which is all a list shows. Keeping the model instances cost more than it
    saved: at national scale, unpickling a partnership's kept lists took 200 ms a page."""

    label: str
    url: str

    def __str__(self) -> str:
        return self.label

    def get_absolute_url(self) -> str:
        return self.url


def _kept(item: ToDo) -> ToDo:
    if item.subject is None or isinstance(item.subject, Subject):
        return item
    return replace(item, subject=Subject(item.subject_label, item.subject_url))


Provider = Callable[[Any, Any], Iterable[ToDo]]


@dataclass(frozen=True)
class Kind:
    key: str  # "<app>.<step>"
    label: str  # shown in the kind filter: "Verify impact"
    provider: Provider = field(compare=False)
    # Roles of which the person must hold one in the partnership for the provider to be
    # asked (None: everyone, for steps of whoever is named on a record).
    roles: frozenset[str] | None = None
    # False where the area's own rule already tells the Chair of the overdue step (an
    # overdue action past the partnership's escalation_days, `learning.reminders`), so
    # the partnership's escalation (`core.pending`) tells only the agency's lead of it.
    # A step whose statutory clock runs is escalated to the Chair by the clock reminders.
    escalates_to_chair: bool = True
    # A step only the person can take about their own learning (their course feedback,
    # their answers to an impact follow-up, acknowledging feedback on their case audit):
    # on their own list only, not handed over when they leave (`core.handover`), not on
    # the partnership's list (`core.pending`), where the training team's reports show
    # how many answered instead.
    personal: bool = False
    # For a kind asked of everyone (no `roles`): the ids of the people of a partnership
    # who could have an item of it now, a superset, in one query, so the partnership's
    # list (`core.pending`) asks the provider only of them, not of every learner.
    candidates: Callable[[Any], Collection[int]] | None = field(default=None, compare=False)


_kinds: dict[str, Kind] = {}


def register(kind: Kind) -> None:
    """Register a kind of to-do (idempotent: the same key registered again replaces it)."""
    _kinds[kind.key] = kind


def unregister(key: str) -> None:
    """Remove a kind (for tests that register one of their own)."""
    _kinds.pop(key, None)


def kinds() -> list[Kind]:
    return sorted(_kinds.values(), key=lambda k: k.label)


def kind(key: str) -> Kind | None:
    return _kinds.get(key)


def escalates_to_chair(item: ToDo) -> bool:
    """Does the partnership's escalation tell the Chair of this overdue step? Not when
    the step's kind or its clock has its own escalation to the Chair."""
    registered = _kinds.get(item.kind)
    if registered is not None and not registered.escalates_to_chair:
        return False
    return item.clock_state is None


def _applies(kind: Kind, held: set[str]) -> bool:
    return kind.roles is None or bool(held & kind.roles)


def kinds_for(person: Any, partnership: Any) -> list[Kind]:
    """The kinds that may hold items for `person` in `partnership` (by the roles held)."""
    from .access import roles_in

    held = roles_in(person, partnership)
    return [k for k in kinds() if _applies(k, held)]


def items_for(
    person: Any, partnership: Any, *, only: Sequence[str] | None = None, cached: bool = False
) -> list[ToDo]:
    """Every to-do of `person` in `partnership`, due soonest first (undated last).

    The same step found twice (a person who owns an action and also leads its agency) is
    listed once. `cached`: for pages that show the list (never for a step's own checks,
    such as a chase): the list read earlier today is used again while nothing in the
    database has changed since (`core.dataversion`), so a write clears it at once; its
    items' records are then `Subject`s (name and address), not model instances."""
    if partnership is None or not getattr(person, "is_authenticated", False):
        return []
    if not getattr(person, "is_active", True):
        return []
    if not cached or not dataversion.may_cache():
        return _gather(person, partnership, only)
    key = ":".join(
        (
            "lift:todo",
            dataversion.current(),  # read before the data
            str(person.pk),
            str(partnership.pk),
            timezone.localdate().isoformat(),
            ",".join(sorted(only)) if only is not None else "*",
        )
    )
    found = cache.get(key)
    if found is not None:
        return list(found)
    items = [_kept(item) for item in _gather(person, partnership, only)]
    if dataversion.may_cache():
        cache.set(key, items, dataversion.TTL)
    return items


def _gather(person: Any, partnership: Any, only: Sequence[str] | None) -> list[ToDo]:
    from .access import roles_in

    held = roles_in(person, partnership)
    if not held:
        return []  # no role in the partnership: no step to take there
    out: list[ToDo] = []
    seen: set[tuple[str, str]] = set()
    for key, kind in _kinds.items():
        if only is not None and key not in only:
            continue
        if not _applies(kind, held):
            continue
        for item in kind.provider(person, partnership):
            if (item.kind, item.url) in seen:
                continue
            seen.add((item.kind, item.url))
            out.append(item)
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


def filter_items(
    items: Iterable[ToDo],
    *,
    kinds: Iterable[str] = (),
    whens: Iterable[str] = (),
    today: dt.date | None = None,
) -> list[ToDo]:
    """The items of any of `kinds` due in any of `whens` (an empty filter keeps all)."""
    today = today or timezone.localdate()
    wanted_kinds, wanted_whens = set(kinds), set(whens)
    return [
        item
        for item in items
        if (not wanted_kinds or item.kind in wanted_kinds)
        and (not wanted_whens or when(item, today) in wanted_whens)
    ]


def lead_ids(partnership: Any) -> set[int]:
    """The people holding a safeguarding lead's role in the partnership, or named as an
    agency's lead there (for `Kind.candidates` of steps an agency's lead takes)."""
    from .models import Agency, RoleAssignment
    from .roles import R

    held = RoleAssignment.objects.current().filter(
        partnership=partnership, role=R.SAFEGUARDING_LEAD
    )
    named = Agency.objects.filter(partnership=partnership, safeguarding_lead__isnull=False)
    return set(held.values_list("person_id", flat=True)) | set(
        named.values_list("safeguarding_lead_id", flat=True)
    )


def notifications_done(*prefixes: str) -> int:
    """Mark read the unread notifications whose key starts with one of `prefixes`: those
    that asked someone to take a step now done (so "My work" no longer shows "Decision
    needed" once the decision is recorded). Call it in the step's service."""
    from django.db.models import Q

    from .models import Notification

    if not prefixes:
        return 0
    q = Q()
    for prefix in prefixes:
        q |= Q(key__startswith=prefix)
    return Notification.objects.filter(q, read_at__isnull=True).update(read_at=timezone.now())
