"""Browser tests: Debian's Chromium driven by Playwright's sync API against pytest-django's
live server.

Playwright's sync API runs an asyncio event loop in the test's thread, which makes Django
refuse ORM calls from that thread ("SynchronousOnlyOperation"); the tests do use the ORM
(fixtures, assertions), so the check is switched off for this package only.

Every test here is marked `e2e`. Without Chromium at CHROMIUM, they are all skipped with
a message, never silently.
"""

import os
import time
from pathlib import Path

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

import pytest  # noqa: E402

CHROMIUM = Path("/usr/bin/chromium")
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


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).resolve().parent
    for item in items:
        if here in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(f"Chromium not found at {CHROMIUM}: browser tests skipped")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
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
