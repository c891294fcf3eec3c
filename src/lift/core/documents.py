"""One way to produce reports: as an HTML fragment for a page, a PDF, or a Word document.

Build a `Doc` from blocks and render it; every area uses this rather than its own
WeasyPrint or python-docx code:

    doc = Doc(
        title="Section 11 audit 2025",
        partnership=partnership,
        sections=[
            Heading("Returns"),
            Para("Every agency sent a return."),
            Chart("bar", "Returns by agency", ["Police", "Health"], {"Returns": [4, 6]}),
            DocTable("Returns", ["Agency", "Returns"], [["Police", 4]], numeric=(1,)),
        ],
    )
    render_html(doc)  /  render_pdf(doc)  /  render_docx(doc)
    return document_response(doc, "pdf", "section-11-audit")

Every chart comes with its data table. All text is escaped. The HTML uses GOV.UK Frontend
classes, and has no style attributes or scripts (our CSP forbids them).

Documents too slow for a request are built in the background: register a builder once
(`register_document("board_pack", build_board_pack)`), then `document_request(kind=,
subject=, fmt=, user=)` queues `build_document` and returns a `GeneratedDocument` whose
page (`core:document_status`) shows progress and, when ready, a download link.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field, fields, is_dataclass, replace
from typing import Any, Literal, TypeAlias, cast

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import escape, format_html, format_html_join
from django.utils.http import content_disposition_header
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify
from django_tasks import task

from .access import VIEW, RestrictedQuerySet
from .charts import (
    KINDS,
    UnsafeSvg,
    cached_svg,
    chart_png,
    chart_svg,
    chart_table,
    clean_svg,
    data_version,
    format_value,
)
from .history import acting
from .models import Partnership
from .models.documents import DocumentFormat, DocumentStatus, GeneratedDocument

log = logging.getLogger(__name__)

Format = Literal["pdf", "docx", "html"]

CONTENT_TYPES: dict[str, str] = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "html": "text/html; charset=utf-8",
}


# --- blocks -----------------------------------------------------------------------------


@dataclass
class Heading:
    text: str
    level: int = 1

    def __post_init__(self) -> None:
        if not 1 <= self.level <= 5:
            raise ValueError("Heading level must be between 1 and 5.")


@dataclass
class Para:
    text: str


@dataclass
class Bullets:
    items: list[str]


@dataclass
class DocTable:
    caption: str
    headers: list[str]
    rows: list[list[Any]]
    numeric: tuple[int, ...] = ()

    def __post_init__(self) -> None:
        width = len(self.headers)
        for i, row in enumerate(self.rows, start=1):
            if len(row) != width:
                raise ValueError(
                    f"Table {self.caption!r}: row {i} has {len(row)} cells, not {width}."
                )


@dataclass
class Chart:
    kind: str
    title: str
    categories: list[str]
    series: dict[str, list[float | None]]
    y_label: str = ""  # the units of the values, e.g. "Percent" or "Number of reviews"
    x_label: str = ""
    period: str = ""  # the time the figures cover, e.g. "April 2026 to March 2027"
    source: str = ""  # where the figures come from; "LIFT" when not given
    # The chart's data table when the caller has a fuller one of the same figures (withheld
    # counts in words, a total row); shown instead of the plain one, so never twice.
    data: DocTable | None = None

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"Chart kind must be one of {', '.join(KINDS)}, not {self.kind!r}.")
        for name, values in self.series.items():
            if len(values) != len(self.categories):
                raise ValueError(
                    f"Chart {self.title!r}: series {name!r} has {len(values)} values for "
                    f"{len(self.categories)} categories."
                )

    @property
    def has_data(self) -> bool:
        return bool(self.categories) and any(
            v is not None for values in self.series.values() for v in values
        )

    def table(self) -> DocTable:
        if self.data is not None:
            return self.data
        headers, rows = chart_table(self)
        return DocTable(
            caption=f"Data for the chart: {self.title}",
            headers=headers,
            rows=rows,
            numeric=tuple(range(1, len(headers))),
        )


@dataclass
class KeyValue:
    rows: list[tuple[str, Any]]


@dataclass
class PageBreak:
    pass


@dataclass
class Callout:
    """A highlighted note (GOV.UK inset text)."""

    text: str


@dataclass
class Image:
    """A drawing made by our own code (cleaned all the same). In Word, where SVG cannot be
    shown, its description stands in for it."""

    svg: str
    alt: str


@dataclass
class AttachedPdf:
    """The pages of a stored PDF (an uploaded meeting paper) placed here in a PDF, each page
    the file's own, after `note`. In Word and on a page, where a PDF cannot be merged, the
    note and the link to the original stand in for the pages."""

    note: str
    pdf: bytes = field(repr=False)
    url: str = ""  # the original file's permission-checked download
    digest: str = field(default="", init=False)  # the file, for content_version and repr

    def __post_init__(self) -> None:
        import hashlib

        self.digest = hashlib.sha256(self.pdf).hexdigest()

    @property
    def pages(self) -> int:
        """How many pages the PDF has (0 when it cannot be read)."""
        if not hasattr(self, "_pages"):
            try:
                self._pages = len(_pdf_reader(self.pdf).pages)
            except Exception:  # a file that no longer reads: the note and link stand alone
                log.warning("An attached PDF could not be read", exc_info=True)
                self._pages = 0
        return self._pages


def _pdf_reader(data: bytes) -> Any:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted:
        reader.decrypt("")  # uploads are refused unless they open without a password
    return reader


Block: TypeAlias = (
    Heading
    | Para
    | Bullets
    | DocTable
    | Chart
    | KeyValue
    | PageBreak
    | Callout
    | Image
    | AttachedPdf
)


@dataclass
class Doc:
    title: str
    subtitle: str = ""
    partnership: Partnership | None = None
    sections: list[Block] = field(default_factory=list)
    author: str = ""
    date: dt.date | None = None
    toc: bool = True

    def headings(self) -> list[tuple[str, Heading]]:
        """(anchor id, heading) for the table of contents."""
        return [
            (f"section-{i}", block)
            for i, block in enumerate(self.sections)
            if isinstance(block, Heading)
        ]


# --- HTML -------------------------------------------------------------------------------

_HEADING_CLASSES = {2: "govuk-heading-l", 3: "govuk-heading-m", 4: "govuk-heading-s"}


def _paragraphs(text: str, css: str = "govuk-body") -> SafeString:
    parts = [p.strip() for p in re.split(r"\n\s*\n", str(text)) if p.strip()]
    return format_html_join(
        "\n",
        '<p class="{}">{}</p>',
        ((css, mark_safe("<br>".join(escape(line) for line in p.split("\n")))) for p in parts),
    )


def _table_html(table: DocTable, *, caption_css: str = "govuk-table__caption--m") -> SafeString:
    numeric = set(table.numeric)
    head = format_html_join(
        "",
        '<th scope="col" class="govuk-table__header{}">{}</th>',
        (
            (" govuk-table__header--numeric" if i in numeric else "", h)
            for i, h in enumerate(table.headers)
        ),
    )
    body_rows = []
    for row in table.rows:
        cells = []
        for i, value in enumerate(row):
            if i == 0:
                cells.append(
                    format_html(
                        '<th scope="row" class="govuk-table__header{}">{}</th>',
                        " govuk-table__header--numeric" if i in numeric else "",
                        format_value(value),
                    )
                )
            else:
                cells.append(
                    format_html(
                        '<td class="govuk-table__cell{}">{}</td>',
                        " govuk-table__cell--numeric" if i in numeric else "",
                        format_value(value),
                    )
                )
        body_rows.append(
            format_html('<tr class="govuk-table__row">{}</tr>', mark_safe("".join(cells)))
        )
    if not table.rows:
        body_rows.append(
            format_html(
                '<tr class="govuk-table__row"><td class="govuk-table__cell" colspan="{}">'
                "There is nothing to show.</td></tr>",
                max(1, len(table.headers)),
            )
        )
    return format_html(
        '<table class="govuk-table"><caption class="govuk-table__caption {}">{}</caption>'
        '<thead class="govuk-table__head"><tr class="govuk-table__row">{}</tr></thead>'
        '<tbody class="govuk-table__body">{}</tbody></table>',
        caption_css,
        table.caption,
        head,
        mark_safe("".join(body_rows)),
    )


def _block_html(block: Block, index: int, *, offset: int, pdf: bool) -> SafeString:
    if isinstance(block, Heading):
        level = min(block.level + offset, 6)
        return format_html(
            '<h{} class="{}" id="section-{}">{}</h{}>',
            level,
            _HEADING_CLASSES.get(level, "govuk-heading-s"),
            index,
            block.text,
            level,
        )
    if isinstance(block, Para):
        return _paragraphs(block.text)
    if isinstance(block, Bullets):
        return format_html(
            '<ul class="govuk-list govuk-list--bullet">{}</ul>',
            format_html_join("", "<li>{}</li>", ((item,) for item in block.items)),
        )
    if isinstance(block, DocTable):
        return _table_html(block)
    if isinstance(block, Chart):
        if not block.has_data:
            return format_html(
                # A paragraph, not a heading: an <h4> here could skip a level (axe heading-order).
                '<p class="govuk-body"><strong>{}</strong>: there is no data for this chart '
                "yet.</p>",
                block.title,
            )
        # Drawn once per chart and figures (drawing is the slow part of a document page).
        svg = cached_svg(
            "documents:chart",
            data_version(block, index),
            lambda: chart_svg(block, element_id=f"chart-{index}"),
        )
        return format_html(
            '<figure class="lift-chart" id="figure-{}"><figcaption class="govuk-heading-s">{}'
            "</figcaption>{}</figure>{}",
            index,
            block.title,
            mark_safe(svg),  # built by clean_svg: drawing elements only, values escaped
            _table_html(block.table(), caption_css="govuk-table__caption--s"),
        )
    if isinstance(block, KeyValue):
        rows = format_html_join(
            "",
            '<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">{}</dt>'
            '<dd class="govuk-summary-list__value">{}</dd></div>',
            ((key, format_value(value)) for key, value in block.rows),
        )
        return format_html('<dl class="govuk-summary-list">{}</dl>', rows)
    if isinstance(block, PageBreak):
        return mark_safe('<div class="page-break"></div>') if pdf else mark_safe("")
    if isinstance(block, Callout):
        return format_html(
            '<div class="govuk-inset-text">{}</div>', _paragraphs(block.text, "govuk-body")
        )
    if isinstance(block, AttachedPdf):
        note = _paragraphs(block.note)
        if block.url:
            note += format_html(
                '<p class="govuk-body"><a class="govuk-link" href="{}">{}</a></p>',
                block.url,
                block.url,
            )
        if not pdf:
            return note
        # One empty page per page of the file, found by its anchor once laid out and then
        # given the file's page (render_pdf): the contents' page numbers count them.
        return note + format_html_join(
            "",
            '<div class="attached-page" id="attached-{}-{}"></div>',
            ((index, n) for n in range(block.pages)),
        )
    if isinstance(block, Image):
        try:
            svg = clean_svg(block.svg, title=block.alt, element_id=f"image-{index}")
        except UnsafeSvg:
            return format_html('<p class="govuk-body">[Image: {}]</p>', block.alt)
        return format_html(
            '<figure class="lift-image" id="figure-{}">{}</figure>', index, mark_safe(svg)
        )
    raise TypeError(f"Not a document block: {block!r}")


def _blocks_html(doc: Doc, *, offset: int, pdf: bool = False) -> SafeString:
    return mark_safe(
        "\n".join(
            _block_html(block, i, offset=offset, pdf=pdf) for i, block in enumerate(doc.sections)
        )
    )


def _contents_html(doc: Doc, *, offset: int) -> SafeString:
    headings = [(anchor, h) for anchor, h in doc.headings() if h.level <= 2]
    if not doc.toc or len(headings) < 2:
        return mark_safe("")
    items = format_html_join(
        "",
        '<li class="toc-level-{}"><a class="govuk-link" href="#{}">{}</a></li>',
        ((h.level, anchor, h.text) for anchor, h in headings),
    )
    return format_html(
        '<nav class="lift-contents" aria-labelledby="contents-title">'
        '<h{} class="govuk-heading-s" id="contents-title">Contents</h{}>'
        '<ol class="govuk-list">{}</ol></nav>',
        offset + 1,
        offset + 1,
        items,
    )


def render_html(doc: Doc, *, include_title: bool = True) -> str:
    """The document as an HTML fragment for a GOV.UK page.

    With `include_title` the title is the fragment's h1 and Heading(level=1) is an h2;
    without it the page supplies its own h1 and the levels stay the same.
    """
    parts: list[str] = []
    if include_title:
        if doc.partnership is not None:
            parts.append(
                format_html('<span class="govuk-caption-l">{}</span>', doc.partnership.name)
            )
        parts.append(format_html('<h1 class="govuk-heading-xl">{}</h1>', doc.title))
        if doc.subtitle:
            parts.append(format_html('<p class="govuk-body-l">{}</p>', doc.subtitle))
        meta = _byline(doc)
        if meta:
            parts.append(format_html('<p class="govuk-body-s">{}</p>', meta))
    parts.append(_contents_html(doc, offset=1))
    parts.append(_blocks_html(doc, offset=1))
    return "\n".join(p for p in parts if p)


def _byline(doc: Doc) -> str:
    bits = []
    if doc.author:
        bits.append(doc.author)
    if doc.date:
        bits.append(format_value(doc.date))
    return " · ".join(bits)


def render_html_page(doc: Doc) -> str:
    """A standalone web page (for download): the fragment with its own small stylesheet."""
    return render_to_string(
        "documents/standalone.html",
        {"doc": doc, "body": mark_safe(render_html(doc)), "byline": _byline(doc)},
    )


# --- PDF --------------------------------------------------------------------------------


def _pdf_html(doc: Doc) -> str:
    return render_to_string(
        "documents/pdf.html",
        {
            "doc": doc,
            "byline": _byline(doc),
            "contents": [(a, h) for a, h in doc.headings() if h.level <= 2] if doc.toc else [],
            "body": _blocks_html(doc, offset=1, pdf=True),
            "created": (doc.date or timezone.localdate()).isoformat(),
        },
    )


def render_pdf(doc: Doc) -> bytes:
    """A tagged (PDF/UA-1) A4 PDF: the partnership's name in the running header, "Page X of
    Y" in the footer, a contents list with page numbers, headings as bookmarks."""
    from weasyprint import HTML

    html = _pdf_html(doc)
    attached = [
        (i, b) for i, b in enumerate(doc.sections) if isinstance(b, AttachedPdf) and b.pages
    ]
    if not attached:
        pdf = HTML(string=html, base_url=None).write_pdf(pdf_variant="pdf/ua-1")
        assert pdf is not None
        return bytes(pdf)
    laid_out = HTML(string=html, base_url=None).render(pdf_variant="pdf/ua-1")
    where = {
        anchor: n
        for n, page in enumerate(laid_out.pages)
        for anchor in page.anchors
        if anchor.startswith("attached-")
    }
    pdf = laid_out.write_pdf(pdf_variant="pdf/ua-1")
    assert pdf is not None
    return _merge_attached(bytes(pdf), attached, where)


