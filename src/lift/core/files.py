"""Uploads, stored safely: one validation for forms, services and the API.

A file is accepted only when its extension is on the allow-list AND its bytes are what the
extension says (content sniffing): PDFs start `%PDF-`, images carry their magic number and
open in Pillow, Office and OpenDocument files are zip archives holding the right inner
part (and are not zip bombs or macro containers), and text files are UTF-8 without NUL
bytes. HTML, SVG, executables and anything carrying a script are refused.

PDFs are parsed with pypdf (strictly): every indirect object, those packed in compressed
object streams too, is walked for names that run code or fetch other files (`/JavaScript`,
`/Launch`, `/EmbeddedFiles`, `/XFA`, `/SubmitForm`...), with names compared after their
`#xx` escapes are decoded; the raw bytes are scanned the same way as a second check. A PDF
that cannot be parsed, or that is encrypted and does not open without a password, is
refused. Zip archives are checked member by member against the sizes they declare (each
member is decompressed, with caps, so a lying header is caught), and Office files are
refused when they carry ActiveX controls, embedded OLE programs, macros or relationships
to outside resources other than hyperlinks (a remote attached template, frame,
sub-document or OLE object). When a check is in doubt, the file is refused. The user's file
name is kept only as a display name, sanitised; the stored name is random
(`core.models.files.attachment_path`).

    from lift.core.files import attachment_create, validate_upload, EvidenceFileField
"""

from __future__ import annotations

import codecs
import hashlib
import io
import re
import struct
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass
from typing import IO, Any
from xml.parsers import expat

from django import forms
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.template.defaultfilters import filesizeformat

from .models import Attachment, Partnership, Person

CHUNK = 64 * 1024

# Extension -> the media type we record and serve with (never the browser's claim).
MEDIA_TYPES: dict[str, str] = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "csv": "text/csv",
    "txt": "text/plain",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
}
ALLOWED_EXTENSIONS = frozenset(MEDIA_TYPES)

# The part an Office Open XML package of each kind must hold, besides [Content_Types].xml.
OOXML_MAIN_PART = {
    "docx": "word/document.xml",
    "xlsx": "xl/workbook.xml",
    "pptx": "ppt/presentation.xml",
}

# Zip bomb limits.
ZIP_MAX_UNCOMPRESSED = 200 * 1024 * 1024
ZIP_MAX_RATIO = 100
ZIP_MAX_ENTRIES = 5000
ZIP_RATIO_FLOOR = 1024 * 1024  # ratios are judged once the content passes 1 MB

NAME_MAX = 200  # characters of a display name
NAME_MAX_BYTES = 255  # and bytes of its UTF-8 (what file systems allow when it is downloaded)
# Characters Windows refuses in file names (":" would also name an NTFS alternate stream).
_WINDOWS_UNSAFE = re.compile(r'[<>:"|?*]')
_WINDOWS_DEVICE = re.compile(r"^(?:CON|PRN|AUX|NUL|COM[0-9]|LPT[0-9])(?:\.|$)", re.I)

# Names that make a PDF run code, start programs, carry other files, submit or import data
# or fetch other documents (compared after `#xx` escapes are decoded, so `/J#61vaScript`
# is `/JavaScript`). Plain links (`/URI` to http, https or mailto) and in-document `/GoTo`
# are fine.
PDF_ACTIVE_NAMES = frozenset(
    {
        "JavaScript",
        "JS",
        "Launch",
        "EmbeddedFile",
        "EmbeddedFiles",
        "XFA",
        "SubmitForm",
        "ImportData",
        "GoToR",
        "GoToE",
        "Movie",
        "Sound",
    }
)
PDF_ACTIVE_PREFIXES = ("RichMedia",)  # /RichMedia, /RichMediaExecute, ...
PDF_MAX_OBJECTS = 500_000
# Link targets a PDF may not open.
_PDF_BAD_URI = re.compile(r"^\s*(?:javascript|vbscript|data|file|smb)\s*:|^\s*\\\\", re.I)
# A PDF name in raw bytes: "/" then regular characters (PDF 32000-1, 7.2.2 and 7.3.5).
_PDF_NAME = re.compile(rb"/([^\x00\t\n\x0c\r ()<>\[\]{}/%]*)")
_PDF_OUTSIDE_STRING = re.compile(rb"[(%/]")  # what starts a string, a comment or a name
_PDF_INSIDE_STRING = re.compile(rb"[()\\]")
_PDF_END_OF_LINE = re.compile(rb"[\r\n]")
PDF_RAW_TOKENISE_MAX = 4 * 1024 * 1024  # past this, an active-looking name is refused as is
_PDF_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
# Stream bodies (binary data, not dictionaries) are left out of the raw name scan.
_PDF_STREAM_START = re.compile(rb"(?<![A-Za-z])stream\r?\n")

