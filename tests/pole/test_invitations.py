"""The invitation mechanism every kind of invitation uses (pole.invitations) [A3]: a token
valid 14 days, used once, by the account holding the invited address; the app's grant runs
only then. Shown on the colleagues' invitation (members.Invitation), a concrete kind."""

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import NoReverseMatch
from django.utils import timezone

from members.models import Invitation
from pole import invitations
from pole.invitations import AccountAlreadyExists, InvitationEmailMismatch, InvitationNotUsable
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def invitation(member_user):
    organisation = OrganisationFactory(legal_name="Acme Robotique", acronym="ACME")
    return Invitation.objects.create(organisation=organisation, email="nina@acme.example", invited_by=member_user)


def granting(calls):
    def grant(locked, user):
        calls.append((locked.pk, user.pk))
        return "granted"

    return grant


def test_an_invitation_expires_after_its_validity(invitation):
    assert invitation.expires_at == invitation.created_at + invitations.INVITATION_VALIDITY
    assert invitation.is_usable
    invitation.created_at = timezone.now() - invitations.INVITATION_VALIDITY
    assert invitation.is_expired and not invitation.is_usable


def test_accepting_runs_the_grant_once_and_marks_the_invitation_used(invitation, django_user_model):
    user = django_user_model.objects.create_user("Nina@Acme.example", "x")
    calls = []
    assert invitations.accept_invitation(invitation=invitation, user=user, grant=granting(calls)) == "granted"
    assert calls == [(invitation.pk, user.pk)]
    assert invitation.accepted_at is not None and not invitation.is_usable
    with pytest.raises(InvitationNotUsable):
        invitations.accept_invitation(invitation=invitation, user=user, grant=granting(calls))
    assert len(calls) == 1


def test_only_the_invited_address_may_accept(invitation, other_member_user):
    calls = []
    with pytest.raises(InvitationEmailMismatch):
        invitations.accept_invitation(invitation=invitation, user=other_member_user, grant=granting(calls))
    invitation.refresh_from_db()
    assert calls == [] and invitation.accepted_at is None


def test_a_verified_secondary_address_may_accept(invitation, other_member_user):
    EmailAddress.objects.create(user=other_member_user, email="nina@acme.example", verified=True)
    calls = []
    invitations.accept_invitation(invitation=invitation, user=other_member_user, grant=granting(calls))
    assert calls == [(invitation.pk, other_member_user.pk)]


def test_an_expired_invitation_grants_nothing(invitation, django_user_model):
    Invitation.objects.filter(pk=invitation.pk).update(created_at=timezone.now() - invitations.INVITATION_VALIDITY)
    user = django_user_model.objects.create_user("nina@acme.example", "x")
    calls = []
    with pytest.raises(InvitationNotUsable):
        invitations.accept_invitation(invitation=invitation, user=user, grant=granting(calls))
    assert calls == []


def test_a_new_account_gets_a_verified_address_then_accepts(invitation):
    calls = []
    user, granted = invitations.accept_invitation_with_new_account(
        invitation=invitation,
        grant=granting(calls),
        first_name=" Nina ",
        last_name="Petit",
        password="x",
        language="en",
    )
    assert (user.email, user.first_name, user.language, granted) == ("nina@acme.example", "Nina", "en", "granted")
    assert EmailAddress.objects.get(user=user).verified
    assert calls == [(invitation.pk, user.pk)] and invitation.accepted_at is not None


def test_an_existing_account_must_log_in_instead(invitation, django_user_model):
    django_user_model.objects.create_user("nina@acme.example", "x")
    calls = []
    with pytest.raises(AccountAlreadyExists):
        invitations.accept_invitation_with_new_account(
            invitation=invitation, grant=granting(calls), first_name="N", last_name="P", password="x"
        )
    invitation.refresh_from_db()
    assert calls == [] and invitation.accepted_at is None


def test_a_new_invitation_replaces_the_pending_one_of_the_same_address_in_the_same_scope(invitation, member_user):
    other_scope = Invitation.objects.create(organisation=OrganisationFactory(), email="nina@acme.example")
    newer, replaced = invitations.create_invitation(
        model=Invitation,
        scope={"organisation": invitation.organisation},
        email=" NINA@acme.example ",
        first_name=" Nina ",
        last_name="",
        invited_by=member_user,
        make_admin=True,
    )
    assert replaced == 1
    assert set(Invitation.objects.values_list("pk", flat=True)) == {other_scope.pk, newer.pk}
    assert (newer.email, newer.first_name, newer.make_admin, newer.invited_by) == (
        "nina@acme.example",
        "Nina",
        True,
        member_user,
    )


def test_the_email_carries_the_apps_wording_and_an_absolute_link(
    invitation, settings, django_capture_on_commit_callbacks
):
    settings.PORTAL_URL = "https://portail.example"
    with django_capture_on_commit_callbacks(execute=True):
        invitations.send_invitation_email(
            invitation=invitation, language="en", subject="Join R&D", message="Come <in>."
        )
    message = mail.outbox[0]
    assert (message.to, message.subject) == (["nina@acme.example"], "Join R&D")
    assert f"https://portail.example/en/members/invitations/{invitation.token}/" in message.body
    assert "Come <in>." in message.body and "Come &lt;in&gt;." in message.alternatives[0][0]


def test_a_broken_link_name_fails_instead_of_sending_a_linkless_email(invitation, monkeypatch):
    monkeypatch.setattr(Invitation, "accept_url_name", "members:no-such-page")
    with pytest.raises(NoReverseMatch):
        invitations.send_invitation_email(invitation=invitation, language="fr", subject="s", message="m")
    assert mail.outbox == []
