"""A smoke walk through every page of the projects app with the demo data (three calls, 60
projects in the 17 states, partner searches, follow-up), for every demo role and the
anonymous visitor, in French and in English, with the checks of tests/e2e/walking.py
(status, `<html lang>`, one `<h1>`, no console error, no raw template syntax, no sideways
overflow, no English on French pages).

Each role walks what it may reach: the projects entries of the main navigation, the calls
and one call, the labelled projects and one of them, "my projects", every step of the
submission of the demo member's draft (and, for the demo partner, the same steps as a
partner who does not lead), a deposited project, its versions and their comparison, the
follow-up of a running project and its forms, the partner searches, the invitation pages
of a partner's contact, and for staff the back-office lists and forms and a project in
each state. What a role may not see is checked to answer 403/404 (or the login page for
the anonymous visitor), downloads of a document and of a dossier PDF included.

The roles are walked in two tests (the anonymous visitor and the pole's teams; the
consortium's contacts and staff), each loading the demo data once through the `demo`
fixture of tests/e2e/conftest.py. With
E2E_SCREENSHOTS=1 every page is saved to test-artifacts/smoke-<role>-<page>-<lang>.png."""

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.utils import timezone

from members.demo import demo_email
from projects.models import (
    Call,
    PartnerConfirmation,
    PartnerInvitation,
    PartnerSearch,
    Project,
    ProjectDocument,
    ProjectState,
    ProjectVersion,
)
from projects.services.partner_invitations import PARTNER_INVITATION_VALIDITY
from tests.e2e.conftest import TIMEOUT_MS
from tests.e2e.walking import VIEWPORT, closed_to, first_link, log_in, navigation_paths, walk

P = "/fr/projects/"
PUBLIC_NAVIGATION = [f"{P}calls/", f"{P}labelled/"]
MEMBER_NAVIGATION = [*PUBLIC_NAVIGATION, f"{P}mine/", f"{P}partner-searches/"]
STAFF_NAVIGATION = [*MEMBER_NAVIGATION, f"{P}staff/projects/", f"{P}staff/calls/"]

# Demo projects (projects/demo/catalogue.py): the member leads HYDROLYS (a draft, the partner is in
# it too) and CATALYS (deposited), and is a partner of HYTRUCK (running); the partner is in
# STACKPRO (labelled); RESERV4 (running) was returned once and has two versions; SOECALP
# is deferred; DURAPAC is closed. The member also leads JUMEAUH (returned for information,
# the pole's questions unanswered) and, as his organisation's administrator, has to confirm
# that it takes part in PILOTIS (a draft) [A3]. MEMBRANA is deposited (staff moves it on).
DRAFT, DEPOSITED, RUNNING, LABELLED = "HYDROLYS", "CATALYS", "HYTRUCK", "STACKPRO"
TWO_VERSIONS, DEFERRED, CLOSED = "RESERV4", "SOECALP", "DURAPAC"
RETURNED, AWAITING, TO_MOVE = "JUMEAUH", "PILOTIS", "MEMBRANA"
# The contact of the lead organisation of the deferred project: no demo role leads a
# deferred or refused project, and only its lead's contacts may resubmit it.
LEAD_OF_DEFERRED = "lead-of-deferred"
PDF = "application/pdf"
TEAM_ROLES = ["expert", "committee", "board", "funder"]


def project(acronym):
    return Project.objects.get(acronym=acronym)


def lead_partner(project):
    return project.partners.get(is_lead=True)


def partner_of(project, user):
    return project.partners.get(organisation__people__user=user)


def other_partner(project, user):
    """A partner of `project` that is neither the lead nor `user`'s organisation."""
    partners = project.partners.filter(is_lead=False).order_by("organisation__legal_name")
    if user is not None:
        partners = partners.exclude(organisation__people__user=user)
    return partners.first()