# Zip members Office files may not hold, lower-cased.
_OFFICE_PROGRAM_PART = re.compile(
    r"(?:^|/)(?:vbaproject\.bin|vbadata\.xml|activex[^/]*|oleobject[^/]*\.bin)$"
    r"|(?:^|/)activex/|(?:^|/)embeddings/[^/]*\.(?:bin|exe)$|^xl/macrosheets/|\.exe$"
)
# Content types that mean macros or ActiveX, lower-cased.
_OFFICE_PROGRAM_TYPES = (b"macroenabled", b"vbaproject", b"activex", b"macrosheet")
# A zip member's local file header (APPNOTE 4.3.7): signature, versions, flags, method,
# time, date, CRC-32, sizes, name and extra field lengths.
_ZIP_LOCAL_HEADER = "<4s2B4HL2L2H"
_ZIP_LOCAL_HEADER_SIZE = struct.calcsize(_ZIP_LOCAL_HEADER)
_ZIP_LOCAL_SIGNATURE = b"PK\003\004"
# The only relationship kind that may point outside the package.
_OOXML_EXTERNAL_ALLOWED = frozenset({"hyperlink"})
# Markup that makes a "text" file a web page or a script.
_TEXT_ACTIVE = re.compile(rb"<\s*(?:script|html|svg|iframe|object|embed)\b|<!doctype\s+html", re.I)


@dataclass(frozen=True)
class CheckedUpload:
    """What validation learned about an upload."""

    name: str  # the sanitised display name
    extension: str
    media_type: str
    size: int
    sha256: str


def allowed_extensions_text() -> str:
    """For hints: "PDF, DOCX, ... or JPEG"."""
    names = sorted({e.upper() for e in ALLOWED_EXTENSIONS if e != "jpeg"})
    return ", ".join(names[:-1]) + " or " + names[-1]


def sanitise_filename(name: str) -> str:
    """A safe display name, whatever the browser or API client sent.

    Folders are dropped (`../../etc/passwd.pdf` -> `passwd.pdf`, Windows paths too);
    control, format (bidirectional overrides), private-use and unassigned characters are
    removed; characters Windows refuses in names (`<>:"|?*`, so no alternate data streams)
    become `_`; leading dots and trailing dots and spaces go; a Windows device name (`CON`,
    `NUL`, `COM1`...) gets a leading `_`. The result is at most NAME_MAX characters and
    NAME_MAX_BYTES bytes of UTF-8, cut between characters with the extension kept. It may be
    empty: callers refuse an empty name.
    """
    name = unicodedata.normalize("NFC", str(name or ""))
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if not unicodedata.category(ch).startswith("C"))
    name = _WINDOWS_UNSAFE.sub("_", name)
    name = re.sub(r"\s+", " ", name).strip().lstrip(".").strip().rstrip(". ")
    if _WINDOWS_DEVICE.match(name):
        name = "_" + name
    return _truncate(name)


def _truncate(name: str) -> str:
    def fits(text: str) -> bool:
        return len(text) <= NAME_MAX and len(text.encode("utf-8")) <= NAME_MAX_BYTES

    if fits(name):
        return name
    stem, dot, ext = name.rpartition(".")
    suffix = "." + ext if dot and stem and 0 < len(ext) <= 10 else ""
    if not suffix:
        stem = name
    while stem and not fits(stem + suffix):
        stem = stem[:-1]
    # Never end on a lone combining mark or space cut from its letter.
    while stem and (unicodedata.combining(stem[-1]) or stem[-1] in " ."):
        stem = stem[:-1]
    return stem + suffix if stem else ""


def _extension(name: str) -> str:
    stem, dot, ext = name.rpartition(".")
    return ext.lower() if dot and stem else ""


