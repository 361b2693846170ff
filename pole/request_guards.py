"""Guards on what a request carries, before any view reads it.

- `RequestBodyLimitMiddleware` answers 413 to a request whose declared body is larger than
  settings.MAX_REQUEST_BODY_SIZE, before a byte of it is read (Django would otherwise
  read and spool a huge upload before a form finds the file too big).
- `ControlCharactersMiddleware` removes control characters (NUL and the other C0/C1
  characters, except tab, line feed and carriage return) from every query-string and form
  value and key, in one place for the whole site: PostgreSQL refuses NUL in text (a 500),
  and the others only hide or garble text. Uploaded files are checked by pole.uploads.
"""

import re

from django.conf import settings
from django.http import HttpResponse, QueryDict
from django.template.loader import render_to_string
from django.utils import translation

# Unicode category Cc without \t, \n and \r.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
FORM_CONTENT_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def declared_length(request) -> int:
    try:
        return max(int(request.META.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:
        return 0


class RequestBodyLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if declared_length(request) > settings.MAX_REQUEST_BODY_SIZE:
            return self.too_large(request)
        return self.get_response(request)

    @staticmethod
    def too_large(request) -> HttpResponse:
        # Runs before LocaleMiddleware: the language comes from the URL, cookie or browser.
        language = translation.get_language_from_request(request, check_path=True)
        limit = settings.MAX_REQUEST_BODY_SIZE // (1024 * 1024)
        with translation.override(language):
            content = render_to_string(
                "413.html", {"limit_mb": limit, "file_limit_mb": settings.MAX_UPLOAD_SIZE // (1024 * 1024)}
            )
        return HttpResponse(content, status=413)


def without_control_characters(data: QueryDict) -> QueryDict:
    """`data` itself when it is clean, else an immutable copy without control characters."""
    if not any(
        CONTROL_CHARACTERS.search(key) or any(CONTROL_CHARACTERS.search(value) for value in values)
        for key, values in data.lists()
    ):
        return data
    cleaned = QueryDict(mutable=True, encoding=data.encoding)
    for key, values in data.lists():
        cleaned.setlist(CONTROL_CHARACTERS.sub("", key), [CONTROL_CHARACTERS.sub("", value) for value in values])
    cleaned._mutable = False
    return cleaned


class ControlCharactersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.GET = without_control_characters(request.GET)
        if request.method == "POST" and request.content_type in FORM_CONTENT_TYPES:
            request.POST = without_control_characters(request.POST)
        return self.get_response(request)