class Checks:
    """The checks made outside the walk (closed pages, downloads); their failures join
    the walk's problems."""

    def __init__(self, page, role):
        self.page, self.role, self.problems, self.downloads = page, role, [], 0

    def closed(self, url, *expected):
        """`url` must answer one of `expected` (default 403 or 404), without a redirect
        followed."""
        expected = expected or (403, 404)
        status = closed_to(self.page, url)
        if status not in expected:
            self.problems.append(f"{self.role} {url}: answers {status}, not one of {expected}")

    def login_required(self, url):
        self.closed(url, "302 /fr/accounts/login/")

    def download(self, url, content_type=PDF, signature=b"%PDF-"):
        response = self.page.request.get(url)
        found = (response.status, response.headers.get("content-type", ""))
        if found[0] != 200 or not found[1].startswith(content_type):
            self.problems.append(f"{self.role} {url}: download answers {found}, not (200, {content_type!r})")
        elif not response.body().startswith(signature):
            self.problems.append(f"{self.role} {url}: the download does not start with {signature!r}")
        elif "attachment" not in response.headers.get("content-disposition", ""):
            self.problems.append(f"{self.role} {url}: the download is not an attachment")
        else:
            self.downloads += 1

    def navigation(self, expected, absent=()):
        paths = navigation_paths(self.page, only=(P,))
        for path in expected:
            if path not in paths:
                self.problems.append(f"{self.role}: {path} missing from the navigation {paths}")
        for path in absent:
            if path in paths:
                self.problems.append(f"{self.role}: {path} in the navigation")
        return paths


def links(page, path, selector):
    page.goto(path)
    return page.locator(selector).evaluate_all("links => links.map(a => a.pathname)")


def public_pages(page, checks):
    """The calls, each call's page, the labelled projects (two pages of the list) and one
    labelled project: what everyone sees."""
    calls = links(page, f"{P}calls/", f"main a[href^='{P}calls/']")
    published = Call.objects.published().count()
    if len(set(calls)) != published:
        checks.problems.append(f"{checks.role}: {len(set(calls))} calls linked from the list, {published} published")
    labelled = Project.objects.labelled_public()
    detail = first_link(page, f"{P}labelled/", "main .card-title a")
    paths = [f"{P}calls/", *calls, f"{P}labelled/", detail]
    if labelled.count() > 20:
        paths.append(f"{P}labelled/?page=2")
    return paths


def team_pages(page, role, checks):
    """A role of the pole's teams (expert, committee, board, funder): the public pages, an
    empty "my projects", the partner searches; no consortium page, no back-office."""
    # No "My projects" in their navigation: they have no organisation [issue 9].
    team_navigation = [*PUBLIC_NAVIGATION, f"{P}partner-searches/"]
    paths = checks.navigation(team_navigation, absent=[f"{P}mine/", *STAFF_NAVIGATION[4:]])
    if role == TEAM_ROLES[0]:
        # The other team roles see the same calls and labelled projects: their pages
        # from the navigation are walked, each call's and project's page only once.
        paths += public_pages(page, checks)
    search = PartnerSearch.objects.filter(is_open=True).order_by("pk").first()
    paths += [f"{P}mine/", f"{P}partner-searches/", f"{P}partner-searches/{search.pk}/"]
    # Only the contacts of member organisations start a project or post a search: the
    # first answers with a page that says so (403), the second with the list and a message.
    paths += [(f"{P}new/", 403), f"{P}partner-searches/new/"]
    draft, running = project(DRAFT), project(RUNNING)
    for url in (
        f"{P}{draft.pk}/",
        f"{P}{draft.pk}/edit/general/",
        f"{P}{draft.pk}/deposit/",
        f"{P}{running.pk}/follow-up/",
        f"{P}{running.pk}/versions/",
        f"{P}staff/projects/",
        f"{P}staff/calls/",
        f"{P}staff/calls/new/",
        f"{P}{project(DEPOSITED).pk}/return/",
    ):
        checks.closed(url)
    checks.closed(f"{P}documents/{draft.documents.first().pk}/")
    checks.closed(f"{P}versions/{running.versions.first().pk}/pdf/")
    return paths


