"""The annual report as a document: live while a draft, frozen once signed off.

A draft's page is drawn from the live data once per data version (`core.dataversion`: any
write anywhere makes a new one), so opening it again while nothing changed reads the
drawing kept in the cache instead of counting every section again."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

from django.core.cache import cache

from lift.core import dataversion
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
from .models import AnnualReport, Narrative
from .registry import AnnualSection, annual_sections, build_section

T = TypeVar("T")


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


def byline(narrative: Narrative) -> str:
    """Who wrote a chair's section ("Written by Ruth Adebayo, chair of the Learning and
    Improvement sub-group.")."""
    who = narrative.submitted_by.full_name if narrative.submitted_by else "the chair"
    return f"Written by {who}, chair of the {narrative.board}."


def shown_text(narrative: Narrative) -> str:
    """The text the report shows for a section: the business unit's commentary, or a
    chair's section once it is submitted (a draft in writing is not shown)."""
    if narrative.board_id is not None and not narrative.is_submitted:
        return ""
    return narrative.text.strip()


def live_doc(report: AnnualReport) -> Doc:
    narratives = {
        n.key: n for n in report.narratives.select_related("board", "submitted_by") if shown_text(n)
    }
    live = {key: (title, blocks) for key, title, blocks in live_sections(report)}
    sections: list[Any] = []
    if report.foreword.strip():
        sections += [Heading("Foreword", 1), Para(report.foreword)]
    for section in annual_sections():
        narrative = narratives.get(section.key)
        # A section with nothing for the year is left out, unless its chair wrote it.
        if section.key not in live and (narrative is None or narrative.board_id is None):
            continue
        sections.append(Heading(section.title, 1))
        if narrative is not None:
            sections.extend(Para(p) for p in _paragraphs(shown_text(narrative)))
            if narrative.board_id is not None:
                sections.append(Para(byline(narrative)))
        sections.extend(live.get(section.key, ("", []))[1])
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


def _paragraphs(text: str) -> list[str]:
    """Paragraphs of a text, split at blank lines."""
    return [p.strip() for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]


def kept(name: str, build: Callable[[], T]) -> T:
    """`build()` from the live data once per data version (read before the data), kept for
    `dataversion.TTL` seconds; built afresh while this connection holds writes."""
    if not dataversion.may_cache():
        return build()
    key = f"reports:{name}:{dataversion.current()}"
    value = cache.get(key)
    if value is None:
        value = build()
        if dataversion.may_cache():
            cache.set(key, value, dataversion.TTL)
    return cast(T, value)


def openings(report: AnnualReport) -> dict[str, str]:
    """What each section in use says first (its opening paragraph, "" if it opens with
    something else), by key, kept per data version: the narrative form shows it."""

    def build() -> dict[str, str]:
        out = {}
        for key, _, blocks in live_sections(report):
            first = blocks[0] if blocks else None
            out[key] = first.text if isinstance(first, Para) else ""
        return out

    return kept(f"openings:{report.pk}", build)


def report_html(report: AnnualReport) -> str:
    """The report's page body: the frozen snapshot of a signed-off report, or the live
    document of a draft, kept per data version."""
    if report.is_signed_off and report.snapshot:
        return doc_html(report_doc(report))
    return kept(f"report:{report.pk}", lambda: doc_html(live_doc(report)))


def section_html(report: AnnualReport, section: AnnualSection) -> str:
    """One section's figures for the report's year, as the page shows them beside its
    writer's text ("" when the area has nothing for the year), kept per data version."""
    from lift.voice.rules import year_bounds

    def build() -> str:
        start, end = year_bounds(report.year)
        blocks = build_section(section, report.partnership, start, end)
        if not blocks:
            return ""
        return doc_html(Doc(title=section.title, partnership=report.partnership, sections=blocks))

    return kept(f"section:{report.pk}:{section.key}", build)


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
