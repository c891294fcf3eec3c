"""Every kind of document in the demo, printed (issue 20, "Done when"): the Board pack, each
annual report (the partnership's, the CDOP's, the training report), the panel and Section 11
letters, certificates and the other reports are built from the demo's database, rendered to
PDF (and Word where the kind offers it), to page images (`pdftoppm -r 40`) and to text
(`pdftotext`), and checked:

- every page is drawn: as many page images as the PDF has pages, none blank (Pillow counts
  its dark pixels);
- no chart appears twice in a document (by title, nor by its data), and none of its labels
  overlaps another or runs off the figure's edge, from the chart's own drawn layout
  (`charts.label_boxes`/`overlaps`/`clipped`), its smallest text at least 9 pt as printed
  (`charts.smallest_font_pt`);
- no text smaller than 9 pt. In the PDF, from the PDF itself: pypdf walks each page's
  content stream and reports every text run with its `Tf` size, text matrix and current
  transformation matrix; the printed size is the `Tf` size times the vertical scale of
  text matrix x CTM (the length of its second row), so text drawn in a scaled SVG chart is
  measured as printed. (Word heights from `pdftotext -bbox` include ascent and descent and
  are not font sizes.) In Word, each run's size, else its paragraph style's (following the
  style's base styles), else the document default;
- no internal code (an indicator's code, a URN, a slug, a key such as `pcsex:q1`, a
  Python repr or a bare "None" where a number belongs) and no identifier of any restricted
  record in the demo (every child's and sampled case's identity: names, addresses,
  postcodes, NHS and record numbers, dates of birth and death; CDOP notifiers' contact
  details), in the PDF's text and the Word document's;
- every figure the public annual report prints equals the database's: the public page for
  the demo partnership is read as HTML (its tables and summary lists) and compared with
  counts made here with the ORM for the report's financial year.

The demo is built once for the module (inside an outer transaction rolled back at the end),
as tests/core/test_demo.py builds it, and every document is rendered once; the checks run
in one test (as tests/core/test_demo_todo.py does), so a parallel run builds it once.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import math
import re
import subprocess
import tempfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import matplotlib
import pytest
from django.db.models import Q
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lift.core import charts, demo
from lift.core.documents import Chart, Doc, DocTable, KeyValue, render_docx, render_pdf

logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)
logging.getLogger("weasyprint").setLevel(logging.ERROR)
logging.getLogger("fontTools").setLevel(logging.ERROR)

pytestmark = pytest.mark.django_db

MIN_PT = 9.0
PAGE_DPI = 40
# A page with less ink than this many dark pixels at 40 dpi (a 331 x 468 image) is blank:
# the running header and footer alone draw several hundred.
MIN_INK = 150

# Every kind of document LIFT prints, each built below from the demo at least once.
KINDS = {
    "board_pack",
    "annual_report",
    "training_annual_report",
    "certificate",
    "cdop_annual_report",
    "you_said_we_did",
    "published_review_report",
    "published_review_briefing",
    "panel_letter",
    "audit_overview",
    "inspection_progress",
    "section11_overview",
    "section11_follow_up",
    "section11_letter",
}

# An internal code as printed: a lower-case token glued to another by a colon ("pcsex:q1",
# "documents:chart", "reviews:case-12"; prose has a space after its colon).
INTERNAL_CODE = re.compile(r"(?<![\w/.#@-])[a-z][a-z0-9_]*:[a-z0-9][a-z0-9_-]*\b")
# Python's and JavaScript's words for nothing, and reprs of objects, as printed.
REPRS = re.compile(
    r"object at 0x|\[object |<QuerySet|<[A-Z]\w+: |\b[A-Z]\w+\(\w+=|\{'\w+': |\bNaN\b|\bnan\b"
    r"|\bundefined\b|\burn:"
)
NOTHING = {"None", "nan", "NaN", "null", "undefined", "[]", "{}"}


@dataclass
class Printed:
    kind: str
    label: str
    doc: Doc
    docx: bool = True  # the kind is offered as a Word document too (rendered once a kind)
    pdf: bytes = b""
    pdf_text: str = ""
    docx_bytes: bytes = b""
    docx_text: str = ""
    pages: int = 0
    path: Path = Path()
    images: list[Path] = field(default_factory=list)

    def __str__(self) -> str:
        return f"{self.kind} ({self.label})"


# --- the demo and its documents ---------------------------------------------------------


def every_document(ctx: demo.DemoContext) -> list[Printed]:
    """Every kind of document, about the demo's records: each registered background
    document (its subject found as `lift bench` finds it), each annual report, and one or
    two subjects of every other kind (the richest: a completed audit; one letter of each
    kind and every published review, in both demo partnerships)."""
    from lift.audits.models import Audit
    from lift.audits.report import build_overview
    from lift.cdop import stats
    from lift.core import documents
    from lift.core.bench import key_pages  # noqa: F401  (registers the Board pack's subject)
    from lift.core.bench.registry import Targets, document_subjects
    from lift.governance.choices import GroupKind
    from lift.governance.models import Meeting
    from lift.inspections.documents import progress_doc
    from lift.inspections.models import ProgressReport
    from lift.reports.documents import report_doc
    from lift.reports.models import AnnualReport
    from lift.reviews.models import Letter
    from lift.reviews.selectors import public_reviews
    from lift.reviews.views.letters import letter_document
    from lift.reviews.views.public import published_doc
    from lift.section11 import documents as s11
    from lift.section11 import selectors as s11_selectors
    from lift.section11.models import Cycle, Escalation, FollowUp, OverviewReport
    from lift.training import reports as training
    from lift.training.choices import Attendance
    from lift.training.models import Booking, Programme
    from lift.voice.documents import you_said_we_did_doc
    from lift.voice.models import Consultation

    p = ctx.partnership
    bu = ctx.people["bu"]
    out: list[Printed] = []
    targets = Targets(partnership=p)
    subjects = document_subjects()
    # A kind the bench has no subject for yet: its subject in the demo.
    fallback = {"training_annual_report": lambda t: t.first("training.Programme")}
    # The Board pack of the Board meeting next month (its papers merged), if there is one,
    # rather than the bench's first meeting.
    upcoming = (
        Meeting.objects.filter(partnership=p, board__kind=GroupKind.BOARD)
        .filter(starts_at__gte=timezone.now())
        .order_by("starts_at")
        .first()
    )
    if upcoming is not None:
        subjects["board_pack"] = lambda _t: upcoming
    for kind, builder in sorted(documents.document_builders().items()):
        find = subjects.get(kind) or fallback.get(kind)
        assert find is not None, f"document {kind!r} has no subject (register_document_subject)"
        subject = find(targets)
        assert subject is not None, f"the demo has no subject for document {kind!r}"
        out.append(Printed(kind, str(subject), builder(subject, lambda _n: None)))
    for report in AnnualReport.objects.filter(partnership=p).order_by("year"):
        label = f"{report} ({report.get_status_display()})"
        if not any(b.kind == "annual_report" and b.label.startswith(str(report)) for b in out):
            out.append(Printed("annual_report", label, report_doc(report)))
    for programme in Programme.objects.filter(partnership=p):
        if all(b.label != str(programme) for b in out):
            doc = training.annual_report(p, programme)
            out.append(Printed("training_annual_report", str(programme), doc))
    booking = (
        Booking.objects.filter(partnership=p, attendance=Attendance.ATTENDED).order_by("pk").first()
    )
    if booking is not None:
        out.append(Printed("certificate", str(booking), training.certificate(booking)))
    year = timezone.localdate().year
    out.append(Printed("cdop_annual_report", str(year), stats.annual_report(p, year)))
    for consultation in Consultation.objects.filter(partnership=p)[:2]:
        out.append(Printed("you_said_we_did", str(consultation), you_said_we_did_doc(consultation)))
    for review in public_reviews().order_by("partnership_id", "pk"):  # both partnerships
        for part, text in (("report", review.report_text), ("briefing", review.briefing_text)):
            if text.strip():  # the public site offers these as PDF only
                doc = published_doc(review, part)
                out.append(Printed(f"published_review_{part}", str(review), doc, docx=False))
    seen: set[tuple[int, str]] = set()
    for letter in Letter.objects.order_by("pk"):  # one of each kind in each partnership
        if (letter.partnership_id, letter.kind) not in seen:
            seen.add((letter.partnership_id, letter.kind))
            out.append(Printed("panel_letter", str(letter), letter_document(letter)))
    audits = Audit.objects.filter(partnership=p).order_by("-completed_on", "pk")
    for audit in audits.exclude(completed_on=None)[:1]:
        out.append(Printed("audit_overview", str(audit), build_overview(audit, bu)))
    for progress in ProgressReport.objects.filter(partnership=p).order_by("pk")[:1]:
        out.append(Printed("inspection_progress", str(progress), progress_doc(progress, bu)))
    for cycle in Cycle.objects.filter(partnership=p).order_by("-starts_on")[:1]:
        report = OverviewReport.objects.filter(cycle=cycle).first()
        doc = s11.overview_doc(cycle, report, s11_selectors.overview(cycle))
        out.append(Printed("section11_overview", str(cycle), doc))
    for follow_up in FollowUp.objects.filter(partnership=p)[:1]:
        out.append(Printed("section11_follow_up", str(follow_up), s11.follow_up_doc(follow_up)))
    for escalation in Escalation.objects.filter(partnership=p)[:1]:
        out.append(Printed("section11_letter", str(escalation), s11.letter_doc(escalation)))
    return out


def _docx_text(data: bytes) -> str:
    from docx import Document

    document = Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    for section in document.sections:
        parts += [p.text for p in section.header.paragraphs + section.footer.paragraphs]
    return "\n".join(parts)


@pytest.fixture(scope="module")
def printed(built: demo.DemoContext, django_db_blocker: Any) -> Iterator[list[Printed]]:
    from pypdf import PdfReader

    with django_db_blocker.unblock(), tempfile.TemporaryDirectory() as tmp:
        docs = every_document(built)
        in_word: set[str] = set()
        for n, item in enumerate(docs):
            item.pdf = render_pdf(item.doc)
            item.pages = len(PdfReader(io.BytesIO(item.pdf)).pages)
            path = Path(tmp) / f"{n}.pdf"
            path.write_bytes(item.pdf)
            item.path = path
            item.pdf_text = subprocess.run(
                ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True
            ).stdout.decode()
            subprocess.run(
                ["pdftoppm", "-png", "-r", str(PAGE_DPI), str(path), str(Path(tmp) / f"{n}")],
                check=True,
                capture_output=True,
            )
            item.images = sorted(Path(tmp).glob(f"{n}-*.png"))
            # Word: once for each kind (the blocks are the same kinds in every one).
            if item.docx and item.kind not in in_word:
                in_word.add(item.kind)
                item.docx_bytes = render_docx(item.doc)
                item.docx_text = _docx_text(item.docx_bytes)
        yield docs


# --- every kind, every page --------------------------------------------------------------


def check_every_kind_of_document_is_printed(printed: list[Printed]) -> None:
    from lift.core.documents import document_builders

    kinds = {item.kind for item in printed}
    assert set(document_builders()) <= kinds
    assert kinds == KINDS, f"missing from the demo: {sorted(KINDS - kinds)}"
    assert sum(item.kind == "annual_report" for item in printed) >= 2  # signed and draft


def check_every_page_is_drawn_and_none_is_blank(printed: list[Printed]) -> None:
    from PIL import Image

    blank = []
    for item in printed:
        assert item.pages >= 1, item
        assert len(item.images) == item.pages, f"{item}: {len(item.images)} of {item.pages}"
        for n, path in enumerate(item.images, start=1):
            with Image.open(path) as image:
                histogram = image.convert("L").histogram()
            if sum(histogram[:160]) < MIN_INK:
                blank.append(f"{item} page {n}")
    assert blank == []


# --- charts --------------------------------------------------------------------------------


def _charts(doc: Doc) -> list[Chart]:
    return [b for b in doc.sections if isinstance(b, Chart)]


def check_no_chart_appears_twice(printed: list[Printed]) -> None:
    twice = []
    for item in printed:
        found = _charts(item.doc)
        titles = Counter(c.title for c in found)
        data = Counter(repr((c.categories, c.series)) for c in found if c.has_data)
        twice += [f"{item}: chart {t!r} x{n}" for t, n in titles.items() if n > 1]
        twice += [f"{item}: the same figures charted {n} times" for n in data.values() if n > 1]
        tables = Counter(b.caption for b in item.doc.sections if isinstance(b, DocTable))
        tables.update(c.table().caption for c in found if c.has_data)
        twice += [f"{item}: table {t!r} x{n}" for t, n in tables.items() if n > 1]
    assert twice == []


def check_no_axis_label_overlaps_another_and_none_is_small(printed: list[Printed]) -> None:
    drawn = {}
    for item in printed:
        for chart in _charts(item.doc):
            if chart.has_data:
                drawn.setdefault(repr(chart), (str(item), chart))
    assert drawn, "the demo's documents draw no chart"
    bad = []
    with matplotlib.rc_context(charts._RC):  # type: ignore[arg-type]
        for where, chart in drawn.values():
            fig = charts._figure(chart)
            boxes = charts.label_boxes(fig)
            clashes = charts.overlaps(boxes)
            if clashes:
                bad.append(f"{where}: {chart.title!r}: {clashes[:3]}")
            cut = charts.clipped(fig, boxes)
            if cut:
                bad.append(f"{where}: {chart.title!r}: cut off at the edge: {cut[:3]}")
            smallest = charts.smallest_font_pt(fig)
            if smallest < MIN_PT:
                bad.append(f"{where}: {chart.title!r}: text at {smallest:.1f} pt")
    assert bad == []


# --- text size -----------------------------------------------------------------------------


def _times(a: list[float], b: list[float]) -> list[float]:
    return [
        a[0] * b[0] + a[1] * b[2],
        a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2],
        a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4],
        a[4] * b[1] + a[5] * b[3] + b[5],
    ]


def _font_heights(reader: Any) -> dict[str, float]:
    """Each font's name and its line height in ems ((Ascent - Descent) / 1000, from its
    font descriptor): what `pdftotext -bbox` makes a word's height from."""
    heights: dict[str, float] = {}
    for page in reader.pages:
        fonts = (page.get("/Resources") or {}).get("/Font") or {}
        for font in fonts.get_object().values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            if descriptor is None and font.get("/DescendantFonts"):
                descriptor = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
            if descriptor is not None:
                d = descriptor.get_object()
                heights[str(font.get("/BaseFont"))] = (
                    float(d["/Ascent"]) - float(d["/Descent"])
                ) / 1000
    return heights