def _merge_attached(pdf: bytes, attached: list[tuple[int, AttachedPdf]], where: dict) -> bytes:
    """The rendered PDF with each empty page kept for an attached file given that file's
    page (its content, resources, links and size). The pack's own pages, tags, bookmarks
    and contents are untouched; the merged pages are the files' own, untagged unless the
    file was."""
    from pypdf import PdfReader, PdfWriter

    rendered = PdfReader(io.BytesIO(pdf))
    writer = PdfWriter(clone_from=rendered)
    writer.pdf_header = rendered.pdf_header  # PDF 1.7, as PDF/UA-1 needs (pypdf writes 1.3)
    for index, block in attached:
        # Its pages in a writer of their own, so a turned page can be turned in its content.
        own = PdfWriter(clone_from=_pdf_reader(block.pdf))
        for n, source in enumerate(own.pages):
            target_number = where.get(f"attached-{index}-{n}")
            if target_number is None:
                continue
            if source.rotation:
                source.transfer_rotation_to_content()
            target = writer.pages[target_number]
            target.merge_page(source)
            target.mediabox = source.mediabox
            target.cropbox = source.cropbox
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# --- DOCX -------------------------------------------------------------------------------


def _field(paragraph: Any, instruction: str, placeholder: str = "") -> None:
    """Insert a Word field (PAGE, NUMPAGES, TOC ...) into a paragraph."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def fld_char(kind: str) -> Any:
        el = OxmlElement("w:fldChar")
        el.set(qn("w:fldCharType"), kind)
        if kind == "begin":
            el.set(qn("w:dirty"), "true")
        return el

    run = paragraph.add_run()
    run._r.append(fld_char("begin"))
    run = paragraph.add_run()
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run._r.append(instr)
    run = paragraph.add_run()
    run._r.append(fld_char("separate"))
    paragraph.add_run(placeholder)
    run = paragraph.add_run()
    run._r.append(fld_char("end"))


def _docx_table(document: Any, table: DocTable) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    document.add_paragraph(table.caption, style="Caption")
    width = max(1, len(table.headers))
    grid = document.add_table(rows=1, cols=width)
    grid.style = "Table Grid"
    numeric = set(table.numeric)
    header = grid.rows[0]
    tr_pr = header._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    tr_pr.append(repeat)
    for i, (cell, text) in enumerate(zip(header.cells, table.headers, strict=True)):
        paragraph = cell.paragraphs[0]
        paragraph.add_run(str(text)).bold = True
        if i in numeric:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    rows = table.rows or [["There is nothing to show."] + [""] * (width - 1)]
    for row in rows:
        cells = grid.add_row().cells
        for i, (cell, value) in enumerate(zip(cells, row, strict=True)):
            paragraph = cell.paragraphs[0]
            paragraph.add_run(format_value(value))
            if i in numeric:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    document.add_paragraph()


def _docx_text(document: Any, text: str, style: str | None = None) -> None:
    for part in [p.strip() for p in re.split(r"\n\s*\n", str(text)) if p.strip()]:
        paragraph = document.add_paragraph(style=style)
        for n, line in enumerate(part.split("\n")):
            run = paragraph.add_run(line)
            if n < len(part.split("\n")) - 1:
                run.add_break()


def _xml_safe(value: Any) -> Any:
    """The value with the control characters XML cannot hold removed from every string in
    it (a stored title with one made python-docx refuse the whole document)."""
    from .exports import printable

    if isinstance(value, str) and not isinstance(value, SafeString):
        return printable(value)
    if isinstance(value, list | tuple):
        return type(value)(_xml_safe(v) for v in value)
    if is_dataclass(value) and not isinstance(value, type):
        changes = {f.name: _xml_safe(getattr(value, f.name)) for f in fields(value) if f.init}
        return replace(value, **changes)
    return value


def render_docx(doc: Doc) -> bytes:
    """A Word document with real heading styles (the navigation pane works), a contents
    field Word fills in when the file opens, tables whose header row repeats on each page,
    and charts as pictures with alt text followed by their data."""
    from docx import Document

    doc = _xml_safe(doc)
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    document = Document()
    props = document.core_properties
    props.title = doc.title[:255]
    props.subject = doc.subtitle[:255]
    props.author = doc.author[:255] or (
        _xml_safe(doc.partnership.name)[:255] if doc.partnership else "LIFT"
    )
    props.language = "en-GB"
    normal = document.styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(11)

    section = document.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(2.2))
    if doc.partnership is not None:
        section.header.paragraphs[0].text = _xml_safe(doc.partnership.name)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    footer.add_run("Page ")
    _field(footer, "PAGE", "1")
    footer.add_run(" of ")
    _field(footer, "NUMPAGES", "1")

    document.add_heading(doc.title, level=0)
    if doc.subtitle:
        document.add_paragraph(doc.subtitle, style="Subtitle")
    byline = _byline(doc)
    if byline:
        document.add_paragraph(byline)
    if doc.toc and any(isinstance(b, Heading) for b in doc.sections):
        document.add_paragraph("Contents", style="TOC Heading")
        _field(
            document.add_paragraph(),
            'TOC \\o "1-2" \\h \\z \\u',
            "Contents: update the field (F9) to show page numbers.",
        )
        document.add_page_break()
        # Ask Word to refresh fields (contents, page counts) when the file is opened.
        update = OxmlElement("w:updateFields")
        update.set(qn("w:val"), "true")
        document.settings.element.append(update)

    for block in doc.sections:
        if isinstance(block, Heading):
            document.add_heading(block.text, level=block.level)
        elif isinstance(block, Para):
            _docx_text(document, block.text)
        elif isinstance(block, Bullets):
            for item in block.items:
                document.add_paragraph(str(item), style="List Bullet")
        elif isinstance(block, DocTable):
            _docx_table(document, block)
        elif isinstance(block, Chart):
            document.add_paragraph(block.title, style="Caption")
            if not block.has_data:
                document.add_paragraph("There is no data for this chart yet.")
                continue
            picture = (
                document.add_paragraph()
                .add_run()
                .add_picture(io.BytesIO(chart_png(block)), width=Cm(16))
            )
            doc_pr = picture._inline.docPr
            doc_pr.set("descr", f"{block.title}. The chart's data is in the table below it.")
            doc_pr.set("title", block.title)
            _docx_table(document, block.table())
        elif isinstance(block, KeyValue):
            grid = document.add_table(rows=0, cols=2)
            grid.style = "Table Grid"
            for key, value in block.rows:
                cells = grid.add_row().cells
                cells[0].paragraphs[0].add_run(str(key)).bold = True
                cells[1].paragraphs[0].add_run(format_value(value))
            document.add_paragraph()
        elif isinstance(block, PageBreak):
            document.add_page_break()
        elif isinstance(block, Callout):
            _docx_text(document, block.text, style="Intense Quote")
        elif isinstance(block, Image):
            document.add_paragraph(f"[Image: {block.alt}]")
        elif isinstance(block, AttachedPdf):
            _docx_text(document, block.note)
            if block.url:
                document.add_paragraph(block.url)
        else:
            raise TypeError(f"Not a document block: {block!r}")

    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# --- responses --------------------------------------------------------------------------


def render(doc: Doc, fmt: str) -> bytes:
    """The document's bytes in a format: "pdf", "docx" or "html" (a standalone page)."""
    if fmt == "pdf":
        return render_pdf(doc)
    if fmt == "docx":
        return render_docx(doc)
    if fmt == "html":
        return render_html_page(doc).encode("utf-8")
    raise ValueError(f"Unknown document format {fmt!r}: use pdf, docx or html.")


