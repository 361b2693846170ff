"""What the smoke walks of the pages (test_member_pages.py, test_project_pages.py) share:
logging in as a demo role, collecting paths, and opening every path in French and English
with the same checks. The demo data they walk is loaded by the `demo` fixture of
tests/e2e/conftest.py.

Every page must answer the expected status (200 unless told), declare the right
`<html lang>`, hold exactly one `<h1>`, show no raw template syntax; the French version,
opened in Chromium, must also log no console error (a Content-Security-Policy violation is
one), not overflow sideways and show none of a few English labels, and is scanned with
axe-core (tests/e2e/accessibility.py: WCAG 2.x A and AA and best practices, violations
of impact moderate and above, each reported once for all the pages where it shows, each
set of templates scanned once). The English version has the same markup and scripts: it
is fetched with Django's test client in the browser's session (no rendering, no script)
and its HTML checked (`html_problems`)."""

import contextlib
import html
import re
import time
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pyotp
from django.apps import apps
from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.test import Client
from playwright.sync_api import expect

from members.demo import demo_email, totp_secret_of
from members.models import User
from pole.storage import private_storage
from tests.e2e.accessibility import RENDERED, AxeReport

# English words and labels that must never show on a French page (outside an element
# marked lang="en", such as the English description of an organisation).
ENGLISH = re.compile(
    r"\b(the|and|with|your|Home|Members directory|My space|My organisation|Applications|Dues|Log out|Log in|"
    r"Sign up|Search|Show|Edit|Save|Cancel|Overview|Year|Amount|Paid|Invoiced|Overdue|Waived|Status|Kind|Size|"
    r"Company|Previous|Next|Back|Welcome|required|None)\b(?!-)"  # "Back-office" is French too
)

# Template syntax or Python values that leaked into the page ("None available" is the
# English Django admin's empty list of recent actions; "None: this state is final." the
# English project page's list of the moves left to a project in a final state).
RAW = re.compile(
    r"\{\{|\}\}|\{%|%\}|%\(\w+\)[sd]|\bNone\b(?! available|: this state is final\.)|\bnan\b|\[object Object\]"
)

VIEWPORT = {"width": 1280, "height": 800}


@contextlib.contextmanager
def private_files_in(location):
    """Point every model FileField stored in the private storage at `location`.

    tests/conftest.py overrides settings.STORAGES["private"], but a FileField evaluates its
    storage callable (pole.storage.private_storage) once, at import: without this, the
    uploaded documents would land in the project's private-media/ folder."""
    storage = FileSystemStorage(location=location, base_url=None)
    fields = [
        field
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.FileField) and getattr(field, "_storage_callable", None) is private_storage
    ]
    saved = [(field, field.storage) for field in fields]
    for field in fields:
        field.storage = storage
    try:
        yield storage
    finally:
        for field, original in saved:
            field.storage = original


def log_in(page, role, *, email=None):
    """Log in through the real pages (password, then TOTP when enrolled) as the demo
    account of `role`, or as the account of `email` (whose password is the demo one)."""
    user = User.objects.get(email=email or demo_email(role))
    page.goto("/fr/accounts/login/")
    form = page.locator("main form")
    form.get_by_label("Courriel").fill(user.email)
    form.locator("input[name=password]").fill(settings.DEMO_PASSWORD)
    form.get_by_role("button", name="Connexion").click()
    secret = totp_secret_of(user)
    if secret:
        page.locator("main form input[name=code]").fill(pyotp.TOTP(secret).now())
        with page.expect_navigation():  # to the member space, or back to the form
            page.locator("main form").get_by_role("button", name="Connexion").click()
        if urlsplit(page.url).path.endswith("/accounts/2fa/authenticate/"):
            # The code was refused (seen once in a long run, never reproduced; allauth
            # refuses a code used twice): try once more, without waiting, with the code of
            # the next 30-second step, which MFA_TOTP_TOLERANCE = 1 accepts.
            page.locator("main form input[name=code]").fill(pyotp.TOTP(secret).at(time.time() + 30))
            page.locator("main form").get_by_role("button", name="Connexion").click()
    expect(page).to_have_url(re.compile(r"/fr/my-space/$"))
    return user


def navigation_paths(page, *, only=("/fr/",), exclude=()):
    """The French paths of the main navigation (starting with one of `only` and none of
    `exclude`)."""
    page.goto("/fr/")
    hrefs = page.locator("header nav ul.navbar-nav a.nav-link, header nav ul.navbar-nav a.dropdown-item").evaluate_all(
        "links => links.map(a => a.pathname)"
    )
    only, exclude = tuple(only), tuple(exclude)
    return [href for href in hrefs if href.startswith(only) and not (exclude and href.startswith(exclude))]


def first_link(page, path, selector):
    page.goto(path)
    return page.locator(selector).first.evaluate("a => a.pathname")


# What the walk reads of a page, in one round trip: the <html lang>, the number of <h1>,
# the visible text, how much wider than the page the content is, and the text outside
# elements marked with another language than French (hidden text included: screen
# readers read it).
READ_PAGE = """() => {
    const main = document.querySelector('main');
    const body = document.body.cloneNode(true);
    body.querySelectorAll('script, style, [lang]:not([lang^="fr"])').forEach(node => node.remove());
    return {
        lang: document.documentElement.getAttribute('lang'),
        h1: document.querySelectorAll('h1').length,
        text: document.body.innerText,
        overflow: (main || document.body).scrollWidth - (main || document.body).clientWidth,
        frenchText: body.textContent,
    };
}"""


