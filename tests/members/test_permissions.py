"""One permission model for the members app [A3, A4]: members.permissions, plain Python,
used by the views, the templates (`access`) and the services alike; no django-rules."""

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from members import permissions
from members.models import Invitation, Person
from members.permissions import (
    OrganisationAccess,
    dues_visible_to,
    get_organisation_access,
    organisations_visible_to,
)
from members.services.invitations import cancel_invitation, invite_colleague
from members.services.organisations import deactivate_contact, update_contact, update_organisation_profile
from pole import roles
from tests.conftest import login
from tests.factories import DuesFactory, MembershipFactory, OrganisationFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db

PROPERTIES = [
    "is_contact",
    "is_admin",
    "can_view_space",
    "can_see_dues",
    "can_edit_profile",
    "can_manage_contacts",
    "can_invite_colleague",
]


@pytest.fixture
def organisation():
    return OrganisationFactory(legal_name="Acme Robotique")


def contact(organisation, *, admin=False, active=True):
    user = UserFactory()
    PersonFactory(organisation=organisation, user=user, is_organisation_admin=admin, is_active=active)
    return user


def rights(user, organisation) -> dict:
    access = OrganisationAccess(user, organisation)
    return {name: getattr(access, name) for name in PROPERTIES}


def test_the_access_table(organisation, staff_user):
    other = OrganisationFactory()
    cases = {
        "anonymous": (AnonymousUser(), [False] * 7),
        "contact of another organisation": (contact(other, admin=True), [False] * 7),
        "former contact": (contact(organisation, admin=True, active=False), [False] * 7),
        "contact": (contact(organisation), [True, False, True, True, False, False, False]),
        "administrator": (contact(organisation, admin=True), [True, True, True, True, True, True, True]),
        "staff": (staff_user, [False, False, True, True, True, True, True]),
    }
    for case, (user, expected) in cases.items():
        assert rights(user, organisation) == dict(zip(PROPERTIES, expected, strict=True)), case


def test_the_access_is_computed_with_one_query(organisation, django_assert_num_queries):
    user = contact(organisation, admin=True)
    access = OrganisationAccess(user, organisation)
    with django_assert_num_queries(2):  # the user's role groups, then his contact row
        assert [getattr(access, name) for name in PROPERTIES] == [True] * 7
        assert [getattr(access, name) for name in PROPERTIES] == [True] * 7


def test_lists_and_fetches_are_scoped(organisation, staff_user):
    other = OrganisationFactory()
    user = contact(organisation)
    own_dues = DuesFactory(membership=MembershipFactory(organisation=organisation))
    DuesFactory(membership=MembershipFactory(organisation=other))

    assert list(organisations_visible_to(user)) == [organisation]
    assert list(dues_visible_to(user)) == [own_dues]
    assert set(organisations_visible_to(staff_user)) == {organisation, other}
    assert get_organisation_access(user, slug=organisation.slug).organisation == organisation
    with pytest.raises(Http404):
        get_organisation_access(user, slug=other.slug)
    with pytest.raises(PermissionDenied):
        get_organisation_access(user, slug=organisation.slug, require="can_manage_contacts")


def test_services_refuse_what_the_access_does_not_allow(organisation):
    plain = contact(organisation)
    admin = contact(organisation, admin=True)
    colleague = Person.objects.get(user=admin)
    invitation = invite_colleague(
        organisation=organisation,
        email="new@acme.example",
        first_name="",
        last_name="",
        make_admin=False,
        invited_by=admin,
    )

    with pytest.raises(PermissionDenied):
        invite_colleague(
            organisation=organisation,
            email="intruder@evil.example",
            first_name="",
            last_name="",
            make_admin=True,
            invited_by=plain,
        )
    with pytest.raises(PermissionDenied):
        cancel_invitation(invitation=invitation, actor=plain)
    with pytest.raises(PermissionDenied):
        update_contact(person=colleague, actor=plain, data={"is_organisation_admin": False})
    with pytest.raises(PermissionDenied):
        deactivate_contact(person=colleague, actor=plain)
    with pytest.raises(PermissionDenied):
        update_organisation_profile(organisation=organisation, actor=plain, data={"acronym": "PWNED"})

    assert list(Invitation.objects.values_list("email", flat=True)) == ["new@acme.example"]
    colleague.refresh_from_db()
    organisation.refresh_from_db()
    assert (colleague.is_active, colleague.is_organisation_admin, organisation.acronym) == (True, True, "")


def test_templates_read_the_access(client, organisation, member_user):
    PersonFactory(organisation=organisation, user=member_user, is_organisation_admin=False)
    login(client, member_user)
    page = client.get(f"/en/members/my-organisation/{organisation.slug}/contacts/")
    assert page.context["access"].can_view_space and not page.context["access"].can_manage_contacts
    html = page.content.decode()
    assert "Invite a colleague" not in html and "Edit the profile" not in html

    Person.objects.filter(user=member_user).update(is_organisation_admin=True)
    html = client.get(f"/en/members/my-organisation/{organisation.slug}/contacts/").content.decode()
    assert "Invite a colleague" in html and "Edit the profile" in html


def test_django_rules_is_gone():
    assert not any(app.startswith("rules") for app in settings.INSTALLED_APPS)
    assert not any(backend.startswith("rules.") for backend in settings.AUTHENTICATION_BACKENDS)
    assert not hasattr(permissions, "rules")
    assert not hasattr(roles, "rules")
    assert roles.is_staff_member(AnonymousUser()) is False
    with open(settings.BASE_DIR / "requirements.txt", encoding="utf-8") as requirements:
        assert not [line for line in requirements if line.startswith("rules")]
