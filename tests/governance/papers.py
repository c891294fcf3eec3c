"""Small fictional papers for the tests: a PDF with words to find once merged, a Word
document and a workbook."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile


def pdf_bytes(*pages: str) -> bytes:
    """A tagged PDF with one page for each text given."""
    from django.utils.html import escape
    from weasyprint import HTML

    body = "".join(
        f'<p class="{"next" if n else ""}">{escape(text)}</p>' for n, text in enumerate(pages)
    )
    html = (
        '<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><title>Paper</title>'
        "<style>.next { break-before: page; }</style></head>"
        f"<body><h1>A paper</h1>{body}</body></html>"
    )
    pdf = HTML(string=html).write_pdf(pdf_variant="pdf/ua-1")
    assert pdf is not None
    return bytes(pdf)


def pdf_file(*pages: str, name: str = "report.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(*(pages or ("Board report",))), "application/pdf")


def docx_file(name: str = "summary.docx") -> SimpleUploadedFile:
    from docx import Document

    document = Document()
    document.add_heading("Evaluation summary", level=1)
    document.add_paragraph("Families said one worker made the difference (KESTREL).")
    document.add_paragraph("Waits were too long", style="List Bullet")
    table = document.add_table(rows=2, cols=2)
    table.rows[0].cells[0].text, table.rows[0].cells[1].text = "Measure", "This year"
    table.rows[1].cells[0].text, table.rows[1].cells[1].text = "Plans ended well", "72%"
    out = io.BytesIO()
    document.save(out)
    return SimpleUploadedFile(name, out.getvalue())


def xlsx_file(name: str = "budget.xlsx") -> SimpleUploadedFile:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Budget"
    sheet.append(["Agency", "Contribution"])
    sheet.append(["Council (OSPREY)", 96000])
    out = io.BytesIO()
    workbook.save(out)
    return SimpleUploadedFile(name, out.getvalue())


def pdf_text(data: bytes) -> list[str]:
    """Each page's text."""
    from pypdf import PdfReader

    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages]


def docx_text(data: bytes) -> str:
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return z.read("word/document.xml").decode()
