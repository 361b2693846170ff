"""Checking uploaded files before they are stored [P5].

A file is accepted only when its size is within the limit, its name has one allowed
extension (no disguised double extension such as `report.pdf.exe` or `x.php.pdf`), and its
*content* — read with the `filetype` package, plus the `%PDF-` signature — is of an allowed
type that agrees with that extension. The browser's declared content type is never trusted.

A file that is two formats at once (a PDF or an image that is also a ZIP archive, an office
document that is also a PDF) is refused: such polyglots hide content from whoever opens them
with one program. Office documents (DOCX, XLSX, PPTX, ODT, ODS, ODP) are ZIP archives: their
directory is read with the standard library, without extracting anything, and an archive
bomb — too many entries, too many bytes once expanded, or an unlikely compression ratio — is
refused with the reason.
"""

import os
import re
import unicodedata
import zipfile

import filetype
from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext as _

PDF = "application/pdf"
ODT = "application/vnd.oasis.opendocument.text"
ODS = "application/vnd.oasis.opendocument.spreadsheet"
ODP = "application/vnd.oasis.opendocument.presentation"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
PNG = "image/png"
JPEG = "image/jpeg"
WEBP = "image/webp"

DOCUMENT_TYPES = frozenset({PDF, ODT, ODS, ODP, DOCX, XLSX, PPTX, PNG, JPEG})
IMAGE_TYPES = frozenset({PNG, JPEG, WEBP})

# The extensions a file of each type may carry.
EXTENSIONS = {
    PDF: ("pdf",),
    ODT: ("odt",),
    ODS: ("ods",),
    ODP: ("odp",),
    DOCX: ("docx",),
    XLSX: ("xlsx",),
    PPTX: ("pptx",),
    PNG: ("png",),
    JPEG: ("jpg", "jpeg"),
    WEBP: ("webp",),
}
# Names shown to users in "allowed formats" messages.
FORMAT_NAMES = {
    PDF: "PDF",
    ODT: "ODT",
    ODS: "ODS",
    ODP: "ODP",
    DOCX: "DOCX",
    XLSX: "XLSX",
    PPTX: "PPTX",
    PNG: "PNG",
    JPEG: "JPEG",
    WEBP: "WebP",
}
# Types that filetype reports under another name but that we treat as one of ours.
SAME_AS = {"image/apng": PNG}
# Extensions that must never hide inside a file name (`x.php.pdf`): executables, scripts,
# web pages, and every document extension (`report.pdf.exe`).
SUSPICIOUS_INNER_EXTENSIONS = {
    *(extension for extensions in EXTENSIONS.values() for extension in extensions),
    *"exe com bat cmd msi scr pif cpl dll jar vbs vbe js jse wsf wsh ps1 psm1 sh bash zsh csh".split(),
    *"php php3 php4 php5 phtml phar py pyc pl cgi rb asp aspx jsp htm html xhtml shtml svg xml hta".split(),
    *"doc xls ppt rtf txt zip rar 7z gz tar lnk iso dmg app apk".split(),
}
# Bytes read to detect the type: what filetype itself looks at.
SIGNATURE_BYTES = 8192
# Types stored as a ZIP archive.
ZIP_TYPES = frozenset({ODT, ODS, ODP, DOCX, XLSX, PPTX})
# PDF readers look for the "%PDF-" header within the first kilobyte.
PDF_HEADER_WINDOW = 1024
# Archive bomb limits: a real office document of a few MB has a few hundred entries,
# expands to tens of MB, and its XML compresses at most ~50 times.
MAX_ARCHIVE_ENTRIES = 5000
MAX_UNCOMPRESSED_SIZE = 200 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200
# Entries smaller than this are not judged by their ratio (tiny files compress oddly).
RATIO_MIN_SIZE = 1024 * 1024


def allowed_extensions(allowed) -> list[str]:
    return sorted({extension for mime in allowed for extension in EXTENSIONS.get(mime, ())})


def accept_attribute(allowed) -> str:
    """The value of an `<input type=file accept=…>` for these types (a hint only)."""
    return ",".join(f".{extension}" for extension in allowed_extensions(allowed))


def _format_list(allowed) -> str:
    return ", ".join(sorted(FORMAT_NAMES.get(mime, mime) for mime in allowed))


def _megabytes(size: int) -> str:
    value = size / (1024 * 1024)
    return number_format(value, decimal_pos=0 if value == int(value) else 1)


def detect_type(header: bytes) -> str | None:
    """The MIME type of a file from its first bytes, or None when unknown."""
    if header.startswith(b"%PDF-"):
        return PDF
    kind = filetype.guess(header)
    if kind is None:
        return None
    return SAME_AS.get(kind.mime, kind.mime)


