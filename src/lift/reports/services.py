"""Writes to annual reports. A signed-off report is frozen: every change is refused.

Sections a group's chair writes (the L&I sub-group's evaluation, the training report, the
CDOP's report): the business unit asks the group (`section_assign`), the chair writes a
draft and submits it (`section_write`, `section_submit`), the business unit can return it
for changes (`section_return`), and the report is signed off only once every section asked
for is in. History records each step (the record's own change log, with a reason)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from lift.core.history import change_reason
from lift.core.models import Partnership, Person

from . import snapshot
from .choices import ReportStatus, SectionStatus
from .models import SIGNED_OFF_MESSAGE, SUBMITTED_MESSAGE, AnnualReport, Narrative
from .registry import annual_sections


def _unfrozen(report: AnnualReport) -> None:
    if report.is_signed_off:
        raise ValidationError(SIGNED_OFF_MESSAGE)


@transaction.atomic
def annual_report_create(
    *, partnership: Partnership, by: Person | None, year: str, title: str = "", **fields: Any
) -> AnnualReport:
    report = AnnualReport(partnership=partnership, year=year, title=title, **fields)
    report.full_clean()
    report.save()
    return report


@transaction.atomic
def annual_report_update(
    *,
    report: AnnualReport,
    by: Person | None,
    narratives: dict[str, str] | None = None,
    **fields: Any,
) -> AnnualReport:
    """Change the report's own text and its sections' narratives (a draft only)."""
    report = AnnualReport.objects.select_for_update().get(pk=report.pk)
    _unfrozen(report)
    for name, value in fields.items():
        setattr(report, name, value)
    report.full_clean()
    report.save()
    for key, text in (narratives or {}).items():
        narrative = Narrative.objects.filter(report=report, key=key).first() or Narrative(
            partnership=report.partnership, report=report, key=key
        )
        if narrative.pk is None and not text.strip():
            continue
        if narrative.board_id is not None:
            if text == narrative.text:
                continue  # unchanged: a form or API client sending every section back
            raise ValidationError(
                {
                    "narratives": f"{section_title(key)} is written by the chair of "
                    f"{narrative.board}: ask them, or take the section back first."
                }
            )
        narrative.text = text
        narrative.full_clean()
        narrative.save()
    return report


@transaction.atomic
def annual_report_sign_off(*, report: AnnualReport, by: Person | None) -> AnnualReport:
    """Sign the report off: its content is rendered from the live data one last time and
    frozen (a snapshot of its blocks); from then on it renders from the snapshot and cannot
    be changed."""
    from .documents import live_doc

    report = AnnualReport.objects.select_for_update().get(pk=report.pk)
    _unfrozen(report)
    waiting = [
        f"{section_title(n.key)} ({n.board})"
        for n in outstanding_sections(report).select_related("board")
    ]
    if waiting:
        raise ValidationError(
            "The report cannot be signed off until every section asked of a group's chair is "
            f"submitted. Still to come: {'; '.join(waiting)}."
        )
    report.signed_off_on = timezone.localdate()
    report.signed_off_by = by
    report.status = ReportStatus.SIGNED_OFF
    report.snapshot = snapshot.freeze(live_doc(report))
    report.save()
    from .tasks import annual_report_draw_task

    pk = report.pk
    transaction.on_commit(lambda: annual_report_draw_task.enqueue(pk))
    return report


@transaction.atomic
def annual_report_delete(*, report: AnnualReport, by: Person | None) -> None:
    _unfrozen(report)
    report.delete()


# --- sections written by a group's chair ----------------------------------------------


def section_title(key: str) -> str:
    """A section's title by key (the key itself for one no longer registered)."""
    return next((s.title for s in annual_sections() if s.key == key), key)


def outstanding_sections(report: AnnualReport) -> Any:
    """The sections asked of a group's chair that are not yet submitted."""
    return Narrative.objects.filter(report=report, board__isnull=False).exclude(
        status=SectionStatus.SUBMITTED
    )


def _locked(narrative: Narrative) -> Narrative:
    narrative = Narrative.objects.select_for_update().select_related("report").get(pk=narrative.pk)
    _unfrozen(narrative.report)
    return narrative


@transaction.atomic
def section_assign(
    *,
    report: AnnualReport,
    key: str,
    board: Any,
    due_on: Any = None,
    by: Person | None,
) -> Narrative:
    """Ask a group's chair to write a section (`board`), by `due_on`; or, with no board,
    take the section back for the business unit to write. A section moved to another group
    goes back to being written."""
    report = AnnualReport.objects.select_for_update().get(pk=report.pk)
    _unfrozen(report)
    if key not in {s.key for s in annual_sections()}:
        raise ValidationError({"key": "Choose a section of the annual report."})
    if board is not None:
        if board.partnership_id != report.partnership_id:
            raise ValidationError({"board": "Choose one of the partnership's groups."})
        if board.chair_id is None:
            raise ValidationError(
                {"board": f"{board} has no chair: add the chair's membership to the group first."}
            )
    narrative = Narrative.objects.filter(report=report, key=key).first() or Narrative(
        partnership=report.partnership, report=report, key=key
    )
    if narrative.board_id != getattr(board, "pk", None):
        narrative.status = SectionStatus.DRAFT
        narrative.submitted_on = None
        narrative.submitted_by = None
    narrative.board = board
    narrative.due_on = due_on if board is not None else None
    narrative.full_clean()
    reason = (
        f"Asked the chair of {board} to write it"
        if board is not None
        else "Taken back by the business unit"
    )
    with change_reason(reason):
        narrative.save()
    return narrative


@transaction.atomic
def section_write(*, narrative: Narrative, text: str, by: Person | None) -> Narrative:
    """Save the section's text as a draft (refused once submitted or signed off)."""
    narrative = _locked(narrative)
    if narrative.is_submitted:
        raise ValidationError(SUBMITTED_MESSAGE)
    narrative.text = text
    narrative.full_clean()
    narrative.save()
    return narrative


@transaction.atomic
def section_submit(*, narrative: Narrative, by: Person | None) -> Narrative:
    """Submit the section to the business unit, which assembles the report."""
    narrative = _locked(narrative)
    if narrative.board_id is None:
        raise ValidationError("Only a section asked of a group's chair is submitted.")
    if narrative.is_submitted:
        raise ValidationError("This section was already submitted.")
    if not narrative.text.strip():
        raise ValidationError({"text": "Write the section before you submit it."})
    narrative.status = SectionStatus.SUBMITTED
    narrative.submitted_on = timezone.localdate()
    narrative.submitted_by = by
    with change_reason("Submitted to the business unit"):
        narrative.save()
    return narrative


@transaction.atomic
def section_return(*, narrative: Narrative, by: Person | None, reason: str = "") -> Narrative:
    """Return a submitted section to its chair for changes (the business unit)."""
    narrative = _locked(narrative)
    if not narrative.is_submitted:
        raise ValidationError("Only a submitted section can be returned.")
    narrative.status = SectionStatus.DRAFT
    narrative.submitted_on = None
    narrative.submitted_by = None
    with change_reason(f"Returned for changes: {reason}" if reason.strip() else "Returned"):
        narrative.save()
    return narrative
