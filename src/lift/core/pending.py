"""The partnership's view of the to-do list: every step waiting for anyone in the
partnership, by agency and person, for the business unit and the Chair; chasing a step
(a reminder e-mail to its owner, at most one a day, logged on the record) and escalating
an overdue one (to the owner's agency safeguarding lead, then to the Chair, each once).

Nothing here is stored: the items are each person's own to-do list (`todo.items_for`),
read from the records' states, so a step done is gone from this view as from theirs. A
chase and an escalation are keyed notifications (`notify`), which is what makes them happen
at most once (a day, for a chase); the chase is also written into the record's history.

Cost: one query for the people holding a role in the partnership and all their current
role assignments, then each person's own list, which is one or two queries a kind that
applies to them (see docs/todo.md): about 1 + 2 x (kinds a person has) x (people). It does
not grow with the number of items. Filtering by agency reads only that agency's people;
filtering by kind asks only those kinds.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core import signing
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from . import history, todo
from . import roles as r
from .calendar import working_days_between
from .models import Agency, Notification, Partnership, RoleAssignment
from .notify import notify

log = logging.getLogger(__name__)

# Who sees the partnership's view and may chase.
OVERSEERS = frozenset({r.R.BUSINESS_UNIT, r.R.CHAIR})
SALT = "lift.core.pending"
NO_AGENCY = "none"
NO_AGENCY_LABEL = "No agency (partnership-wide roles)"


def may_oversee(person: Any, partnership: Any) -> bool:
    """The business unit and the Chair see everything pending across the partnership."""
    from .access import has_role

    return partnership is not None and has_role(person, partnership, OVERSEERS)


# --- the items ----------------------------------------------------------------------------


def item_id(item: todo.ToDo, owner: Any, partnership: Any) -> str:
    """A stable, signed identity for one person's step: its kind, its page and its owner (in
    the partnership). Chasing posts it back; a forged or altered id is refused."""
    return signing.dumps([item.kind, item.url, owner.pk, partnership.pk], salt=SALT, compress=True)


def _digest(kind: str, url: str) -> str:
    return hashlib.sha256(f"{kind}|{url}".encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Pending:
    """One step waiting for `owner`, who works for `agency` (None for partnership-wide
    roles: the business unit, the Chair)."""

    item: todo.ToDo
    owner: Any
    agency: Any
    partnership: Any

    @property
    def id(self) -> str:
        return item_id(self.item, self.owner, self.partnership)

    def working_days_overdue(self, today: dt.date | None = None) -> int:
        today = today or timezone.localdate()
        if not self.item.overdue(today) or self.item.due_on is None:
            return 0
        return max(working_days_between(self.item.due_on, today), 0)

    @property
    def days_overdue(self) -> int:
        return self.working_days_overdue()

    @property
    def anchor(self) -> str:
        """A short id for the page's checkbox (not trusted: the signed `id` is posted)."""
        return f"{_digest(self.item.kind, self.item.url)}-{self.owner.pk}"

    @property
    def kind_label(self) -> str:
        found = todo.kind(self.item.kind)
        return found.label if found else self.item.kind


def _agency_of(person: Any, assignments: Sequence[RoleAssignment], partnership: Any) -> Any:
    """The agency a person acts for here: the agency of a role held for one, otherwise
    the agency that employs them if it is one of this partnership's."""
    for a in assignments:
        if a.partnership_id == partnership.pk and a.agency_id is not None and a.agency:
            return a.agency
    agency = person.agency
    if agency is not None and agency.partnership_id == partnership.pk:
        return agency
    return None


def _people(
    partnership: Any,
    agency_ids: Iterable[int | None] = (),
    *,
    roles: Collection[str] | None = None,
    candidate_ids: Collection[int] = (),
) -> list[tuple[Any, Any]]:
    """(person, agency) for every active person holding a current role in the
    partnership (narrowed to `agency_ids`, None meaning no agency), in one query: their
    current role assignments in every partnership come with them, so reading each
    person's own list asks nothing more about their roles. With `roles`, only those who
    hold one of them here or are among `candidate_ids` (whoever else could have a step):
    at national scale most of a partnership's 1,300 people are learners with none."""
    members = RoleAssignment.objects.current().filter(partnership=partnership)
    if roles is not None:
        members = members.filter(Q(role__in=roles) | Q(person_id__in=candidate_ids))
    rows = (
        RoleAssignment.objects.current()
        .filter(person__is_active=True, person_id__in=members.values("person_id"))
        .select_related("person__agency", "agency")
        .order_by("person__full_name", "person_id", "pk")
    )
    people: dict[int, Any] = {}
    held: dict[int, list[RoleAssignment]] = defaultdict(list)
    for a in rows:
        person = people.setdefault(a.person_id, a.person)
        held[a.person_id].append(a)
    wanted = set(agency_ids)
    out = []
    for pk, person in people.items():
        person._lift_assignments = held[pk]  # what access.assignments_for would load
        agency = _agency_of(person, held[pk], partnership)
        if wanted and (agency.pk if agency is not None else None) not in wanted:
            continue
        out.append((person, agency))
    return out


