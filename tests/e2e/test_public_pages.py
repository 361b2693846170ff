"""The public pages in a real browser: both languages, the language switcher, the
Accept-Language redirect, and no console error (Content-Security-Policy violations
included) on the pages an anonymous visitor reaches first."""

import re

import pytest
from playwright.sync_api import expect

from pole.models import PoleProfile


@pytest.fixture
def profile(transactional_db):
    return PoleProfile.objects.create(
        name="Pôle Végétal Innovation",
        short_name="PVI",
        tagline_fr="L'innovation au service du végétal",
        tagline_en="Innovation for the plant sector",
    )


def header_links(page):
    return [text.strip() for text in page.locator("header nav a.nav-link").all_inner_texts()]


def test_the_home_page_in_french(page, profile, screenshot):
    response = page.goto("/fr/")
    assert response.status == 200
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page).to_have_title("Accueil · PVI")
    expect(page.get_by_role("heading", level=1)).to_have_text("Pôle Végétal Innovation")
    expect(page.locator(".hero .lead")).to_have_text("L'innovation au service du végétal")
    navigation = page.get_by_role("navigation", name="Navigation principale")
    expect(navigation.get_by_role("link", name="Accueil", exact=True)).to_have_attribute("aria-current", "page")
    expect(navigation.get_by_role("link", name="Se connecter", exact=True)).to_have_attribute(
        "href", "/fr/accounts/login/"
    )
    assert header_links(page) == [
        "Accueil",
        "Annuaire des membres",
        "Appels à projets",
        "Projets labellisés",
        "Adhérer au pôle",
        "Se connecter",
        "Créer un compte",
    ]
    expect(page.get_by_role("button", name="français", exact=True)).to_have_attribute("aria-current", "true")
    screenshot(page, "home-fr")


def test_the_home_page_in_english(page, profile, screenshot):
    response = page.goto("/en/")
    assert response.status == 200
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_title("Home · PVI")
    expect(page.get_by_role("heading", level=1)).to_have_text("Pôle Végétal Innovation")
    expect(page.locator(".hero .lead")).to_have_text("Innovation for the plant sector")
    navigation = page.get_by_role("navigation", name="Main navigation")
    expect(navigation.get_by_role("link", name="Home", exact=True)).to_have_attribute("aria-current", "page")
    expect(navigation.get_by_role("link", name="Log in", exact=True)).to_have_attribute("href", "/en/accounts/login/")
    assert header_links(page) == [
        "Home",
        "Members directory",
        "Calls for projects",
        "Labelled projects",
        "Join the pole",
        "Log in",
        "Sign up",
    ]
    expect(page.get_by_role("button", name="English", exact=True)).to_have_attribute("aria-current", "true")
    screenshot(page, "home-en")


def test_the_home_page_without_a_profile_names_a_generic_cluster(page, transactional_db):
    page.goto("/fr/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Pôle de compétitivité")
    page.goto("/en/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Competitiveness cluster")


@pytest.mark.parametrize(
    ("locale", "start", "button", "expected", "lang"),
    [
        ("fr-FR", "/fr/", "English", "/en/", "en"),
        ("en-GB", "/en/", "français", "/fr/", "fr"),
        ("fr-FR", "/fr/accounts/login/", "English", "/en/accounts/login/", "en"),
        # The page's language differs from the browser's: a shared link, say.
        ("fr-FR", "/en/", "français", "/fr/", "fr"),
        ("en-GB", "/fr/", "English", "/en/", "en"),
        ("fr-FR", "/en/accounts/signup/", "français", "/fr/accounts/signup/", "fr"),
    ],
    ids=[
        "fr-browser:fr-to-en",
        "en-browser:en-to-fr",
        "fr-browser:login-fr-to-en",
        "fr-browser:en-to-fr",
        "en-browser:fr-to-en",
        "fr-browser:signup-en-to-fr",
    ],
)
def test_the_language_switcher_lands_on_the_same_page_in_the_other_language(
    page, live_server, transactional_db, locale, start, button, expected, lang
):
    page.goto(start)
    with page.expect_navigation():
        page.locator("header form.language-switcher").get_by_role("button", name=button, exact=True).click()
    assert page.url == live_server.url + expected
    expect(page.locator("html")).to_have_attribute("lang", lang)
    expect(page.get_by_role("button", name=button, exact=True)).to_have_attribute("aria-current", "true")
    # The choice sticks: the bare address now follows the cookie, not the browser's language.
    page.goto("/")
    assert page.url == live_server.url + f"/{lang}/"


@pytest.mark.parametrize(
    ("locale", "expected"),
    [("en-GB", "/en/"), ("en-US", "/en/"), ("fr-FR", "/fr/"), ("de-DE", "/fr/")],
)
def test_the_bare_address_follows_the_browser_language(page, live_server, transactional_db, locale, expected):
    response = page.goto("/")
    assert page.url == live_server.url + expected
    assert response.status == 200
    assert response.request.redirected_from is not None
    assert response.request.redirected_from.url == live_server.url + "/"


@pytest.mark.parametrize("path", ["/fr/", "/en/", "/fr/accounts/login/", "/fr/accounts/signup/", "/fr/legal-notice/"])
def test_no_console_error_on_public_pages(page, console_errors, profile, path):
    """A Content-Security-Policy violation (inline script, style attribute), a missing
    asset or a JavaScript error all show up as console errors."""
    response = page.goto(path)
    assert response.status == 200
    page.wait_for_load_state("networkidle")
    assert console_errors == []


def test_no_console_error_when_opening_the_mobile_menu(browser, live_server, profile, screenshot):
    """Bootstrap's collapse menu, on a phone-sized screen: the script runs and the menu
    opens without breaking the Content-Security-Policy."""
    context = browser.new_context(base_url=live_server.url, locale="fr-FR", viewport={"width": 390, "height": 844})
    try:
        page = context.new_page()
        errors = []
        page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        page.on("pageerror", lambda error: errors.append(f"uncaught exception: {error}"))
        page.goto("/fr/")
        menu = page.locator("#main-menu")
        expect(menu).to_be_hidden()
        page.get_by_role("button", name="Ouvrir le menu").click()
        expect(menu).to_have_class(re.compile(r"\bshow\b"))  # opened, animation over
        expect(menu.get_by_role("link", name="Se connecter", exact=True)).to_be_visible()
        screenshot(page, "home-fr-mobile-menu")
        assert errors == []
    finally:
        context.close()


def test_the_login_page_in_french(page, transactional_db, screenshot):
    page.goto("/fr/accounts/login/")
    expect(page).to_have_title(re.compile(r"^Connexion · "))
    expect(page.get_by_role("heading", level=1)).to_have_text("Connexion")
    expect(page.get_by_label("Courriel")).to_have_attribute("type", "email")
    expect(page.locator("input[name=password]")).to_have_attribute("type", "password")
    expect(page.locator("main form").get_by_role("button", name="Connexion")).to_be_visible()
    expect(page.get_by_role("link", name="Mot de passe oublié ?")).to_have_attribute(
        "href", "/fr/accounts/password/reset/"
    )
    screenshot(page, "login-fr")
