"""The submission journey of the projects issue in a real browser: a member starts a project
in an open call, builds a consortium of two companies (his own as lead, a second one created
on the fly), fills in his own budget and invites the second partner's contact by e-mail; the
checklist fails (one partner holds the whole budget, a required document is missing) and the
deposit is blocked. The invitee creates his account from the e-mailed link and fills in only
his own budget, without seeing the lead's. The lead adds the missing document, the checklist
passes, he deposits; the reference shows, both partners get a receipt, and the dossier PDF
downloaded from the versions page names the project and both partners."""

import io
import re
from decimal import Decimal

import pypdf
import pytest
from django.core import mail
from playwright.sync_api import expect

from members.models import OrganisationKind, Person
from projects.models import BudgetLine, Partner, PartnerContact, Project, ProjectState, ProjectVersion, RequestedAid
from tests.conftest import PASSWORD, make_user
from tests.e2e.conftest import TIMEOUT_MS, wait_for
from tests.e2e.test_membership_journey import minimal_pdf
from tests.e2e.walking import private_files_in
from tests.factories import CallFactory, MembershipFactory, OrganisationFactory, PersonFactory

LEAD_EMAIL = "alice.martin@h2alpes.example"
LEAD_NAME = "Hydrogène Alpes SAS"
PARTNER_NAME = "Piles Hélios SAS"
PARTNER_SIRET = "732 829 320 00074"
INVITEE_EMAIL = "nina.petit@helios.example"
INVITEE_PASSWORD = "Électrolyse-haute-température-2026!"
ACRONYM = "HYSTOR"
TITLE = "Stockage d'hydrogène solide pour les poids lourds"


@pytest.fixture
def private_files(tmp_path):
    with private_files_in(tmp_path / "private-files") as storage:
        yield storage


def messages_to(address):
    return [message for message in mail.outbox if message.to == [address]]


def watch_console(page, errors):
    page.on(
        "console", lambda message: errors.append(f"{page.url}: {message.text}") if message.type == "error" else None
    )
    page.on("pageerror", lambda error: errors.append(f"{page.url}: uncaught exception: {error}"))


def log_in(page, email, password):
    page.goto("/fr/accounts/login/")
    form = page.locator("main form")
    form.get_by_label("Courriel").fill(email)
    form.locator("input[name=password]").fill(password)
    form.get_by_role("button", name="Connexion").click()
    expect(page).to_have_url(re.compile(r"/fr/my-space/$"))


def steps(page):
    return page.get_by_role("navigation", name="Étapes du dossier")


def expect_success(page, text):
    expect(page.locator("main .alert-success", has_text=text)).to_have_count(1)


def check(page, code):
    return page.locator(f"#checks li[data-code='{code}']")


def fill_budget(page, amounts, aid):
    """On a partner's page: the budget grid (label → amount) and the first row of
    requested aid (its funding scheme is pre-selected to the call's)."""
    grid = page.get_by_role("table", name=re.compile("^Budget (de |d')"))
    for label, amount in amounts.items():
        grid.get_by_label(label, exact=True).fill(amount)
    expect(page.get_by_label("Dispositif de financement 1", exact=True)).to_have_value(str(aid["scheme"]))
    page.get_by_label("Aide demandée (€) 1", exact=True).fill(aid["amount"])