def download_name(filename: str, fmt: str) -> str:
    """A safe file name with the right extension: "Board pack: May" -> "board-pack-may.pdf"."""
    stem = filename.rsplit(".", 1)[0] if filename.lower().endswith(f".{fmt}") else filename
    return f"{slugify(stem)[:120] or 'document'}.{fmt}"


# A rendering kept in the cache is keyed by a hash of everything it is drawn from, so it is
# never stale: a changed figure or word is a new key.
RENDER_CACHE_SECONDS = 24 * 3600


def content_version(doc: Doc, *extra: object) -> str:
    """A version of the document's content: equal content, equal version."""
    p = doc.partnership
    partnership = (p.pk, p.name, p.short_name) if p is not None else None
    return data_version(
        partnership, doc.title, doc.subtitle, doc.author, doc.date, doc.toc, doc.sections, *extra
    )


def render_cached(doc: Doc, fmt: str) -> bytes:
    """`render(doc, fmt)`, rendered once per content (for a page many people download, such
    as a public report)."""
    from django.core.cache import cache

    from .charts import chart_cache_key

    key = chart_cache_key(f"documents:{fmt}", content_version(doc, fmt))
    found = cache.get(key)
    if isinstance(found, bytes):
        return found
    content = render(doc, fmt)
    cache.set(key, content, RENDER_CACHE_SECONDS)
    return content


