"""Browser tests: Debian's Chromium driven by Playwright's sync API against pytest-django's
live server.

Playwright's sync API runs an asyncio event loop in the test's thread, which makes Django
refuse ORM calls from that thread ("SynchronousOnlyOperation"); the tests do use the ORM
(fixtures, assertions), so the `browser` fixture switches the check off while Playwright
runs, and only then (tests/conftest.py runs the browser tests last).

Every test here is marked `e2e` (tests/conftest.py). Without Chromium at CHROMIUM (the
environment variable CHROMIUM, /usr/bin/chromium by default), they are all skipped with
one reason in the summary of `pytest -ra`, never silently.
"""

import contextlib
import io
import os
import shutil
import time
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from pole.celery import app as celery_app
from tests.e2e.walking import private_files_in

CHROMIUM = Path(os.environ.get("CHROMIUM") or "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
TIMEOUT_MS = 15_000


@contextlib.contextmanager
def async_unsafe_allowed():
    """Django's async-safety check off, then back to what it was."""
    saved = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        yield
    finally:
        if saved is None:
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = saved


@pytest.fixture(autouse=True)
def portal_url(settings, live_server):
    """E-mailed links (pole.links.absolute_url) lead to the server the browser talks to."""
    settings.PORTAL_URL = live_server.url
    return live_server.url


@pytest.fixture(scope="package")
def browser():
    """Chromium, launched once for the browser tests, with Django's async-safety check
    off while Playwright runs."""
    if not CHROMIUM.exists():
        pytest.skip(f"Chromium not found at {CHROMIUM} (set CHROMIUM=/path/to/chromium): browser tests skipped")
    from playwright.sync_api import sync_playwright

    with async_unsafe_allowed(), sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def locale():
    """The browser's language (sent as Accept-Language); override with
    `@pytest.mark.parametrize("locale", [...])`."""
    return "fr-FR"


@pytest.fixture
def page(browser, live_server, locale):
    """A fresh page in a fresh context (no cookies) per test, pointed at the live server:
    `page.goto("/fr/")` works."""
    context = browser.new_context(base_url=live_server.url, locale=locale, viewport={"width": 1280, "height": 800})
    context.set_default_timeout(TIMEOUT_MS)
    yield context.new_page()
    context.close()


@pytest.fixture
def console_errors(page):
    """The page's console messages of type "error" and its uncaught exceptions, from the
    moment this fixture is requested (a Content-Security-Policy violation and a failed
    asset are both reported as console errors)."""
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(f"uncaught exception: {error}"))
    return errors


@pytest.fixture
def screenshot():
    """Saves a full-page screenshot to test-artifacts/ when E2E_SCREENSHOTS=1, for a human
    to look at; does nothing otherwise."""

    def take(page, name):
        if os.environ.get("E2E_SCREENSHOTS") != "1":
            return None
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


def wait_for(condition, timeout=5.0, interval=0.05):
    """Polls `condition` until it returns something truthy (returned) or `timeout` runs out
    (returns the last falsy value)."""
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result or time.monotonic() >= deadline:
            return result
        time.sleep(interval)


# --- The demo data of the smoke walks ----------------------------------------------------------

# Apps whose rows the walks need (the pole, the members, accounts and their TOTP devices,
# the calls and projects); groups are dumped apart, by name, because flushing the database
# re-creates them.
DUMPED_APPS = ["account", "mfa", "pole", "members", "projects"]


@pytest.fixture(scope="session")
def demo_dump(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo pole, seeded once per test session into the test database, dumped, then
    flushed away. `seed_demo` takes ~15–30 s; each test then loads the dump (~2 s), since
    the live server's transactional tests flush the database after each test.

    django_db_setup makes sure the connection already points at the test database: never
    seed, dump or flush the developer's own."""
    folder = tmp_path_factory.mktemp("demo")
    private = folder / "private"
    name = str(connection.settings_dict["NAME"])
    assert "test" in name or "memory" in name, f"not a test database: {name}"
    celery_app.conf.task_always_eager = True
    with (
        private_files_in(private),
        override_settings(MEDIA_ROOT=folder / "media", PRIVATE_MEDIA_ROOT=private),
        django_db_blocker.unblock(),
    ):
        try:
            call_command("seed_demo", stdout=io.StringIO())
            call_command(
                "dumpdata", "auth.group", natural_foreign=True, natural_primary=True, output=str(folder / "groups.json")
            )
            call_command("dumpdata", *DUMPED_APPS, natural_foreign=True, output=str(folder / "demo.json"))
        finally:
            call_command("flush", interactive=False, verbosity=0)
    # The files of the seed (dues notices, project documents, dossier PDFs) were written
    # into `private`: each test gets a copy.
    return folder


@pytest.fixture
def demo(demo_dump, live_server, tmp_path):
    """The demo data, loaded for this test; yields the folder of its private files."""
    # The private files of the seed, copied so that a test may add or remove some.
    private = tmp_path / "demo-private"
    shutil.copytree(demo_dump / "private", private)
    with private_files_in(private):
        # The dump holds the history rows already: loading many-to-many values must not
        # record new ones (simple_history listens to m2m_changed, even for raw loads).
        with override_settings(SIMPLE_HISTORY_ENABLED=False):
            call_command("loaddata", str(demo_dump / "groups.json"), str(demo_dump / "demo.json"), verbosity=0)
        yield private
