"""Leaving a step of the dossier with unsaved edits asks first, in the page's language:
a step's tab or any link of the page asks with a confirmation; cancelling keeps the edits,
saving the form never asks [issue 9]."""

import re

import pytest
from playwright.sync_api import expect

from projects.models import Project
from tests.conftest import PASSWORD, make_user
from tests.factories import CallFactory, MembershipFactory, OrganisationFactory, PartnerFactory, PersonFactory

EMAIL = "lea.roux@unsaved.example"
QUESTIONS = {
    "fr": "Vos modifications sur cette page ne sont pas enregistrées. Quitter la page et les perdre\u00a0?",
    "en": "Your changes on this page are not saved. Leave the page and lose them?",
}
LOGIN = {"fr": ("Courriel", "Connexion"), "en": ("E-mail", "Sign In")}


@pytest.fixture
def draft(django_user_model):
    organisation = OrganisationFactory(legal_name="Électrolyse Ouest SAS")
    MembershipFactory(organisation=organisation)
    user = make_user(django_user_model, EMAIL, first_name="Léa", last_name="Roux")
    person = PersonFactory(organisation=organisation, user=user, email=EMAIL)
    call = CallFactory()
    project = Project.objects.create(
        call=call, acronym="GARDE", title_fr="Projet gardé", kind="rd", lead_organisation=organisation
    )
    PartnerFactory(project=project, organisation=organisation, is_lead=True, contact=person)
    return project


def log_in(page, language):
    page.goto(f"/{language}/accounts/login/")
    form = page.locator("main form")
    form.locator("input[name=login]").fill(EMAIL)
    form.locator("input[name=password]").fill(PASSWORD)
    form.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/{language}/my-space/$"))


@pytest.mark.parametrize("language", ["fr", "en"])
def test_leaving_a_step_with_unsaved_edits_asks_first(page, live_server, draft, console_errors, language):
    log_in(page, language)
    general = f"{live_server.url}/{language}/projects/{draft.pk}/edit/general/"
    consortium = f"{live_server.url}/{language}/projects/{draft.pk}/edit/consortium/"
    page.goto(general)
    dialogs = []

    def answer(dialog, accept):
        dialogs.append((dialog.type, dialog.message))
        dialog.accept() if accept else dialog.dismiss()

    tab = page.locator("nav ol a.nav-link").nth(1)

    # Nothing changed: the tab opens without a question.
    tab.click()
    expect(page).to_have_url(consortium)
    assert dialogs == []
    page.goto(general)

    # An edit, then the tab: the question, cancelled; the edit is still there.
    summary = page.locator("textarea[name=summary_fr]")
    summary.fill("Un résumé pas encore enregistré.")
    page.once("dialog", lambda dialog: answer(dialog, accept=False))
    tab.click()
    expect(page).to_have_url(general)
    expect(summary).to_have_value("Un résumé pas encore enregistré.")
    assert dialogs == [("confirm", QUESTIONS[language])]

    # Any other link of the page asks too; accepted, the page is left.
    page.once("dialog", lambda dialog: answer(dialog, accept=True))
    page.locator("main a", has_text=re.compile("page du projet|project page")).first.click()
    expect(page).to_have_url(f"{live_server.url}/{language}/projects/{draft.pk}/")
    assert dialogs[1:] == [("confirm", QUESTIONS[language])]
    draft.refresh_from_db()
    assert draft.summary_fr == ""

    # Saving never asks.
    page.goto(general)
    page.locator("textarea[name=summary_fr]").fill("Résumé enregistré.")
    page.locator("main form[data-warn-unsaved] button[type=submit]").first.click()
    expect(page.locator(".alert-success")).to_have_count(1)
    assert len(dialogs) == 2
    draft.refresh_from_db()
    assert draft.summary_fr == "Résumé enregistré."
    assert console_errors == []