def check_upload(uploaded_file: UploadedFile | IO[bytes] | Any) -> CheckedUpload:
    """Validate an upload and describe it; raises ValidationError with a clear message."""
    raw_name = getattr(uploaded_file, "name", "") or ""
    name = sanitise_filename(raw_name)
    ext = _extension(name)
    if not name or ext not in ALLOWED_EXTENSIONS:
        raise ValidationError(
            "The selected file must be a %(allowed)s file.",
            code="file_type",
            params={"allowed": allowed_extensions_text()},
        )
    limit = int(settings.LIFT_MAX_UPLOAD_BYTES)
    size = _size(uploaded_file)
    if size <= 0:
        raise ValidationError("The selected file is empty.", code="empty")
    if size > limit:
        raise ValidationError(
            "The selected file must be smaller than %(limit)s.",
            code="too_large",
            params={"limit": filesizeformat(limit)},
        )
    digest = hashlib.sha256()
    head = b""
    _rewind(uploaded_file)
    for chunk in _chunks(uploaded_file):
        if len(head) < 8192:
            head += chunk[: 8192 - len(head)]
        digest.update(chunk)
    _rewind(uploaded_file)
    try:
        _SNIFFERS[ext](uploaded_file, head, ext)
    finally:
        _rewind(uploaded_file)
    return CheckedUpload(
        name=name, extension=ext, media_type=MEDIA_TYPES[ext], size=size, sha256=digest.hexdigest()
    )


def validate_upload(uploaded_file: UploadedFile | Any) -> tuple[str, str]:
    """Check an upload; returns (media_type, sha256) or raises ValidationError."""
    checked = check_upload(uploaded_file)
    return checked.media_type, checked.sha256


@transaction.atomic
def attachment_create(
    *,
    subject: models.Model,
    uploaded_file: UploadedFile,
    uploaded_by: Person | None,
    description: str = "",
) -> Attachment:
    """Validate and store an upload as an Attachment of `subject` (in its partnership).

    Nothing is stored when the file is refused; a file written before a failing save is
    removed again. (If a caller's outer transaction rolls back later, the stored file is
    left without a row pointing at it, so it can never be served.)
    """
    partnership = _partnership_of(subject)
    if subject.pk is None:
        raise ValidationError("Save the record before attaching files to it.")
    checked = check_upload(uploaded_file)
    attachment = Attachment(
        partnership=partnership,
        content_type=ContentType.objects.get_for_model(subject.__class__),
        object_id=subject.pk,
        original_name=checked.name,
        media_type=checked.media_type,
        size=checked.size,
        sha256=checked.sha256,
        description=description.strip(),
        uploaded_by=uploaded_by,
    )
    # Validate the row before anything reaches storage.
    attachment.full_clean(exclude=["file"])
    attachment.file.save(checked.name, uploaded_file, save=False)
    try:
        attachment.save()
    except BaseException:
        attachment.file.delete(save=False)
        raise
    return attachment


class EvidenceFileField(forms.FileField):
    """A file field running the same checks as `attachment_create` in `clean()`.

    The cleaned file carries `lift_checked` (a CheckedUpload) for the view to use.
    """

    default_error_messages = {
        "required": "Select a file",
        "empty": "The selected file is empty.",
        "invalid": "The selected file could not be read.",
        "missing": "Select a file",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "help_text",
            f"{allowed_extensions_text()}, smaller than "
            f"{filesizeformat(settings.LIFT_MAX_UPLOAD_BYTES)}",
        )
        kwargs.setdefault("max_length", 255)
        super().__init__(*args, **kwargs)
        accept = ",".join(sorted(f".{ext}" for ext in ALLOWED_EXTENSIONS))
        self.widget.attrs.setdefault("accept", accept)

    def clean(self, data: Any, initial: Any = None) -> Any:
        cleaned = super().clean(data, initial)
        if cleaned and cleaned is not initial and hasattr(cleaned, "read"):
            cleaned.lift_checked = check_upload(cleaned)
        return cleaned


# --- helpers ----------------------------------------------------------------------------


def _partnership_of(subject: models.Model) -> Partnership:
    if isinstance(subject, Partnership):
        return subject
    partnership = getattr(subject, "partnership", None)
    if not isinstance(partnership, Partnership):
        raise ValidationError("Files can only be attached to a partnership's records.")
    return partnership