def _order(p: Pending) -> tuple[Any, ...]:
    due = p.item.due_on
    return (due is None, due or dt.date.max, p.item.title)


def shared_kinds() -> list[todo.Kind]:
    """The kinds of step the partnership's list shows: all but the personal ones."""
    return [k for k in todo.kinds() if not k.personal]


def pending_items(
    partnership: Any,
    *,
    kinds: Sequence[str] = (),
    agency_ids: Iterable[int | None] = (),
    cached: bool = False,
) -> list[Pending]:
    """Every step waiting for anyone holding a role in `partnership`, oldest due date first
    (undated last). A step on two people's lists (an action's owner and their agency's
    lead) is listed for each of them. `kinds` and `agency_ids` narrow what is read;
    `cached` (the page, not the escalation) reuses each person's list while nothing has
    changed (`todo.items_for`). Personal steps (a learner's course feedback) are left out:
    only the person can take them (`Kind.personal`)."""
    from .access import roles_in

    out: list[Pending] = []
    wanted = set(kinds)
    chosen = [k for k in shared_kinds() if not wanted or k.key in wanted]
    # A kind asked of everyone (no roles) that can name its candidates is asked only of
    # them: one query a kind instead of one a person (most people are learners).
    candidates = {k.key: k.candidates(partnership) for k in chosen if k.candidates is not None}
    # Everyone who could have a step: a role some kind asks of, or a kind's candidate. A
    # kind with neither is asked of everyone, and then nobody is left out.
    roles: set[str] | None = set()
    for k in chosen:
        if k.roles is not None and roles is not None:
            roles |= k.roles
        elif k.roles is None and k.key not in candidates:
            roles = None
    named = set().union(*candidates.values()) if candidates else set()
    for person, agency in _people(partnership, agency_ids, roles=roles, candidate_ids=named):
        held = roles_in(person, partnership)
        only = [
            k.key
            for k in chosen
            if (k.roles is not None and held & k.roles)
            or (k.roles is None and (k.key not in candidates or person.pk in candidates[k.key]))
        ]
        if not only:
            continue
        for item in todo.items_for(person, partnership, only=only, cached=cached):
            out.append(Pending(item=item, owner=person, agency=agency, partnership=partnership))
    return sorted(out, key=_order)


@dataclass
class PersonGroup:
    person: Any
    items: list[Pending] = field(default_factory=list)


@dataclass
class AgencyGroup:
    agency: Any
    people: list[PersonGroup] = field(default_factory=list)

    @property
    def label(self) -> str:
        return str(self.agency) if self.agency is not None else NO_AGENCY_LABEL

    @property
    def count(self) -> int:
        return sum(len(g.items) for g in self.people)


def group_by_agency(items: Sequence[Pending]) -> list[AgencyGroup]:
    """Agency, then person, then step; each in order of its oldest due date (the items come
    sorted, so the first seen is the oldest)."""
    agencies: dict[Any, AgencyGroup] = {}
    people: dict[tuple[Any, Any], PersonGroup] = {}
    for p in items:
        akey = p.agency.pk if p.agency is not None else None
        group = agencies.get(akey)
        if group is None:
            group = agencies[akey] = AgencyGroup(p.agency)
        pkey = (akey, p.owner.pk)
        person = people.get(pkey)
        if person is None:
            person = people[pkey] = PersonGroup(p.owner)
            group.people.append(person)
        person.items.append(p)
    return list(agencies.values())


# --- chasing ------------------------------------------------------------------------------

NOT_RECOGNISED = "One of the steps chosen was not recognised. Nothing was sent."
NOT_PENDING = "{title} ({owner}) is no longer waiting: it has been done. Nothing was sent."
ALREADY = "{owner} was already chased today about {title}."


class ChaseRefused(Exception):
    """A chase that cannot be made: the message says why; nothing was sent or changed."""