def anonymous_pages(page, checks):
    checks.navigation(PUBLIC_NAVIGATION, absent=STAFF_NAVIGATION[2:])
    paths = public_pages(page, checks)
    draft, running = project(DRAFT), project(RUNNING)
    for url in (
        f"{P}mine/",
        f"{P}new/",
        f"{P}partner-searches/",
        f"{P}{draft.pk}/",
        f"{P}{draft.pk}/edit/general/",
        f"{P}{running.pk}/follow-up/",
        f"{P}staff/projects/",
        f"{P}documents/{draft.documents.first().pk}/",
        f"{P}versions/{running.versions.first().pk}/pdf/",
        confirmation_url()[1],
    ):
        checks.login_required(url)
    # The invitation of a partner's contact, opened before logging in: a new person signs
    # up, someone with an account logs in; a used link answers 410, an unknown one 404.
    partner = other_partner(draft, None)
    new_person = PartnerInvitation.objects.create(partner=partner, email="nouvelle.personne@exemple.fr")
    has_account = PartnerInvitation.objects.create(partner=partner, email=demo_email("expert"))
    used = PartnerInvitation.objects.filter(accepted_at__isnull=False).first()
    expired = PartnerInvitation.objects.create(
        partner=partner,
        email="en.retard@exemple.fr",
        created_at=timezone.now() - PARTNER_INVITATION_VALIDITY - timedelta(days=1),
    )
    paths += [
        f"{P}partner-invitations/{new_person.token}/",
        f"{P}partner-invitations/{has_account.token}/",
        (f"{P}partner-invitations/{used.token}/", 410),
        (f"{P}partner-invitations/{expired.token}/", 410),
        (f"{P}partner-invitations/unknown-token/", 404),
    ]
    return paths


def dossier_steps(project, partners):
    """The steps of the dossier of a draft: the first step (a redirect), general,
    consortium, `partners`' pages, budget, documents, checks."""
    base = f"{P}{project.pk}/edit/"
    return [
        base,
        f"{base}general/",
        f"{base}consortium/",
        *(f"{base}partners/{partner.pk}/" for partner in partners),
        f"{base}budget/",
        f"{base}documents/",
        f"{base}checks/",
    ]


def confirmation_url():
    """The confirmation page of the partner of AWAITING that awaits the demo member, its
    organisation's administrator."""
    partner = project(AWAITING).partners.get(organisation__people__user__email=demo_email("member"))
    return partner, f"{P}partners/{partner.pk}/confirmation/"


def answer_the_return(page, checks):
    """The lead of a returned dossier answers the pole's questions on the project page,
    with a click (projects:project-return-answer)."""
    returned = project(RETURNED)
    answer = "Le plan de charge par lot est en annexe (tableau 4)."
    page.goto(f"{P}{returned.pk}/")
    questions = page.locator("#returns .return-questions").first.inner_text()
    version = ProjectVersion.objects.get(project=returned, number=returned.version - 1)
    if not questions.strip() or questions.strip() != version.return_questions.strip():
        checks.problems.append(f"member: the pole's questions of {RETURNED} are not on its page: {questions!r}")
    page.locator("#returns form textarea[name=answer]").fill(answer)
    page.locator("#returns form button[type=submit]").click()
    page.wait_for_load_state()
    version.refresh_from_db()
    if version.return_answer != answer or answer not in page.locator("#returns .return-answer").first.inner_text():
        checks.problems.append(f"member: his answer to the pole on {RETURNED} is not saved and shown")


