"""Hostile requests get an answer, never a 500, and nothing is read or saved that should
not be (pole.request_guards): control characters in query strings and forms, and bodies
over the limit."""

import pytest
from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.test.client import FakePayload

from members.models import Membership, MembershipDocument, Organisation, Person
from pole.request_guards import without_control_characters
from tests.members.test_applications import application

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def private_files(tmp_path, monkeypatch):
    field = MembershipDocument._meta.get_field("file")
    monkeypatch.setattr(field, "storage", FileSystemStorage(location=tmp_path / "private"))


def listed(**kwargs):
    organisation = Organisation.objects.create(kind="company", city="Lyon", directory_opt_in=True, **kwargs)
    Membership.objects.create(organisation=organisation, college="smes", state=Membership.State.ACTIVE)
    return organisation


# --- Control characters ------------------------------------------------------------------


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("q", ["%00", "Quantum%00", "Quan%01tum%7F", "%00%00%1b[31m"])
def test_the_directory_search_with_control_characters_answers_without_them(client, language, q):
    """On PostgreSQL a NUL in a query string used to reach the database: a 500."""
    listed(legal_name="Quantum Listed")
    response = client.get(f"/{language}/members/directory/?q={q}")
    assert response.status_code == 200
    content = response.content.decode()
    assert "\x00" not in content and "\x01" not in content and "\x1b" not in content
    typed = q.replace("%00", "").replace("%01", "").replace("%7F", "").replace("%1b", "")
    if typed:
        assert f'value="{typed}"' in content
    if "Quan" in q:
        assert "Quantum Listed" in content


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_form_with_control_characters_is_saved_without_them(client, language, django_capture_on_commit_callbacks):
    data = application(
        legal_name="Acme\x00 Robotique\x07",
        contact_first_name="Ma\x1brc",
        motivation="Ligne 1\r\n\tLigne 2\x00",
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/{language}/members/join/", data)
    assert response.status_code == 302
    organisation = Organisation.objects.get()
    assert organisation.legal_name == "Acme Robotique"
    assert Person.objects.get(is_main_contact=True).first_name == "Marc"
    # tab, line feed and carriage return stay in multi-line text
    assert Membership.objects.get().motivation == "Ligne 1\r\n\tLigne 2"


def test_keys_and_every_value_are_cleaned_and_a_clean_query_is_left_as_it_is(rf):
    request = rf.get("/?a%00b=1%002&a%00b=%C2%9F3&ok=%09tab")
    cleaned = without_control_characters(request.GET)
    assert dict(cleaned.lists()) == {"ab": ["12", "3"], "ok": ["\ttab"]}
    clean = rf.get("/?q=robot").GET
    assert without_control_characters(clean) is clean


# --- Bodies over the limit -----------------------------------------------------------------


class UnreadablePayload(FakePayload):
    """A body that fails the test if anything reads it."""

    def read(self, *args, **kwargs):
        raise AssertionError("the body was read")

    def readline(self, *args, **kwargs):
        raise AssertionError("the body was read")


@pytest.mark.parametrize(
    ("language", "title", "sentence"),
    [
        ("en", "Request too large", "What you sent is larger than the 65 MB the portal accepts at once"),
        ("fr", "Envoi trop volumineux", "Ce que vous avez envoyé dépasse les 65 Mo que le portail accepte en une fois"),
    ],
)
def test_a_body_over_the_limit_is_refused_before_it_is_read(client, language, title, sentence):
    declared = settings.MAX_REQUEST_BODY_SIZE + 1
    response = client.generic(
        "POST",
        f"/{language}/members/join/",
        CONTENT_TYPE="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(declared),
        **{"wsgi.input": UnreadablePayload(b"")},
    )
    assert response.status_code == 413
    content = response.content.decode()
    assert f"<title>{title}</title>" in content
    assert sentence in content
    assert Organisation.objects.count() == 0


def test_the_limit_lets_the_largest_form_through_and_agrees_with_the_upload_settings():
    assert settings.MAX_REQUEST_BODY_SIZE >= settings.MAX_FILES_PER_REQUEST * settings.MAX_UPLOAD_SIZE
    assert settings.MAX_REQUEST_BODY_SIZE >= settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    assert settings.MAX_REQUEST_BODY_SIZE < 100 * 1024 * 1024
    middleware = settings.MIDDLEWARE
    assert middleware.index("pole.request_guards.RequestBodyLimitMiddleware") < middleware.index(
        "django.middleware.csrf.CsrfViewMiddleware"
    )


def test_a_body_within_the_limit_goes_through(client):
    response = client.post("/en/members/join/", {"legal_name": "x"})
    assert response.status_code == 200