@dataclass
class ChaseResult:
    sent: list[Pending] = field(default_factory=list)
    already: list[Pending] = field(default_factory=list)

    @property
    def messages(self) -> list[str]:
        out = []
        if self.sent:
            n = len(self.sent)
            names = sorted({str(p.owner) for p in self.sent})
            out.append(f"Reminder{'s' if n > 1 else ''} sent to {', '.join(names)}.")
        for p in self.already:
            out.append(
                ALREADY.format(owner=p.owner, title=p.item.title)
                + " Each step can be chased once a day."
            )
        return out


def chase_key(item: todo.ToDo, owner: Any, day: dt.date) -> str:
    return f"todo:chase:{item.kind}:{_digest(item.kind, item.url)}:to:{owner.pk}:{day:%Y-%m-%d}"


def _resolve(ids: Sequence[str], partnership: Any) -> list[Pending]:
    """The steps the ids name, re-read from their owners' lists now: a forged id, or a step
    no longer waiting, refuses the whole chase."""
    wanted: list[tuple[str, str, int]] = []
    for raw in ids:
        try:
            kind, url, owner_pk, partnership_pk = signing.loads(str(raw), salt=SALT)
        except (signing.BadSignature, TypeError, ValueError) as exc:
            raise ChaseRefused(NOT_RECOGNISED) from exc
        if partnership_pk != partnership.pk or todo.kind(kind) is None:
            raise ChaseRefused(NOT_RECOGNISED)
        wanted.append((kind, url, int(owner_pk)))
    owners = {pk for _, _, pk in wanted}
    people = {p.pk: (p, a) for p, a in _people(partnership) if p.pk in owners}
    lists: dict[tuple[int, str], list[todo.ToDo]] = {}
    out: list[Pending] = []
    seen: set[tuple[str, str, int]] = set()
    for kind, url, owner_pk in wanted:
        if (kind, url, owner_pk) in seen:
            continue
        seen.add((kind, url, owner_pk))
        if owner_pk not in people:
            raise ChaseRefused(
                "The person a step was for no longer holds a role here. Nothing was sent."
            )
        person, agency = people[owner_pk]
        if (owner_pk, kind) not in lists:
            lists[owner_pk, kind] = todo.items_for(person, partnership, only=[kind])
        item = next((i for i in lists[owner_pk, kind] if i.url == url), None)
        if item is None:
            label = todo.kind(kind)
            title = f"The step '{label.label if label else kind}'"
            raise ChaseRefused(NOT_PENDING.format(title=title, owner=person))
        out.append(Pending(item=item, owner=person, agency=agency, partnership=partnership))
    return out


def _record_chase(p: Pending, by: Any, day: dt.date) -> None:
    """Write the chase into the history of the record the step concerns (or, for a step
    without one, of the person chased)."""
    subject = p.item.subject if isinstance(p.item.subject, models.Model) else p.owner
    label = todo.kind(p.item.kind)
    what = label.label if label else p.item.kind
    with history.acting(actor=by, reason=f"Chased from the partnership's to-do list: {what}"):
        history.record_change(
            subject, {"Reminder sent": [None, f"{p.item.title}: reminder e-mailed to {p.owner}"]}
        )


@transaction.atomic
def todo_chase(
    *, by: Any, partnership: Partnership, ids: Sequence[str], today: dt.date | None = None
) -> ChaseResult:
    """Remind the owners of the steps `ids` name (from `item_id`), by e-mail now, at most
    once a day a step; each chase is written into the record's history.

    Only the business unit and the Chair may chase. Refused, with nothing sent or changed
    (ChaseRefused), when no step is chosen, an id is forged or from elsewhere, or a step is
    no longer waiting (re-read from its owner's list now). A step already chased today is
    reported and not sent again."""
    if not may_oversee(by, partnership):
        raise ChaseRefused("Only the business unit and the Chair can chase steps.")
    if not ids:
        raise ChaseRefused("Choose at least one step to chase.")
    today = today or timezone.localdate()
    items = _resolve(ids, partnership)
    keys = {chase_key(p.item, p.owner, today): p for p in items}
    done = set(Notification.objects.filter(key__in=list(keys)).values_list("key", flat=True))
    result = ChaseResult()
    for key, p in keys.items():
        if key in done:
            result.already.append(p)
            continue
        due = f" It was due on {p.item.due_on:%-d %B %Y}." if p.item.due_on else ""
        notify(
            person=p.owner,
            key=key,
            title=f"Reminder: {p.item.title}",
            body=f"{by} asked you to take this step in LIFT.{due}",
            url=p.item.url,
            partnership=partnership,
            immediate=True,
        )
        _record_chase(p, by, today)
        result.sent.append(p)
    return result