def _size(f: Any) -> int:
    size = getattr(f, "size", None)
    if isinstance(size, int):
        return size
    pos = f.tell()
    f.seek(0, 2)
    end = int(f.tell())
    f.seek(pos)
    return end


def _rewind(f: Any) -> None:
    if hasattr(f, "seek"):
        f.seek(0)


def _chunks(f: Any) -> Any:
    if hasattr(f, "chunks"):
        yield from f.chunks(CHUNK)
        return
    while True:
        chunk = f.read(CHUNK)
        if not chunk:
            return
        yield chunk


def _not_what_it_says(ext: str) -> ValidationError:
    return ValidationError(
        "The selected file is not a real %(kind)s file. Save it again as %(kind)s and upload that.",
        code="content",
        params={"kind": ext.upper()},
    )


def _pdf_active() -> ValidationError:
    return ValidationError(
        "The selected PDF contains JavaScript or actions that run when it is opened. Save it "
        "again without them, or print it to a new PDF, and upload that.",
        code="active_content",
    )


def _pdf_unreadable() -> ValidationError:
    return ValidationError(
        "The selected file could not be read as a PDF. Save it again as PDF, or print it to a "
        "new PDF, and upload that.",
        code="content",
    )


def _pdf_name_is_active(name: str) -> bool:
    name = name[1:] if name.startswith("/") else name
    return name in PDF_ACTIVE_NAMES or name.startswith(PDF_ACTIVE_PREFIXES)


def _pdf_raw_names_active(data: bytes) -> bool:
    """Belt and braces: any active name in raw PDF bytes, `#xx` escapes decoded.

    A quick look at every name first; only when one is active is the text read properly,
    so that a name inside a string, such as a link to https://example.org/Web/JavaScript,
    or inside a comment does not count.
    """
    if not any(_pdf_raw_name_is_active(m.group(1)) for m in _PDF_NAME.finditer(data)):
        return False
    if len(data) > PDF_RAW_TOKENISE_MAX:
        return True
    pos, depth, end = 0, 0, len(data)
    while pos < end:
        if depth:  # inside a literal string: brackets nest, a backslash escapes
            match = _PDF_INSIDE_STRING.search(data, pos)
            if not match:
                return False
            char, pos = data[match.start()], match.end()
            if char == 0x5C:  # backslash
                pos += 1
            else:
                depth += 1 if char == 0x28 else -1
            continue
        match = _PDF_OUTSIDE_STRING.search(data, pos)
        if not match:
            return False
        char, pos = data[match.start()], match.end()
        if char == 0x28:  # (
            depth = 1
        elif char == 0x25:  # % starts a comment
            line_end = _PDF_END_OF_LINE.search(data, pos)
            pos = line_end.end() if line_end else end
        else:
            name = _PDF_NAME.match(data, match.start())
            assert name is not None  # the pattern matches an empty name
            if _pdf_raw_name_is_active(name.group(1)):
                return True
            pos = name.end()
    return False


def _pdf_without_stream_bodies(data: bytes) -> bytes:
    parts, pos = [], 0
    while start := _PDF_STREAM_START.search(data, pos):
        parts.append(data[pos : start.end()])
        stop = data.find(b"endstream", start.end())
        if stop < 0:
            pos = start.end()
            break
        pos = stop
    parts.append(data[pos:])
    return b"".join(parts)


def _pdf_raw_name_is_active(raw: bytes) -> bool:
    if b"#" in raw:
        raw = _PDF_NAME_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), raw)
    return _pdf_name_is_active(raw.decode("latin-1"))


def _sniff_pdf(f: Any, head: bytes, ext: str) -> None:
    if not head.startswith(b"%PDF-"):
        raise _not_what_it_says(ext)
    data = b"".join(_chunks(f))  # no larger than LIFT_MAX_UPLOAD_BYTES
    if _pdf_raw_names_active(_pdf_without_stream_bodies(data)):
        raise _pdf_active()
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data), strict=True)
        if reader.is_encrypted and not reader.decrypt(""):
            raise ValidationError(
                "The selected PDF is protected with a password. Save it again without a "
                "password and upload that.",
                code="encrypted",
            )
        _pdf_walk(reader)
    except ValidationError:
        raise
    except Exception as exc:  # pypdf raises many kinds; RecursionError on deep nesting
        raise _pdf_unreadable() from exc


