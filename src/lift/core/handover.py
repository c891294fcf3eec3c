"""A leaver's steps: when someone is deactivated, the steps still waiting on them are handed
to their agency's safeguarding lead, as items on the lead's to-do list.

Nothing is stored or copied. The kind `core.handover` reads, each time the lead's list is
shown, the steps the leaver would have on their own to-do list if they were still active
(`leaver_items`: the same providers, given an active stand-in of the leaver), and lists
each as "Take over or reassign <leaver>'s step: <step>", linking to the step's page. An
item goes when the step is done, or when the record is given to someone else (another
action owner, another IMR author), because the leaver's own list no longer has it.

Who receives them:
- the safeguarding lead of the agency the leaver worked for (`Person.agency`);
- the business unit, when the leaver had no agency in the partnership (the business unit's
  own leavers, the Chair) or their agency has no safeguarding lead now.

Steps about the leaver's own learning (their course feedback, the training follow-up,
acknowledging feedback on their own case audit) are not handed over: no one else can take
them.

A step the leaver had through a role (an agency's Section 11 return, for a leaver who was its
lead) is listed only if the recipient does not already have it on their own list; a step on
a record that names the leaver (an action they own, an IMR they write) is always listed, so
the lead knows to give the record to someone else.

Cost: one query to find the leavers, then about one query a kind for each leaver of the
recipient's agencies, as for the leaver's own list (it does not grow with the number of
records), and one a kind to leave out steps the recipient already has. It applies only to
safeguarding leads and the business unit.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

from django.db.models import Exists, OuterRef, Q

from . import todo
from .access import assignments_for, roles_in
from .roles import ADMINS, R

HANDOVER = "core.handover"


def leaver_items(leaver: Any, partnership: Any) -> list[todo.ToDo]:
    """The steps `leaver` (deactivated) would have in `partnership` if they were active:
    `todo.items_for` refuses inactive people, so this asks the providers on behalf of an
    unsaved, active copy of them. Only for handing the steps over: never shown to the
    leaver, never used to let them in anywhere."""
    stand_in = copy.copy(leaver)
    stand_in.is_active = True
    if hasattr(stand_in, "_lift_assignments"):
        del stand_in._lift_assignments
    held = roles_in(stand_in, partnership)
    out: list[todo.ToDo] = []
    seen: set[tuple[str, str]] = set()
    for kind in todo.kinds_for(stand_in, partnership):
        if kind.key == HANDOVER or kind.personal:  # only the leaver could take those
            continue
        if kind.roles is not None and not held & kind.roles:
            continue
        for item in kind.provider(stand_in, partnership):
            if (item.kind, item.url) not in seen:
                seen.add((item.kind, item.url))
                out.append(item)
    return out


def _leavers_for(person: Any, partnership: Any) -> list[Any]:
    """The deactivated people of the partnership whose steps are `person`'s to take over:
    those of the agencies they lead, and for the business unit those with no agency here,
    or whose agency has no active safeguarding lead. One query."""
    from .models import Person, RoleAssignment

    pid = getattr(partnership, "pk", partnership)
    led = {
        a.agency_id
        for a in assignments_for(person)
        if a.partnership_id == pid
        and a.role == R.SAFEGUARDING_LEAD
        and a.agency_id is not None
        and a.case_type_id is None
    }
    wanted = Q(agency_id__in=led) if led else Q(pk__in=[])
    if roles_in(person, partnership) & ADMINS:
        lead_now = RoleAssignment.objects.current().filter(
            partnership_id=pid,
            role=R.SAFEGUARDING_LEAD,
            agency_id=OuterRef("agency_id"),
            case_type__isnull=True,
            person__is_active=True,
        )
        wanted |= Q(agency__isnull=True) | ~Q(agency__partnership_id=pid) | ~Q(Exists(lead_now))
    of_partnership = RoleAssignment.objects.filter(partnership_id=pid, person_id=OuterRef("pk"))
    return list(
        Person.objects.filter(is_active=False)
        .filter(Q(home_partnership_id=pid) | Q(Exists(of_partnership)))
        .filter(wanted)
        .order_by("full_name", "pk")
    )


def handover(person: Any, partnership: Any) -> Iterator[todo.ToDo]:
    """The open steps of the leavers whose work falls to `person`, less those already on
    `person`'s own list through a role (see the module)."""
    found = [
        (leaver, item)
        for leaver in _leavers_for(person, partnership)
        for item in leaver_items(leaver, partnership)
    ]
    by_role = sorted({item.kind for _, item in found if _by_role(item.kind)})
    already = (
        {(i.kind, i.url) for i in todo.items_for(person, partnership, only=by_role)}
        if by_role
        else set()
    )
    for leaver, item in found:
        if (item.kind, item.url) in already:
            continue
        yield todo.ToDo(
            kind=HANDOVER,
            title=f"Take over or reassign {leaver}'s step: {item.title}",
            url=item.url,
            subject=item.subject,
            due_on=item.due_on,
            clock_state=item.clock_state,
            hint=f"{leaver}'s account is deactivated. Do the step yourself or give the "
            f"record to someone else. {item.hint}".strip(),
        )


def _by_role(key: str) -> bool:
    kind = todo.kind(key)
    return kind is not None and kind.roles is not None


def register_kind() -> None:
    todo.register(
        todo.Kind(
            key=HANDOVER,
            label="Take over a leaver's step",
            provider=handover,
            roles=frozenset({R.SAFEGUARDING_LEAD}) | ADMINS,
        )
    )
