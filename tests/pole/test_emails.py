"""E-mail through pole/emails.py: three templates, the recipient's language, after commit."""

import pytest
from django.core import mail
from django.db import transaction
from django.template import engines

from pole.emails import send_email, send_email_to_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def greeting_templates(settings, tmp_path):
    folder = tmp_path / "emails"
    folder.mkdir()
    (folder / "greeting_subject.txt").write_text('{% load i18n %}{% translate "Home" %} — {{ name }}\n')
    (folder / "greeting.txt").write_text("{% load i18n %}Texte: {{ name }}")
    (folder / "greeting.html").write_text("{% load i18n %}<p>{% translate 'Home' %} <b>{{ name }}</b></p>")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]
    engines._engines = {}
    yield "greeting"
    engines._engines = {}


def test_an_email_is_rendered_in_the_recipients_language_and_sent_after_commit(
    greeting_templates, member_user, django_capture_on_commit_callbacks
):
    member_user.language = "en"
    with django_capture_on_commit_callbacks(execute=True):
        send_email_to_user(user=member_user, name=greeting_templates, context={"name": "Zoé"})
        send_email(name=greeting_templates, to="autre@example.org", context={"name": "Zoé"}, language="fr")
        assert mail.outbox == []  # nothing leaves before the transaction commits
    english, french = mail.outbox
    assert english.subject == "Home — Zoé"
    assert english.to == [member_user.email]
    assert french.subject == "Accueil — Zoé"
    assert french.body == "Texte: Zoé"
    assert french.alternatives[0] == ("<p>Accueil <b>Zoé</b></p>", "text/html")


def test_a_rolled_back_transaction_sends_nothing(greeting_templates, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                send_email(name=greeting_templates, to="x@example.org", context={"name": "X"})
                raise RuntimeError("the request failed")
        except RuntimeError:
            pass
    assert mail.outbox == []


def test_a_redelivered_task_does_not_send_twice(greeting_templates):
    from pole.tasks import send_templated_email

    kwargs = {"name": "greeting", "to": ["x@example.org"], "context": {"name": "X"}, "language": "fr", "key": "k1"}
    send_templated_email.delay(**kwargs)
    send_templated_email.delay(**kwargs)
    assert len(mail.outbox) == 1
