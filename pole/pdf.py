"""PDFs through one helper (ARCHITECTURE.md §3 rule 4).

`render_pdf` renders a Django template to PDF bytes with WeasyPrint. WeasyPrint is
imported inside the function so that the web process starts fast. Resources are fetched
by a URL fetcher that serves only our static files: no file://, no network, so that a
template (or a user's text in it) can never pull a local file or an outside URL into a
report.
"""

import mimetypes
from functools import cache

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation

# Relative URLs in report templates ("/static/css/report.css") resolve against this base;
# the fetcher maps it to our static files and refuses everything else.
PDF_BASE_URL = "https://pdf.pole.invalid/"
STATIC_PREFIX = PDF_BASE_URL + "static/"


class ForbiddenResource(ValueError):
    """Raised by the fetcher for any URL that is not one of our static files."""


def find_static_file(url: str) -> str:
    """The local path of the static file `url` names, or ForbiddenResource."""
    if not url.startswith(STATIC_PREFIX):
        raise ForbiddenResource(f"Only the portal's static files may be used in a PDF: {url!r}")
    relative = url[len(STATIC_PREFIX) :].split("?")[0].split("#")[0]
    if not relative or ".." in relative.split("/"):
        raise ForbiddenResource(f"Invalid static path: {url!r}")
    path = finders.find(relative)
    if not path:
        raise ForbiddenResource(f"No such static file: {url!r}")
    return path


@cache
def _fetcher_class():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyURLFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            path = find_static_file(url)
            with open(path, "rb") as handle:
                body = handle.read()
            content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
            return URLFetcherResponse(url, body=body, headers={"Content-Type": content_type})

    return StaticOnlyURLFetcher


@cache
def _font_config():
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


class PdfBytes(bytes):
    """The bytes of a PDF that also know its number of pages (`pages`)."""

    pages: int | None = None


def render_pdf(template_name: str, context: dict | None = None, *, language: str = "fr") -> PdfBytes:
    """Render `template_name` with `context` in `language` and return the PDF's bytes
    (with their number of pages as `.pages`)."""
    from weasyprint import HTML

    with translation.override(language):
        html = render_to_string(template_name, context or {})
    fetcher = _fetcher_class()(allowed_protocols={"https", "data"}, timeout=1)
    options = {"pdf_variant": "pdf/ua-1"}
    document = HTML(string=html, base_url=PDF_BASE_URL, url_fetcher=fetcher).render(
        font_config=_font_config(), **options
    )
    content = PdfBytes(document.write_pdf(**options))
    content.pages = len(document.pages)
    return content
