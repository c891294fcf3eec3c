"""Documents: every block in HTML, PDF and DOCX; escaping; charts with their data; the
background build and its pages."""

from __future__ import annotations

import datetime as dt
import io
import re
import zlib
from collections.abc import Callable
from typing import Any

import pytest
from django.db import models
from django.urls import reverse
from docx import Document

from lift.core import documents as d
from lift.core.charts import clean_svg
from lift.core.models import Agency, GeneratedDocument, Partnership, Person
from lift.core.models.documents import DocumentStatus
from tests.permissions import assert_permissions

SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10" onload="alert(1)">'
    '<script>alert(2)</script><rect width="5" height="5" style="fill: #1d70b8"/>'
    '<foreignObject><p>x</p></foreignObject><use href="https://example.test/x.svg#a"/></svg>'
)


def every_block(partnership: Partnership | None = None) -> d.Doc:
    return d.Doc(
        title="Annual report 2025 to 2026",
        subtitle="Harrowmere (fictional)",
        partnership=partnership,
        author="Business unit",
        date=dt.date(2026, 3, 31),
        sections=[
            d.Heading("Summary"),
            d.Para("The partnership met six times.\n\nIt published two reviews."),
            d.Bullets(["Neglect", "Exploitation"]),
            d.Callout("All figures are fictional."),
            d.KeyValue([("Reviews", 2), ("Published", dt.date(2026, 1, 5))]),
            d.Heading("Figures", 1),
            d.Heading("Returns", 2),
            d.Chart(
                "bar",
                "Returns by agency",
                ["Police", "Health", "Education"],
                {"2024": [3, 4, None], "2025": [5, 2, 1]},
                y_label="Returns",
            ),
            d.Chart("barh", "Courses", ["Neglect", "Harm"], {"Places": [12, 30]}),
            d.Chart("line", "Open actions", ["Jan", "Feb"], {"Open": [4.5, None]}),
            d.Chart("stacked", "By status", ["Q1", "Q2"], {"Done": [1, 2], "Late": [3, 0]}),
            d.PageBreak(),
            d.DocTable("Meetings", ["Meeting", "Attended"], [["Board", 9], ["Panel", 7]], (1,)),
            d.Image(SVG, "A blue square"),
        ],
    )


# --- HTML -------------------------------------------------------------------------------


def test_html_has_every_block_and_no_inline_style_or_script() -> None:
    html = d.render_html(every_block())
    assert 'class="govuk-heading-xl"' in html
    assert '<h2 class="govuk-heading-l" id="section-0">Summary</h2>' in html
    assert '<h3 class="govuk-heading-m" id="section-6">Returns</h3>' in html
    assert html.count('class="govuk-body"') >= 2
    assert "govuk-list--bullet" in html and "govuk-inset-text" in html
    assert "govuk-summary-list" in html and "5 January 2026" in html
    assert html.count("<svg") == 5
    assert html.count('role="img"') == 5
    assert "<title" in html
    assert "style=" not in html
    assert "<script" not in html.lower()
    assert "onload" not in html and "foreignObject" not in html and "example.test" not in html
    assert 'fill="#1d70b8"' in html


def test_each_chart_is_followed_by_its_data_table() -> None:
    html = d.render_html(every_block())
    for title in ("Returns by agency", "Courses", "Open actions", "By status"):
        start = html.index(f'<figcaption class="govuk-heading-s">{title}')
        after = html[start:]
        assert after.index("</svg>") < after.index(f"Data for the chart: {title}")
    # The data, with blanks for missing values and numbers right-aligned.
    table = html[html.index("Data for the chart: Returns by agency") :]
    table = table[: table.index("</table>")]
    assert "govuk-table__cell--numeric" in table
    assert re.search(r"Education</th><td[^>]*></td><td[^>]*>1</td>", table)


def test_svg_ids_are_unique_on_a_page() -> None:
    html = d.render_html(every_block())
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == len(set(ids))


def test_user_text_is_escaped_everywhere() -> None:
    evil = "<script>alert('x')</script>"
    doc = d.Doc(
        title=evil,
        sections=[
            d.Heading(evil),
            d.Para(evil),
            d.Bullets([evil]),
            d.DocTable(evil, [evil], [[evil]]),
            d.KeyValue([(evil, evil)]),
            d.Callout(evil),
            d.Chart("bar", evil, [evil], {evil: [1]}),
        ],
    )
    html = d.render_html(doc)
    assert "<script" not in html
    assert html.count("&lt;script&gt;") >= 9
    page = d.render_html_page(doc)
    assert "<script" not in page


