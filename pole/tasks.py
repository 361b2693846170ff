"""Celery tasks of the bottom layer: e-mail delivery and PDF rendering. Thin, keyword-only,
primitive arguments, safe to run twice."""

import hashlib

from celery import shared_task
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.mail import EmailMultiAlternatives

from pole.emails import render_email
from pole.pdf import render_pdf
from pole.storage import private_storage

SENT_KEY_TTL = 7 * 24 * 60 * 60


def _first_delivery(key: str) -> bool:
    """True the first time `key` is seen: a redelivered task does not send twice."""
    return cache.add(f"email-sent:{key}", 1, timeout=SENT_KEY_TTL)


@shared_task
def send_templated_email(*, name: str, to: list[str], context: dict, language: str, key: str) -> None:
    if not _first_delivery(key):
        return
    try:
        render_email(name=name, context=context, language=language, to=to).send()
    except Exception:
        cache.delete(f"email-sent:{key}")  # let the retry send it
        raise


@shared_task
def deliver_email(*, subject: str, body: str, html: str, from_email: str, to: list[str], key: str) -> None:
    if not _first_delivery(key):
        return
    message = EmailMultiAlternatives(subject=subject, body=body, from_email=from_email, to=to)
    if html:
        message.attach_alternative(html, "text/html")
    try:
        message.send()
    except Exception:
        cache.delete(f"email-sent:{key}")
        raise


@shared_task
def render_pdf_document(*, template_name: str, context: dict, path: str, language: str = "fr") -> dict:
    """Render a template to PDF and store it at `path` in the private storage, replacing
    any earlier file there (running twice leaves one file). Returns its path, size and
    SHA-256."""
    content = render_pdf(template_name, context, language=language)
    storage = private_storage()
    if storage.exists(path):
        storage.delete(path)
    stored = storage.save(path, ContentFile(content))
    return {"path": stored, "size": len(content), "sha256": hashlib.sha256(content).hexdigest()}
