"""A visitor signs up through the real form, confirms his address from the e-mail, then
logs in and reaches his space: the main journey of [A1], in a real browser."""

import re
from urllib.parse import urlsplit

from allauth.account.models import EmailAddress
from django.core import mail
from playwright.sync_api import expect

from tests.conftest import PASSWORD
from tests.e2e.conftest import wait_for

EMAIL = "nouvelle@startup.example"


def messages_to(address):
    return [message for message in mail.outbox if message.to == [address]]


def test_sign_up_confirm_the_address_then_log_in(page, live_server, django_user_model, console_errors, screenshot):
    # live_server gives the test transactional database access: the server thread's
    # commits are visible here, and allauth's e-mails leave on commit.
    page.goto("/fr/")
    page.get_by_role("navigation", name="Navigation principale").get_by_role("link", name="Créer un compte").click()
    expect(page).to_have_url(live_server.url + "/fr/accounts/signup/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Création de compte")
    screenshot(page, "signup-fr")

    form = page.locator("main form")
    form.get_by_label("Courriel").fill("Nouvelle@Startup.example")
    form.locator("input[name=password1]").fill(PASSWORD)
    form.locator("input[name=password2]").fill(PASSWORD)
    form.get_by_role("button", name="Création de compte").click()

    expect(page).to_have_url(live_server.url + "/fr/accounts/confirm-email/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Vérifiez votre adresse e-mail")
    user = django_user_model.objects.get()
    assert (user.email, user.language) == (EMAIL, "fr")
    assert EmailAddress.objects.get(user=user).verified is False

    # Not logged in yet: the personal space sends back to the login page.
    page.goto("/fr/my-space/")
    expect(page).to_have_url(re.compile(re.escape(live_server.url + "/fr/accounts/login/") + r"\?next="))

    messages = wait_for(lambda: messages_to(EMAIL))
    assert len(messages) == 1, [(m.to, m.subject) for m in mail.outbox]
    match = re.search(r"https?://\S+/fr/accounts/confirm-email/[^/\s]+/", messages[0].body)
    assert match, messages[0].body
    link = urlsplit(match.group(0))
    assert f"{link.scheme}://{link.netloc}" == live_server.url  # built from the request's host

    page.goto(link.path)
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirmer l'adresse e-mail")
    expect(page.locator("main")).to_contain_text(EMAIL)
    page.locator("main form").get_by_role("button", name="Confirmer").click()

    expect(page).to_have_url(live_server.url + "/fr/accounts/login/")
    assert EmailAddress.objects.get(user=user).verified is True

    form = page.locator("main form")
    form.get_by_label("Courriel").fill(EMAIL)
    form.locator("input[name=password]").fill(PASSWORD)
    form.get_by_role("button", name="Connexion").click()

    expect(page).to_have_url(live_server.url + "/fr/my-space/")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Bienvenue, {EMAIL}")
    navigation = page.get_by_role("navigation", name="Navigation principale")
    navigation.get_by_role("button", name="Mon espace", exact=True).click()
    expect(navigation.get_by_role("link", name="Tableau de bord", exact=True)).to_have_attribute("aria-current", "page")
    expect(navigation.get_by_role("button", name="Se déconnecter")).to_be_visible()
    screenshot(page, "my-space-fr")
    assert console_errors == []


def test_sign_up_with_mismatched_passwords_shows_the_error_in_the_form(page, live_server, django_user_model):
    page.goto("/fr/accounts/signup/")
    form = page.locator("main form")
    form.get_by_label("Courriel").fill(EMAIL)
    form.locator("input[name=password1]").fill(PASSWORD)
    form.locator("input[name=password2]").fill(PASSWORD + "-typo")
    form.get_by_role("button", name="Création de compte").click()

    expect(page).to_have_url(live_server.url + "/fr/accounts/signup/")
    expect(page.locator("main form .errorlist")).to_contain_text("Vous devez saisir deux fois le même mot de passe.")
    expect(form.get_by_label("Courriel")).to_have_value(EMAIL)
    assert not django_user_model.objects.exists()
    assert mail.outbox == []