def _pdf_walk(reader: Any) -> None:
    """Every object of the document: the trailer and each indirect object the cross-reference
    data names (those in compressed object streams too), and whatever they refer to."""
    from pypdf.generic import (
        ArrayObject,
        DictionaryObject,
        IndirectObject,
        NameObject,
        StreamObject,
    )

    stack: list[Any] = [reader.trailer]
    for generation, entries in reader.xref.items():
        stack.extend(IndirectObject(idnum, generation, reader) for idnum in entries)
    stack.extend(IndirectObject(idnum, 0, reader) for idnum in reader.xref_objStm)
    seen: set[tuple[int, int]] = set()
    count = 0
    while stack:
        obj = stack.pop()
        if isinstance(obj, IndirectObject):
            key = (obj.idnum, obj.generation)
            if key in seen:
                continue
            seen.add(key)
            obj = reader.get_object(obj)
        count += 1
        if count > PDF_MAX_OBJECTS:
            raise _pdf_unreadable()
        if isinstance(obj, NameObject):
            if _pdf_name_is_active(str(obj)):
                raise _pdf_active()
        elif isinstance(obj, DictionaryObject):
            for name, value in dict.items(obj):
                if _pdf_name_is_active(str(name)):
                    raise _pdf_active()
                stack.append(value)
            uri = dict.get(obj, "/URI")
            if isinstance(uri, (str, bytes)) and _PDF_BAD_URI.search(
                uri.decode("latin-1") if isinstance(uri, bytes) else uri
            ):
                raise _pdf_active()
            # Objects packed in an object stream that the cross-reference data do not name.
            is_object_stream = isinstance(obj, StreamObject) and obj.get("/Type") == "/ObjStm"
            if is_object_stream and _pdf_raw_names_active(obj.get_data()):  # type: ignore[attr-defined]
                raise _pdf_active()
        elif isinstance(obj, ArrayObject):
            stack.extend(obj)


def _sniff_image(f: Any, head: bytes, ext: str) -> None:
    magic = b"\x89PNG\r\n\x1a\n" if ext == "png" else b"\xff\xd8\xff"
    if not head.startswith(magic):
        raise _not_what_it_says(ext)
    from PIL import Image

    try:
        with Image.open(f) as image:
            expected = "PNG" if ext == "png" else "JPEG"
            if image.format != expected:
                raise _not_what_it_says(ext)
            image.verify()
    except ValidationError:
        raise
    except Exception as exc:  # Pillow raises many kinds, including DecompressionBombError
        raise _not_what_it_says(ext) from exc


def _sniff_text(f: Any, head: bytes, ext: str) -> None:
    decoder = codecs.getincrementaldecoder("utf-8")()
    tail = b""
    try:
        for chunk in _chunks(f):
            if b"\x00" in chunk:
                raise ValidationError(
                    "The selected file is not a text file (it contains binary data).",
                    code="content",
                )
            window = tail + chunk
            if _TEXT_ACTIVE.search(window):
                raise ValidationError(
                    "The selected file contains web page markup or a script, which cannot be "
                    "uploaded.",
                    code="active_content",
                )
            tail = window[-32:]
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError as exc:
        raise ValidationError(
            "The selected file is not UTF-8 text: save it as %(kind)s UTF-8 and upload it again.",
            code="encoding",
            params={"kind": "CSV" if ext == "csv" else "plain text"},
        ) from exc


