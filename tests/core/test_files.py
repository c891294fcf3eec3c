"""Upload validation and storage: real tiny files built here, good and bad."""

from __future__ import annotations

import hashlib
import io
import unicodedata
import zipfile
from typing import Any

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from PIL import Image

from lift.core.files import (
    NAME_MAX,
    NAME_MAX_BYTES,
    EvidenceFileField,
    attachment_create,
    check_upload,
    sanitise_filename,
    validate_upload,
)
from lift.core.models import Agency, Attachment, Person

PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> Any:
    return SimpleUploadedFile(name, content, content_type=content_type)


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), (29, 112, 184)).save(out, format="PNG")
    return out.getvalue()


def jpeg_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), (0, 112, 60)).save(out, format="JPEG")
    return out.getvalue()


def docx_bytes() -> bytes:
    doc = Document()
    doc.add_heading("Practice review notes", level=1)
    doc.add_paragraph("Fictional content for a test.")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def xlsx_bytes() -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["Agency", "Returns"])
    ws.append(["Testshire Police", 4])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def odt_bytes(mimetype: str = "application/vnd.oasis.opendocument.text") -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("mimetype", mimetype, compress_type=zipfile.ZIP_STORED)
        z.writestr("content.xml", "<office:document-content/>")
    return out.getvalue()


# --- accepted ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "make", "media_type"),
    [
        ("minutes.pdf", lambda: PDF, "application/pdf"),
        ("chart.png", png_bytes, "image/png"),
        ("photo.JPG", jpeg_bytes, "image/jpeg"),
        (
            "notes.docx",
            docx_bytes,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            "returns.xlsx",
            xlsx_bytes,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        ("notes.odt", odt_bytes, "application/vnd.oasis.opendocument.text"),
        ("data.csv", lambda: "\ufeffname,count\nCafé,3\n".encode(), "text/csv"),
        ("readme.txt", lambda: b"Plain words.\n", "text/plain"),
    ],
)
def test_good_files_pass_with_media_type_from_the_content_check(
    name: str, make: Any, media_type: str
) -> None:
    content = make()
    got_type, sha = validate_upload(upload(name, content, "text/html"))
    assert got_type == media_type
    assert sha == hashlib.sha256(content).hexdigest()


# --- refused ----------------------------------------------------------------------------


def refused(name: str, content: bytes) -> str:
    with pytest.raises(ValidationError) as info:
        validate_upload(upload(name, content))
    return " ".join(info.value.messages)


def test_pdf_that_is_really_html_is_refused() -> None:
    assert "not a real PDF" in refused("report.pdf", b"<!doctype html><html><body>x</body>")


def test_pdf_with_javascript_is_refused() -> None:
    bad = PDF.replace(b"/Type/Catalog", b"/Type/Catalog/OpenAction<</S/JavaScript/JS(x)>>")
    assert "script" in refused("report.pdf", bad)


def test_svg_with_script_is_refused_by_extension() -> None:
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    assert "must be a" in refused("logo.svg", svg)


def test_svg_renamed_to_png_is_refused() -> None:
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    assert "not a real PNG" in refused("logo.png", svg)


@pytest.mark.parametrize("name", ["page.html", "run.exe", "script.js", "report.pdf.exe", "x"])
def test_disallowed_extensions_are_refused(name: str) -> None:
    assert "must be a" in refused(name, b"MZ\x90\x00")


def test_text_with_a_script_is_refused() -> None:
    assert "script" in refused("notes.txt", b"hello <script>alert(1)</script>")


def test_csv_in_another_encoding_is_refused_with_a_hint() -> None:
    assert "UTF-8" in refused("data.csv", "name\nCafé £5\n".encode("cp1252"))


def test_text_with_nul_bytes_is_refused() -> None:
    assert "binary" in refused("data.csv", b"a,b\n\x00\x01,2\n")


def test_zip_bomb_is_refused() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", b"\0" * (30 * 1024 * 1024))
    assert len(out.getvalue()) < 100_000
    assert "expands" in refused("big.docx", out.getvalue())


def test_zip_with_too_many_entries_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("lift.core.files.ZIP_MAX_ENTRIES", 3)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w/>")
        for i in range(3):
            z.writestr(f"word/media/{i}.xml", "<x/>")
    assert "expands" in refused("many.docx", out.getvalue())


