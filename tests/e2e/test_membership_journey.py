"""The membership journey of issue 3 in a real browser: a visitor applies through the
"join" form with a document; the staff member logs in (password, then TOTP), starts the
review and approves the application; the new contact chooses his password from the
e-mailed link, logs in, edits the organisation's description in French and English,
opts into the public directory, and sees his profile in English."""

import re
from urllib.parse import urlsplit

import pyotp
import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from members.models import Membership, MembershipDocument, Organisation, Person
from pole import roles
from pole.models import StrategicDomain
from tests.conftest import PASSWORD, make_user
from tests.e2e.conftest import TIMEOUT_MS, wait_for
from tests.e2e.walking import private_files_in

SIRET = "73282932000074"
CONTACT_EMAIL = "lea.garnier@hydrotech.example"
STAFF_EMAIL = "instructrice@pole.example"
CONTACT_PASSWORD = "Piles-à-combustible-2026!"
DESCRIPTION_FR = "HydroTech conçoit des réservoirs d'hydrogène en composite pour les poids lourds."
DESCRIPTION_EN = "HydroTech designs composite hydrogen tanks for heavy trucks."


@pytest.fixture
def private_files(tmp_path):
    with private_files_in(tmp_path / "private-files") as storage:
        yield storage


def minimal_pdf() -> bytes:
    """A one-page PDF with a correct cross-reference table."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def messages_to(address):
    return [message for message in mail.outbox if message.to == [address]]


def watch_console(page, errors):
    page.on(
        "console", lambda message: errors.append(f"{page.url}: {message.text}") if message.type == "error" else None
    )
    page.on("pageerror", lambda error: errors.append(f"{page.url}: uncaught exception: {error}"))


def log_in(page, email, password, *, totp_secret=None):
    page.goto("/fr/accounts/login/")
    form = page.locator("main form")
    form.get_by_label("Courriel").fill(email)
    form.locator("input[name=password]").fill(password)
    form.get_by_role("button", name="Connexion").click()
    if totp_secret:
        expect(page.get_by_role("heading", level=1)).to_have_text("Authentification à deux facteurs")
        page.locator("main form input[name=code]").fill(pyotp.TOTP(totp_secret).now())
        page.locator("main form").get_by_role("button", name="Connexion").click()
    expect(page).to_have_url(re.compile(r"/fr/my-space/$"))


def navigation(page, language="fr"):
    name = "Navigation principale" if language == "fr" else "Main navigation"
    return page.get_by_role("navigation", name=name)


def test_a_visitor_applies_staff_approves_the_contact_edits_his_organisation(
    browser, page, live_server, django_user_model, tmp_path, private_files, screenshot
):
    errors = []
    watch_console(page, errors)
    StrategicDomain.objects.create(
        code="storage", name_fr="Stockage de l'hydrogène", name_en="Hydrogen storage", position=1
    )
    StrategicDomain.objects.create(code="mobility", name_fr="Mobilités lourdes", name_en="Heavy mobility", position=2)
    staff_secret = pyotp.random_base32()
    make_user(
        django_user_model,
        STAFF_EMAIL,
        group=roles.STAFF,
        is_staff=True,
        totp_secret=staff_secret,
        first_name="Claire",
        last_name="Moreau",
    )
    pdf = tmp_path / "statuts-hydrotech.pdf"
    pdf.write_bytes(minimal_pdf())

    # --- 1. The visitor applies ---------------------------------------------------------
    page.goto("/fr/")
    navigation(page).get_by_role("link", name="Adhérer au pôle").click()
    expect(page).to_have_url(live_server.url + "/fr/members/join/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Adhérer au pôle")
    form = page.locator("main form.application-form")
    form.locator("[name=legal_name]").fill("HydroTech Composites SAS")
    form.locator("[name=acronym]").fill("HydroTech")
    form.locator("[name=kind]").select_option("company")
    form.locator("[name=siret]").fill("732 829 320 00074")
    form.locator("[name=naf_code]").fill("2920Z")
    form.locator("[name=headcount]").fill("42")
    form.locator("[name=street]").fill("15 rue des Forges")
    form.locator("[name=postcode]").fill("38000")
    form.locator("[name=city]").fill("Grenoble")
    form.locator("[name=department]").select_option("38")
    form.locator("[name=website]").fill("hydrotech.example")
    form.locator("[name=rep_first_name]").fill("Paul")
    form.locator("[name=rep_last_name]").fill("Garnier")
    form.locator("[name=rep_email]").fill("paul.garnier@hydrotech.example")
    form.locator("[name=rep_job_title]").fill("Président")
    form.locator("[name=contact_first_name]").fill("Léa")
    form.locator("[name=contact_last_name]").fill("Garnier")
    form.locator("[name=contact_email]").fill(CONTACT_EMAIL)
    form.locator("[name=contact_phone]").fill("04 76 00 00 00")
    form.locator("[name=contact_job_title]").fill("Directrice R&D")
    form.locator("[name=college]").select_option("smes")
    form.get_by_label("Stockage de l'hydrogène").check()
    form.get_by_label("Pourquoi souhaitez-vous rejoindre le pôle ?").fill(
        "Monter des projets collaboratifs sur le stockage embarqué."
    )
    form.get_by_label("Type du document 1").select_option("statutes")
    form.get_by_label("Fichier 1").set_input_files(pdf)
    form.locator("[name=consent]").check()
    screenshot(page, "journey-join-filled-fr")
    form.get_by_role("button", name="Envoyer la candidature").click()

    expect(page).to_have_url(live_server.url + "/fr/members/join/thanks/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Merci : votre candidature a bien été reçue")
    screenshot(page, "journey-thanks-fr")

    membership = Membership.objects.select_related("organisation").get()
    organisation = membership.organisation
    assert (membership.state, membership.college) == (Membership.State.APPLIED, "smes")
    assert (organisation.legal_name, organisation.siret, organisation.siren) == (
        "HydroTech Composites SAS",
        SIRET,
        SIRET[:9],
    )
    assert (organisation.department, organisation.naf_code, organisation.website) == (
        "38",
        "29.20Z",
        "https://hydrotech.example",
    )
    assert [d.code for d in organisation.strategic_domains.all()] == ["storage"]
    assert organisation.directory_opt_in is False
    document = MembershipDocument.objects.get()
    assert (document.membership_id, document.kind, document.original_name, document.content_type) == (
        membership.pk,
        "statutes",
        "statuts-hydrotech.pdf",
        "application/pdf",
    )
    assert private_files.exists(document.file.name)
    contact = Person.objects.get(email=CONTACT_EMAIL)
    assert (contact.is_main_contact, contact.is_organisation_admin, contact.user.has_usable_password()) == (
        True,
        True,
        False,
    )

    welcome = wait_for(lambda: messages_to(CONTACT_EMAIL))
    assert len(welcome) == 1, [(m.to, m.subject) for m in mail.outbox]
    match = re.search(r"https?://\S+/fr/accounts/password/reset/key/\S+/", welcome[0].body)
    assert match, welcome[0].body
    password_link = urlsplit(match.group(0))
    assert f"{password_link.scheme}://{password_link.netloc}" == live_server.url
    assert wait_for(lambda: messages_to(STAFF_EMAIL)), "staff were not told of the new application"

    # --- 2. Staff review and approve ----------------------------------------------------
    log_in(page, STAFF_EMAIL, PASSWORD, totp_secret=staff_secret)
    navigation(page).get_by_role("button", name="Back-office", exact=True).click()
    navigation(page).get_by_role("link", name="Candidatures", exact=True).click()
    expect(page).to_have_url(live_server.url + "/fr/members/staff/applications/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Candidatures à examiner")
    page.get_by_role("link", name="HydroTech Composites SAS").click()
    expect(page).to_have_url(live_server.url + f"/fr/members/staff/applications/{membership.pk}/")
    main = page.locator("main")
    expect(main.get_by_role("link", name="statuts-hydrotech.pdf")).to_be_visible()
    expect(main).to_contain_text("732829320")
    main.get_by_role("button", name="Commencer l'examen").click()
    expect(main.locator(".alert-success")).to_have_text("La candidature est désormais en cours d'examen.")
    membership.refresh_from_db()
    assert membership.state == Membership.State.UNDER_REVIEW

    today = timezone.localdate()
    main.get_by_label("Date de la décision du conseil d'administration").fill(today.isoformat())
    main.get_by_label("Référence de la décision du conseil d'administration").fill("CA-2026-11")
    screenshot(page, "journey-staff-application-fr")
    main.get_by_role("button", name="Approuver et démarrer l'adhésion").click()
    expect(main.locator(".alert-success")).to_contain_text("HydroTech Composites SAS est désormais adhérent")
    membership.refresh_from_db()
    assert (membership.state, membership.decision_date, membership.decision_reference, membership.start_date) == (
        Membership.State.ACTIVE,
        today,
        "CA-2026-11",
        today,
    )
    assert wait_for(lambda: len(messages_to(CONTACT_EMAIL)) == 2), [(m.to, m.subject) for m in mail.outbox]

    # Active but not opted in: not in the public directory yet.
    page.goto("/fr/members/directory/")
    expect(page.locator("main")).not_to_contain_text("HydroTech")
    assert page.request.get(f"/fr/members/directory/{organisation.slug}/").status == 404

    # --- 3. The contact chooses his password, logs in and edits the profile -------------
    context = browser.new_context(base_url=live_server.url, locale="fr-FR", viewport={"width": 1280, "height": 800})
    context.set_default_timeout(TIMEOUT_MS)
    try:
        contact_page = context.new_page()
        watch_console(contact_page, errors)
        contact_page.goto(password_link.path)
        expect(contact_page.get_by_role("heading", level=1)).to_have_text("Modifier le mot de passe")
        form = contact_page.locator("main form")
        form.locator("input[name=password1]").fill(CONTACT_PASSWORD)
        form.locator("input[name=password2]").fill(CONTACT_PASSWORD)
        form.get_by_role("button", name="Modifier le mot de passe").click()
        expect(contact_page.locator("main")).to_contain_text("Votre mot de passe a été modifié.")

        log_in(contact_page, CONTACT_EMAIL, CONTACT_PASSWORD)
        navigation(contact_page).get_by_role("button", name="Mon espace", exact=True).click()
        navigation(contact_page).get_by_role("link", name="Mon organisation", exact=True).click()
        space_url = live_server.url + f"/fr/members/my-organisation/{organisation.slug}/"
        expect(contact_page).to_have_url(space_url)
        expect(contact_page.get_by_role("heading", level=1)).to_have_text("HydroTech Composites SAS (HydroTech)")
        contact_page.get_by_role("navigation", name="Espace de l'organisation").get_by_role(
            "link", name="Modifier le profil"
        ).click()
        expect(contact_page).to_have_url(space_url + "profile/")
        form = contact_page.locator("main form")
        form.locator("[name=description_fr]").fill(DESCRIPTION_FR)
        form.locator("[name=description_en]").fill(DESCRIPTION_EN)
        form.locator("[name=directory_opt_in]").check()
        screenshot(contact_page, "journey-profile-form-fr")
        form.get_by_role("button", name="Enregistrer le profil").click()

        expect(contact_page).to_have_url(space_url)
        expect(contact_page.locator("main .alert-success")).to_have_text(
            "Le profil de l'organisation a été enregistré."
        )
        organisation.refresh_from_db()
        assert (organisation.description_fr, organisation.description_en, organisation.directory_opt_in) == (
            DESCRIPTION_FR,
            DESCRIPTION_EN,
            True,
        )
        expect(contact_page.locator("main [lang=fr]")).to_contain_text(DESCRIPTION_FR)
        screenshot(contact_page, "journey-space-fr")

        # The header's language switcher: the same page in English.
        with contact_page.expect_navigation():
            contact_page.locator("header form.language-switcher").get_by_role("button", name="English").click()
        expect(contact_page).to_have_url(live_server.url + f"/en/members/my-organisation/{organisation.slug}/")
        expect(contact_page.locator("html")).to_have_attribute("lang", "en")
        english = contact_page.locator("main [lang=en]")
        expect(english.get_by_role("heading", level=3)).to_have_text("Description in English")
        expect(english).to_contain_text(DESCRIPTION_EN)
        expect(navigation(contact_page, "en").locator("a.dropdown-item", has_text="My organisation")).to_have_attribute(
            "aria-current", "page"
        )
        screenshot(contact_page, "journey-space-en")

        # Opted in and active: the public directory lists it, in both languages.
        contact_page.goto("/en/members/directory/")
        card = contact_page.locator("main article.card", has_text="HydroTech Composites SAS")
        expect(card).to_have_count(1)
        expect(card).to_contain_text(DESCRIPTION_EN)
        card.get_by_role("link", name="HydroTech Composites SAS").click()
        expect(contact_page).to_have_url(live_server.url + f"/en/members/directory/{organisation.slug}/")
        expect(contact_page.locator("main")).to_contain_text(DESCRIPTION_EN)
        contact_page.goto(f"/fr/members/directory/{organisation.slug}/")
        expect(contact_page.locator("main")).to_contain_text(DESCRIPTION_FR)
        expect(contact_page.locator("main")).not_to_contain_text(DESCRIPTION_EN)
    finally:
        context.close()

    assert Organisation.objects.in_directory().get() == organisation
    assert errors == []