def _sniff_zip(f: Any, head: bytes, ext: str) -> None:
    if not head.startswith(b"PK\x03\x04"):
        raise _not_what_it_says(ext)
    try:
        archive = zipfile.ZipFile(f)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise _not_what_it_says(ext) from exc
    with archive:
        infos = archive.infolist()
        if len(infos) > ZIP_MAX_ENTRIES:
            raise _zip_bomb()
        total = sum(i.file_size for i in infos)
        packed = sum(i.compress_size for i in infos)
        if total > ZIP_MAX_UNCOMPRESSED:
            raise _zip_bomb()
        if total > ZIP_RATIO_FLOOR and total > ZIP_MAX_RATIO * max(packed, 1):
            raise _zip_bomb()
        for info in infos:
            if info.file_size > ZIP_RATIO_FLOOR and info.file_size > ZIP_MAX_RATIO * max(
                info.compress_size, 1
            ):
                raise _zip_bomb()
        _check_zip_names(infos)
        if any(i.flag_bits & 0x1 for i in infos):
            raise ValidationError(
                "The selected file is protected with a password. Save it again without a "
                "password and upload that.",
                code="encrypted",
            )
        names = {i.filename for i in infos}
        lowered = {n.lower() for n in names}
        if any(_OFFICE_PROGRAM_PART.search(n) for n in lowered):
            raise _office_programs(ext)
        if ext in OOXML_MAIN_PART:
            if "[Content_Types].xml" not in names or OOXML_MAIN_PART[ext] not in names:
                raise _not_what_it_says(ext)
            types = _read_small(archive, "[Content_Types].xml").lower()
            if any(kind in types for kind in _OFFICE_PROGRAM_TYPES):
                raise _office_programs(ext)
            for info in infos:
                if info.filename.lower().endswith(".rels"):
                    _check_relationships(_read_small(archive, info.filename), ext)
        else:
            if "mimetype" not in names:
                raise _not_what_it_says(ext)
            mimetype = _read_small(archive, "mimetype").strip().decode("ascii", "replace")
            if mimetype != MEDIA_TYPES[ext]:
                raise _not_what_it_says(ext)
            if any(n.startswith(("basic/", "scripts/")) for n in lowered):
                raise _office_programs(ext)
    _check_zip_members(f, infos)


def _office_programs(ext: str) -> ValidationError:
    return ValidationError(
        "The selected file contains macros, ActiveX controls or embedded programs. Save it "
        "as %(kind)s without them and upload it again.",
        code="active_content",
        params={"kind": ext.upper()},
    )


def _zip_damaged() -> ValidationError:
    return ValidationError(
        "The selected file is damaged. Save it again and upload the new copy.", code="content"
    )


def _check_zip_names(infos: list[zipfile.ZipInfo]) -> None:
    """No duplicates (parts are named without regard to case), no folders that climb out or
    start at the root, no drive letters, backslashes or control characters."""
    seen: set[str] = set()
    for info in infos:
        name = info.filename
        key = unicodedata.normalize("NFC", name).casefold()
        parts = name.split("/")
        if (
            key in seen
            or not name
            or name.startswith("/")
            or "\\" in info.orig_filename
            or ".." in parts
            or re.match(r"^[A-Za-z]:", name)
            or any(unicodedata.category(ch).startswith("C") for ch in name)
        ):
            raise _zip_damaged()
        seen.add(key)


def _check_relationships(xml: bytes, ext: str) -> None:
    """Refuse a relationship to something outside the package other than a hyperlink (a
    remote attached template, frame, sub-document, OLE object or picture is fetched when the
    file is opened). Document type declarations (and so entities) are refused."""
    refused = False

    def no_doctype(*args: Any) -> None:
        raise ValueError("document type declaration")

    def start(tag: str, attrs: dict[str, str]) -> None:
        nonlocal refused
        if tag.rsplit(" ", 1)[-1] != "Relationship":
            return
        if attrs.get("TargetMode", "").strip().lower() == "external":
            kind = attrs.get("Type", "").rstrip("/").rsplit("/", 1)[-1]
            if kind not in _OOXML_EXTERNAL_ALLOWED:
                refused = True

    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartDoctypeDeclHandler = no_doctype
    parser.EntityDeclHandler = no_doctype
    parser.StartElementHandler = start
    try:
        parser.Parse(xml, True)
    except (expat.ExpatError, ValueError) as exc:
        raise _zip_damaged() from exc
    if refused:
        raise ValidationError(
            "The selected file links to a template or content elsewhere that is loaded when it "
            "is opened. Save it again as %(kind)s without the link and upload that.",
            code="active_content",
            params={"kind": ext.upper()},
        )


