"""The reports kind of to-do: a section of the annual report asked of a group's chair
(the L&I sub-group's evaluation, the training report, the CDOP's report) waits for the
chair to write and submit it, by its due date. The step is the chair's, whatever role they
hold, so the kind is asked of whoever chairs a group with a section outstanding (one query
for the candidates, one for the person's sections). Submitting the section clears it; so
does the business unit taking the section back or the report being signed off."""

from __future__ import annotations

from collections.abc import Collection, Iterator
from typing import Any

from lift.core.todo import ToDo

from .choices import ReportStatus, SectionStatus
from .models import Narrative
from .registry import annual_sections

SECTION_DUE = "reports.section_due"


def _waiting(partnership: Any, rows: Any = None) -> Any:
    return (Narrative.objects.all() if rows is None else rows).filter(
        partnership=partnership,
        board__isnull=False,
        status=SectionStatus.DRAFT,
        report__status=ReportStatus.DRAFT,
    )


def section_due_candidates(partnership: Any) -> Collection[int]:
    """The chairs of the groups with a section to write."""
    return set(
        _waiting(partnership)
        .filter(board__chair__isnull=False)
        .values_list("board__chair_id", flat=True)
    )


def sections_due(person: Any, partnership: Any) -> Iterator[ToDo]:
    """The sections the person, as a group's chair, has still to submit."""
    titles = {s.key: s.title for s in annual_sections()}
    rows = (
        _waiting(partnership, Narrative.objects.restrict(person, "submit"))
        .filter(board__chair=person.pk)
        .select_related("report", "board")
        .order_by("due_on", "pk")
    )
    for n in rows:
        # "Learning and improvement: the L&I sub-group's evaluation" -> its first part
        name = titles.get(n.key, n.key).split(":")[0]
        yield ToDo(
            kind=SECTION_DUE,
            title=f"Write the {name} section of {n.report}",
            url=n.get_absolute_url(),
            subject=n.report,
            due_on=n.due_on,
            hint=f"Asked of you as chair of the {n.board}."
            + (" Your draft is saved." if n.text.strip() else ""),
        )
