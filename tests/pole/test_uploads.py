"""Upload checks [P5]: size, name, and type read from the content, never from the name."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from pole.uploads import DOCUMENT_TYPES, IMAGE_TYPES, safe_filename, validate_upload

MB = 1024 * 1024
PDF_BYTES = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64
JPEG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64
WEBP_BYTES = b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 64


def upload(name, content):
    return SimpleUploadedFile(name, content)


def error_of(file, allowed=DOCUMENT_TYPES, max_size=20 * MB):
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        validate_upload(file, allowed=allowed, max_size=max_size)
    return caught.value.code, caught.value.messages[0]


def docx_bytes():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("_rels/.rels", "<Relationships/>")
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


def odt_bytes():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document-content/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("statuts.pdf", PDF_BYTES, "application/pdf"),
        ("logo.png", PNG_BYTES, "image/png"),
        ("photo.JPG", JPEG_BYTES, "image/jpeg"),
        ("Kbis 2026.v2.pdf", PDF_BYTES, "application/pdf"),
        ("rapport.docx", docx_bytes(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("rapport.odt", odt_bytes(), "application/vnd.oasis.opendocument.text"),
    ],
)
def test_good_files_pass_and_report_the_type_of_their_content(name, content, expected):
    file = upload(name, content)
    assert validate_upload(file, allowed=DOCUMENT_TYPES, max_size=20 * MB) == expected
    assert file.tell() == 0  # ready to be stored


def test_a_file_over_the_limit_is_refused_with_the_limit_in_mb():
    file = upload("big.pdf", PDF_BYTES + b"0" * (20 * MB + 1 - len(PDF_BYTES)))
    assert error_of(file) == ("file_too_big", "This file is too big: the limit is 20 MB.")
    with translation.override("fr"), pytest.raises(ValidationError) as caught:
        validate_upload(file, allowed=DOCUMENT_TYPES, max_size=20 * MB)
    assert "20" in caught.value.messages[0]


def test_a_file_of_exactly_the_limit_passes():
    file = upload("exact.pdf", PDF_BYTES + b"0" * (MB - len(PDF_BYTES)))
    assert validate_upload(file, allowed=DOCUMENT_TYPES, max_size=MB) == "application/pdf"


@pytest.mark.parametrize("name", ["script.exe", "page.html", "notes.txt", "archive.zip", "no-extension"])
def test_a_forbidden_type_is_refused_with_the_allowed_formats(name):
    code, message = error_of(upload(name, b"MZ\x90\x00 some content"))
    assert code == "file_forbidden_type"
    assert (
        message
        == "This type of file is not accepted. Allowed formats: DOCX, JPEG, ODP, ODS, ODT, PDF, PNG, PPTX, XLSX."
    )


def test_an_allowed_type_outside_this_upload_is_refused():
    code, _message = error_of(upload("statuts.pdf", PDF_BYTES), allowed=IMAGE_TYPES)
    assert code == "file_forbidden_type"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("statuts.pdf", b"<!DOCTYPE html><html><script>alert(1)</script></html>"),  # a web page calling itself a PDF
        ("logo.png", b"just some text pretending to be an image\n" * 10),  # a .png that is really text
        ("photo.jpg", PNG_BYTES),  # a real image, but not of the type its name says
        ("rapport.docx", b"PK\x03\x04" + b"\x00" * 100),  # a zip that is no Word document
        ("statuts.pdf", b"\x00%PDF-1.7 hidden after a byte"),
    ],
)
def test_a_file_whose_content_does_not_match_its_extension_is_refused(name, content):
    code, message = error_of(upload(name, content))
    assert code == "file_content_mismatch"
    extension = name.rsplit(".", 1)[1]
    assert message == (
        f"The content of this file does not match its extension .{extension}: "
        "it may be damaged or disguised as another type."
    )


@pytest.mark.parametrize("name", ["report.pdf.exe", "x.php.pdf", "photo.png.html", "Kbis.PDF.pdf"])
def test_a_double_extension_is_refused(name):
    code, message = error_of(upload(name, PDF_BYTES))
    assert code == "file_double_extension"
    assert name in message


def test_an_empty_file_is_refused():
    assert error_of(upload("empty.pdf", b""))[0] == "file_empty"


def test_images_accept_webp():
    assert validate_upload(upload("logo.webp", WEBP_BYTES), allowed=IMAGE_TYPES, max_size=MB) == "image/webp"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Statuts signés 2026.pdf", "Statuts signés 2026.pdf"),
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\moi\\Kbis.pdf", "Kbis.pdf"),
        (".htaccess", "htaccess"),
        ("a<b>c|d?.pdf", "a_b_c_d_.pdf"),
        ("tab\tand\nnewline.pdf", "tabandnewline.pdf"),
        ("", "file"),
        ("x" * 300 + ".pdf", "x" * 96 + ".pdf"),
    ],
)
def test_safe_filename_keeps_a_readable_basename(name, expected):
    assert safe_filename(name) == expected


# --- Two formats at once, and archive bombs --------------------------------------------------


def zip_bytes(entries, *, compression=zipfile.ZIP_DEFLATED):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as archive:
        for name, content in entries:
            archive.writestr(name, content)
    return buffer.getvalue()


def error_in(language, file, allowed=DOCUMENT_TYPES):
    with translation.override(language), pytest.raises(ValidationError) as caught:
        validate_upload(file, allowed=allowed, max_size=20 * MB)
    return caught.value.code, caught.value.messages[0]


def test_a_pdf_that_is_also_a_zip_is_refused_with_the_reason_in_both_languages():
    polyglot = PDF_BYTES + zip_bytes([("payload.html", "<script>alert(1)</script>")])
    assert error_in("en", upload("statuts.pdf", polyglot)) == (
        "file_polyglot",
        "This file is two formats at once (PDF and ZIP), a way to hide content. "
        "Save it again as a plain PDF file and send it again.",
    )
    assert error_in("fr", upload("statuts.pdf", polyglot)) == (
        "file_polyglot",
        "Ce fichier est de deux formats à la fois (PDF et ZIP), un moyen de dissimuler du contenu. "
        "Enregistrez-le à nouveau comme simple fichier PDF et envoyez-le de nouveau.",
    )


def test_an_image_that_is_also_a_zip_is_refused():
    code, _message = error_in("en", upload("logo.png", PNG_BYTES + zip_bytes([("x.txt", "x")])), IMAGE_TYPES)
    assert code == "file_polyglot"


def test_an_office_document_that_is_also_a_pdf_is_refused():
    entries = [("[Content_Types].xml", "%PDF-1.7 <Types/>"), ("_rels/.rels", "<R/>"), ("word/document.xml", "<d/>")]
    code, message = error_in("en", upload("rapport.docx", zip_bytes(entries, compression=zipfile.ZIP_STORED)))
    assert (code, message) == (
        "file_polyglot",
        "This file is two formats at once (DOCX and PDF), a way to hide content. "
        "Save it again as a plain DOCX file and send it again.",
    )


def test_a_docx_that_expands_beyond_the_limit_is_refused_without_being_extracted():
    entries = [("[Content_Types].xml", "<Types/>"), ("word/document.xml", b"\x00" * (210 * MB))]
    bomb = zip_bytes(entries)
    assert len(bomb) < 1 * MB
    assert error_in("en", upload("rapport.docx", bomb)) == (
        "file_archive_bomb",
        "This file expands to 210.0 MB once opened, more than the 200 MB allowed: it may be an archive bomb.",
    )
    assert error_in("fr", upload("rapport.docx", bomb)) == (
        "file_archive_bomb",
        "Ce fichier occupe 210,0 Mo une fois ouvert, plus que les 200 Mo permis\u00a0: il s'agit peut-être "
        "d'une bombe de décompression.",
    )


def test_an_xlsx_compressed_far_more_than_a_real_document_is_refused():
    entries = [("[Content_Types].xml", "<Types/>"), ("xl/worksheets/sheet1.xml", b"A" * (20 * MB))]
    code, message = error_in("en", upload("budget.xlsx", zip_bytes(entries)))
    assert (code, message) == (
        "file_archive_bomb",
        "This file is compressed more than 200 times, far more than a real document: it may be an archive bomb.",
    )


def test_an_odt_with_too_many_entries_is_refused():
    entries = [(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")]
    entries += [(f"Pictures/{index}.xml", "") for index in range(5001)]
    code, message = error_in("en", upload("rapport.odt", zip_bytes(entries, compression=zipfile.ZIP_STORED)))
    assert code == "file_archive_bomb"
    assert message == ("This file holds 5002 parts, more than the 5000 a document may have: it may be an archive bomb.")


def test_a_damaged_docx_is_refused():
    damaged = docx_bytes()[:-30]
    assert error_in("en", upload("rapport.docx", damaged)) == (
        "file_damaged_archive",
        "This file is damaged: its contents cannot be read.",
    )
