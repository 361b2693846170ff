"""axe-core scans (tests/e2e/accessibility.py) of what the smoke walks of
test_member_pages.py and test_project_pages.py do not open: the public pages outside the
navigation (legal notice, privacy, the application sent, the password reset, unknown
e-mail confirmation and reset links, the page not found), the forms sent back with
errors (login, sign-up, application), the two-factor step of the login, the account
pages (password, two-factor authentication), the staff's dues forms, a contact's form,
the invitations to join an organisation, what opens on demand (the phone menu, the
"My space" menu, the <details> of the dues list), and wide tables on a phone.

The walks scan every page they open already (the navigation, the directory, the member
and staff spaces, every projects page)."""

import re
from datetime import timedelta

import pyotp
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from members.demo import demo_email, totp_secret_of
from members.models import Dues, Invitation, Organisation, Person, User
from projects.models import Project
from tests.e2e.accessibility import RENDERED, AxeReport
from tests.e2e.conftest import TIMEOUT_MS
from tests.e2e.walking import VIEWPORT, log_in

PHONE = {"width": 390, "height": 844}


class Scans:
    """Opens pages and scans them into one report; a page answering another status than
    expected is a problem too."""

    def __init__(self, page, who):
        self.page, self.who, self.report, self.problems = page, who, AxeReport(), []

    def open(self, url, status=200):
        """Open `url` and scan it, unless its templates were scanned already."""
        RENDERED.key()  # forget what rendered before
        response = self.page.goto(url)
        if response.status != status:
            self.problems.append(f"{self.who} {url}: status {response.status}, not {status}")
        self.report.scan(self.page, f"{self.who} {url}")

    def scan(self, label):
        """Scan the page in the state a click put it in (always)."""
        self.report.scan(self.page, f"{self.who} {label}", always=True)

    def result(self):
        return self.problems + self.report.problems()


def new_page(browser, live_server, viewport=VIEWPORT):
    context = browser.new_context(base_url=live_server.url, locale="fr-FR", viewport=viewport)
    context.set_default_timeout(TIMEOUT_MS)
    return context, context.new_page()


def test_public_pages_forms_with_errors_and_menus(browser, live_server, demo):
    problems = []
    context, page = new_page(browser, live_server)
    try:
        scans = Scans(page, "anonymous")
        for url in (
            "/fr/legal-notice/",
            "/fr/privacy/",
            "/fr/members/join/thanks/",
            "/fr/accounts/password/reset/",
            "/fr/accounts/password/reset/done/",
            "/fr/accounts/password/reset/key/1-unknown-key/",
            "/fr/accounts/confirm-email/",
        ):
            scans.open(url)
        scans.open("/fr/accounts/confirm-email/unknown-key/")  # allauth says the link is invalid, with a 200
        scans.open("/fr/no-such-page/", 404)
        scans.open("/en/no-such-page/", 404)

        # Forms sent back with their errors.
        page.goto("/fr/accounts/login/")
        form = page.locator("main form")
        form.get_by_label("Courriel").fill(demo_email("member"))
        form.locator("input[name=password]").fill("not-the-password")
        form.get_by_role("button", name="Connexion").click()
        expect(page.locator("main form .errorlist, main form .alert").first).to_be_visible()
        scans.scan("/fr/accounts/login/ (wrong password)")

        page.goto("/fr/accounts/signup/")
        form = page.locator("main form")
        form.get_by_label("Courriel").fill("nouvelle@exemple.fr")
        form.locator("input[name=password1]").fill(settings.DEMO_PASSWORD)
        form.locator("input[name=password2]").fill(settings.DEMO_PASSWORD + "-typo")
        form.get_by_role("button", name="Création de compte").click()
        expect(page.locator("main form .errorlist").first).to_be_visible()
        scans.scan("/fr/accounts/signup/ (passwords differ)")

        page.goto("/fr/members/join/")
        page.locator("main form [type=submit]").last.click()
        page.wait_for_load_state()
        scans.scan("/fr/members/join/ (sent empty)")

        # The invitations to join an organisation, opened before logging in.
        organisation = Organisation.objects.filter(people__user__email=demo_email("member")).first()
        new_person = Invitation.objects.create(organisation=organisation, email="nouvelle.personne@exemple.fr")
        has_account = Invitation.objects.create(organisation=organisation, email=demo_email("expert"))
        expired = Invitation.objects.create(
            organisation=organisation,
            email="en.retard@exemple.fr",
            created_at=timezone.now() - timedelta(days=15),
        )
        scans.open(f"/fr/members/invitations/{new_person.token}/")
        scans.open(f"/fr/members/invitations/{has_account.token}/")
        scans.open(f"/fr/members/invitations/{expired.token}/", 410)
        scans.open("/fr/members/invitations/unknown-token/", 404)
        problems += scans.result()
    finally:
        context.close()

    # The phone menu, opened.
    context, page = new_page(browser, live_server, PHONE)
    try:
        scans = Scans(page, "anonymous (phone)")
        page.goto("/fr/")
        page.get_by_role("button", name="Ouvrir le menu").click()
        expect(page.locator("#main-menu")).to_have_class(re.compile(r"\bcollapse show\b"))  # animation over
        scans.scan("/fr/ (menu open)")
        scans.open("/fr/members/directory/")
        problems += scans.result()
    finally:
        context.close()

    assert problems == [], f"{len(problems)} problems:\n" + "\n".join(problems)