def confirm_by_click(page, user, checks):
    """After the walk: the administrator confirms that his organisation takes part in
    AWAITING (projects:partner-confirm, POST); the project opens to him."""
    partner, url = confirmation_url()
    page.goto(url)
    page.locator("form button[value=confirm]").click()
    page.wait_for_load_state()
    partner.refresh_from_db()
    if partner.confirmation != PartnerConfirmation.CONFIRMED or partner.confirmed_by_id != user.pk:
        checks.problems.append(f"member: {AWAITING} not confirmed by the click ({partner.confirmation})")
    if urlsplit(page.url).path != f"{P}{partner.project_id}/":
        checks.problems.append(f"member: the confirmation leads to {page.url}, not the project page")


def move_by_click(page, checks):
    """After the walk: staff moves a deposited project on from its page
    (projects:project-transition, POST)."""
    moved = project(TO_MOVE)
    page.goto(f"{P}{moved.pk}/")
    form = page.locator(f"form.state-move:has(input[name=target][value={ProjectState.ADMISSIBLE}])")
    form.locator("input[name=reason]").fill("Dossier complet.")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    moved.refresh_from_db()
    if moved.state != ProjectState.ADMISSIBLE:
        checks.problems.append(f"staff: {TO_MOVE} is {moved.state} after the move to admissible")


def member_pages(page, user, checks):
    """The demo member: lead of a draft (every step, the invitation form, the deposit page)
    and of a deposited project (its versions and PDF), partner of a running project (its
    follow-up, read only), a partner search of his own; lead of a returned project (he
    answers the pole's questions); administrator of his organisation, named in a draft he
    has to confirm (the page is walked, the project is closed to him until he confirms)."""
    checks.navigation(MEMBER_NAVIGATION, absent=STAFF_NAVIGATION[4:])
    draft, deposited, running = project(DRAFT), project(DEPOSITED), project(RUNNING)
    mine = links(page, f"{P}mine/", "main table a")
    for acronym in (DRAFT, DEPOSITED, RUNNING, RETURNED):
        if f"{P}{project(acronym).pk}/" not in mine:
            checks.problems.append(f"member: {acronym} not in his projects {mine}")
    _partner, confirmation = confirmation_url()
    awaiting = links(page, f"{P}mine/", "main [aria-labelledby=awaiting-title] a")
    if awaiting != [confirmation]:
        checks.problems.append(f"member: the consortia awaiting his confirmation link to {awaiting}")
    checks.closed(f"{P}{project(AWAITING).pk}/", 404)
    answer_the_return(page, checks)
    call = Call.objects.open_at(timezone.now()).first()
    others = other_partner(draft, user)
    paths = [
        f"{P}mine/",
        f"{P}new/",
        f"{P}new/?call={call.code}",
        f"{P}{draft.pk}/",
        *dossier_steps(draft, [lead_partner(draft), others]),
        f"{P}{draft.pk}/edit/consortium/{others.pk}/invite/",
        f"{P}{draft.pk}/deposit/",
        f"{P}{draft.pk}/versions/",
        f"{P}{draft.pk}/versions/compare/",
        f"{P}{deposited.pk}/",
        f"{P}{deposited.pk}/deposit/",
        f"{P}{deposited.pk}/versions/",
        f"{P}{deposited.pk}/versions/compare/",
        f"{P}{running.pk}/",
        f"{P}{running.pk}/follow-up/",
        f"{P}{running.pk}/versions/",
        f"{P}{running.pk}/versions/compare/",
        f"{P}{deposited.pk}/edit/general/",  # deposited: back to the project page, with a message
        f"{P}{project(RETURNED).pk}/",
        confirmation,
    ]
    # The live search of the consortium step (an htmx fragment, no page of its own).
    fragment = page.request.get(f"{P}{draft.pk}/edit/consortium/search/?q=hy", headers={"HX-Request": "true"})
    if fragment.status != 200 or "<html" in fragment.text():
        checks.problems.append(f"member: the organisation search answers {fragment.status}")
    own = PartnerSearch.objects.filter(author=user).first()
    other = PartnerSearch.objects.filter(is_open=True).exclude(author=user).order_by("pk").first()
    paths += [
        f"{P}partner-searches/",
        f"{P}partner-searches/new/",
        f"{P}partner-searches/{own.pk}/",
        f"{P}partner-searches/{other.pk}/",
    ]
    # Downloads: a document of his draft, the dossier of his deposited project.
    checks.download(f"{P}documents/{draft.documents.filter(partner=None).first().pk}/")
    checks.download(f"{P}versions/{deposited.versions.first().pk}/pdf/")
    # Not the lead of the running project: no follow-up form, no dossier PDF.
    checks.closed(f"{P}{running.pk}/follow-up/applications/new/", 403)
    checks.closed(f"{P}{running.pk}/follow-up/milestones/new/", 403)
    checks.closed(f"{P}versions/{running.versions.first().pk}/pdf/", 403)
    # Not staff; not in the labelled project of the partner.
    for url in (f"{P}staff/projects/", f"{P}staff/calls/", f"{P}staff/calls/new/", f"{P}{deposited.pk}/return/"):
        checks.closed(url, 403)
    checks.closed(f"{P}{project(LABELLED).pk}/", 404)
    checks.closed(f"{P}{project(LABELLED).pk}/follow-up/", 404)
    return paths


