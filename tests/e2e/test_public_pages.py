"""The public pages in a real browser: the language switcher, and no console error
(Content-Security-Policy violations included) on the pages an anonymous visitor reaches
first, the phone menu opened. What needs no script (both languages of the home page, the
login page, the Accept-Language redirect) is read through the test client in
tests/pole/test_public_pages.py."""

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
