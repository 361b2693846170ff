"""Invitations of colleagues [A3] [M6]: sent by an organisation's administrator, valid
14 days, used once; accepting one binds the invitee's account to the organisation."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.utils import timezone

from members.models import INVITATION_VALIDITY, Invitation, Person
from members.services.invitations import InvitationNotUsable, accept_invitation, invite_colleague
from pole.models import ActivityLog
from tests.conftest import login
from tests.factories import MembershipFactory, OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "une-phrase-de-passe-longue-2026"


@pytest.fixture
def own(member_user):
    organisation = OrganisationFactory(legal_name="Acme Robotique", acronym="ACME")
    PersonFactory(organisation=organisation, user=member_user, email=member_user.email, is_organisation_admin=True)
    MembershipFactory(organisation=organisation)
    return organisation


@pytest.fixture
def other(other_member_user):
    organisation = OrganisationFactory(legal_name="Autre Industrie")
    PersonFactory(
        organisation=organisation, user=other_member_user, email=other_member_user.email, is_organisation_admin=True
    )
    return organisation


def invite_url(organisation):
    return f"/fr/members/my-organisation/{organisation.slug}/contacts/invite/"


def accept_path(message):
    match = re.search(r"https?://[^/\s]+(/(?:fr|en)/members/invitations/[0-9a-f]{64}/)", message.body)
    assert match, message.body
    return match.group(1)


def send_invitation(client, organisation, django_capture_on_commit_callbacks, **data):
    data = {"email": "Nouveau.Collegue@Acme.example", "first_name": "Nina", "last_name": "Petit", **data}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(invite_url(organisation), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return response


def test_invite_then_a_new_user_sets_his_password_and_joins(
    client, member_user, own, django_user_model, django_capture_on_commit_callbacks
):
    login(client, member_user)
    response = send_invitation(client, own, django_capture_on_commit_callbacks)
    assert response["Location"] == f"/fr/members/my-organisation/{own.slug}/contacts/"
    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.organisation, invitation.invited_by) == (
        "nouveau.collegue@acme.example",
        own,
        member_user,
    )
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["nouveau.collegue@acme.example"]
    path = accept_path(message)
    assert path == f"/fr/members/invitations/{invitation.token}/"
    assert "ACME" in message.subject
    assert f"members/invitations/{invitation.token}/" in message.alternatives[0][0]

    client.post("/fr/accounts/logout/")
    page = client.get(path)
    assert page.status_code == 200
    assert 'name="password1"' in page.content.decode()
    assert 'value="Nina"' in page.content.decode()

    response = client.post(
        path, {"first_name": "Nina", "last_name": "Petit", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/fr/members/my-organisation/{own.slug}/"
    user = django_user_model.objects.get(email="nouveau.collegue@acme.example")
    assert user.check_password(NEW_PASSWORD)
    assert (user.first_name, user.last_name) == ("Nina", "Petit")
    assert EmailAddress.objects.get(user=user).verified
    assert int(client.session["_auth_user_id"]) == user.pk
    person = Person.objects.get(user=user)
    assert (person.organisation, person.is_active, person.is_organisation_admin) == (own, True, False)
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None and invitation.person == person
    assert client.get(f"/fr/members/my-organisation/{own.slug}/").status_code == 200
    verbs = set(ActivityLog.objects.values_list("verb", flat=True))
    assert {"invitation.sent", "invitation.accepted"} <= verbs


def test_the_email_is_in_the_inviters_language(client, member_user, own, django_capture_on_commit_callbacks):
    member_user.language = "en"
    member_user.save(update_fields=["language"])
    login(client, member_user)
    send_invitation(client, own, django_capture_on_commit_callbacks)
    message = mail.outbox[0]
    assert message.subject == "Invitation to join ACME on the pole's portal"
    assert "/en/members/invitations/" in message.body


def test_an_admin_invitation_makes_an_administrator(client, member_user, own, django_user_model):
    invitation = invite_colleague(
        organisation=own,
        email="chef@acme.example",
        first_name="",
        last_name="",
        make_admin=True,
        invited_by=member_user,
    )
    response = client.post(
        f"/fr/members/invitations/{invitation.token}/",
        {"first_name": "Chef", "last_name": "Projet", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    person = Person.objects.get(user__email="chef@acme.example")
    assert person.is_organisation_admin


def test_an_unknown_token_is_404(client):
    response = client.get("/en/members/invitations/" + "0" * 64 + "/")
    assert response.status_code == 404
    assert "Unknown invitation" in response.content.decode()


def test_an_invitation_expires_after_14_days(client, member_user, own):
    invitation = invite_colleague(
        organisation=own,
        email="tard@acme.example",
        first_name="",
        last_name="",
        make_admin=False,
        invited_by=member_user,
    )
    url = f"/en/members/invitations/{invitation.token}/"
    Invitation.objects.filter(pk=invitation.pk).update(
        created_at=timezone.now() - INVITATION_VALIDITY + timezone.timedelta(minutes=5)
    )
    assert client.get(url).status_code == 200

    Invitation.objects.filter(pk=invitation.pk).update(created_at=timezone.now() - INVITATION_VALIDITY)
    response = client.get(url)
    assert response.status_code == 410
    assert "This invitation has expired" in response.content.decode()
    response = client.post(
        url, {"first_name": "A", "last_name": "B", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    assert response.status_code == 410
    assert not Person.objects.filter(email="tard@acme.example").exists()
    assert not EmailAddress.objects.filter(email="tard@acme.example").exists()


def test_a_token_works_once(client, member_user, own, django_user_model):
    invitation = invite_colleague(
        organisation=own,
        email="une@acme.example",
        first_name="",
        last_name="",
        make_admin=False,
        invited_by=member_user,
    )
    url = f"/en/members/invitations/{invitation.token}/"
    data = {"first_name": "Une", "last_name": "Fois", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    assert client.post(url, data).status_code == 302
    client.post("/en/accounts/logout/")
    response = client.get(url)
    assert response.status_code == 410
    assert "already been used" in response.content.decode()
    assert (
        client.post(url, {**data, "password1": "autre-phrase-2026-xx", "password2": "autre-phrase-2026-xx"}).status_code
        == 410
    )
    assert django_user_model.objects.get(email="une@acme.example").check_password(NEW_PASSWORD)
    assert Person.objects.filter(email="une@acme.example").count() == 1

    # The service itself refuses a second use (the view is not the only guard).
    with pytest.raises(InvitationNotUsable):
        accept_invitation(invitation=invitation, user=django_user_model.objects.get(email="une@acme.example"))


def test_reinviting_invalidates_the_old_token(client, member_user, own, django_capture_on_commit_callbacks):
    login(client, member_user)
    send_invitation(client, own, django_capture_on_commit_callbacks)
    send_invitation(client, own, django_capture_on_commit_callbacks, email="nouveau.collegue@acme.example")
    assert len(mail.outbox) == 2
    old_path, new_path = accept_path(mail.outbox[0]), accept_path(mail.outbox[1])
    assert old_path != new_path
    assert Invitation.objects.count() == 1
    client.post("/fr/accounts/logout/")
    assert client.get(old_path).status_code == 404
    assert client.get(new_path).status_code == 200


def test_a_non_admin_cannot_invite(client, member_user, django_capture_on_commit_callbacks):
    organisation = OrganisationFactory()
    PersonFactory(organisation=organisation, user=member_user, email=member_user.email, is_organisation_admin=False)
    login(client, member_user)
    assert client.get(invite_url(organisation)).status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(invite_url(organisation), {"email": "x@example.org"})
    assert response.status_code == 403
    assert not Invitation.objects.exists() and mail.outbox == []
    content = client.get(f"/fr/members/my-organisation/{organisation.slug}/contacts/").content.decode()
    assert invite_url(organisation) not in content


def test_a_contact_of_another_organisation_gets_404(
    client, member_user, own, other, other_member_user, django_capture_on_commit_callbacks
):
    pending = invite_colleague(
        organisation=other,
        email="p@other.example",
        first_name="",
        last_name="",
        make_admin=False,
        invited_by=other_member_user,
    )
    mail.outbox.clear()
    login(client, member_user)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.get(invite_url(other)).status_code == 404
        assert client.post(invite_url(other), {"email": "x@example.org"}).status_code == 404
        base = f"/fr/members/my-organisation/{other.slug}/invitations/{pending.pk}"
        assert client.post(f"{base}/resend/").status_code == 404
        assert client.post(f"{base}/cancel/").status_code == 404
        # Nor through his own organisation's URLs.
        mine = f"/fr/members/my-organisation/{own.slug}/invitations/{pending.pk}"
        assert client.post(f"{mine}/resend/").status_code == 404
        assert client.post(f"{mine}/cancel/").status_code == 404
    assert list(Invitation.objects.values_list("pk", flat=True)) == [pending.pk]
    assert mail.outbox == []
    content = client.get(f"/fr/members/my-organisation/{own.slug}/contacts/").content.decode()
    assert "p@other.example" not in content


def test_resend_and_cancel(client, member_user, own, django_capture_on_commit_callbacks):
    login(client, member_user)
    send_invitation(client, own, django_capture_on_commit_callbacks)
    first = Invitation.objects.get()
    content = client.get(f"/fr/members/my-organisation/{own.slug}/contacts/").content.decode()
    assert "nouveau.collegue@acme.example" in content
    base = f"/fr/members/my-organisation/{own.slug}/invitations"
    assert client.get(f"{base}/{first.pk}/resend/").status_code == 405
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"{base}/{first.pk}/resend/").status_code == 302
    second = Invitation.objects.get()
    assert second.pk != first.pk and second.token != first.token
    assert len(mail.outbox) == 2 and accept_path(mail.outbox[1]) == f"/fr/members/invitations/{second.token}/"
    assert client.post(f"{base}/{second.pk}/cancel/").status_code == 302
    assert not Invitation.objects.exists()
    assert client.get(f"/fr/members/invitations/{second.token}/").status_code == 404


def test_inviting_a_current_contact_is_refused(client, member_user, own):
    login(client, member_user)
    response = client.post(invite_url(own).replace("/fr/", "/en/"), {"email": member_user.email.upper()})
    assert response.status_code == 200
    assert response.context["form"].errors["email"] == ["This person is already a contact of your organisation."]
    assert not Invitation.objects.exists()


def test_a_logged_in_invitee_joins_with_one_click(client, member_user, other, other_member_user):
    """The invitee already has an account (and another organisation): he logs in and joins."""
    invitation = invite_colleague(
        organisation=other,
        email="CONTACT@acme.example",
        first_name="",
        last_name="",
        make_admin=True,
        invited_by=other_member_user,
    )
    url = f"/en/members/invitations/{invitation.token}/"
    response = client.get(url)
    assert response.status_code == 200
    content = response.content.decode()
    assert "An account already exists" in content
    assert 'href="/en/accounts/login/?next=%2Fen%2Fmembers%2Finvitations%2F' in content

    login(client, member_user)
    response = client.get(url)
    assert "Join Autre Industrie</button>" in response.content.decode()
    response = client.post(url)
    assert response.status_code == 302
    assert response["Location"] == f"/en/members/my-organisation/{other.slug}/"
    person = Person.objects.get(organisation=other, user=member_user)
    assert person.is_active and person.is_organisation_admin
    assert client.get(f"/en/members/my-organisation/{other.slug}/profile/").status_code == 200


def test_a_previous_contact_is_reactivated_not_duplicated(client, member_user, own, other_member_user, other):
    old = PersonFactory(organisation=other, user=member_user, email=member_user.email, is_active=False)
    invitation = invite_colleague(
        organisation=other,
        email=member_user.email,
        first_name="",
        last_name="",
        make_admin=False,
        invited_by=other_member_user,
    )
    accept_invitation(invitation=invitation, user=member_user)
    assert list(Person.objects.filter(organisation=other, user=member_user)) == [old]
    old.refresh_from_db()
    assert old.is_active and not old.is_organisation_admin


def test_someone_logged_in_with_another_address_is_told_to_log_out(client, member_user, other, other_member_user):
    invitation = invite_colleague(
        organisation=other,
        email="quelquun@ailleurs.example",
        first_name="",
        last_name="",
        make_admin=False,
        invited_by=other_member_user,
    )
    url = f"/en/members/invitations/{invitation.token}/"
    login(client, member_user)
    response = client.get(url)
    assert response.status_code == 200
    content = response.content.decode()
    assert "but you are logged in as contact@acme.example" in content
    assert 'action="/en/accounts/logout/"' in content
    response = client.post(url)
    assert response.status_code == 200
    assert not Person.objects.filter(organisation=other, user=member_user).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_signup_errors_keep_the_names(client, member_user, own):
    invitation = invite_colleague(
        organisation=own, email="n@acme.example", first_name="", last_name="", make_admin=False, invited_by=member_user
    )
    url = f"/en/members/invitations/{invitation.token}/"
    response = client.post(url, {"first_name": "Noé", "last_name": "Roux", "password1": "short", "password2": "other"})
    assert response.status_code == 200
    content = response.content.decode()
    assert 'value="Noé"' in content and 'value="Roux"' in content
    assert "The two passwords differ." in content
    assert not EmailAddress.objects.filter(email="n@acme.example").exists()
    response = client.post(url, {"first_name": "Noé", "last_name": "Roux", "password1": "short", "password2": "short"})
    assert "password1" in response.context["form"].errors