def test_zip_that_is_not_the_claimed_office_type_is_refused() -> None:
    assert "not a real DOCX" in refused("sheet.docx", xlsx_bytes())
    assert "not a real ODS" in refused("notes.ods", odt_bytes())


def test_macro_enabled_document_is_refused() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr(
            "[Content_Types].xml",
            '<Types><Override ContentType="'
            'application/vnd.ms-word.document.macroEnabled.main+xml"/></Types>',
        )
        z.writestr("word/document.xml", "<w/>")
        z.writestr("word/vbaProject.bin", b"\x01\x02")
    assert "macros" in refused("letter.docx", out.getvalue())


def test_empty_file_is_refused() -> None:
    assert "empty" in refused("empty.pdf", b"")


def test_too_large_file_is_refused(settings: Any) -> None:
    settings.LIFT_MAX_UPLOAD_BYTES = 100
    assert "smaller than" in refused("big.pdf", PDF + b"%" + b"x" * 200)


def test_path_in_name_is_refused_without_an_allowed_extension() -> None:
    assert "must be a" in refused("../../etc/passwd", b"root:x:0:0\n")


# --- names ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\Users\\someone\\minutes.docx", "minutes.docx"),
        ("bad\x00na\x1bme\u202e.pdf", "badname.pdf"),
        ("...hidden.txt", "hidden.txt"),
        ("  spaced   out .csv ", "spaced out .csv"),
        ("..\\..\\..\\windows\\system32\\minutes.pdf", "minutes.pdf"),
        ("/etc/../../notes.txt", "notes.txt"),
        ("report.pdf:hidden.exe", "report.pdf_hidden.exe"),
        ('a<b>c"d|e?f*g.csv', "a_b_c_d_e_f_g.csv"),
        ("minutes.pdf. . ", "minutes.pdf"),
        ("CON.txt", "_CON.txt"),
        ("nul", "_nul"),
        ("console.txt", "console.txt"),
        ("line\nbreak\rand\ttab.txt", "linebreakandtab.txt"),
        ("\u200bzero\u200dwidth\ufeff.pdf", "zerowidth.pdf"),
        ("evil\u202etxt.exe", "eviltxt.exe"),
        ("private\ue000use.pdf", "privateuse.pdf"),
        ("../..", ""),
        ("\x00\x01\x02", ""),
        ("...", ""),
        ("", ""),
    ],
)
def test_sanitise_filename(raw: str, clean: str) -> None:
    assert sanitise_filename(raw) == clean


def test_long_names_keep_their_extension() -> None:
    name = sanitise_filename("a" * 400 + ".pdf")
    assert len(name) == 200
    assert name.endswith(".pdf")