# --- escalation ---------------------------------------------------------------------------


def escalation_key(level: str, item: todo.ToDo, recipient: Any) -> str:
    """Stable per step, its due date and who is told: a second tick sends nothing; a step
    given a new due date that falls overdue again is escalated again."""
    due = item.due_on.isoformat() if item.due_on else "undated"
    return f"todo:escalated:{level}:{_digest(item.kind, item.url)}:{due}:to:{recipient.pk}"


def _leads_and_chairs(partnership: Any) -> tuple[dict[int, list[Any]], list[Any]]:
    leads: dict[int, list[Any]] = defaultdict(list)
    chairs: list[Any] = []
    current = (
        RoleAssignment.objects.current()
        .filter(partnership=partnership, person__is_active=True, case_type__isnull=True)
        .filter(Q(role=r.R.CHAIR) | Q(role=r.R.SAFEGUARDING_LEAD, agency__isnull=False))
        .select_related("person")
    )
    for a in current:
        if a.role == r.R.CHAIR:
            if all(c.pk != a.person_id for c in chairs):
                chairs.append(a.person)
        elif a.agency_id is not None and all(p.pk != a.person_id for p in leads[a.agency_id]):
            leads[a.agency_id].append(a.person)
    for agency in Agency.objects.filter(partnership=partnership, safeguarding_lead__is_active=True):
        named = agency.safeguarding_lead
        if named is not None and all(p.pk != named.pk for p in leads[agency.pk]):
            leads[agency.pk].insert(0, named)
    return leads, chairs


def pending_escalate(partnership: Any, today: dt.date) -> int:
    """Escalate the partnership's overdue steps: overdue by the reference data's
    `agency_lead_after` working days or more, to the safeguarding lead of the owner's
    agency (not the owner); by `chair_after` or more, to the Chair (not the owner). Each
    once for a step and its due date, however many people it waits for and however often
    the tick runs. Returns how many notifications were new."""
    from .reference import escalation

    rules = escalation()
    items = [p for p in pending_items(partnership) if p.item.overdue(today)]
    if not items:
        return 0
    leads, chairs = _leads_and_chairs(partnership)
    # key -> (who is told, title, the step's copies: one for each person it waits for)
    planned: dict[str, tuple[Any, str, list[Pending]]] = {}
    for p in items:
        days = p.working_days_overdue(today)
        told: list[tuple[str, Any, int]] = []
        if days >= rules.agency_lead_after and p.agency is not None:
            told += [("lead", lead, rules.agency_lead_after) for lead in leads[p.agency.pk]]
        if days >= rules.chair_after and todo.escalates_to_chair(p.item):
            told += [("chair", chair, rules.chair_after) for chair in chairs]
        for level, person, after in told:
            if person.pk == p.owner.pk:
                continue  # their own step is on their own list already
            key = escalation_key(level, p.item, person)
            title = f"Overdue by {after} working days or more: {p.item.title}"
            planned.setdefault(key, (person, title, []))[2].append(p)
    if not planned:
        return 0
    known = set(Notification.objects.filter(key__in=list(planned)).values_list("key", flat=True))
    made = 0
    for key, (person, title, copies) in planned.items():
        if key in known:
            continue
        first = copies[0]
        owners = ", ".join(
            dict.fromkeys(
                f"{c.owner} ({c.agency})" if c.agency is not None else str(c.owner) for c in copies
            )
        )
        due = f"{first.item.due_on:%-d %B %Y}" if first.item.due_on else ""
        notify(
            person=person,
            key=key,
            title=title,
            body=(
                f"{first.item.title} was due on {due} and is "
                f"{first.working_days_overdue(today)} working days overdue. "
                f"It is waiting for {owners}."
            ),
            url=first.item.url,
            partnership=partnership,
            immediate=True,
        )
        made += 1
    return made


def pending_escalations(today: dt.date) -> int:
    """The tick step: escalate overdue steps in every partnership (each alone, so one
    partnership's failure does not stop the others; the first failure is raised)."""
    made = 0
    failure: Exception | None = None
    for partnership in Partnership.objects.order_by("pk"):
        try:
            with transaction.atomic():
                made += pending_escalate(partnership, today)
        except Exception as exc:
            log.exception("Escalating overdue steps failed for partnership %s", partnership.pk)
            failure = failure or exc
    if failure is not None:
        raise failure
    return made


def register_tick_step() -> None:
    """Escalate overdue steps on every tick (from CoreConfig.ready)."""
    from .tasks import register_tick_step as register

    register(pending_escalations, name="todo_escalations")
