"""Sessions and headers [A3]: private pages and files are never cached, the language
cookie is Secure in production and SameSite=Lax, and "remember me" keeps a privileged
role's session at most 12 hours."""

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pyotp
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage

from members.models import Dues
from pole import roles
from tests.conftest import PASSWORD, login, make_user
from tests.factories import DuesFactory, MembershipFactory, OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
TWO_WEEKS = 14 * 24 * 60 * 60
TWELVE_HOURS = 12 * 60 * 60


def directives(response):
    return {d.strip() for d in response["Cache-Control"].split(",")} if response.has_header("Cache-Control") else set()


# --- Cache-Control -------------------------------------------------------------------------------


def test_every_page_of_a_signed_in_user_is_private_and_not_stored(client, member_user):
    login(client, member_user)
    for url in ("/fr/my-space/", "/en/my-space/", "/fr/", "/fr/members/directory/", "/fr/no-such-page/"):
        response = client.get(url)
        assert {"private", "no-store"} <= directives(response), url
        assert "public" not in directives(response) and "max-age" not in response["Cache-Control"]
        assert "Cookie" in response["Vary"]


def test_anonymous_public_pages_keep_their_headers(client):
    response = client.get("/fr/")
    assert response.status_code == 200
    assert "no-store" not in directives(response)


def test_a_dues_notice_download_is_not_stored(client, member_user, tmp_path, monkeypatch):
    monkeypatch.setattr(Dues._meta.get_field("notice"), "storage", FileSystemStorage(location=tmp_path / "private"))
    organisation = OrganisationFactory(legal_name="Acme Hydrogène")
    PersonFactory(organisation=organisation, user=member_user, email=member_user.email)
    dues = DuesFactory(
        membership=MembershipFactory(organisation=organisation),
        status=Dues.Status.INVOICED,
        invoice_number="2026-00001",
        invoiced_on=date(2026, 1, 15),
        due_date=date(2026, 2, 14),
    )
    dues.notice.save("notice.pdf", ContentFile(b"%PDF-1.4 private"), save=True)
    login(client, member_user)

    response = client.get(f"/fr/members/dues/{dues.pk}/notice/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert {"private", "no-store"} <= directives(response)


# --- The language cookie ---------------------------------------------------------------------------


def test_the_language_cookie_is_same_site_lax(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/fr/"})
    cookie = response.cookies["django_language"]
    assert cookie.value == "en"
    assert cookie["samesite"] == "Lax"
    assert cookie["secure"] == ""  # development: plain http


def test_in_production_the_language_cookie_is_secure_like_the_session_cookie():
    probe = (
        "import json, django; django.setup(); from django.conf import settings;"
        "print(json.dumps([settings.LANGUAGE_COOKIE_SECURE, settings.SESSION_COOKIE_SECURE,"
        " settings.LANGUAGE_COOKIE_SAMESITE]))"
    )
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS"}}

    def settings_with(debug):
        env.update(DEBUG=debug, DJANGO_SETTINGS_MODULE="pole.settings", DJANGO_READ_DOT_ENV="0")
        out = subprocess.run([sys.executable, "-c", probe], env=env, cwd=ROOT, capture_output=True, text=True)
        return json.loads(out.stdout.strip().splitlines()[-1])

    assert settings_with("0") == [True, True, "Lax"]
    assert settings_with("1") == [False, False, "Lax"]


# --- "Remember me" ---------------------------------------------------------------------------------


def log_in(client, user, *, remember, secret=None):
    data = {"login": user.email, "password": PASSWORD}
    if remember:
        data["remember"] = "on"
    response = client.post("/fr/accounts/login/", data)
    if secret:
        response = client.post("/fr/accounts/2fa/authenticate/", {"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)
    return client.session


def test_remember_me_gives_a_member_contact_two_weeks(client, member_user):
    session = log_in(client, member_user, remember=True)
    assert session.get_expiry_age() == TWO_WEEKS
    assert not session.get_expire_at_browser_close()


@pytest.mark.parametrize("fixture", ["staff_user", "expert_user", "funder_user"])
def test_remember_me_gives_a_privileged_role_twelve_hours(client, request, fixture, totp_secret):
    user = request.getfixturevalue(fixture)
    session = log_in(client, user, remember=True, secret=totp_secret)
    assert session.get_expiry_age() == TWELVE_HOURS
    assert client.cookies["sessionid"]["max-age"] == TWELVE_HOURS


@pytest.mark.parametrize("group", [roles.COMMITTEE, roles.BOARD])
def test_twelve_hours_also_before_enrolling_a_second_factor(client, django_user_model, group):
    """Without a second step, allauth sets the lifetime after logging in: still capped."""
    user = make_user(django_user_model, f"{group}@pole.example", group=group)
    session = log_in(client, user, remember=True)
    assert session.get_expiry_age() == TWELVE_HOURS


def test_without_remember_me_the_session_ends_with_the_browser(client, staff_user, totp_secret):
    session = log_in(client, staff_user, remember=False, secret=totp_secret)
    assert session.get_expire_at_browser_close()
