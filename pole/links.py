"""Addresses and languages of the people the portal writes to.

E-mails, PDFs and exports are read outside a request, so the links they carry are built on one
setting, ``PORTAL_URL``, and written in the recipient's language rather than in the language of
whoever caused them to be sent.
"""

from django.conf import settings
from django.urls import reverse
from django.utils import translation


def absolute_url(name_or_path: str, *, language: str | None = None, args=None, kwargs=None) -> str:
    """The absolute address of a page, on ``settings.PORTAL_URL``.

    ``name_or_path`` is either a path ("/fr/espace/") or a URL name ("members:space"), reversed in
    ``language`` (the current language when None). A URL name that does not exist raises
    ``NoReverseMatch``: a broken link must fail a test, not leave an e-mail without its link.
    """
    if name_or_path.startswith("/"):
        path = name_or_path
    else:
        with translation.override(language or translation.get_language() or settings.LANGUAGE_CODE):
            path = reverse(name_or_path, args=args, kwargs=kwargs)
    return settings.PORTAL_URL.rstrip("/") + path


def language_of(recipient) -> str:
    """The language to write to ``recipient`` in: a user, a person (through his account) or None.

    A user's preferred language when it is one the portal speaks, else the portal's default.
    """
    user = recipient if hasattr(recipient, "language") else getattr(recipient, "user", None)
    return portal_language(getattr(user, "language", ""))


def portal_language(language: str | None) -> str:
    """``language`` ("fr", "en-gb"…) as one of the portal's languages, else the portal's default."""
    language = (language or "")[:2]
    supported = {code for code, _name in settings.LANGUAGES}
    return language if language in supported else settings.LANGUAGE_CODE
