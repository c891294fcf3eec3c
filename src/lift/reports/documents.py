"""The annual report as a document: live while a draft, frozen once signed off."""

from __future__ import annotations

from typing import Any

from lift.core.charts import cached_svg
from lift.core.documents import (
    RENDER_CACHE_SECONDS,
    Block,
    Doc,
    Heading,
    Para,
    content_version,
    render_html,
)

from . import snapshot
from .models import AnnualReport
from .registry import annual_sections, build_section


def live_sections(report: AnnualReport) -> list[tuple[str, str, list[Block]]]:
    """(key, title, blocks) of every section with data for the report's year."""
    from lift.voice.rules import year_bounds

    start, end = year_bounds(report.year)
    out = []
    for section in annual_sections():
        blocks = build_section(section, report.partnership, start, end)
        if blocks:
            out.append((section.key, section.title, blocks))
    return out


def live_doc(report: AnnualReport) -> Doc:
    narratives = {n.key: n.text for n in report.narratives.all() if n.text.strip()}
    sections: list[Any] = []
    if report.foreword.strip():
        sections += [Heading("Foreword", 1), Para(report.foreword)]
    for key, title, blocks in live_sections(report):
        sections.append(Heading(title, 1))
        if narratives.get(key):
            sections.append(Para(narratives[key]))
        sections.extend(blocks)
    if report.priorities_next_year.strip():
        sections += [Heading("Priorities for next year", 1), Para(report.priorities_next_year)]
    return Doc(
        title=str(report),
        subtitle=f"{report.partnership.name}: annual report on the effectiveness of "
        "safeguarding and of the partnership's learning and improvement",
        partnership=report.partnership,
        sections=sections,
        date=report.signed_off_on,
    )


def report_doc(report: AnnualReport) -> Doc:
    """The signed-off snapshot, or the live document of a draft."""
    if report.is_signed_off and report.snapshot:
        return snapshot.thaw(report.snapshot, report.partnership)
    return live_doc(report)


def doc_html(doc: Doc) -> str:
    """The document as a page fragment (the page supplies the h1), drawn once per content:
    drawing its charts is what makes a report slow to open."""
    return cached_svg(
        "reports:html",
        content_version(doc),
        lambda: render_html(doc, include_title=False),
        timeout=RENDER_CACHE_SECONDS,
    )


def build_annual_report(subject: Any, progress: Any) -> Doc:
    """Background builder (lift.core.documents.register_document)."""
    progress(10)
    return report_doc(subject)