def test_account_pages_staff_forms_and_invitations(browser, live_server, demo):
    problems = []
    # The staff: the two-factor step of the login, the account pages, the dues forms.
    context, page = new_page(browser, live_server)
    try:
        scans = Scans(page, "staff")
        staff = User.objects.get(email=demo_email("staff"))
        secret = totp_secret_of(staff)
        assert secret, "the demo staff has two-factor authentication"
        page.goto("/fr/accounts/login/")
        form = page.locator("main form")
        form.get_by_label("Courriel").fill(staff.email)
        form.locator("input[name=password]").fill(settings.DEMO_PASSWORD)
        form.get_by_role("button", name="Connexion").click()
        expect(page.locator("main form input[name=code]")).to_be_visible()
        scans.scan("/fr/accounts/2fa/authenticate/")
        page.locator("main form input[name=code]").fill(pyotp.TOTP(secret).now())
        page.locator("main form").get_by_role("button", name="Connexion").click()
        expect(page).to_have_url(f"{live_server.url}/fr/my-space/")

        # The "My space" menu, opened.
        page.get_by_role("navigation", name="Navigation principale").locator("button.dropdown-toggle").first.click()
        expect(page.locator("header .dropdown-menu.show")).to_be_visible()
        scans.scan("/fr/my-space/ (menu open)")

        for url in ("/fr/accounts/password/change/", "/fr/accounts/2fa/", "/fr/accounts/2fa/totp/deactivate/"):
            scans.open(url)
        page.goto("/fr/accounts/2fa/recovery-codes/")
        scans.scan("/fr/accounts/2fa/recovery-codes/")

        year = timezone.localdate().year
        scans.open(f"/fr/members/staff/dues/call/?year={year}")
        scans.open(f"/fr/members/staff/dues/call/?year={year + 1}")
        for status, target in (("invoiced", "paid"), ("invoiced", "waived"), ("overdue", "paid")):
            dues = Dues.objects.filter(status=status).first()
            if dues is not None:
                scans.open(f"/fr/members/staff/dues/{dues.pk}/{target}/")
        # The dues list with every <details> (mark paid, waive…) open.
        page.goto(f"/fr/members/staff/dues/?year={year}")
        page.locator("main details").evaluate_all("all => all.forEach(details => { details.open = true; })")
        scans.scan(f"/fr/members/staff/dues/?year={year} (details open)")
        problems += scans.result()

        # Wide tables on a phone: a table that scrolls sideways is reachable with the
        # keyboard (static/js/portal.js), even without a link inside. (The same login: a
        # second one within 30 s would reuse the TOTP code, which allauth refuses.)
        page.set_viewport_size(PHONE)
        scans = Scans(page, "staff (phone)")
        draft = Project.objects.get(acronym="HYDROLYS")  # the demo member's draft, with a budget
        for url in (
            "/fr/members/staff/dues/",
            f"/fr/members/staff/dues/scale/{year}/",
            "/fr/projects/staff/projects/",
            f"/fr/projects/{draft.pk}/",
        ):
            scans.open(url)
        budget = page.locator('main section[aria-labelledby="budget-title"] > .table-responsive')
        expect(budget).to_have_attribute("tabindex", "0")
        expect(budget).to_have_accessible_name("Budget par partenaire et par catégorie de coûts")
        expect(budget).to_have_role("group")
        problems += scans.result()
    finally:
        context.close()

    # A contact of a member: a colleague's form, invitations to his own and another address.
    context, page = new_page(browser, live_server)
    try:
        scans = Scans(page, "member")
        member = log_in(page, "member")
        person = Person.objects.filter(user=member, is_active=True).select_related("organisation").first()
        organisation = person.organisation
        scans.open(f"/fr/members/my-organisation/{organisation.slug}/contacts/{person.pk}/edit/")
        scans.open("/fr/accounts/password/change/")
        scans.open("/fr/accounts/2fa/")
        scans.open("/fr/accounts/2fa/totp/activate/")
        other = Organisation.objects.exclude(pk=organisation.pk).filter(people__is_active=True).first()
        to_him = Invitation.objects.create(organisation=other, email=member.email)
        to_someone = Invitation.objects.create(organisation=other, email="quelquun@exemple.fr")
        scans.open(f"/fr/members/invitations/{to_him.token}/")
        scans.open(f"/fr/members/invitations/{to_someone.token}/")
        problems += scans.result()
    finally:
        context.close()

    assert problems == [], f"{len(problems)} problems:\n" + "\n".join(problems)
