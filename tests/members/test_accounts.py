"""Accounts [A1] and two-factor authentication [A2] through allauth's real pages."""

import re

import pyotp
import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.core import mail
from django.utils import translation
from django.utils.html import escape

from tests.conftest import PASSWORD, login, make_user

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "another-long-passphrase-2026"


def link_in(message, pattern):
    match = re.search(r"https?://[^/\s]+(" + pattern + r")", message.body)
    assert match, message.body
    return match.group(1)


def is_logged_in(client):
    return "_auth_user_id" in client.session


def test_sign_up_verify_then_log_in(client, django_user_model, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/fr/accounts/signup/",
            {"email": "Nouvelle@Startup.example", "password1": PASSWORD, "password2": PASSWORD},
        )
    assert response.status_code == 302
    assert response["Location"] == "/fr/accounts/confirm-email/"
    user = django_user_model.objects.get()
    assert user.email == "nouvelle@startup.example"
    assert user.language == "fr"
    assert not is_logged_in(client)

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["nouvelle@startup.example"]
    assert "Confirm" in message.subject or "Confirmez" in message.subject or "confirm" in message.subject.lower()
    confirm_path = link_in(message, r"/fr/accounts/confirm-email/[^/\s]+/")

    assert client.get(confirm_path).status_code == 200
    response = client.post(confirm_path)
    assert response.status_code == 302
    assert EmailAddress.objects.get(user=user).verified is True

    response = client.post("/fr/accounts/login/", {"login": "nouvelle@startup.example", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/fr/my-space/"
    assert is_logged_in(client)
    assert "nouvelle@startup.example" in client.get("/fr/my-space/").content.decode()


def test_an_unverified_user_cannot_log_in(client, django_user_model, django_capture_on_commit_callbacks):
    make_user(django_user_model, "pending@startup.example", verified=False)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/fr/accounts/login/", {"login": "pending@startup.example", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/fr/accounts/confirm-email/"
    assert not is_logged_in(client)
    assert client.get("/fr/my-space/")["Location"].startswith("/fr/accounts/login/")
    assert [m.to for m in mail.outbox] == [["pending@startup.example"]]  # a fresh verification link


def test_password_reset(client, member_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/fr/accounts/password/reset/", {"email": member_user.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    reset_path = link_in(mail.outbox[0], r"/fr/accounts/password/reset/key/[^\s]+/")

    response = client.get(reset_path)
    assert response.status_code == 302  # allauth moves the key into the session
    set_password_path = response["Location"]
    response = client.post(set_password_path, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302

    member_user.refresh_from_db()
    assert member_user.check_password(NEW_PASSWORD)
    response = client.post("/fr/accounts/login/", {"login": member_user.email, "password": NEW_PASSWORD})
    assert response["Location"] == "/fr/my-space/"


def test_password_reset_does_not_reveal_whether_an_account_exists(
    client, member_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        known = client.post("/fr/accounts/password/reset/", {"email": member_user.email})
        unknown = client.post("/fr/accounts/password/reset/", {"email": "nobody@nowhere.example"})
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert sorted(m.to[0] for m in mail.outbox) == ["contact@acme.example", "nobody@nowhere.example"]


def test_sign_up_with_a_taken_address_does_not_reveal_it(client, member_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/fr/accounts/signup/", {"email": member_user.email, "password1": PASSWORD, "password2": PASSWORD}
        )
    assert response.status_code == 302
    assert response["Location"] == "/fr/accounts/confirm-email/"
    assert [m.to for m in mail.outbox] == [[member_user.email]]  # "someone tried to sign up with your address"


def test_a_staff_member_must_enrol_then_logs_in_with_a_totp_code(client, django_user_model):
    staff = make_user(django_user_model, "new.staff@pole.example", group="staff", is_staff=True)
    login(client, staff)
    response = client.get("/fr/my-space/")
    assert response.status_code == 302
    assert response["Location"] == "/fr/accounts/2fa/totp/activate/"
    # allauth asks for the password once more before changing security settings.
    response = client.get("/fr/accounts/2fa/totp/activate/")
    assert response["Location"] == "/fr/accounts/reauthenticate/?next=%2Ffr%2Faccounts%2F2fa%2Ftotp%2Factivate%2F"
    page = client.get(response["Location"])
    assert "authentification à deux facteurs est obligatoire" in page.content.decode()
    response = client.post(response["Location"], {"password": PASSWORD})
    assert response["Location"] == "/fr/accounts/2fa/totp/activate/"
    page = client.get("/fr/accounts/2fa/totp/activate/")
    assert page.status_code == 200

    secret = client.session["mfa.totp.secret"]
    response = client.post("/fr/accounts/2fa/totp/activate/", {"code": "000000"})
    assert response.status_code == 200  # wrong code: refused, stays on the page
    assert not Authenticator.objects.filter(user=staff).exists()
    response = client.post("/fr/accounts/2fa/totp/activate/", {"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=staff, type=Authenticator.Type.TOTP).count() == 1
    assert client.get("/fr/my-space/").status_code == 200

    # A later visit: password, then a code from the authenticator app.
    client.post("/fr/accounts/logout/")
    from django.core.cache import cache

    cache.clear()  # a new 30-second window: allauth refuses a code twice in one window
    response = client.post("/fr/accounts/login/", {"login": staff.email, "password": PASSWORD})
    assert response["Location"] == "/fr/accounts/2fa/authenticate/"
    assert not is_logged_in(client)
    response = client.post("/fr/accounts/2fa/authenticate/", {"code": "123456"})
    assert response.status_code == 200 and not is_logged_in(client)
    response = client.post("/fr/accounts/2fa/authenticate/", {"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 302 and is_logged_in(client)
    assert client.get("/fr/my-space/").status_code == 200


def test_an_enrolled_staff_member_cannot_switch_two_factor_off(client, staff_user, totp_secret):
    login(client, staff_user, totp_secret)
    client.post("/fr/accounts/2fa/totp/deactivate/")
    assert Authenticator.objects.filter(user=staff_user, type=Authenticator.Type.TOTP).exists()


def test_a_member_contact_is_not_forced_into_two_factor(client, member_user):
    login(client, member_user)
    assert client.get("/fr/my-space/").status_code == 200


def test_repeated_wrong_passwords_hit_the_rate_limit(client, member_user):
    for _attempt in range(5):
        response = client.post("/fr/accounts/login/", {"login": member_user.email, "password": "wrong-password"})
        assert response.status_code == 200
    response = client.post("/fr/accounts/login/", {"login": member_user.email, "password": PASSWORD})
    assert response.status_code == 200
    assert not is_logged_in(client)
    with translation.override("fr"):
        expected = translation.gettext("Too many failed login attempts. Try again later.")
    assert escape(expected) in response.content.decode()


def test_the_django_admin_login_goes_through_allauth(client, member_user):
    response = client.get("/fr/admin/login/?next=/fr/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/fr/accounts/login/")
    login(client, member_user)
    assert client.get("/fr/admin/").status_code == 302  # not staff: back to the login
    assert client.get("/fr/admin/login/").status_code == 403


def test_staff_reach_the_admin_after_two_factor(client, staff_user, totp_secret):
    login(client, staff_user, totp_secret)
    assert client.get("/fr/admin/").status_code == 200