def partner_pages(page, user, checks):
    """The demo partner: a partner (not the lead) of the member's draft, who reads the
    general steps and fills in his own part; a partner of a labelled project."""
    checks.navigation(MEMBER_NAVIGATION, absent=STAFF_NAVIGATION[4:])
    draft, labelled = project(DRAFT), project(LABELLED)
    own = partner_of(draft, user)
    paths = [
        f"{P}mine/",
        f"{P}{draft.pk}/",
        *dossier_steps(draft, [own]),
        f"{P}{draft.pk}/edit/consortium/{own.pk}/invite/",
        f"{P}{draft.pk}/versions/compare/",
        f"{P}{labelled.pk}/",
        f"{P}{labelled.pk}/follow-up/",
        f"{P}{labelled.pk}/versions/",
        f"{P}{labelled.pk}/versions/compare/",
        f"{P}partner-searches/",
        f"{P}partner-searches/new/",
        f"{P}partner-searches/{PartnerSearch.objects.filter(author=user).first().pk}/",
    ]
    # The deposit and the other partners' parts are the lead's; so are their documents
    # and the whole dossier.
    checks.closed(f"{P}{draft.pk}/deposit/", 403)
    checks.closed(f"{P}{draft.pk}/edit/partners/{lead_partner(draft).pk}/", 403)
    checks.closed(f"{P}{draft.pk}/edit/consortium/search/?q=hy", 403)
    checks.closed(f"{P}{labelled.pk}/follow-up/milestones/new/", 403)
    checks.closed(f"{P}versions/{labelled.versions.first().pk}/pdf/", 403)
    others = ProjectDocument.objects.filter(project=draft, partner__isnull=False).exclude(partner=own)
    checks.closed(f"{P}documents/{others.first().pk}/", 404)
    mine = ProjectDocument.objects.filter(project=draft, partner=own).first()
    if mine is not None:
        checks.download(f"{P}documents/{mine.pk}/")
    checks.closed(f"{P}{project(DEPOSITED).pk}/", 404)
    # Not an administrator of the organisation named in AWAITING: its confirmation is not his.
    checks.closed(confirmation_url()[1], 404)
    # Invitations: one to his own address opens the page to join; one to another address
    # says he is logged in with another account.
    to_him = PartnerInvitation.objects.create(partner=other_partner(draft, user), email=user.email)
    to_someone = PartnerInvitation.objects.create(partner=other_partner(draft, user), email="quelquun@exemple.fr")
    paths += [f"{P}partner-invitations/{to_him.token}/", f"{P}partner-invitations/{to_someone.token}/"]
    return paths


def lead_of_deferred_pages(page, user, checks):
    """The lead of the deferred project: its page and the resubmission to a later call."""
    deferred = project(DEFERRED)
    checks.closed(f"{P}{project(DRAFT).pk}/", 404)
    return [f"{P}mine/", f"{P}{deferred.pk}/", f"{P}{deferred.pk}/resubmit/", f"{P}{deferred.pk}/versions/"]


