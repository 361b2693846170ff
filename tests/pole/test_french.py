"""French elision after "de" in sentences built around a name [issue 9]."""

import pytest
from django.template import Context, Template
from django.utils import translation

from pole.french import de, elide_de


@pytest.mark.parametrize(
    "name, expected",
    [
        ("Électrolyse", "d'Électrolyse"),
        ("Èze Énergie", "d'Èze Énergie"),
        ("Âme Solaire", "d'Âme Solaire"),
        ("Île Verte", "d'Île Verte"),
        ("Ôde", "d'Ôde"),
        ("Ultrasons SA", "d'Ultrasons SA"),
        ("Yvelines Industrie", "d'Yvelines Industrie"),
        ("Hydrogène", "d'Hydrogène"),
        ("hélios", "d'hélios"),
        ("Acme", "d'Acme"),
        ("œuvre", "d'œuvre"),
        ("Bretagne Mer", "de Bretagne Mer"),
        ("La Poste", "de La Poste"),
        ("L'Oréal", "de L'Oréal"),
        ("Le Mans Innovation", "du Mans Innovation"),
        ("Les Échos", "des Échos"),
    ],
)
def test_de_elides_before_a_vowel_or_a_mute_h(name, expected):
    assert de(name) == expected


def test_a_french_sentence_is_elided_an_english_one_left_alone():
    with translation.override("fr"):
        assert elide_de("Candidature de Hydrogène", "Hydrogène") == "Candidature d'Hydrogène"
        assert elide_de("De Électrolyse à Lyon", "Électrolyse") == "D'Électrolyse à Lyon"
        assert elide_de("Partie de Bretagne Mer", "Bretagne Mer") == "Partie de Bretagne Mer"
    with translation.override("en"):
        assert elide_de("Application of Hydrogène", "Hydrogène") == "Application of Hydrogène"


@pytest.mark.parametrize(
    "language, expected",
    [("fr", "Partie d'Électrolyse &amp; Cie"), ("en", "Part of Électrolyse &amp; Cie")],
)
def test_the_template_filter_elides_translated_escaped_sentences(language, expected):
    source = (
        "{% load i18n french %}{% blocktranslate trimmed with name=name asvar heading %}Part of {{ name }}"
        "{% endblocktranslate %}{% elide_de heading name %}"
    )
    with translation.override(language):
        assert Template(source).render(Context({"name": "Électrolyse & Cie"})) == expected


@pytest.mark.django_db
@pytest.mark.parametrize(
    "language, expected", [("fr", "Candidature d'Hydrogène Vert"), ("en", "Application of Hydrogène Vert")]
)
def test_the_staff_application_page_elides_its_title(client, staff_user, totp_secret, language, expected):
    from django.urls import reverse

    from members.models import Membership
    from tests.conftest import login
    from tests.factories import MembershipFactory

    membership = MembershipFactory(state=Membership.State.APPLIED, organisation__legal_name="Hydrogène Vert")
    login(client, staff_user, totp_secret)
    with translation.override(language):
        html = client.get(reverse("members:staff-application", kwargs={"pk": membership.pk})).content.decode()
    assert f'<h1 class="h3">{expected}</h1>' in html


@pytest.mark.parametrize(
    "language, text, html",
    [
        (
            "fr",
            "la candidature d'Énergie & Océan pour adhérer",
            "la candidature d'Énergie &amp; Océan pour adhérer",
        ),
        ("en", "the application of Énergie & Océan to join", "the application of Énergie &amp; Océan to join"),
    ],
)
def test_e_mails_elide_the_organisation_name(language, text, html):
    from pole.emails import render_email

    context = {"organisation": "Énergie & Océan", "pole_name": "Pôle Mer", "first_name": "Zoé"}
    message = render_email(name="members_application_received", context=context, language=language, to=["x@y.fr"])
    assert text in " ".join(message.body.split())
    assert html in " ".join(message.alternatives[0][0].split())
