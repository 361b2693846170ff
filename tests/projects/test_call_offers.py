"""A call's page offers only what the viewer may do: anonymous visitors log in to start a
project, contacts of an active member start one, other roles (who would get 403) are
offered nothing; staff edit the call [issue 9]."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from pole import roles
from tests.conftest import login, make_user
from tests.factories import CallFactory, MembershipFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def call():
    return CallFactory(code="open-call", is_published=True, deadline=timezone.now() + timedelta(days=10))


def page(client, call, language="fr"):
    with translation.override(language):
        return client.get(reverse("projects:call-detail", kwargs={"code": call.code})).content.decode()


def start_href(language="fr"):
    with translation.override(language):
        return f'href="{reverse("projects:project-create")}?call=open-call"'


@pytest.mark.parametrize("language, label", [("fr", "Connectez-vous pour"), ("en", "Log in to start a project")])
def test_anonymous_visitors_are_offered_to_log_in(client, call, language, label):
    html = page(client, call, language)
    with translation.override(language):
        login_url, create_url = reverse("account_login"), reverse("projects:project-create")
    assert f'href="{login_url}?next={create_url.replace("/", "%2F")}%3Fcall%3Dopen-call"' in html
    assert label in html
    assert start_href(language) not in html


def test_a_contact_of_an_active_member_may_start_a_project(client, call, member_user):
    PersonFactory(user=member_user, organisation=MembershipFactory().organisation, email=member_user.email)
    login(client, member_user)
    html = page(client, call)
    assert start_href() in html
    with translation.override("fr"):
        assert client.get(reverse("projects:project-create"), {"call": "open-call"}).status_code == 200


@pytest.mark.parametrize("group", [roles.STAFF, roles.EXPERT, roles.COMMITTEE, roles.BOARD, roles.FUNDER])
def test_roles_that_would_be_refused_are_not_offered_to_start_a_project(
    client, call, django_user_model, totp_secret, group
):
    user = make_user(
        django_user_model, f"{group}@x.example", group=group, is_staff=group == roles.STAFF, totp_secret=totp_secret
    )
    login(client, user, totp_secret)
    html = page(client, call)
    assert start_href() not in html
    assert "?next=" not in html
    with translation.override("fr"):
        assert client.get(reverse("projects:project-create"), {"call": "open-call"}).status_code == 403
    edit_link = f'href="{reverse("projects:staff-call-edit", kwargs={"code": "open-call"})}"'
    assert (edit_link in html) == (group == roles.STAFF)