def english_in(text):
    """The English words of ENGLISH in `text`, with some context."""
    text = " ".join(text.split())
    return sorted(
        {f"{m.group(0)!r} in …{text[max(m.start() - 30, 0) : m.end() + 30]}…" for m in ENGLISH.finditer(text)}
    )


def english_outside_lang_en(page):
    """The English words of ENGLISH on the page, outside elements marked with another
    language than French."""
    return english_in(page.evaluate(READ_PAGE)["frenchText"])


def page_slug(path):
    return re.sub(r"[^a-z0-9]+", "-", path.removeprefix("/fr/").lower()).strip("-") or "home"


def closed_to(page, url):
    """The status `url` answers, without following a redirect (403/404 for a page the
    user may not see; 302 to the login page for an anonymous visitor)."""
    response = page.request.get(url, max_redirects=0)
    if response.status == 302:
        location = urlsplit(response.headers["location"]).path
        return f"302 {location}"
    return response.status


class PageText(HTMLParser):
    """What a browser would show of an HTML page, read without one: the `<html lang>`, the
    number of `<h1>` and the text outside <script>, <style> and <template>."""

    HIDDEN = {"script", "style", "template"}

    def __init__(self, markup):
        super().__init__(convert_charrefs=True)
        self.lang, self.h1, self.parts, self.hidden = None, 0, [], 0
        self.feed(markup)
        self.close()

    def handle_starttag(self, tag, attrs):
        if tag == "html":
            self.lang = dict(attrs).get("lang")
        elif tag == "h1":
            self.h1 += 1
        elif tag in self.HIDDEN:
            self.hidden += 1

    def handle_endtag(self, tag):
        if tag in self.HIDDEN:
            self.hidden = max(self.hidden - 1, 0)

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)

    @property
    def text(self):
        return html.unescape(" ".join(self.parts))


def browser_client(page):
    """Django's test client in the session of `page`'s browser (same account)."""
    client = Client()
    for cookie in page.context.cookies():
        if cookie["name"] == settings.SESSION_COOKIE_NAME:
            client.cookies[settings.SESSION_COOKIE_NAME] = cookie["value"]
    return client


def html_problems(client, url, expected, language, where):
    """The checks of the walk that need no browser, on the page `client` gets at `url`."""
    response = client.get(url, follow=True)
    if response.status_code != expected:
        return [f"{where}: status {response.status_code}, not {expected}"]
    problems = []
    if response.redirect_chain and "/accounts/login/" in response.redirect_chain[-1][0] and "/login/" not in url:
        problems.append(f"{where}: redirected to {response.redirect_chain[-1][0]}")
    seen = PageText(response.content.decode())
    if seen.lang != language:
        problems.append(f"{where}: <html lang={seen.lang!r}>")
    if seen.h1 != 1:
        problems.append(f"{where}: {seen.h1} <h1> elements")
    if raw := sorted(set(RAW.findall(seen.text))):
        problems.append(f"{where}: raw template syntax or value {raw}")
    return problems


def walk(page, role, paths, screenshot):
    """Open every path in French (Chromium) then English (the test client); return the
    problems found. A path is a French path ("/fr/...") or (path, expected status) for a
    page that answers with an error page on purpose (403, 404, 410). The French version of
    each page is scanned with axe (the English one has the same markup)."""
    problems = []
    errors = []
    accessibility = AxeReport()
    client = browser_client(page)

    def on_console(message):
        # Chromium asks for /favicon.ico on pages without <link rel=icon> (the Django admin),
        # whenever it likes: a 404 there is reported once, outside this walk. A page that
        # answers with an error status on purpose logs the failed load of itself.
        url = message.location.get("url", "")
        if message.type != "error" or url.endswith("/favicon.ico"):
            return
        if expected != 200 and message.text.startswith("Failed to load resource") and urlsplit(url).path == current:
            return
        errors.append(f"{message.text} ({url})")

    page.on("console", on_console)
    page.on("pageerror", lambda error: errors.append(f"uncaught exception: {error}"))
    expected, current = 200, ""
    entries = dict.fromkeys(path if isinstance(path, tuple) else (path, 200) for path in paths)
    for path, expected in entries:
        url = path
        current = urlsplit(url).path
        errors.clear()
        RENDERED.key()  # forget what rendered before
        response = page.goto(url)
        where = f"{role} {url}"
        if response.status != expected:
            problems.append(f"{where}: status {response.status}, not {expected}")
            continue
        if urlsplit(page.url).path.endswith("/accounts/login/") and "/accounts/login/" not in url:
            problems.append(f"{where}: redirected to {page.url}")
        seen = page.evaluate(READ_PAGE)
        if seen["lang"] != "fr":
            problems.append(f"{where}: <html lang={seen['lang']!r}>")
        if seen["h1"] != 1:
            problems.append(f"{where}: {seen['h1']} <h1> elements")
        if raw := sorted(set(RAW.findall(seen["text"]))):
            problems.append(f"{where}: raw template syntax or value {raw}")
        if seen["overflow"] > 1:
            problems.append(f"{where}: the content is {seen['overflow']}px wider than the page")
        if english := english_in(seen["frenchText"]):
            problems.append(f"{where}: English on a French page: {english}")
        if errors:
            problems.append(f"{where}: console errors {errors}")
        accessibility.scan(page, where)
        screenshot(page, f"smoke-{role}-{page_slug(path)}-fr")
        english = "/en/" + path.removeprefix("/fr/")
        problems += html_problems(client, english, expected, "en", f"{role} {english}")
    return problems + accessibility.problems()