def test_chart_validation() -> None:
    with pytest.raises(ValueError, match="kind"):
        d.Chart("pie", "x", ["a"], {"s": [1]})
    with pytest.raises(ValueError, match="2 values for 1 categories"):
        d.Chart("bar", "x", ["a"], {"s": [1, 2]})


def test_chart_without_data_says_so() -> None:
    html = d.render_html(d.Doc(title="x", sections=[d.Chart("bar", "Empty", [], {})]))
    assert "<strong>Empty</strong>: there is no data for this chart yet." in html
    assert "<svg" not in html
    assert "<h4" not in html  # no heading that could break the page's heading order


def test_clean_svg_refuses_entities() -> None:
    from lift.core.charts import UnsafeSvg

    with pytest.raises(UnsafeSvg):
        clean_svg('<!DOCTYPE x [<!ENTITY a "b">]><svg>&a;</svg>', title="x")


# --- PDF --------------------------------------------------------------------------------


def test_pdf_renders_every_block() -> None:
    pdf = d.render_pdf(every_block(Partnership(name="Harrowmere Partnership")))
    assert pdf.startswith(b"%PDF")
    # The title is in the document's metadata, inside compressed streams.
    streams = []
    for raw in re.findall(rb"stream\r?\n(.*?)endstream", pdf, re.S):
        try:
            streams.append(zlib.decompress(raw))
        except zlib.error:
            streams.append(raw)
    assert any(b"Annual report 2025 to 2026" in s for s in [pdf, *streams])
    assert any(b"/StructTreeRoot" in s for s in [pdf, *streams])  # tagged


def test_pdf_has_running_header_page_numbers_and_bookmarks() -> None:
    from weasyprint import HTML

    doc = every_block(Partnership(name="Harrowmere Partnership"))
    rendered = HTML(string=d._pdf_html(doc)).render()
    assert len(rendered.pages) >= 3

    def texts(box: Any, out: list[str]) -> list[str]:
        if getattr(box, "text", None):
            out.append(box.text)
        for child in getattr(box, "children", None) or []:
            texts(child, out)
        return out

    second = texts(rendered.pages[1]._page_box, [])
    assert "Harrowmere Partnership" in second
    assert f"Page 2 of {len(rendered.pages)}" in second
    tree = rendered.make_bookmark_tree()
    assert tree[0][0] == "Annual report 2025 to 2026"
    assert [child[0] for child in tree[0][2]] == ["Summary", "Figures"]


# --- DOCX -------------------------------------------------------------------------------


def test_docx_has_headings_tables_pictures_and_a_contents_field() -> None:
    content = d.render_docx(every_block(Partnership(name="Harrowmere Partnership")))
    document = Document(io.BytesIO(content))
    headings = [
        (p.style.name, p.text)
        for p in document.paragraphs
        if p.style is not None and p.style.name.startswith(("Heading", "Title"))
    ]
    assert headings[:4] == [
        ("Title", "Annual report 2025 to 2026"),
        ("Heading 1", "Summary"),
        ("Heading 1", "Figures"),
        ("Heading 2", "Returns"),
    ]
    assert document.core_properties.title == "Annual report 2025 to 2026"
    # Four chart data tables, the key-value table and the meetings table.
    assert len(document.tables) == 6
    chart_data = document.tables[1]  # the first is the key-value list
    assert chart_data.rows[0]._tr.xpath("./w:trPr/w:tblHeader")
    assert [c.text for c in chart_data.rows[0].cells] == ["Category", "2024", "2025"]
    assert len(document.inline_shapes) == 4
    descr = document.inline_shapes[0]._inline.docPr.get("descr")
    assert descr.startswith("Returns by agency")
    body = document.element.xml
    assert "TOC \\o" in body
    assert "[Image: A blue square]" in body
    footer = document.sections[0].footer._element.xml
    assert "NUMPAGES" in footer
    assert document.sections[0].header.paragraphs[0].text == "Harrowmere Partnership"


# --- responses --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "content_type", "magic"),
    [
        ("pdf", "application/pdf", b"%PDF"),
        ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", b"PK"),
        ("html", "text/html; charset=utf-8", b"<!DOCTYPE html>"),
    ],
)
def test_document_response(fmt: str, content_type: str, magic: bytes) -> None:
    doc = d.Doc(title="Board pack", sections=[d.Para("Hello")])
    response = d.document_response(doc, fmt, "Board pack: May 2026")
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == (f'attachment; filename="board-pack-may-2026.{fmt}"')
    assert response.content.startswith(magic)


# --- background builds ------------------------------------------------------------------


def agency_report(subject: models.Model, progress: Callable[[int], None]) -> d.Doc:
    progress(50)
    assert isinstance(subject, Agency)
    return d.Doc(title=f"Report on {subject.name}", sections=[d.Para("Fictional.")])


