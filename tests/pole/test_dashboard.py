"""The dashboard is each user's home: an attached contact sees his organisation's pages;
roles without an organisation (funder, expert, committee, board) see what they can do,
and no "My organisation"/"My projects" entry inviting them to apply [issue 9]."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import translation

from pole import roles
from tests.conftest import login, make_user
from tests.factories import MembershipFactory, PersonFactory

pytestmark = pytest.mark.django_db


def url(name, language):
    with translation.override(language):
        return reverse(name)


def page(client, language):
    response = client.get(url("pole:dashboard", language))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(
    "language, heading, not_linked",
    [
        ("fr", "Votre organisation", "n’est encore liée à aucune organisation"),
        ("en", "Your organisation", "not linked to any organisation"),
    ],
)
def test_an_attached_contact_is_shown_his_organisation_not_told_he_has_none(
    client, member_user, language, heading, not_linked
):
    PersonFactory(user=member_user, organisation=MembershipFactory().organisation, email=member_user.email)
    login(client, member_user)
    html = page(client, language)
    assert f'<h2 id="organisation-title" class="h5">{heading}</h2>' in html
    assert f'<li><a href="{url("members:space", language)}">' in html
    assert f'<li><a href="{url("projects:my-projects", language)}">' in html
    assert not_linked not in html
    assert "appear here once your account is linked" not in html


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_user_without_role_nor_organisation_is_told_how_to_get_one(client, member_user, language):
    login(client, member_user)
    html = page(client, language)
    assert 'id="no-organisation"' in html
    assert f'href="{url("members:space", language)}"' in html  # the navigation still offers it


@pytest.mark.parametrize("group", [roles.FUNDER, roles.EXPERT, roles.COMMITTEE, roles.BOARD])
@pytest.mark.parametrize("language", ["fr", "en"])
def test_roles_without_organisation_get_a_home_and_no_membership_entries(
    client, django_user_model, totp_secret, group, language
):
    user = make_user(django_user_model, f"{group}@example.org", group=group, totp_secret=totp_secret)
    login(client, user, totp_secret)
    html = page(client, language)
    assert f'href="{url("members:space", language)}"' not in html
    assert f'href="{url("projects:my-projects", language)}"' not in html
    assert 'id="no-organisation"' not in html
    assert f'id="role-home-{group}"' in html
    with translation.override(language):
        from pole.views import ROLE_HOMES

        assert f"<p>{ROLE_HOMES[group]['can']}</p>".replace("'", "&#x27;") in html
    assert f'href="{url("projects:labelled", language)}"' in html


def test_a_funder_who_is_also_a_contact_keeps_his_organisation_entries(client, funder_user, totp_secret):
    PersonFactory(user=funder_user, organisation=MembershipFactory().organisation, email=funder_user.email)
    assert Group.objects.filter(name=roles.FUNDER, user=funder_user).exists()
    login(client, funder_user, totp_secret)
    html = page(client, "fr")
    assert f'href="{url("members:space", "fr")}"' in html
    assert 'id="role-home-funder"' in html
