"""Checking uploaded files before they are stored [P5].

A file is accepted only when its size is within the limit, its name has one allowed
extension (no disguised double extension such as `report.pdf.exe` or `x.php.pdf`), and its
*content* — read with the `filetype` package, plus the `%PDF-` signature — is of an allowed
type that agrees with that extension. The browser's declared content type is never trusted.
"""

import os
import re
import unicodedata

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
    return detected


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