_WORD = re.compile(r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)<')


def pdf_text_sizes(pdf: bytes, path: Path) -> list[tuple[int, float, str]]:
    """(page, printed size in points, text) of every word the PDF draws.

    When every font is one of LIFT's (DejaVu Sans, regular and bold, which share one line
    height), from `pdftotext -bbox`: a word's box is its font size times the font's line
    height, read from the font's descriptor in the PDF. Otherwise (a merged paper's own
    fonts), pypdf walks the content stream: each text run's `Tf` size times the vertical
    scale of its text matrix x CTM."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    heights = _font_heights(reader)
    assert heights, "the PDF names no font"
    if all("DejaVu" in name for name in heights) and len(set(heights.values())) == 1:
        em = next(iter(heights.values()))
        xml = subprocess.run(
            ["pdftotext", "-bbox", str(path), "-"], check=True, capture_output=True
        ).stdout.decode()
        found = []
        for number, page in enumerate(xml.split("<page ")[1:], start=1):
            for y0, y1, word in _WORD.findall(page):
                found.append((number, (float(y1) - float(y0)) / em, word))
        return found
    return _pypdf_text_sizes(reader)


def _pypdf_text_sizes(reader: Any) -> list[tuple[int, float, str]]:
    found: list[tuple[int, float, str]] = []
    for number, page in enumerate(reader.pages, start=1):

        def visit(text: str, cm: Any, tm: Any, _font: Any, size: float, n: int = number) -> None:
            if text.strip() and size:
                m = _times([float(v) for v in tm], [float(v) for v in cm])
                found.append((n, float(size) * math.hypot(m[2], m[3]), text.strip()))

        page.extract_text(visitor_text=visit)
    return found


def docx_text_sizes(data: bytes) -> list[tuple[float, str]]:
    """(size in points, text) of every run in the Word document, its headers and footers."""
    from docx import Document

    document = Document(io.BytesIO(data))
    default = document.styles["Normal"].font.size

    def style_size(style: Any) -> Any:
        while style is not None:
            if style.font is not None and style.font.size is not None:
                return style.font.size
            style = style.base_style
        return default

    paragraphs = list(document.paragraphs)
    for table in document.tables:
        paragraphs += [p for row in table.rows for cell in row.cells for p in cell.paragraphs]
    for section in document.sections:
        paragraphs += section.header.paragraphs + section.footer.paragraphs
    out = []
    for paragraph in paragraphs:
        for run in paragraph.runs:
            if run.text.strip():
                size = run.font.size or style_size(paragraph.style)
                out.append((size.pt if size is not None else 11.0, run.text))
    return out


def check_no_text_smaller_than_9_pt(printed: list[Printed]) -> None:
    small = []
    for item in printed:
        sizes = pdf_text_sizes(item.pdf, item.path)
        assert sizes, f"{item}: no text found in the PDF"
        small += [
            f"{item} PDF p{n}: {pt:.2f} pt {t[:30]!r}" for n, pt, t in sizes if pt < MIN_PT - 0.05
        ]
    for item in printed:
        if item.docx_bytes:
            sizes_docx = docx_text_sizes(item.docx_bytes)
            small += [f"{item} Word: {pt} pt {t[:30]!r}" for pt, t in sizes_docx if pt < MIN_PT]
    assert small == [], small[:10]


# --- internal codes and restricted identifiers --------------------------------------------


CODE_FIELDS = ("urn", "slug", "code", "key")


def internal_codes() -> set[str]:
    """What LIFT calls things inside: indicators' codes, and every URN, slug, key and code in
    the database that looks like one (has a hyphen, underscore, colon or digit). A code that
    its own record's name or title spells too ("step-down" in "Neglect step-down") is a
    word, not a code."""
    from django.apps import apps

    from lift.performance.models import Indicator

    codes = set(Indicator.objects.values_list("code", flat=True))
    for model in apps.get_models():
        texts = [
            f.name
            for f in model._meta.concrete_fields
            if f.get_internal_type() in ("CharField", "SlugField", "TextField")
        ]
        for name in [n for n in texts if n in CODE_FIELDS]:
            others = [n for n in texts if n not in CODE_FIELDS]
            for row in model._base_manager.exclude(**{name: ""}).values(name, *others):
                value = row.pop(name)
                if not value or not (name == "slug" or re.search(r"[-_:0-9]", value)):
                    continue
                words = " ".join(str(v) for v in row.values()).lower()
                if value.lower() not in words:
                    codes.add(value)
    return {c for c in codes if " " not in c and len(c) >= 3}


def _dates(day: dt.date) -> list[str]:
    return [day.isoformat(), f"{day:%d/%m/%Y}", f"{day.day}/{day.month}/{day.year}"]


def restricted_identifiers() -> set[str]:
    """Every identifier of every restricted record in the database: the fields each
    restricted record lists in `history_restricted` (names, addresses line by line,
    postcodes, NHS and record numbers, dates), and CDOP notifiers' names and contact
    details. Dates are looked for as numbers (ISO, dd/mm/yyyy); in words they are too easily
    another day's date (a meeting's), so they are checked beside "born" or "died" below."""
    from django.apps import apps

    from lift.cdop.models import ChildDeath

    values: set[str] = set()

    def add(name: str, value: Any) -> None:
        if isinstance(value, dt.date):
            values.update(_dates(value))
        elif isinstance(value, str) and name == "address":
            # The street lines (a town's name alone is everyone's), and the whole address.
            lines = [line.strip() for line in value.splitlines() if line.strip()]
            values.update(line for line in lines if re.search(r"\d", line))
            if lines:
                values.add(", ".join(lines))
        elif isinstance(value, str):
            for line in value.splitlines():
                line = re.sub(r"^[^:]{1,40}:\s*", "", line).strip()  # "NHS number: 123"
                if len(line) >= 3 and line not in {"Fictional demo circumstances."}:
                    values.add(line)

    for model in apps.get_models():
        if str(model._meta.verbose_name) != "restricted record":
            continue
        names = sorted(getattr(model, "history_restricted", ()))
        assert names, model
        for row in model._base_manager.values(*names):
            for name, value in row.items():
                add(name, value)
            if "first_name" in row and row.get("family_name"):
                values.add(f"{row['first_name']} {row['family_name']}")
    for row in ChildDeath.objects.values("notifier_name", "notifier_email", "notifier_phone"):
        for name, value in row.items():
            add(name, value)
    return values


def restricted_dates() -> set[dt.date]:
    from django.apps import apps

    days: set[dt.date] = set()
    for model in apps.get_models():
        if str(model._meta.verbose_name) == "restricted record":
            for f in ("date_of_birth", "date_of_death"):
                if f in getattr(model, "history_restricted", ()):
                    days.update(d for d in model._base_manager.values_list(f, flat=True) if d)
    return days


def _nothing_where_a_value_belongs(doc: Doc) -> list[str]:
    """Python's None (or nan) printed in a table's number column or as a summary value."""
    found = []
    for block in doc.sections:
        tables = [block] if isinstance(block, DocTable) else []
        if isinstance(block, Chart) and block.has_data:
            tables.append(block.table())
        for table in tables:
            for row in table.rows:
                for i in table.numeric:  # None itself is printed blank; its text is not
                    if isinstance(row[i], str) and row[i].strip() in NOTHING:
                        found.append(f"{table.caption!r}: {row[0]!r} shows {row[i]!r}")
        if isinstance(block, KeyValue):
            found += [
                f"{k!r} shows {v!r}"
                for k, v in block.rows
                if isinstance(v, str) and v.strip() in NOTHING
            ]
    return found


def check_no_internal_code_or_restricted_identifier(
    built: demo.DemoContext, printed: list[Printed]
) -> None:
    codes = internal_codes()
    assert "pcsex" in codes  # an indicator's code
    assert "harrowmere-scr-child-a" in codes  # a published review's slug
    code_re = re.compile(
        r"(?<![\w@./-])(?:"
        + "|".join(map(re.escape, sorted(codes, key=len, reverse=True)))
        + r")(?![\w-])"
    )
    secrets = restricted_identifiers()
    assert len(secrets) > 20  # the demo's children, siblings and sampled cases
    secret_re = re.compile(
        r"(?<!\w)(?:"
        + "|".join(map(re.escape, sorted(secrets, key=len, reverse=True)))
        + r")(?!\w)",
        re.I,
    )
    days = "|".join(f"{d.day} {d:%B %Y}" for d in sorted(restricted_dates()))
    dated_re = re.compile(rf"(?:born|birth|died|death)\W+(?:\w+\W+){{0,4}}(?:{days})", re.I)
    found = []
    for item in printed:
        found += [f"{item}: {m}" for m in _nothing_where_a_value_belongs(item.doc)]
        for fmt, text in (("PDF", item.pdf_text), ("Word", item.docx_text)):
            flat = re.sub(r"\s+", " ", text)
            for pattern, what in (
                (INTERNAL_CODE, "code"),
                (REPRS, "repr"),
                (code_re, "code"),
                (secret_re, "RESTRICTED"),
                (dated_re, "RESTRICTED date"),
            ):
                for m in pattern.finditer(flat):
                    context = flat[max(0, m.start() - 30) : m.end() + 30]
                    found.append(f"{item} {fmt}: {what} {m.group(0)!r} in {context!r}")
    assert found == [], "\n".join(found[:20])


# --- the public annual report's figures ----------------------------------------------------


class _Page(HTMLParser):
    """The tables (caption -> rows of cell texts) and summary lists (key -> value) of a page,
    and its text."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.summary: dict[str, str] = {}
        self.text: list[str] = []
        self._caption: str | None = None
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self._key: str | None = None
        self._in: str = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        css = dict(attrs).get("class") or ""
        if tag == "caption":
            self._in, self._cell = "caption", []
        elif tag == "tr" and self._caption is not None:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []
        elif tag == "dt" and "summary-list__key" in css:
            self._in, self._cell = "key", []
        elif tag == "dd" and "summary-list__value" in css:
            self._in, self._cell = "value", []

    def handle_endtag(self, tag: str) -> None:
        text = " ".join("".join(self._cell or []).split())
        if tag == "caption" and self._in == "caption":
            self._caption, self._in, self._cell = text, "", None
            self.tables[self._caption] = []
        elif tag in ("td", "th") and self._row is not None and self._cell is not None:
            self._row.append(text)
            self._cell = None
        elif tag == "tr" and self._row is not None and self._caption is not None:
            self.tables[self._caption].append(self._row)
            self._row = None
        elif tag == "table":
            self._caption = None
        elif tag == "dt" and self._in == "key":
            self._key, self._in, self._cell = text, "", None
        elif tag == "dd" and self._in == "value" and self._key is not None:
            self.summary[self._key] = text
            self._in, self._cell, self._key = "", None, None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)
        self.text.append(data)

    def body(self, caption: str) -> dict[str, list[str]]:
        """A table's rows (after its header row) by their first cell."""
        assert caption in self.tables, f"no table {caption!r}: {sorted(self.tables)}"
        return {row[0]: row[1:] for row in self.tables[caption][1:]}