def validate_upload(file, *, allowed, max_size: int) -> str:
    """Check an uploaded `file` (size, name, content) against the `allowed` MIME types and
    `max_size` in bytes; return its MIME type detected from the content. Raise a
    ValidationError that says why otherwise. Leaves the file positioned at its start."""
    name = os.path.basename((file.name or "").replace("\\", "/"))
    size = file.size if getattr(file, "size", None) is not None else len(file.read())
    if size > max_size:
        raise ValidationError(
            _("This file is too big: the limit is %(limit)s MB."),
            code="file_too_big",
            params={"limit": _megabytes(max_size)},
        )
    if size == 0:
        raise ValidationError(_("This file is empty."), code="file_empty")

    parts = name.lower().split(".")
    extension = parts[-1] if len(parts) > 1 else ""
    inner = [part.strip() for part in parts[1:-1]]
    if any(part in SUSPICIOUS_INNER_EXTENSIONS for part in inner):
        raise ValidationError(
            _(
                "This file name has a double extension (%(name)s), a common way to disguise a file. "
                "Rename it with a single extension and send it again."
            ),
            code="file_double_extension",
            params={"name": name},
        )
    if extension not in allowed_extensions(allowed):
        raise ValidationError(
            _("This type of file is not accepted. Allowed formats: %(formats)s."),
            code="file_forbidden_type",
            params={"formats": _format_list(allowed)},
        )

    file.seek(0)
    header = file.read(SIGNATURE_BYTES)
    file.seek(0)
    detected = detect_type(bytes(header))
    if detected is None or extension not in EXTENSIONS.get(detected, ()):
        raise ValidationError(
            _(
                "The content of this file does not match its extension .%(extension)s: "
                "it may be damaged or disguised as another type."
            ),
            code="file_content_mismatch",
            params={"extension": extension},
        )
    if detected not in allowed:
        raise ValidationError(
            _("This type of file is not accepted. Allowed formats: %(formats)s."),
            code="file_forbidden_type",
            params={"formats": _format_list(allowed)},
        )
    try:
        _check_single_format(file, detected, bytes(header))
        if detected in ZIP_TYPES:
            _check_archive(file)
    finally:
        file.seek(0)
    return detected


def _two_formats(first: str, second: str) -> ValidationError:
    return ValidationError(
        _(
            "This file is two formats at once (%(first)s and %(second)s), a way to hide content. "
            "Save it again as a plain %(first)s file and send it again."
        ),
        code="file_polyglot",
        params={"first": first, "second": second},
    )


def _check_single_format(file, detected: str, header: bytes) -> None:
    """Refuse a file that another program would read as another format: a ZIP directory
    at the end of a non-ZIP file, a PDF header inside a ZIP one."""
    if detected in ZIP_TYPES:
        if b"%PDF-" in header[:PDF_HEADER_WINDOW]:
            raise _two_formats(FORMAT_NAMES[detected], "PDF")
        return
    file.seek(0)
    if zipfile.is_zipfile(file):
        raise _two_formats(FORMAT_NAMES.get(detected, detected), "ZIP")


def _check_archive(file) -> None:
    """Read the ZIP directory of an office document (nothing is extracted) and refuse a
    damaged archive or an archive bomb."""
    file.seek(0)
    try:
        with zipfile.ZipFile(file) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise ValidationError(
            _("This file is damaged: its contents cannot be read."), code="file_damaged_archive"
        ) from None
    if len(entries) > MAX_ARCHIVE_ENTRIES:
        raise ValidationError(
            _(
                "This file holds %(count)s parts, more than the %(limit)s a document may have: "
                "it may be an archive bomb."
            ),
            code="file_archive_bomb",
            params={"count": len(entries), "limit": MAX_ARCHIVE_ENTRIES},
        )
    expanded = sum(entry.file_size for entry in entries)
    if expanded > MAX_UNCOMPRESSED_SIZE:
        raise ValidationError(
            _(
                "This file expands to %(size)s MB once opened, more than the %(limit)s MB allowed: "
                "it may be an archive bomb."
            ),
            code="file_archive_bomb",
            params={"size": _megabytes(expanded), "limit": _megabytes(MAX_UNCOMPRESSED_SIZE)},
        )
    for entry in entries:
        if entry.file_size >= RATIO_MIN_SIZE and entry.file_size > MAX_COMPRESSION_RATIO * max(entry.compress_size, 1):
            raise ValidationError(
                _(
                    "This file is compressed more than %(ratio)s times, far more than a real document: "
                    "it may be an archive bomb."
                ),
                code="file_archive_bomb",
                params={"ratio": MAX_COMPRESSION_RATIO},
            )


def safe_filename(name: str, *, max_length: int = 100) -> str:
    """A readable base name safe to store and to send back in a download: no folders,
    no control or shell characters, no leading dot, at most `max_length` characters with
    the extension kept."""
    name = os.path.basename((name or "").replace("\\", "/"))
    name = unicodedata.normalize("NFC", name)
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = re.sub(r"[^\w.() -]", "_", name)
    name = re.sub(r"\s+", " ", name).strip(" .")
    stem, dot, extension = name.rpartition(".")
    if not dot:
        stem, extension = name, ""
    extension = extension[:10]
    room = max_length - (len(extension) + 1 if extension else 0)
    stem = stem[:room].rstrip(" .") or "file"
    return f"{stem}.{extension}" if extension else stem