def staff_pages(page, checks):
    """Staff: the back-office lists (two pages of the projects, a filtered list, the
    exports), the calls and their forms, a project in each state, the steps of a draft
    (read only), the return for information, versions and their comparison, the follow-up
    of running and closed projects with every form."""
    checks.navigation(STAFF_NAVIGATION)
    paths = public_pages(page, checks)
    call = Call.objects.open_at(timezone.now()).first()
    paths += [
        f"{P}mine/",
        f"{P}staff/projects/",
        f"{P}staff/projects/?page=2",
        f"{P}staff/projects/?state={ProjectState.DEPOSITED}",
        f"{P}staff/calls/",
        f"{P}staff/calls/new/",
        f"{P}staff/calls/{call.code}/edit/",
        f"{P}partner-searches/",
    ]
    closed_search = PartnerSearch.objects.filter(is_open=False).first()
    paths.append(f"{P}partner-searches/{closed_search.pk}/")
    checks.download(f"{P}staff/projects/?format=csv", "text/csv", b"\xef\xbb\xbf")
    checks.download(
        f"{P}staff/projects/?format=xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml", b"PK"
    )
    for state in ProjectState.values:
        one = Project.objects.filter(state=state).order_by("acronym").first()
        if one is None:
            checks.problems.append(f"staff: no demo project is {state}")
        else:
            paths.append(f"{P}{one.pk}/")
    draft, deposited, running = project(DRAFT), project(DEPOSITED), project(RUNNING)
    returned = Project.objects.filter(state=ProjectState.RETURNED).order_by("acronym").first()
    two_versions = project(TWO_VERSIONS)
    paths += [
        *dossier_steps(draft, [lead_partner(draft)]),
        f"{P}{deposited.pk}/return/",
        f"{P}{deposited.pk}/versions/",
        f"{P}{two_versions.pk}/versions/",
        f"{P}{two_versions.pk}/versions/compare/",
        f"{P}{two_versions.pk}/versions/compare/?from=1&to=2",
        f"{P}{returned.pk}/versions/",
        f"{P}{returned.pk}/versions/compare/",
        f"{P}{returned.pk}/versions/compare/?from=1&to=current",
        f"{P}{returned.pk}/edit/documents/",
    ]
    for acronym in (RUNNING, LABELLED, CLOSED, TWO_VERSIONS):
        paths.append(f"{P}{project(acronym).pk}/follow-up/")
    base = f"{P}{running.pk}/follow-up/"
    paths += [
        f"{base}applications/new/",
        f"{base}applications/{running.funding_applications.first().pk}/",
        f"{base}milestones/new/",
        f"{base}milestones/{running.milestones.first().pk}/",
        f"{base}reports/new/",
        f"{base}reports/{running.progress_reports.first().pk}/",
        f"{base}outcome/",
        f"{P}{project(CLOSED).pk}/follow-up/outcome/",
    ]
    # Every dossier PDF and document is the staff's to read; the deposit and the
    # resubmission are the lead's.
    checks.download(f"{P}versions/{two_versions.versions.order_by('number').last().pk}/pdf/")
    checks.download(f"{P}documents/{ProjectDocument.objects.filter(project=running).first().pk}/")
    checks.closed(f"{P}{draft.pk}/deposit/", 403)
    checks.closed(f"{P}{project(DEFERRED).pk}/resubmit/", 403)
    return paths


def give_demo_password(user):
    user.set_password(settings.DEMO_PASSWORD)
    user.save(update_fields=["password"])
    EmailAddress.objects.get_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})


# Roles that see the same kind of pages are walked in one test, to load the demo data fewer times.
WALKS = {
    "anonymous-and-teams": ["anonymous", *TEAM_ROLES],
    "consortium-and-staff": ["member", "partner", LEAD_OF_DEFERRED, "staff"],
}