def _n(value: Any) -> str:
    return charts.format_value(value)


@pytest.fixture(scope="module")
def public_report(built: demo.DemoContext, django_db_blocker: Any) -> tuple[Any, _Page]:
    from lift.reports.models import AnnualReport

    with django_db_blocker.unblock():
        report = (
            AnnualReport.objects.filter(partnership=built.partnership, status="signed_off")
            .order_by("-year")
            .first()
        )
        assert report is not None, "the demo has no signed-off annual report"
        url = reverse("reports:public_annual_report")
        response = Client().get(url, {"partnership": built.partnership.slug})
        assert response.status_code == 200
        pdf = Client().get(url, {"partnership": built.partnership.slug, "format": "pdf"})
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
        page = _Page()
        page.feed(response.content.decode())
        assert report.title in "".join(page.text)
        return report, page


def _year(report: Any) -> tuple[dt.date, dt.date]:
    from lift.core.calendar import FinancialYear

    fy = FinancialYear.parse(report.year)
    return fy.first_day, fy.last_day


def _in(day: Any, start: dt.date, end: dt.date) -> bool:
    if isinstance(day, dt.datetime):
        day = timezone.localtime(day).date()
    return day is not None and start <= day <= end


def check_public_annual_report_governance_figures(public_report: tuple[Any, _Page]) -> None:
    from lift.governance.models import Board, Meeting, Membership

    report, page = public_report
    start, end = _year(report)
    assert end < timezone.localdate()  # last year's report: a whole year, 12 months
    rows = page.body("Boards and groups: members and meetings in the year")
    expected = {}
    held_in_year = 0
    for board in Board.objects.filter(partnership=report.partnership).exclude(kind="partner_board"):
        meetings = [m for m in Meeting.objects.filter(board=board) if _in(m.starts_at, start, end)]
        held = sum(m.status in ("held", "minutes_approved") for m in meetings)
        cancelled = sum(m.status == "cancelled" for m in meetings)
        members = {
            m.person_id
            for m in Membership.objects.filter(board=board)
            if m.starts_on <= end and (m.ends_on is None or m.ends_on >= start)
        }
        if board.is_active or meetings or members:
            every = board.meets_every_months
            expected[board.name] = [
                board.get_kind_display(),
                _n(len(members)),
                _n(held),
                _n(cancelled),
                _n(12 // every) if every else "",
            ]
            held_in_year += held
    assert rows == expected
    words = " ".join(" ".join(page.text).split())
    if held_in_year:
        assert f"holding {held_in_year:,} meeting" in words
    else:
        assert "No meetings were held" in words


def check_public_annual_report_learning_figures(public_report: tuple[Any, _Page]) -> None:
    from django.apps import apps

    from lift.audits.models import Audit
    from lift.learning.choices import FINISHED_STATUSES
    from lift.learning.models import Action, Finding, ImpactCheck
    from lift.reviews.models import Review

    report, page = public_report
    p = report.partnership
    start, end = _year(report)
    reviews = list(Review.objects.filter(partnership=p))
    begun = sum(_in(r.decided_on, start, end) for r in reviews)
    completed = sum(_in(r.completed_on, start, end) for r in reviews)
    if begun or completed:
        assert page.summary["Reviews begun"] == _n(begun)
        assert page.summary["Reviews completed"] == _n(completed)
    else:
        assert "Reviews begun" not in page.summary
    audits = [
        a
        for a in Audit.objects.filter(partnership=p)
        if any(_in(d, start, end) for d in (a.planned_start, a.planned_end, a.completed_on))
    ]
    if audits:
        assert page.summary["Multi-agency audits in the year"] == _n(len(audits))
        done = sum(_in(a.completed_on, start, end) for a in audits)
        assert page.summary["Audits completed in the year"] == _n(done)

    lessons = Counter(
        str(apps.get_app_config(f.source_type.app_label).verbose_name)
        if f.source_type_id
        else "Partnership"
        for f in Finding.objects.filter(partnership=p)
        if _in(f.identified_on, start, end)
    )
    if lessons:
        chart = page.body("Data for the chart: Lessons identified in the year, by source")
        assert chart == {area: [_n(n)] for area, n in lessons.items()}
        total = sum(lessons.values())
        words = " ".join(" ".join(page.text).split())
        assert f"{total:,} lesson{'s were' if total != 1 else ' was'} identified" in words

    actions = list(Action.objects.filter(partnership=p))
    opened = sum(_in(a.created_at, start, end) for a in actions)
    finished = sum(
        a.status in FINISHED_STATUSES
        and (_in(a.completed_on, start, end) or _in(a.closed_on, start, end))
        for a in actions
    )
    verified = sum(
        _in(c.verified_on, start, end) for c in ImpactCheck.objects.filter(partnership=p)
    )
    if opened or finished or verified:
        table = page.body("Actions by source and agency")
        sums = [sum(int(row[i + 1].replace(",", "")) for row in table.values()) for i in range(3)]
        assert sums == [opened, finished, verified]
    else:
        assert "Actions by source and agency" not in page.tables


def check_public_annual_report_performance_voice_and_cdop_figures(
    public_report: tuple[Any, _Page],
) -> None:
    from lift.cdop.models import ChildDeath
    from lift.cdop.services import settings_for
    from lift.performance.models import IndicatorValue
    from lift.voice.choices import ResponseKind
    from lift.voice.models import Consultation, Event, YoungPeoplesView

    report, page = public_report
    p = report.partnership
    start, end = _year(report)

    by_indicator: dict[Any, list[Any]] = {}
    for v in IndicatorValue.objects.filter(partnership=p).order_by("period_start", "pk"):
        if start <= v.period_start <= end:
            by_indicator.setdefault(v.indicator, []).append(v)
    assert by_indicator, "the demo has no dataset figures in the report's year"
    headlines = page.body("Performance headlines: first and latest figures of the year")
    for indicator, values in by_indicator.items():
        target = "" if indicator.target is None else _n(float(indicator.target))
        assert headlines[indicator.title] == [
            indicator.owner_agency.name,
            _n(float(values[0].value)),
            _n(float(values[-1].value)),
            target,
        ], indicator.title

    consultations = [
        c for c in Consultation.objects.filter(partnership=p) if _in(c.opened_on, start, end)
    ]
    events = [e for e in Event.objects.filter(partnership=p) if _in(e.held_on, start, end)]
    views = YoungPeoplesView.objects.filter(consultation__in=consultations)
    answered = views.exclude(response=ResponseKind.PENDING).count()
    assert page.summary["Consultations"] == _n(len(consultations))
    assert page.summary["Events held"].startswith(f"{len(events)} (target ")
    assert page.summary["Young people at events"] == _n(sum(e.attended for e in events))
    assert page.summary["Views answered (you said, we did)"] == f"{answered} of {views.count()}"

    deaths = ChildDeath.objects.filter(partnership=p).filter(
        Q(notified_on__gte=start) & Q(notified_on__lte=end)
    )
    threshold = settings_for(p).suppression_threshold
    n = deaths.count()
    if n:
        shown = _n(n) if n >= threshold else f"fewer than {threshold}"
        assert page.summary["Deaths notified"] == shown


def check_public_annual_report_training_figures(public_report: tuple[Any, _Page]) -> None:
    """The Training sub-group's summary: the programme of the report's year, its sessions
    delivered (held, ended before the report was signed), their courses and places, and the
    places taken and attended on them, counted here row by row."""
    from lift.training.models import Booking, Programme, TrainingSession
    from lift.voice.rules import year_of

    report, page = public_report
    p = report.partnership
    start, end = _year(report)
    overlapping = [
        g
        for g in Programme.objects.filter(partnership=p)
        if g.starts_on <= end and g.ends_on >= start
    ]
    programme = next((g for g in overlapping if g.year == year_of(start)), None) or max(
        overlapping, key=lambda g: g.starts_on, default=None
    )
    if programme is None:
        assert "Sessions delivered" not in page.summary
        return
    signed = report.signed_off_on
    delivered = [
        s
        for s in TrainingSession.objects.filter(partnership=p)
        if programme.starts_on <= s.starts_on <= programme.ends_on
        and s.status == "scheduled"
        and s.ends_on < signed
    ]
    ids = {s.pk for s in delivered}
    bookings = [b for b in Booking.objects.filter(partnership=p) if b.session_id in ids]
    holding = {"confirmed", "pending_approval", "offered"}
    expected = {
        "Sessions delivered": len(delivered),
        "Courses delivered": len({s.course_id for s in delivered}),
        "Places offered": sum(s.capacity for s in delivered),
        "Places taken": sum(b.status in holding or b.cancelled_late for b in bookings),
        "Attended (in full or part)": sum(
            b.attendance in ("attended", "partial") for b in bookings
        ),
    }
    assert expected["Sessions delivered"], "the demo's training year delivered no session"
    for key, value in expected.items():
        assert page.summary[key] in (str(value), _n(value)), (key, page.summary[key], value)


# --- one test, so the demo is built and printed once even when the suite runs in parallel --


def test_every_document_in_the_demo_prints_right(
    built: demo.DemoContext, printed: list[Printed], public_report: tuple[Any, _Page]
) -> None:
    """Every check above, each failure named by its check (the demo is built and every
    document rendered once: with pytest-xdist's default distribution, separate tests of this
    module could each build it on another worker)."""
    checks: list[tuple[Any, tuple[Any, ...]]] = [
        (check_every_kind_of_document_is_printed, (printed,)),
        (check_every_page_is_drawn_and_none_is_blank, (printed,)),
        (check_no_chart_appears_twice, (printed,)),
        (check_no_axis_label_overlaps_another_and_none_is_small, (printed,)),
        (check_no_text_smaller_than_9_pt, (printed,)),
        (check_no_internal_code_or_restricted_identifier, (built, printed)),
        (check_public_annual_report_governance_figures, (public_report,)),
        (check_public_annual_report_learning_figures, (public_report,)),
        (check_public_annual_report_performance_voice_and_cdop_figures, (public_report,)),
        (check_public_annual_report_training_figures, (public_report,)),
    ]
    failures = []
    for check, args in checks:
        try:
            check(*args)
        except AssertionError as failure:
            failures.append(f"{check.__name__}: {failure}")
    assert failures == [], "\n\n".join(failures)