def document_response(
    doc: Doc, fmt: Format | str, filename: str, *, cached: bool = False
) -> HttpResponse:
    """The document as a download in `fmt` ("pdf", "docx" or "html"); with `cached`, rendered
    once per content (`render_cached`)."""
    content = render_cached(doc, fmt) if cached else render(doc, fmt)
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=download_name(filename, fmt)
    )
    response["X-Content-Type-Options"] = "nosniff"
    if fmt == "html":
        # Never shown inside LIFT (it is a download); if opened, no scripts, and only its
        # own stylesheet.
        response["Content-Security-Policy"] = (
            "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox"
        )
    return response


# --- background builds ------------------------------------------------------------------

ProgressFn = Callable[[int], None]
DocumentBuilder = Callable[[models.Model, ProgressFn], Doc]
_builders: dict[str, DocumentBuilder] = {}


def register_document(kind: str, builder: DocumentBuilder) -> DocumentBuilder:
    """Make `builder(subject, progress)` available as document `kind` (call from an
    AppConfig.ready). `progress(percent)` may be called as the work goes on."""
    _builders[kind] = builder
    return builder


def document_builders() -> dict[str, DocumentBuilder]:
    return dict(_builders)


def _may_view(user: Any, subject: models.Model) -> bool:
    manager = type(subject)._default_manager
    qs = manager.all()
    if not isinstance(qs, RestrictedQuerySet):
        return bool(getattr(user, "is_superuser", False))
    return qs.restrict(user, VIEW).filter(pk=subject.pk).exists()


