"""The public pages in both languages, read through the test client (no browser needed:
nothing here runs a script): `<html lang>`, titles, the one `<h1>`, the main navigation,
the language switcher's current language, the Accept-Language redirect of the bare
address. What needs a browser (the switcher's click, console errors, the phone menu)
stays in tests/e2e/test_public_pages.py."""

import pytest

from pole.models import PoleProfile
from tests.markup import parse

pytestmark = pytest.mark.django_db


@pytest.fixture
def profile():
    return PoleProfile.objects.create(
        name="Pôle Végétal Innovation",
        short_name="PVI",
        tagline_fr="L'innovation au service du végétal",
        tagline_en="Innovation for the plant sector",
    )


def header_links(document):
    navigation = document.find("header").find("nav")
    return [link.text() for link in navigation.find_all("a", cls="nav-link")]


def main_navigation(document, name):
    return document.find("nav", aria_label=name)


@pytest.mark.parametrize(
    ("path", "lang", "title", "lead", "navigation", "home", "log_in", "links", "language"),
    [
        (
            "/fr/",
            "fr",
            "Accueil · PVI",
            "L'innovation au service du végétal",
            "Navigation principale",
            "Accueil",
            ("Se connecter", "/fr/accounts/login/"),
            [
                "Accueil",
                "Annuaire des membres",
                "Appels à projets",
                "Projets labellisés",
                "Adhérer au pôle",
                "Se connecter",
                "Créer un compte",
            ],
            "français",
        ),
        (
            "/en/",
            "en",
            "Home · PVI",
            "Innovation for the plant sector",
            "Main navigation",
            "Home",
            ("Log in", "/en/accounts/login/"),
            [
                "Home",
                "Members directory",
                "Calls for projects",
                "Labelled projects",
                "Join the pole",
                "Log in",
                "Sign up",
            ],
            "English",
        ),
    ],
    ids=["fr", "en"],
)
def test_the_home_page(client, profile, path, lang, title, lead, navigation, home, log_in, links, language):
    response = client.get(path)
    assert response.status_code == 200
    document = parse(response)
    assert document.find("html").attrs["lang"] == lang
    assert document.find("title").text() == title
    assert [h1.text() for h1 in document.find_all("h1")] == ["Pôle Végétal Innovation"]
    assert document.find("p", cls="lead").text() == lead
    current = main_navigation(document, navigation).find_all("a", aria_current="page")
    assert [link.text() for link in current] == [home]
    assert [link.attrs["href"] for link in document.find("header").find_all("a") if link.text() == log_in[0]] == [
        log_in[1]
    ]
    assert header_links(document) == links
    switcher = document.find("form", cls="language-switcher")
    current = switcher.find_all("button", aria_current="true")
    # The button's accessible name: its code is aria-hidden.
    assert [button.find("span", cls="visually-hidden").text() for button in current] == [language]


def test_the_home_page_without_a_profile_names_a_generic_cluster(client):
    assert [h1.text() for h1 in parse(client.get("/fr/")).find_all("h1")] == ["Pôle de compétitivité"]
    assert [h1.text() for h1 in parse(client.get("/en/")).find_all("h1")] == ["Competitiveness cluster"]


@pytest.mark.parametrize(
    ("accept_language", "expected"),
    [("en-GB", "/en/"), ("en-US", "/en/"), ("fr-FR", "/fr/"), ("de-DE", "/fr/")],
)
def test_the_bare_address_follows_the_browser_language(client, accept_language, expected):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE=accept_language, follow=True)
    assert response.status_code == 200
    assert [url for url, _status in response.redirect_chain] == [expected]


def test_the_login_page_in_french(client):
    document = parse(client.get("/fr/accounts/login/"))
    assert document.find("title").text().startswith("Connexion · ")
    assert [h1.text() for h1 in document.find_all("h1")] == ["Connexion"]
    form = document.find("main").find("form")
    assert form.find("input", name="login").attrs["type"] == "email"
    assert form.find("input", name="password").attrs["type"] == "password"
    assert "Connexion" in [button.text() for button in form.find_all("button")]
    reset = [link for link in document.find_all("a") if link.text() == "Mot de passe oublié ?"]
    assert [link.attrs["href"] for link in reset] == ["/fr/accounts/password/reset/"]