def test_a_member_builds_a_consortium_invites_a_partner_passes_the_checks_deposits_and_downloads_the_pdf(
    browser, page, live_server, django_user_model, console_errors, private_files, tmp_path, screenshot
):
    call = CallFactory(
        min_companies=2,
        min_research_or_training=0,
        max_partner_share=Decimal("70"),
        required_document_kinds=["technical_annex"],
    )
    lead_organisation = OrganisationFactory(legal_name=LEAD_NAME, kind=OrganisationKind.COMPANY)
    MembershipFactory(organisation=lead_organisation)
    lead_user = make_user(django_user_model, LEAD_EMAIL, first_name="Alice", last_name="Martin")
    PersonFactory(
        organisation=lead_organisation, user=lead_user, email=LEAD_EMAIL, first_name="Alice", last_name="Martin"
    )

    # --- 1. The lead starts the project in the call -------------------------------------
    log_in(page, LEAD_EMAIL, PASSWORD)
    page.goto(f"/fr/projects/calls/{call.code}/")
    page.get_by_role("link", name="Démarrer un projet dans cet appel").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nouveau projet")
    form = page.locator("main form")
    expect(form.get_by_label("Appel à projets")).to_have_value(str(call.pk))
    expect(form.get_by_label("Chef de file")).to_have_value(str(lead_organisation.pk))
    form.get_by_label("Type de projet").select_option("rd")
    form.get_by_label("Sigle").fill(ACRONYM)
    form.get_by_label("Titre (français)").fill(TITLE)
    form.get_by_role("button", name="Créer le brouillon").click()

    expect(page).to_have_url(re.compile(r"/fr/projects/\d+/edit/general/$"))
    project = Project.objects.get()
    base = f"{live_server.url}/fr/projects/{project.pk}/edit"
    expect(page).to_have_url(f"{base}/general/")
    expect_success(page, f"Le brouillon de {ACRONYM} a été créé.")
    expect(page.get_by_role("heading", level=1)).to_have_text(ACRONYM)
    form = page.locator("main form")
    form.get_by_label("Résumé public (français)").fill("Des réservoirs à hydrures métalliques pour camions.")
    form.get_by_label("Description confidentielle").fill("Procédé breveté d'hydruration à basse pression.")
    form.get_by_role("button", name="Enregistrer et continuer").click()

    # --- 2. The consortium: a second company created on the fly -------------------------
    expect(page).to_have_url(f"{base}/consortium/")
    expect_success(page, "Les informations générales ont été enregistrées.")
    new_organisation = page.get_by_role("region", name="Ajouter une organisation absente du portail")
    new_organisation.get_by_label("Raison sociale").fill(PARTNER_NAME)
    new_organisation.get_by_label("Type").select_option("company")
    new_organisation.get_by_label("SIRET").fill(PARTNER_SIRET)
    new_organisation.get_by_label("Département").select_option("38")
    new_organisation.get_by_role("button", name="Créer et ajouter au consortium").click()
    expect_success(page, f"{PARTNER_NAME} a été créée et a rejoint le consortium.")
    partners = page.get_by_role("table", name="Partenaires du projet")
    expect(partners.locator("tbody tr")).to_have_count(2)
    lead = Partner.objects.get(project=project, is_lead=True)
    second = Partner.objects.get(project=project, is_lead=False)
    assert (lead.organisation, second.organisation.legal_name, second.organisation.siret) == (
        lead_organisation,
        PARTNER_NAME,
        "73282932000074",
    )

    # --- 3. The lead fills in his own budget and requested aid --------------------------
    partners.get_by_role("link", name=f"Remplir sa partie ({lead_organisation.display_name})").click()
    expect(page).to_have_url(f"{base}/partners/{lead.pk}/")
    fill_budget(
        page, {"Personnel": "180 000", "Équipement": "60 000,50"}, {"scheme": call.funding_scheme_id, "amount": "96000"}
    )
    page.get_by_label("Rôle dans le projet").fill("Coordinateur, intégration du réservoir")
    page.locator("main form").get_by_role("button", name="Enregistrer", exact=True).click()
    expect_success(page, f"La partie d'{lead_organisation.display_name} a été enregistrée.")
    assert sorted(BudgetLine.objects.filter(partner=lead).values_list("category", "amount")) == [
        ("equipment", Decimal("60000.50")),
        ("personnel", Decimal("180000.00")),
    ]
    assert RequestedAid.objects.get(partner=lead).amount == Decimal("96000")

    # --- 4. ... and invites the second partner's contact ---------------------------------
    steps(page).get_by_role("link", name="Consortium").click()
    page.get_by_role("table", name="Partenaires du projet").get_by_role(
        "link", name=f"Inviter un contact ({second.organisation.display_name})"
    ).click()
    expect(page).to_have_url(f"{base}/consortium/{second.pk}/invite/")
    form = page.locator("main form")
    form.get_by_label("Adresse e-mail").fill(INVITEE_EMAIL)
    form.get_by_label("Prénom").fill("Nina")
    form.get_by_label("Nom", exact=True).fill("Petit")
    form.get_by_role("button", name="Envoyer l'invitation").click()
    expect(page).to_have_url(f"{base}/consortium/")
    expect_success(page, f"Une invitation a été envoyée à {INVITEE_EMAIL}.")
    expect(page.get_by_role("table", name="Partenaires du projet")).to_contain_text(INVITEE_EMAIL)
    invitations = wait_for(lambda: messages_to(INVITEE_EMAIL))
    assert len(invitations) == 1, [(m.to, m.subject) for m in mail.outbox]
    match = re.search(r"https?://[^/\s]+(/fr/projects/partner-invitations/[0-9a-f]{64}/)", invitations[0].body)
    assert match, invitations[0].body
    invitation_path = match.group(1)

    # --- 5. The checklist fails, with its figures; the deposit is blocked --------------
    steps(page).get_by_role("link", name="Vérifications").click()
    expect(page).to_have_url(f"{base}/checks/")
    expect(page.get_by_role("heading", level=2)).to_have_text("Contrôles d'éligibilité")
    expect(check(page, "consortium.companies")).to_have_class(re.compile("checklist-pass"))
    share = check(page, "budget.max_partner_share")
    expect(share).to_have_class(re.compile("checklist-failure"))
    expect(share).to_contain_text("Non conforme")
    expect(share).to_contain_text(lead_organisation.display_name)
    expect(share).to_contain_text(re.compile(r"100,00\s?%"))
    expect(share).to_contain_text(re.compile(r"70,00\s?%"))
    annex = check(page, "documents.technical_annex")
    expect(annex).to_have_class(re.compile("checklist-failure"))
    expect(annex).to_contain_text("Annexe technique")
    screenshot(page, "submission-checks-failing-fr")
    page.get_by_role("link", name="Passer au dépôt").click()
    expect(page).to_have_url(f"{live_server.url}/fr/projects/{project.pk}/deposit/")
    expect(page.locator("main .alert-danger")).to_contain_text("ne peut pas être déposé")
    expect(page.get_by_role("button", name="Déposer le dossier")).to_have_count(0)
    project.refresh_from_db()
    assert project.state == ProjectState.DRAFT
    page.get_by_role("link", name="Retour au projet").click()
    expect(page).to_have_url(f"{live_server.url}/fr/projects/{project.pk}/")

    # --- 6. The invitee creates his account and fills in his own budget only ------------
    context = browser.new_context(base_url=live_server.url, locale="fr-FR", viewport={"width": 1280, "height": 800})
    context.set_default_timeout(TIMEOUT_MS)
    try:
        partner_page = context.new_page()
        watch_console(partner_page, console_errors)
        partner_page.goto(invitation_path)
        expect(partner_page.get_by_role("heading", level=1)).to_have_text(f"Rejoindre le projet {ACRONYM}")
        form = partner_page.locator("main form")
        expect(form.get_by_label("Prénom")).to_have_value("Nina")
        expect(form.get_by_role("textbox", name="Nom", exact=True)).to_have_value("Petit")
        form.get_by_role("textbox", name="Mot de passe", exact=True).fill(INVITEE_PASSWORD)
        form.get_by_label("Mot de passe (confirmation)").fill(INVITEE_PASSWORD)
        form.get_by_role("button", name=f"Créer mon compte et rejoindre {ACRONYM}").click()

        expect(partner_page).to_have_url(f"{base}/partners/{second.pk}/")
        expect_success(partner_page, "Bienvenue")
        # the partner's contact for this project only, never a contact of its organisation
        invitee = PartnerContact.objects.get(email=INVITEE_EMAIL)
        second.refresh_from_db()
        assert (second.contact, second.project_contact, invitee.user.email) == (None, invitee, INVITEE_EMAIL)
        assert not Person.objects.filter(user=invitee.user).exists()
        fill_budget(
            partner_page,
            {"Personnel": "120 000", "Équipement": "40 000"},
            {"scheme": call.funding_scheme_id, "amount": "64000"},
        )
        partner_page.locator("main form").get_by_role("button", name="Enregistrer et continuer").click()
        expect(partner_page).to_have_url(f"{base}/budget/")
        expect_success(partner_page, f"La partie de {second.organisation.display_name} a été enregistrée.")
        main = partner_page.locator("main")
        expect(main.get_by_role("table", name=f"Budget de {second.organisation.display_name}")).to_contain_text(
            re.compile(r"160\s000,00\s€")
        )
        # The lead's lines are not shown to him, nor is the lead's part reachable.
        expect(main.get_by_role("table", name=f"Budget d'{lead_organisation.display_name}")).to_have_count(0)
        expect(main).not_to_contain_text(re.compile(r"180\s000"))
        expect(main).not_to_contain_text(re.compile(r"60\s000,50"))
        assert partner_page.request.get(f"{base}/partners/{lead.pk}/").status == 403
        # His checklist gives the counts only (the figures would tell the lead's share),
        # and the deposit is not his to make.
        steps(partner_page).get_by_role("link", name="Vérifications").click()
        expect(partner_page).to_have_url(f"{base}/checks/")
        checks = partner_page.locator("#checks")
        expect(checks).to_contain_text(
            re.compile(r"conformes\s?: 9\s?; avertissements\s?: 0\s?; non conformes\s?: 1\.")
        )
        expect(checks.locator("li")).to_have_count(0)
        expect(checks).not_to_contain_text("%")
        expect(steps(partner_page).get_by_role("link", name="Dépôt")).to_have_count(0)
        expect(partner_page.get_by_role("link", name="Passer au dépôt")).to_have_count(0)
        screenshot(partner_page, "submission-partner-budget-fr")
    finally:
        context.close()
    assert sorted(BudgetLine.objects.filter(partner=second).values_list("category", "amount")) == [
        ("equipment", Decimal("40000")),
        ("personnel", Decimal("120000")),
    ]

    # --- 7. The lead opens the checks again, adds the annex; every check passes --------
    page.get_by_role("navigation", name="Actions sur le projet").get_by_role("link", name="Vérifications").click()
    expect(page).to_have_url(f"{base}/checks/")
    # The invitee's budget brought the lead's share down; only the annex is missing.
    expect(share).to_have_class(re.compile("checklist-pass"))
    expect(share).to_contain_text(re.compile(r"60,00\s?%"))
    expect(annex).to_have_class(re.compile("checklist-failure"))
    steps(page).get_by_role("link", name="Documents").click()
    expect(page).to_have_url(f"{base}/documents/")
    annex_file = tmp_path / "annexe-technique-hystor.pdf"
    annex_file.write_bytes(minimal_pdf())
    form = page.locator("main form[enctype='multipart/form-data']")
    form.get_by_label("Type de document").select_option("technical_annex")
    form.get_by_label("Concerne").select_option(label="Le projet entier")
    form.get_by_label("Fichier").set_input_files(annex_file)
    form.get_by_role("button", name="Ajouter et continuer").click()
    expect(page).to_have_url(f"{base}/checks/")
    expect_success(page, "annexe-technique-hystor.pdf")
    expect(annex).to_have_class(re.compile("checklist-pass"))
    expect(page.locator("#checks li.checklist-failure")).to_have_count(0)
    expect(share).to_have_class(re.compile("checklist-pass"))
    screenshot(page, "submission-checks-passing-fr")

    # --- 8. The deposit -------------------------------------------------------------------
    page.get_by_role("link", name="Passer au dépôt").click()
    expect(page.locator("main .alert-danger")).to_have_count(0)
    page.get_by_label("Je comprends qu'une fois déposé").check()
    page.get_by_role("button", name="Déposer le dossier").click()
    expect(page).to_have_url(f"{live_server.url}/fr/projects/{project.pk}/")
    project.refresh_from_db()
    # {year of the deposit}-{funding scheme}-{sequence}
    assert project.state == ProjectState.DEPOSITED
    assert re.fullmatch(r"20\d\d-FUI-0001", project.reference), project.reference
    reference = project.reference
    expect_success(page, f"Le dossier est déposé sous la référence {reference}.")
    expect(page.locator("main")).to_contain_text(re.compile(rf"Référence\s?: {reference}"))
    assert wait_for(lambda: messages_to(LEAD_EMAIL) and messages_to(INVITEE_EMAIL)), [
        (m.to, m.subject) for m in mail.outbox
    ]
    for address in (LEAD_EMAIL, INVITEE_EMAIL):
        receipts = [m for m in messages_to(address) if reference in m.subject + m.body]
        assert len(receipts) == 1, (address, [(m.to, m.subject) for m in mail.outbox])
    screenshot(page, "submission-deposited-fr")

    # --- 9. The dossier PDF, downloaded from the versions page -------------------------
    page.get_by_role("link", name="Versions du dossier").click()
    expect(page).to_have_url(f"{live_server.url}/fr/projects/{project.pk}/versions/")
    link = page.get_by_role("link", name="Télécharger la version 1 (PDF)")
    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename == f"{reference}-v1.pdf"
    with open(download.path(), "rb") as handle:
        content = handle.read()
    assert content.startswith(b"%PDF-")
    text = "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(content)).pages)
    flat = re.sub(r"\s+", " ", text)
    for expected in (ACRONYM, LEAD_NAME, PARTNER_NAME, reference):
        assert expected in flat, (expected, flat[:3000])
    assert ProjectVersion.objects.get(project=project).pdf_sha256

    assert console_errors == []
