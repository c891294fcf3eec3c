"""Writes to annual reports. A signed-off report is frozen: every change is refused."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from lift.core.models import Partnership, Person

from . import snapshot
from .choices import ReportStatus
from .models import SIGNED_OFF_MESSAGE, AnnualReport, Narrative


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
