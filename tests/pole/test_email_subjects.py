"""E-mail subjects are plain text: no HTML escaping of "&", "<" or quotes [issue 9]."""

from pathlib import Path

import pytest
from django.conf import settings

from pole.emails import render_email

SUBJECTS = sorted(
    path.name.removesuffix("_subject.txt")
    for path in (Path(settings.BASE_DIR) / "templates" / "emails").glob("*_subject.txt")
)
ODD = 'R&D <Mer> l\'Océan "bleu"'
CONTEXT = {
    key: ODD
    for key in (
        "pole_name",
        "organisation",
        "reference",
        "acronym",
        "project",
        "search_title",
        "invoice_number",
        "person",
        "subject",
    )
} | {"year": "2027", "link_validity_days": 3}


def test_the_deposit_receipt_subject_keeps_the_ampersand():
    context = {"pole_name": "Mer & Océan", "reference": "AAP-2027-001", "acronym": "R&D"}
    message = render_email(name="projects_deposit_receipt", context=context, language="fr", to=["x@example.org"])
    assert message.subject == "Mer & Océan : dossier AAP-2027-001 (R&D) déposé"


@pytest.mark.parametrize("name", SUBJECTS)
@pytest.mark.parametrize("language", ["fr", "en"])
def test_no_subject_is_html_escaped(name, language):
    message = render_email(name=name, context=CONTEXT, language=language, to=["x@example.org"])
    assert "&amp;" not in message.subject and "&lt;" not in message.subject and "&#x27;" not in message.subject
    assert ODD in message.subject or "2027" in message.subject
