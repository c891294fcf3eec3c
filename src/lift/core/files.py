"""Uploads, stored safely: one validation for forms, services and the API.

A file is accepted only when its extension is on the allow-list AND its bytes are what the
extension says (content sniffing): PDFs start `%PDF-`, images carry their magic number and
open in Pillow, Office and OpenDocument files are zip archives holding the right inner
part (and are not zip bombs or macro containers), and text files are UTF-8 without NUL
bytes. HTML, SVG, executables and anything carrying a script are refused. The user's file
name is kept only as a display name, sanitised; the stored name is random
(`core.models.files.attachment_path`).

    from lift.core.files import attachment_create, validate_upload, EvidenceFileField
"""

from __future__ import annotations

import codecs
import hashlib
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from typing import IO, Any

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

# Things in a PDF that run code or other programs when opened.
_PDF_ACTIVE = re.compile(rb"/(?:JavaScript|JS|Launch|RichMedia)(?![A-Za-z0-9])")
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


def _sniff_pdf(f: Any, head: bytes, ext: str) -> None:
    if not head.startswith(b"%PDF-"):
        raise _not_what_it_says(ext)
    tail = b""
    for chunk in _chunks(f):
        window = tail + chunk
        if _PDF_ACTIVE.search(window):
            raise ValidationError(
                "The selected PDF contains a script or an action that runs a program. "
                "Print it to a new PDF and upload that.",
                code="active_content",
            )
        tail = window[-32:]


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
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
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
        names = {i.filename for i in infos}
        lowered = {n.lower() for n in names}
        if any(n.endswith(("vbaproject.bin", ".exe")) for n in lowered):
            raise ValidationError(
                "The selected file contains macros or programs. Save it without macros "
                "(as %(kind)s) and upload it again.",
                code="active_content",
                params={"kind": ext.upper()},
            )
        if ext in OOXML_MAIN_PART:
            if "[Content_Types].xml" not in names or OOXML_MAIN_PART[ext] not in names:
                raise _not_what_it_says(ext)
            types = _read_small(archive, "[Content_Types].xml").lower()
            if b"macroenabled" in types or b"vbaproject" in types:
                raise ValidationError(
                    "The selected file contains macros. Save it as %(kind)s without macros "
                    "and upload it again.",
                    code="active_content",
                    params={"kind": ext.upper()},
                )
        else:
            if "mimetype" not in names:
                raise _not_what_it_says(ext)
            mimetype = _read_small(archive, "mimetype").strip().decode("ascii", "replace")
            if mimetype != MEDIA_TYPES[ext]:
                raise _not_what_it_says(ext)


def _read_small(archive: zipfile.ZipFile, name: str, limit: int = 1024 * 1024) -> bytes:
    try:
        with archive.open(name) as part:
            return part.read(limit)
    except (zipfile.BadZipFile, OSError, ValueError, RuntimeError) as exc:
        raise ValidationError("The selected file is damaged.", code="content") from exc


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
