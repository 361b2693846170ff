"""E-mail through one helper (ARCHITECTURE.md §3 rule 5).

Each e-mail has three templates: `emails/<name>_subject.txt`, `emails/<name>.txt` and
`emails/<name>.html`. It is rendered in the recipient's language and sent by a Celery
task scheduled after the current transaction commits, so that a rolled-back request
never sends anything and a slow mail server never slows a page.

The two tasks live here, beside the functions that schedule them (pretix's way), so that
this module and the task module do not import each other; they keep the names they had in
pole/tasks.py, so that messages queued before the move still find them.
"""

import uuid

from celery import shared_task
from django.conf import settings
from django.core.cache import cache
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db import transaction
from django.template import Context
from django.template.loader import get_template, render_to_string
from django.utils import translation


def render_subject(name: str, context: dict) -> str:
    """The subject is plain text, not HTML: rendered without autoescaping (an "&" stays an
    "&", never "&amp;") and folded onto one line."""
    template = get_template(f"emails/{name}_subject.txt").template
    return " ".join(template.render(Context(context, autoescape=False)).split())


def render_email(*, name: str, context: dict, language: str, to: list[str]) -> EmailMultiAlternatives:
    """Build the message `name` for `to`, in `language`."""
    with translation.override(language):
        context = {**context, "LANGUAGE_CODE": language}
        subject = render_subject(name, context)
        text = render_to_string(f"emails/{name}.txt", context)
        html = render_to_string(f"emails/{name}.html", context)
    message = EmailMultiAlternatives(subject=subject, body=text, from_email=settings.DEFAULT_FROM_EMAIL, to=to)
    message.attach_alternative(html, "text/html")
    return message


def send_email(*, name: str, to: list[str] | str, context: dict | None = None, language: str = "fr") -> None:
    """Schedule the e-mail `name` after commit. `context` must be JSON-serialisable
    (ids and strings: the task renders it, possibly in another process)."""
    recipients = [to] if isinstance(to, str) else list(to)
    kwargs = {"name": name, "to": recipients, "context": context or {}, "language": language, "key": uuid.uuid4().hex}
    transaction.on_commit(lambda: send_templated_email.delay(**kwargs))


def send_email_to_user(*, user, name: str, context: dict | None = None) -> None:
    """Schedule the e-mail `name` to `user`, in the user's preferred language."""
    send_email(name=name, to=[user.email], context=context, language=getattr(user, "language", "fr") or "fr")


def deliver_later(message: EmailMessage) -> None:
    """Send an already rendered message (allauth's) from a task, after commit."""
    html = next((content for content, mimetype in getattr(message, "alternatives", []) if mimetype == "text/html"), "")
    kwargs = {
        "subject": message.subject,
        "body": message.body,
        "html": html,
        "from_email": message.from_email,
        "to": list(message.to),
        "key": uuid.uuid4().hex,
    }
    transaction.on_commit(lambda: deliver_email.delay(**kwargs))


# --- The tasks (thin, keyword-only, primitive arguments, safe to run twice) ----------------

SENT_KEY_TTL = 7 * 24 * 60 * 60


def _first_delivery(key: str) -> bool:
    """True the first time `key` is seen: a redelivered task does not send twice."""
    return cache.add(f"email-sent:{key}", 1, timeout=SENT_KEY_TTL)


@shared_task(name="pole.tasks.send_templated_email")
def send_templated_email(*, name: str, to: list[str], context: dict, language: str, key: str) -> None:
    if not _first_delivery(key):
        return
    try:
        render_email(name=name, context=context, language=language, to=to).send()
    except Exception:
        cache.delete(f"email-sent:{key}")  # let the retry send it
        raise


@shared_task(name="pole.tasks.deliver_email")
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