@pytest.mark.parametrize("walk_name", WALKS)
def test_every_projects_page_in_french_and_english(browser, live_server, demo, walk_name, screenshot):
    problems = []
    downloads = 0
    walked = 0
    for role in WALKS[walk_name]:
        context = browser.new_context(base_url=live_server.url, locale="fr-FR", viewport=VIEWPORT)
        context.set_default_timeout(TIMEOUT_MS)
        try:
            page = context.new_page()
            checks = Checks(page, role)
            if role == "anonymous":
                paths = anonymous_pages(page, checks)
            elif role == LEAD_OF_DEFERRED:
                lead = lead_partner(project(DEFERRED)).contact.user
                give_demo_password(lead)
                paths = lead_of_deferred_pages(page, log_in(page, role, email=lead.email), checks)
            else:
                user = log_in(page, role)
                if role == "staff":
                    paths = staff_pages(page, checks)
                elif role == "member":
                    paths = member_pages(page, user, checks)
                elif role == "partner":
                    paths = partner_pages(page, user, checks)
                else:
                    paths = team_pages(page, role, checks)
            walked += len(dict.fromkeys(paths))
            problems += walk(page, role, paths, screenshot)
            if role == "member":
                confirm_by_click(page, user, checks)
            elif role == "staff":
                move_by_click(page, checks)
            problems += checks.problems
            downloads += checks.downloads
        finally:
            context.close()
    assert problems == [], f"{len(problems)} problems:\n" + "\n".join(problems)
    assert walked > 0
    if walk_name == "consortium-and-staff":
        assert downloads >= 6  # the member's document and dossier, the staff's exports, dossier and document


# Every URL of the projects app, and how the walk above covers it.
COVERAGE = {
    "calls": "walked", "call-detail": "walked", "staff-calls": "walked", "staff-call-create": "walked",
    "staff-call-edit": "walked", "my-projects": "walked", "staff-projects": "walked (and its exports downloaded)",
    "labelled": "walked", "labelled-detail": "walked", "project-detail": "walked",
    "project-create": "walked", "project-edit": "walked (a redirect)", "project-edit-general": "walked",
    "project-edit-consortium": "walked", "project-consortium-search": "fetched (an htmx fragment)",
    "project-consortium-add": "POST only", "project-consortium-create-organisation": "POST only",
    "project-consortium-remove": "POST only", "project-consortium-lead": "POST only",
    "project-consortium-invite": "walked", "project-edit-partner": "walked", "project-edit-budget": "walked",
    "project-edit-documents": "walked", "project-document-remove": "POST only", "project-edit-checks": "walked",
    "project-document": "downloaded", "partner-invitation-accept": "walked",
    "project-deposit": "walked", "project-versions": "walked", "project-versions-compare": "walked",
    "project-version-pdf": "downloaded", "project-return": "walked",
    "project-followup": "walked", "project-funding-application-create": "walked",
    "project-funding-application-edit": "walked", "project-milestone-create": "walked",
    "project-milestone-edit": "walked", "project-progress-report-create": "walked",
    "project-progress-report-edit": "walked", "project-outcome-edit": "walked",
    "project-followup-delete": "POST only", "project-resubmit": "walked",
    "partner-searches": "walked", "partner-search-create": "walked", "partner-search-detail": "walked",
    "partner-search-close": "POST only",
    "partner-confirm": "walked (as the administrator who must confirm), then confirmed with a click",
    "project-transition": "POST only (a staff move, clicked on the project page)",
    "project-return-answer": "POST only (the lead's answer, clicked on the project page)",
}  # fmt: skip


def test_every_url_of_the_projects_app_is_covered():
    """The walk names its pages by hand: a URL added to the app must be added here, and
    walked."""
    from projects.urls import urlpatterns

    assert sorted(pattern.name for pattern in urlpatterns) == sorted(COVERAGE)