def test_long_multibyte_names_fit_in_255_bytes_and_cut_between_characters() -> None:
    name = sanitise_filename("\U0001f4c4" * 150 + ".docx")  # four bytes each
    assert name.endswith(".docx")
    assert len(name.encode("utf-8")) <= NAME_MAX_BYTES
    assert name == "\U0001f4c4" * ((NAME_MAX_BYTES - 5) // 4) + ".docx"


def test_long_names_never_end_on_a_combining_mark_cut_from_its_letter() -> None:
    name = sanitise_filename("e\u0301" * 300)  # NFC makes each pair one two-byte character
    assert name == "\u00e9" * (NAME_MAX_BYTES // 2)
    decomposed = sanitise_filename("q\u0307" * 150 + ".txt")  # no precomposed form
    assert decomposed.endswith("q.txt") or not unicodedata.combining(decomposed[-5])
    assert len(decomposed) <= NAME_MAX


def test_long_name_without_a_usable_extension_is_cut() -> None:
    assert sanitise_filename("b" * 500) == "b" * NAME_MAX
    assert sanitise_filename("c" * 300 + "." + "x" * 40) == "c" * NAME_MAX


@settings(max_examples=300)
@given(st.text(min_size=0, max_size=600))
def test_sanitised_names_are_always_safe(raw: str) -> None:
    name = sanitise_filename(raw)
    assert "/" not in name and "\\" not in name
    assert not any(unicodedata.category(ch).startswith("C") for ch in name)
    assert not any(ch in '<>:"|?*' for ch in name)
    assert not name.startswith(".") and name == name.strip() and not name.endswith(".")
    assert len(name) <= NAME_MAX and len(name.encode("utf-8")) <= NAME_MAX_BYTES
    assert ".." not in name.split("/")
    assert sanitise_filename(name) == name  # stable: sanitising twice changes nothing


class RawNamed(io.BytesIO):
    """A file whose name is exactly what a hostile client sent (Django's UploadedFile
    already drops folders, an API client or a service caller may not)."""

    def __init__(self, name: str, content: bytes) -> None:
        super().__init__(content)
        self.name = name


@pytest.mark.parametrize(
    "raw",
    [
        "../../../../etc/cron.d/minutes.pdf",
        "..\\..\\boot.ini\\minutes.pdf",
        "/var/lib/lift/media/attachments/1/minutes.pdf",
        "min\x00utes\x1b[31m.pdf",
        "minutes.pdf\n\r",
    ],
)
def test_hostile_names_never_reach_storage(raw: str, agency: Agency, business_unit: Person) -> None:
    attachment = attachment_create(
        subject=agency, uploaded_file=RawNamed(raw, PDF), uploaded_by=business_unit
    )
    assert attachment.original_name == sanitise_filename(raw)
    assert attachment.original_name.startswith("min") and attachment.original_name.endswith(".pdf")
    assert not any(unicodedata.category(ch).startswith("C") for ch in attachment.original_name)
    stored = attachment.file.name
    assert stored.startswith(f"attachments/{agency.partnership_id}/")
    assert ".." not in stored and "minutes" not in stored
    assert len(stored.rsplit("/", 1)[-1]) == 32  # a random hex name


@pytest.mark.parametrize("raw", ["../..", "\x00\x01", "...", "CON", "passwd.pdf\x00.exe"])
def test_names_with_nothing_usable_left_are_refused_and_nothing_stored(
    raw: str, agency: Agency
) -> None:
    with pytest.raises(ValidationError) as exc:
        attachment_create(subject=agency, uploaded_file=RawNamed(raw, PDF), uploaded_by=None)
    assert "must be a" in " ".join(exc.value.messages)
    assert not Attachment.objects.exists()


# --- storing ----------------------------------------------------------------------------


def test_attachment_create_stores_the_file_under_a_random_name(
    agency: Agency, business_unit: Person
) -> None:
    attachment = attachment_create(
        subject=agency,
        uploaded_file=upload("../../etc/minutes.pdf", PDF),
        uploaded_by=business_unit,
        description=" Board minutes ",
    )
    attachment.refresh_from_db()
    assert attachment.partnership == agency.partnership
    assert attachment.subject == agency
    assert attachment.original_name == "minutes.pdf"
    assert attachment.media_type == "application/pdf"
    assert attachment.size == len(PDF)
    assert attachment.description == "Board minutes"
    assert "minutes" not in attachment.file.name
    assert attachment.file.name.startswith(f"attachments/{agency.partnership_id}/")
    with attachment.file.open("rb") as f:
        assert f.read() == PDF


def test_attachment_create_stores_nothing_on_failure(agency: Agency) -> None:
    with pytest.raises(ValidationError):
        attachment_create(
            subject=agency,
            uploaded_file=upload("x.pdf", b"<html>"),
            uploaded_by=None,
        )
    assert not Attachment.objects.exists()


def test_check_upload_describes_the_file() -> None:
    checked = check_upload(upload("a/b/Report.PDF", PDF))
    assert (checked.name, checked.extension, checked.size) == ("Report.PDF", "pdf", len(PDF))


# --- form field -------------------------------------------------------------------------


class EvidenceForm(forms.Form):
    evidence = EvidenceFileField()


def test_evidence_field_accepts_a_good_file() -> None:
    form = EvidenceForm(data={}, files={"evidence": upload("notes.docx", docx_bytes())})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["evidence"].lift_checked.extension == "docx"


def test_evidence_field_reports_a_bad_file() -> None:
    form = EvidenceForm(data={}, files={"evidence": upload("notes.pdf", b"<html>")})
    assert not form.is_valid()
    assert "not a real PDF" in form.errors["evidence"][0]
    assert 'accept=".csv' in str(form["evidence"])
