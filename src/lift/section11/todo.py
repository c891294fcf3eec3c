"""The Section 11 area's kinds of to-do, read from the returns' states (one query a kind):

- the agency's safeguarding lead completes and submits its return, by the cycle's deadline;
- the lead answers the peer challenge panel's questions while the return is under challenge;
- a panel member's steps on a return given to their panel: start the challenge once the
  return is submitted, then moderate every rating and record the conclusion, by the last
  day of peer challenge.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from lift.core.access import assignments_for
from lift.core.todo import ToDo

from . import selectors
from .choices import CycleStatus, ReturnStatus
from .models import LEADS, ChallengeQuestion, Panel, Section11Return

RETURN = "section11.return_submit"
QUESTION = "section11.challenge_question"
PANEL = "section11.panel_challenge"


def _lead_agencies(person: Any, partnership: Any) -> set[int]:
    """The agencies the person is the safeguarding lead for (from the assignments already
    loaded for the request: no query)."""
    return {
        a.agency_id
        for a in assignments_for(person)
        if a.partnership_id == partnership.pk
        and a.role in LEADS
        and a.agency_id
        and a.case_type_id is None
    }


def returns_to_submit(person: Any, partnership: Any) -> Iterator[ToDo]:
    """Draft returns of open cycles that the person may submit (their agency's lead)."""
    if not _lead_agencies(person, partnership):
        return
    rows = (
        Section11Return.objects.restrict(person, "submit")
        .filter(partnership=partnership, status=ReturnStatus.DRAFT, cycle__status=CycleStatus.OPEN)
        .select_related("cycle", "agency")
        .with_progress()
        .order_by("cycle__deadline", "agency__name", "pk")
    )
    for ret in rows:
        answered, total = ret.answered_count, ret.total_count
        where = f"{ret.agency.name}, {ret.cycle.name}"
        if total and answered == total:
            title = f"Submit the Section 11 return for {where}"
            url = reverse("section11:return_submit", args=[ret.pk])
        else:
            title = f"Complete and submit the Section 11 return for {where}"
            url = ret.get_absolute_url()
        yield ToDo(
            kind=RETURN,
            title=title,
            url=url,
            subject=ret,
            due_on=ret.cycle.deadline,
            hint=f"{answered} of {total} requirements answered.",
        )


def questions_to_answer(person: Any, partnership: Any) -> Iterator[ToDo]:
    """The panel's questions to the person's agency (as its lead) not yet answered, while
    the return is under challenge."""
    agencies = _lead_agencies(person, partnership)
    if not agencies:
        return
    rows = (
        ChallengeQuestion.objects.restrict(person, "respond")
        .filter(
            partnership=partnership,
            agency_return__agency_id__in=agencies,
            agency_return__status=ReturnStatus.UNDER_CHALLENGE,
            response="",
        )
        .select_related("agency_return__agency", "agency_return__cycle", "standard")
        .order_by("agency_return__cycle__challenge_ends_on", "created_at", "pk")
    )
    for q in rows:
        ret = q.agency_return
        yield ToDo(
            kind=QUESTION,
            title=f"Answer the peer challenge panel's question on standard {q.standard.ref}",
            url=reverse("section11:question_respond", args=[q.pk]),
            subject=ret,
            due_on=ret.cycle.challenge_ends_on,
            hint=f"{ret.agency.name}, {ret.cycle.name}.",
        )


def _on_a_panel(person: Any, partnership: Any) -> bool:
    """Does the person hold a panel's case-team role here (no query: the assignments are
    loaded for the request, content types cached)?"""
    panel_type = ContentType.objects.get_for_model(Panel).pk
    return any(
        a.partnership_id == partnership.pk and a.case_type_id == panel_type
        for a in assignments_for(person)
    )


def panel_steps(person: Any, partnership: Any) -> Iterator[ToDo]:
    """Returns given to a panel the person sits on: start the challenge of a submitted
    return; moderate and conclude one under challenge."""
    if not _on_a_panel(person, partnership):
        return
    for ret in selectors.my_panel_returns(person, partnership):
        name = f"the Section 11 return for {ret.agency.name}, {ret.cycle.name}"
        if ret.status == ReturnStatus.SUBMITTED:
            title = f"Start the peer challenge of {name}"
        else:
            title = f"Moderate the ratings and record the conclusion on {name}"
        yield ToDo(
            kind=PANEL,
            title=title,
            url=reverse("section11:return_challenge", args=[ret.pk]),
            subject=ret,
            due_on=ret.cycle.challenge_ends_on,
            hint=f"Panel: {ret.panel.name}. {ret.cycle.name}." if ret.panel else ret.cycle.name,
        )