@transaction.atomic
def document_request(*, kind: str, subject: models.Model, fmt: str, user: Any) -> GeneratedDocument:
    """Queue a document about `subject` for `user`. A matching request still waiting or
    being built is returned instead of queueing a second one."""
    if kind not in _builders:
        raise ValidationError(f"There is no document called {kind!r}.")
    if fmt not in DocumentFormat.values:
        raise ValidationError(f"Unknown document format {fmt!r}: use pdf, docx or html.")
    if not _may_view(user, subject):
        raise PermissionDenied("You cannot see the record this document is about.")
    partnership = subject if isinstance(subject, Partnership) else cast(Any, subject).partnership
    content_type = ContentType.objects.get_for_model(subject.__class__)
    pending = GeneratedDocument.objects.filter(
        kind=kind,
        content_type=content_type,
        object_id=subject.pk,
        format=fmt,
        requested_by=user,
        status__in=[DocumentStatus.QUEUED, DocumentStatus.BUILDING],
    ).first()
    if pending is not None:
        return pending
    generated = GeneratedDocument(
        partnership=partnership,
        kind=kind,
        content_type=content_type,
        object_id=subject.pk,
        format=fmt,
        requested_by=user,
    )
    generated.full_clean()
    generated.save()
    pk = generated.pk
    transaction.on_commit(lambda: build_document.enqueue(pk))
    return generated


