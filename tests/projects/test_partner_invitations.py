"""Partner invitations [A3] [P3]: the lead invites a partner's contact by e-mail; the invitee
gets an account (or uses his own), becomes the partner's contact for this project only
(a PartnerContact, never a contact of the partner's organisation), and fills in his own
part only. Invitations expire after 14 days and
work once."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.utils import timezone

from members.models import Person, User
from pole.models import ActivityLog
from projects.models import BudgetLine, PartnerContact, PartnerInvitation, ProjectState, RequestedAid
from projects.services.partner_invitations import invite_partner_contact
from projects.services.states import transition_project
from tests.conftest import PASSWORD, login, make_user
from tests.factories import BudgetLineFactory
from tests.projects.test_submission import make_dossier, partner_data, url

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "une-phrase-de-passe-longue-2026"
LEAD_SECRET = Decimal("161803.39")


@pytest.fixture
def dossier(member_user):
    """ACME leads (member_user); Beta Labs is a partner without any contact yet."""
    dossier = make_dossier(member_user)
    BudgetLineFactory(partner=dossier.lead, category="personnel", amount=LEAD_SECRET)
    return dossier


def accept_path(message) -> str:
    match = re.search(r"https?://[^/\s]+(/(?:fr|en)/projects/partner-invitations/[0-9a-f]{64}/)", message.body)
    assert match, message.body
    return match.group(1)


def invite(client, dossier, django_capture_on_commit_callbacks, email="Nina.Petit@Beta.example", partner=None):
    partner = partner or dossier.partner
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("project-consortium-invite", pk=dossier.project.pk, partner_pk=partner.pk),
            {"email": email, "first_name": "Nina", "last_name": "Petit"},
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    return response


def test_the_invitation_journey_ends_with_the_invitee_filling_in_his_own_budget(
    client, member_user, dossier, django_capture_on_commit_callbacks
):
    login(client, member_user)
    page = client.get(url("project-consortium-invite", pk=dossier.project.pk, partner_pk=dossier.partner.pk))
    assert page.status_code == 200
    response = invite(client, dossier, django_capture_on_commit_callbacks)
    assert response["Location"] == url("project-edit-consortium", pk=dossier.project.pk)
    invitation = PartnerInvitation.objects.get()
    assert (invitation.email, invitation.partner, invitation.invited_by) == (
        "nina.petit@beta.example",
        dossier.partner,
        member_user,
    )
    # the consortium page shows the pending invitation to the lead
    consortium = client.get(url("project-edit-consortium", pk=dossier.project.pk)).content.decode()
    assert "nina.petit@beta.example" in consortium

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["nina.petit@beta.example"]
    assert dossier.project.acronym in message.subject
    assert "Beta Labs" in message.body and "Nina" in message.body
    path = accept_path(message)
    assert path == url("partner-invitation-accept", token=invitation.token)
    assert path in message.alternatives[0][0]

    client.logout()
    page = client.get(path)
    assert page.status_code == 200
    assert 'name="password1"' in page.content.decode()
    assert 'value="Nina"' in page.content.decode()
    response = client.post(
        path, {"first_name": "Nina", "last_name": "Petit", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    partner_page = url("project-edit-partner", pk=dossier.project.pk, partner_pk=dossier.partner.pk)
    assert response.status_code == 302 and response["Location"] == partner_page

    user = User.objects.get(email="nina.petit@beta.example")
    assert EmailAddress.objects.get(user=user).verified
    assert not Person.objects.filter(user=user).exists()  # not a contact of Beta Labs
    project_contact = PartnerContact.objects.get(user=user)
    assert (project_contact.partner, project_contact.email, str(project_contact)) == (
        dossier.partner,
        "nina.petit@beta.example",
        "Nina Petit",
    )
    dossier.partner.refresh_from_db()
    assert (dossier.partner.contact, dossier.partner.project_contact) == (None, project_contact)
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None
    assert ActivityLog.objects.filter(verb="project.partner_invitation_accepted").count() == 1

    # logged in, the invitee fills in his own part…
    page = client.get(partner_page)
    assert page.status_code == 200
    data = partner_data(dossier.partner, **{"budget-personnel": "85000", "part-role": "Essais"})
    response = client.post(partner_page, {**data, "continue": "1"})
    assert response["Location"] == url("project-edit-budget", pk=dossier.project.pk)
    assert BudgetLine.objects.get(partner=dossier.partner, category="personnel").amount == Decimal("85000.00")
    assert RequestedAid.objects.get(partner=dossier.partner).amount == Decimal("60000.00")
    # …and sees neither the lead's lines nor its part
    budget = client.get(url("project-edit-budget", pk=dossier.project.pk)).content.decode()
    assert not re.search(r"161[\s.,\u202f\u00a0]?803[.,]39", budget)
    assert re.search(r"85[\s.,\u202f\u00a0]?000[.,]00", budget)  # his own line is there
    lead_page = url("project-edit-partner", pk=dossier.project.pk, partner_pk=dossier.lead.pk)
    assert client.get(lead_page).status_code == 403
    # the link works once
    client.logout()
    assert client.get(path).status_code == 410


def test_an_existing_account_logs_in_then_joins(
    client, member_user, django_user_model, dossier, django_capture_on_commit_callbacks
):
    invitee = make_user(django_user_model, "nina.petit@beta.example", first_name="Nina", last_name="Petit")
    login(client, member_user)
    invite(client, dossier, django_capture_on_commit_callbacks)
    path = accept_path(mail.outbox[0])
    client.logout()
    page = client.get(path)
    assert page.status_code == 200
    assert page.context["login_url"] == f"/fr/accounts/login/?next={path.replace('/', '%2F')}"
    response = client.post("/fr/accounts/login/", {"login": invitee.email, "password": PASSWORD, "next": path})
    assert response["Location"] == path
    assert 'type="submit"' in client.get(path).content.decode()
    response = client.post(path)
    assert response.status_code == 302
    dossier.partner.refresh_from_db()
    assert dossier.partner.project_contact.user == invitee
    assert not Person.objects.filter(user=invitee).exists()


def test_another_account_is_told_to_log_out(
    client, member_user, other_member_user, dossier, django_capture_on_commit_callbacks
):
    login(client, member_user)
    invite(client, dossier, django_capture_on_commit_callbacks)
    path = accept_path(mail.outbox[0])
    client.logout()
    login(client, other_member_user)
    page = client.get(path)
    assert page.status_code == 200
    assert page.templates[0].name == "pole/invitation/other_account.html"
    client.post(path)
    assert PartnerInvitation.objects.get().accepted_at is None
    dossier.partner.refresh_from_db()
    assert dossier.partner.contact is None


def test_unknown_expired_and_replaced_invitations(client, member_user, dossier, django_capture_on_commit_callbacks):
    assert client.get(url("partner-invitation-accept", token="0" * 64)).status_code == 404
    login(client, member_user)
    invite(client, dossier, django_capture_on_commit_callbacks)
    first = accept_path(mail.outbox[0])
    invite(client, dossier, django_capture_on_commit_callbacks)  # sent again: the first link stops working
    second = accept_path(mail.outbox[1])
    assert PartnerInvitation.objects.count() == 1
    client.logout()
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200
    PartnerInvitation.objects.update(created_at=timezone.now() - timedelta(days=14, seconds=1))
    page = client.get(second)
    assert page.status_code == 410 and page.context["reason"] == "expired"
    response = client.post(
        second, {"first_name": "N", "last_name": "P", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    assert response.status_code == 410
    assert not User.objects.filter(email="nina.petit@beta.example").exists()


def test_an_invitation_accepted_after_the_deposit_does_not_change_the_dossier(
    client, member_user, dossier, django_capture_on_commit_callbacks
):
    login(client, member_user)
    invite(client, dossier, django_capture_on_commit_callbacks)
    path = accept_path(mail.outbox[0])
    transition_project(project=dossier.project, target=ProjectState.DEPOSITED, actor=member_user)
    client.logout()
    response = client.post(
        path, {"first_name": "Nina", "last_name": "Petit", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == url("project-detail", pk=dossier.project.pk)
    assert not Person.objects.filter(user__email="nina.petit@beta.example").exists()
    assert PartnerContact.objects.get(user__email="nina.petit@beta.example").partner == dossier.partner
    dossier.partner.refresh_from_db()
    assert (dossier.partner.contact, dossier.partner.project_contact) == (None, None)  # the deposited dossier
    # as the partner's contact for this project, he sees the project page
    assert client.get(url("project-detail", pk=dossier.project.pk)).status_code == 200


def test_a_partners_contact_invites_a_colleague_for_his_own_part(
    client, other_member_user, member_user, django_capture_on_commit_callbacks
):
    dossier = make_dossier(member_user, other_member_user)
    login(client, other_member_user)
    response = invite(client, dossier, django_capture_on_commit_callbacks, email="collegue@beta.example")
    assert response["Location"] == url("project-edit-partner", pk=dossier.project.pk, partner_pk=dossier.partner.pk)
    assert PartnerInvitation.objects.get().partner == dossier.partner


def test_the_email_is_written_in_the_inviters_language(member_user, dossier, django_capture_on_commit_callbacks):
    member_user.language = "en"
    member_user.save()
    with django_capture_on_commit_callbacks(execute=True):
        invite_partner_contact(
            partner=dossier.partner, email="x@beta.example", first_name="", last_name="", invited_by=member_user
        )
    message = mail.outbox[0]
    assert message.subject == f"Invitation to the project {dossier.project.acronym} on the pole's portal"
    assert "/en/projects/partner-invitations/" in message.body
    assert message.body.startswith("Hello,")


def test_a_bad_address_keeps_what_was_typed(client, member_user, dossier):
    login(client, member_user)
    response = client.post(
        url("project-consortium-invite", pk=dossier.project.pk, partner_pk=dossier.partner.pk),
        {"email": "pas-une-adresse", "first_name": "Nina", "last_name": "Petit"},
    )
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["email"]
    assert 'value="pas-une-adresse"' in response.content.decode() and 'value="Nina"' in response.content.decode()
    assert not PartnerInvitation.objects.exists()