def _check_zip_members(f: Any, infos: list[zipfile.ZipInfo]) -> None:
    """Each member, read from its own header, is exactly what the central directory says:
    the same name and sizes, data that do not overlap the next member's, and content that
    decompresses to the declared size and checksum (never past it: reading stops as soon as
    it would). Stored and deflated members only, as Office and OpenDocument files use."""
    ordered = sorted(infos, key=lambda i: i.header_offset)
    total = 0
    for index, info in enumerate(ordered):
        f.seek(info.header_offset)
        header = f.read(_ZIP_LOCAL_HEADER_SIZE)
        if len(header) != _ZIP_LOCAL_HEADER_SIZE:
            raise _zip_damaged()
        fields = struct.unpack(_ZIP_LOCAL_HEADER, header)
        if fields[0] != _ZIP_LOCAL_SIGNATURE:
            raise _zip_damaged()
        flags, method, crc, packed, size = fields[3], fields[4], fields[7], fields[8], fields[9]
        name_length, extra_length = fields[10], fields[11]
        raw_name = f.read(name_length)
        encoding = "utf-8" if info.flag_bits & 0x800 else "cp437"
        if raw_name != info.orig_filename.encode(encoding, "replace") or method != (
            info.compress_type
        ):
            raise _zip_damaged()
        if not flags & 0x8:  # sizes in the local header (else in a data descriptor)
            for local, central in ((crc, info.CRC), (packed, info.compress_size)):
                if local != central and local != 0xFFFFFFFF:
                    raise _zip_damaged()
            if size != info.file_size and size != 0xFFFFFFFF:
                raise _zip_bomb() if size > info.file_size else _zip_damaged()
        start = info.header_offset + _ZIP_LOCAL_HEADER_SIZE + name_length + extra_length
        following = ordered[index + 1].header_offset if index + 1 < len(ordered) else None
        if following is not None and start + info.compress_size > following:
            raise _zip_damaged()
        f.seek(start)
        total += _check_zip_member_data(f, info, ZIP_MAX_UNCOMPRESSED - total)


def _check_zip_member_data(f: Any, info: zipfile.ZipInfo, budget: int) -> int:
    limit = min(info.file_size, budget)
    if info.compress_type == zipfile.ZIP_STORED:
        if info.compress_size != info.file_size:
            raise _zip_damaged()
        inflater = None
    elif info.compress_type == zipfile.ZIP_DEFLATED:
        inflater = zlib.decompressobj(-15)
    else:
        raise _zip_damaged()
    crc = produced = 0

    def take(piece: bytes) -> None:
        nonlocal crc, produced
        produced += len(piece)
        if produced > limit:  # more than the header declares: stop reading now
            raise _zip_bomb()
        crc = zlib.crc32(piece, crc)

    remaining = info.compress_size
    while remaining:
        data = f.read(min(CHUNK, remaining))
        if not data:
            raise _zip_damaged()
        remaining -= len(data)
        if inflater is None:
            take(data)
            continue
        while data:
            if inflater.eof:  # declared data left over after the deflate data end
                raise _zip_damaged()
            # Never more than one byte past the limit: enough to know the header lies.
            take(inflater.decompress(data, limit - produced + 1))
            data = inflater.unconsumed_tail
        if inflater.eof and inflater.unused_data:
            raise _zip_damaged()
    if inflater is not None:
        while not inflater.eof:  # output still held back after the last byte was fed
            piece = inflater.decompress(b"", limit - produced + 1)
            if not piece:
                break
            take(piece)
        if not inflater.eof:  # the deflate data go on past the declared compressed size
            raise _zip_damaged()
    if produced != info.file_size or crc != info.CRC:
        raise _zip_damaged()
    return produced


def _read_small(archive: zipfile.ZipFile, name: str, limit: int = 4 * 1024 * 1024) -> bytes:
    try:
        with archive.open(name) as part:
            data = part.read(limit + 1)
    except (zipfile.BadZipFile, OSError, ValueError, RuntimeError, EOFError) as exc:
        raise _zip_damaged() from exc
    if len(data) > limit:
        raise _zip_damaged()
    return data


def _zip_bomb() -> ValidationError:
    return ValidationError(
        "The selected file expands to far more data than it holds, so it cannot be uploaded.",
        code="zip_bomb",
    )


_SNIFFERS = {
    "pdf": _sniff_pdf,
    "png": _sniff_image,
    "jpg": _sniff_image,
    "jpeg": _sniff_image,
    "csv": _sniff_text,
    "txt": _sniff_text,
    "docx": _sniff_zip,
    "xlsx": _sniff_zip,
    "pptx": _sniff_zip,
    "odt": _sniff_zip,
    "ods": _sniff_zip,
}
