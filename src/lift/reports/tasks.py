"""Background work of the annual report: drawing a signed-off report once, so its page and
the public page open at once (drawing its charts is the slow part), and rendering its PDF
and Word file once, so the first downloads do not wait for WeasyPrint."""

from __future__ import annotations

from django_tasks import task


@task()
def annual_report_draw_task(report_id: int) -> bool:
    """Draw the report's page, PDF and DOCX into the cache. Safe to run again: an unchanged
    report is drawn once (each drawing is keyed by its content). False if the report is
    gone."""
    from lift.core.documents import render_cached

    from .documents import doc_html, report_doc
    from .models import AnnualReport

    report = AnnualReport.objects.filter(pk=report_id).select_related("partnership").first()
    if report is None:
        return False
    doc = report_doc(report)
    doc_html(doc)
    if report.is_signed_off:
        for fmt in ("pdf", "docx"):
            render_cached(doc, fmt)
    return True