def broken_report(subject: models.Model, progress: Callable[[int], None]) -> d.Doc:
    progress(10)
    raise RuntimeError("The figures for this year are missing.")


@pytest.fixture
def builders() -> Any:
    saved = d.document_builders()
    d.register_document("test_agency_report", agency_report)
    d.register_document("test_broken_report", broken_report)
    yield
    d._builders.clear()
    d._builders.update(saved)


def test_background_build_ends_ready_with_a_file(
    builders: Any,
    agency: Agency,
    business_unit: Person,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        generated = d.document_request(
            kind="test_agency_report", subject=agency, fmt="pdf", user=business_unit
        )
    generated.refresh_from_db()
    assert generated.status == DocumentStatus.READY
    assert generated.progress == 100
    assert generated.finished_at is not None
    assert generated.filename.endswith(".pdf")
    assert generated.title == f"Report on {agency.name}"
    with generated.file.open("rb") as f:
        assert f.read(4) == b"%PDF"
    # Running again does nothing to a ready document.
    stored = generated.file.name
    assert d.document_build(generated_id=generated.pk) == "ready"
    generated.refresh_from_db()
    assert generated.file.name == stored


def test_failing_builder_ends_failed_with_the_error(
    builders: Any,
    agency: Agency,
    business_unit: Person,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        generated = d.document_request(
            kind="test_broken_report", subject=agency, fmt="docx", user=business_unit
        )
    generated.refresh_from_db()
    assert generated.status == DocumentStatus.FAILED
    assert generated.error == "The figures for this year are missing."
    assert not generated.file


def test_request_needs_a_known_kind_and_a_visible_subject(
    builders: Any, agency: Agency, outsider: Person
) -> None:
    from django.core.exceptions import PermissionDenied, ValidationError

    with pytest.raises(ValidationError):
        d.document_request(kind="nope", subject=agency, fmt="pdf", user=outsider)
    with pytest.raises(ValidationError):
        d.document_request(kind="test_agency_report", subject=agency, fmt="rtf", user=outsider)
    with pytest.raises(PermissionDenied):
        d.document_request(kind="test_agency_report", subject=agency, fmt="pdf", user=outsider)


def test_status_and_download_pages(
    builders: Any,
    agency: Agency,
    business_unit: Person,
    chair: Person,
    outsider: Person,
    client_for: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    queued = GeneratedDocument.objects.create(
        partnership=agency.partnership,
        kind="test_agency_report",
        subject=agency,
        format="html",
        requested_by=business_unit,
    )
    page = client_for(business_unit).get(reverse("core:document_status", args=[queued.pk]))
    assert page.status_code == 200
    assert b'<meta http-equiv="refresh" content="3">' in page.content
    assert client_for(business_unit).get(queued.get_download_url()).status_code == 404

    ready = d.document_request(
        kind="test_agency_report", subject=agency, fmt="html", user=business_unit
    )
    # The same request still waiting is reused rather than queued twice.
    assert ready.pk == queued.pk
    d.document_build(generated_id=ready.pk)
    ready.refresh_from_db()
    assert ready.status == DocumentStatus.READY
    page = client_for(business_unit).get(ready.get_absolute_url())
    assert b"http-equiv" not in page.content
    assert ready.get_download_url().encode() in page.content
    download = client_for(chair).get(ready.get_download_url())
    assert download.status_code == 200
    assert download["Content-Type"] == "text/html; charset=utf-8"
    assert b"".join(download.streaming_content).startswith(b"<!DOCTYPE html>")
    assert client_for(outsider).get(ready.get_download_url()).status_code == 404

    assert_permissions(
        ready.get_absolute_url(), allowed=[business_unit, chair], not_found=[outsider]
    )


def test_docx_survives_control_characters_in_stored_text() -> None:
    """A title or note stored with a control character (an old record, a paste) made
    python-docx refuse the whole document (issue 17 item 8, as for XLSX)."""
    doc = d.Doc(
        title="Board pack\x01 March",
        partnership=Partnership(name="Harrowmere\x0b Partnership"),
        sections=[
            d.Heading("Actions\x02", level=2),
            d.Para("First line\x1f\nsecond line"),
            d.Bullets(["one\x03", "two"]),
            d.DocTable(caption="Open\x04", headers=["Title\x05"], rows=[["Fix the\x06 form"]]),
        ],
    )
    document = Document(io.BytesIO(d.render_docx(doc)))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Board pack March" in text and "Actions" in text and "First line" in text
    assert document.tables[0].rows[1].cells[0].text == "Fix the form"
    assert document.sections[0].header.paragraphs[0].text == "Harrowmere Partnership"