@transaction.atomic
def document_retry(*, generated: GeneratedDocument) -> bool:
    """Queue a failed document to be built again (the caller has checked that the person
    may view it); True if it was failed and is waiting again. The row goes back to
    "waiting to start" with its error cleared, so its page shows progress again."""
    locked = (
        GeneratedDocument.objects.select_for_update()
        .filter(pk=generated.pk, status=DocumentStatus.FAILED)
        .first()
    )
    if locked is None:
        return False
    locked.status = DocumentStatus.QUEUED
    locked.progress = 0
    locked.error = ""
    locked.finished_at = None
    locked.save(update_fields=["status", "progress", "error", "finished_at", "updated_at"])
    pk = locked.pk
    transaction.on_commit(lambda: build_document.enqueue(pk))
    return True


@task()
def build_document(generated_id: int) -> str:
    """Build one requested document (safe to run again: a ready document is left alone)."""
    with acting(source="task", reason="Document build"):
        return document_build(generated_id=generated_id)


def document_build(*, generated_id: int) -> str:
    """Render and store a requested document; returns its final status.

    The file is written completely before the row is marked ready, so a ready document
    always has its whole file; any failure is recorded on the row as "failed".
    """
    with transaction.atomic():
        generated = (
            GeneratedDocument.objects.select_for_update()
            .select_related("content_type", "partnership")
            .filter(pk=generated_id)
            .first()
        )
        if generated is None:
            return "missing"
        if generated.status == DocumentStatus.READY:
            return str(generated.status)
        generated.status = DocumentStatus.BUILDING
        generated.progress = 0
        generated.error = ""
        generated.save(update_fields=["status", "progress", "error", "updated_at"])

    def progress(percent: int) -> None:
        value = max(0, min(99, int(percent)))
        GeneratedDocument.objects.filter(pk=generated_id, status=DocumentStatus.BUILDING).update(
            progress=value
        )

    stored_name = ""
    try:
        builder = _builders.get(generated.kind)
        if builder is None:
            raise LookupError(f"There is no document called {generated.kind!r}.")
        subject = generated.subject
        if subject is None:
            raise LookupError("The record this document is about no longer exists.")
        doc = builder(subject, progress)
        progress(90)
        content = render(doc, generated.format)
        filename = download_name(doc.title, generated.format)
        stored_name = generated.file.storage.save(
            generated.file.field.generate_filename(generated, filename), ContentFile(content)
        )
        with transaction.atomic():
            locked = GeneratedDocument.objects.select_for_update().get(pk=generated_id)
            if locked.status == DocumentStatus.READY:  # another run finished first
                generated.file.storage.delete(stored_name)
                return str(locked.status)
            locked.file.name = stored_name
            locked.title = doc.title[:300]
            locked.filename = filename
            locked.status = DocumentStatus.READY
            locked.progress = 100
            locked.finished_at = timezone.now()
            locked.full_clean()
            locked.save()
        return str(DocumentStatus.READY)
    except Exception as exc:
        log.exception("Document %s (%s) failed", generated_id, generated.kind)
        if stored_name:
            generated.file.storage.delete(stored_name)
        with transaction.atomic():
            failed = GeneratedDocument.objects.select_for_update().get(pk=generated_id)
            if failed.status != DocumentStatus.READY:
                failed.status = DocumentStatus.FAILED
                failed.error = (str(exc) or exc.__class__.__name__)[:2000]
                failed.finished_at = timezone.now()
                failed.save()
        return str(DocumentStatus.FAILED)


@transaction.atomic
def document_build_given_up(*, generated_id: int) -> bool:
    """Mark a document failed whose build task was given up (its worker died too often,
    see `lift.core.tasks.stale_tasks_requeue`); True if it changed. A ready document is
    left alone."""
    with acting(source="task", reason="Document build given up"):
        generated = (
            GeneratedDocument.objects.select_for_update()
            .filter(pk=generated_id, status__in=[DocumentStatus.QUEUED, DocumentStatus.BUILDING])
            .first()
        )
        if generated is None:
            return False
        generated.status = DocumentStatus.FAILED
        generated.error = "The build stopped part-way several times. Request the document again."
        generated.finished_at = timezone.now()
        generated.save(update_fields=["status", "error", "finished_at", "updated_at"])
        return True
