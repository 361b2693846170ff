"""The organisation boundary of consortia [A3] [A4] (issue 9, item 1).

The takeover that was possible: a lead adds organisation B to his draft, invites an
outside address as B's contact, and the invitee, on accepting, became an active contact of
B with every right of B's real contacts. Now the invitee is B's contact for that project
only; B's administrators are e-mailed and must confirm B's part before it gives anyone
access or is deposited; the search of the consortium step never lists a pending applicant.
"""

import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from members.models import Membership, Person, User
from members.services.invitations import accept_invitation, invite_colleague
from pole.models import ActivityLog
from projects.eligibility import CONFIRMED, check_eligibility
from projects.models import Partner, PartnerConfirmation, PartnerContact, ProjectDocument, ProjectState
from projects.permissions import ProjectAccess, partners_of, projects_visible_to
from projects.services.deposit import DepositRefused, deposit_project
from tests.conftest import login, make_user
from tests.factories import (
    DuesFactory,
    MembershipFactory,
    OrganisationFactory,
    PartnerFactory,
    PersonFactory,
    ProjectFactory,
)
from tests.projects.test_submission import url

pytestmark = pytest.mark.django_db

PASSWORD = "une-phrase-de-passe-longue-2026"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def members_url(name, language="fr", **kwargs):
    with translation.override(language):
        return reverse(f"members:{name}", kwargs=kwargs or None)


@pytest.fixture
def world(member_user, other_member_user, django_user_model):
    """A: Acme (active member), Alice (member_user) its administrator, leads a draft.
    B: Beta Industrie (active member) with Bruno (other_member_user) its administrator
    (English-speaking), a second contact, dues, a draft of its own with a document."""
    acme = OrganisationFactory(legal_name="Acme Robotique", acronym="ACME")
    MembershipFactory(organisation=acme)
    alice = PersonFactory(organisation=acme, user=member_user, email=member_user.email, is_organisation_admin=True)
    beta = OrganisationFactory(legal_name="Beta Industrie", acronym="BETA")
    beta_membership = MembershipFactory(organisation=beta)
    other_member_user.language = "en"
    other_member_user.save(update_fields=["language"])
    PersonFactory(organisation=beta, user=other_member_user, email=other_member_user.email, is_organisation_admin=True)
    colleague = make_user(django_user_model, "colleague@beta.example")
    PersonFactory(organisation=beta, user=colleague, email=colleague.email)
    dues = DuesFactory(membership=beta_membership)
    project = ProjectFactory(acronym="ATAKE", lead_organisation=acme)
    PartnerFactory(project=project, organisation=acme, is_lead=True, contact=alice)
    beta_draft = ProjectFactory(acronym="BSECRET", lead_organisation=beta)
    beta_lead = PartnerFactory(project=beta_draft, organisation=beta, is_lead=True)
    document = ProjectDocument(
        project=beta_draft,
        partner=beta_lead,
        kind="kbis",
        original_name="beta-secret.pdf",
        size=len(PDF),
        content_type="application/pdf",
        sha256="0" * 64,
    )
    document.file.save("beta-secret.pdf", SimpleUploadedFile("beta-secret.pdf", PDF), save=False)
    document.save()
    return {
        "acme": acme,
        "beta": beta,
        "project": project,
        "beta_draft": beta_draft,
        "document": document,
        "dues": dues,
        "colleague": colleague,
    }


def add_beta(client, world, capture):
    with capture(execute=True):
        response = client.post(
            url("project-consortium-add", pk=world["project"].pk), {"add-organisation": world["beta"].pk}
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    return Partner.objects.get(project=world["project"], organisation=world["beta"])


def link_in(message, pattern) -> str:
    match = re.search(rf"https?://[^/\s]+({pattern})", message.body)
    assert match, message.body
    return match.group(1)


def test_the_takeover_scenario_gives_the_invitee_nothing_of_b(
    client, member_user, other_member_user, world, django_capture_on_commit_callbacks
):
    project, beta = world["project"], world["beta"]
    login(client, member_user)

    # 1. Alice adds B to her draft: B has contacts, so it awaits confirmation; B's
    #    administrator (only him, in English) is e-mailed a link to confirm.
    partner = add_beta(client, world, django_capture_on_commit_callbacks)
    assert partner.confirmation == PartnerConfirmation.AWAITING
    assert [message.to for message in mail.outbox] == [[other_member_user.email]]
    notice = mail.outbox[0]
    assert notice.subject == "BETA named in the project ATAKE: please confirm"
    confirm_path = link_in(notice, r"/en/projects/partners/\d+/confirmation/")
    assert confirm_path == url("partner-confirm", language="en", pk=partner.pk)
    consortium = client.get(url("project-edit-consortium", pk=project.pk)).content.decode()
    assert "en attente de confirmation" in consortium

    # 2. She invites an outside address as B's contact; the outsider accepts with a new account.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            url("project-consortium-invite", pk=project.pk, partner_pk=partner.pk),
            {"email": "mallory@outside.example", "first_name": "Mallory", "last_name": "Intrus"},
        )
    accept = link_in(mail.outbox[-1], r"/fr/projects/partner-invitations/[0-9a-f]{64}/")
    client.logout()
    response = client.post(
        accept, {"first_name": "Mallory", "last_name": "Intrus", "password1": PASSWORD, "password2": PASSWORD}
    )
    assert response.status_code == 302
    mallory = User.objects.get(email="mallory@outside.example")
    assert not Person.objects.filter(user=mallory).exists()  # never a contact of B
    assert PartnerContact.objects.get(user=mallory).partner == partner

    # 3. Awaiting confirmation, B gives access to no one: neither Mallory nor B's own contacts.
    detail = url("project-detail", pk=project.pk)
    assert client.get(detail).status_code == 404
    assert client.get(url("project-edit-partner", pk=project.pk, partner_pk=partner.pk)).status_code == 404
    assert list(projects_visible_to(mallory)) == []
    assert project not in projects_visible_to(other_member_user)
    assert project not in projects_visible_to(world["colleague"])

    # 4. The deposit is refused with the checklist's message.
    failures = [r for r in check_eligibility(project) if r.code == CONFIRMED]
    assert [r.status for r in failures] == ["failure"]
    assert "BETA" in failures[0].message
    with pytest.raises(DepositRefused) as refused:
        deposit_project(project=project, actor=member_user)
    assert CONFIRMED in [failure.code for failure in refused.value.failures]
    project.refresh_from_db()
    assert project.state == ProjectState.DRAFT

    # 5. Neither Alice nor Mallory may answer for B; Bruno, B's administrator, confirms.
    assert client.get(confirm_path).status_code == 404
    client.logout()
    login(client, member_user)
    assert client.post(confirm_path, {"answer": "confirm"}).status_code == 404
    client.logout()
    login(client, other_member_user)
    page = client.get(confirm_path)
    assert page.status_code == 200 and "ATAKE" in page.content.decode()
    response = client.post(confirm_path, {"answer": "confirm"})
    assert response["Location"] == url("project-detail", language="en", pk=project.pk)
    partner.refresh_from_db()
    assert (partner.confirmation, partner.confirmed_by) == (PartnerConfirmation.CONFIRMED, other_member_user)
    assert ActivityLog.objects.filter(verb="project.partner_confirmed", data__partner=partner.pk).count() == 1
    assert client.get(detail).status_code == 200  # B's contacts now see the project
    client.logout()

    # 6. Mallory now works on B's part of THIS project, and nothing else of B.
    client.post("/fr/accounts/login/", {"login": mallory.email, "password": PASSWORD})
    assert client.get(detail).status_code == 200
    assert client.get(url("project-edit-partner", pk=project.pk, partner_pk=partner.pk)).status_code == 200
    slug = beta.slug
    for target in (
        members_url("space-detail", slug=slug),
        members_url("space-contacts", slug=slug),
        members_url("space-profile", slug=slug),
        members_url("space-invite", slug=slug),
        members_url("dues-notice", pk=world["dues"].pk),
        url("project-detail", pk=world["beta_draft"].pk),
        url("project-edit-general", pk=world["beta_draft"].pk),
        url("project-document", pk=world["document"].pk),
    ):
        assert client.get(target).status_code == 404, target
    # he cannot edit B's draft, nor invite anyone to B (as a colleague, or for this project)
    assert client.post(url("project-edit-general", pk=world["beta_draft"].pk), {"acronym": "PWNED"}).status_code == 404
    response = client.post(
        members_url("space-invite", slug=slug), {"email": "friend@outside.example", "first_name": "F", "last_name": "F"}
    )
    assert response.status_code == 404
    response = client.post(
        url("project-consortium-invite", pk=project.pk, partner_pk=partner.pk),
        {"email": "friend@outside.example", "first_name": "F", "last_name": "F"},
    )
    assert response.status_code == 403
    my_organisations = client.get(members_url("space")).content.decode()
    assert "Beta Industrie" not in my_organisations
    world["beta_draft"].refresh_from_db()
    assert world["beta_draft"].acronym == "BSECRET"
    assert not beta.invitations.exists()


def test_an_administrator_declines_and_the_lead_is_told(
    client, member_user, other_member_user, world, django_capture_on_commit_callbacks
):
    login(client, member_user)
    partner = add_beta(client, world, django_capture_on_commit_callbacks)
    client.logout()
    login(client, other_member_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("partner-confirm", language="en", pk=partner.pk), {"answer": "decline"})
    assert response.status_code == 302
    assert not Partner.objects.filter(pk=partner.pk).exists()
    assert ActivityLog.objects.filter(verb="project.partner_declined").count() == 1
    told = mail.outbox[-1]
    assert told.to == [member_user.email]
    assert told.subject == "BETA refuse de participer à ATAKE"


def test_an_organisation_created_on_the_fly_needs_no_confirmation(
    client, member_user, world, django_capture_on_commit_callbacks
):
    login(client, member_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("project-consortium-create-organisation", pk=world["project"].pk),
            {"new-legal_name": "Univ Foreign", "new-kind": "research", "new-country": "DE"},
        )
    assert response.status_code == 302
    partner = Partner.objects.get(project=world["project"], organisation__legal_name="Univ Foreign")
    assert partner.confirmation == PartnerConfirmation.CONFIRMED
    assert mail.outbox == []


def test_the_search_never_lists_a_pending_applicant(client, member_user, world):
    applicant = OrganisationFactory(legal_name="Canari Candidat", siren="732829320", city="Villecanari")
    MembershipFactory(organisation=applicant, state=Membership.State.APPLIED)
    PersonFactory(organisation=applicant)
    login(client, member_user)
    project = world["project"]
    for query in ("canari", "73282"):
        page = client.get(url("project-consortium-search", pk=project.pk, query=f"q={query}"))
        html = page.content.decode()
        assert page.status_code == 200
        assert "Canari" not in html and "732829320" not in html and "Villecanari" not in html
    # an active member is listed
    assert (
        "Beta Industrie" in client.get(url("project-consortium-search", pk=project.pk, query="q=beta")).content.decode()
    )
    # a forged POST of the applicant's id is refused
    response = client.post(url("project-consortium-add", pk=project.pk), {"add-organisation": applicant.pk})
    assert response.status_code == 200 and "organisation" in response.context["add_form"].errors
    assert not project.partners.filter(organisation=applicant).exists()


def test_awaiting_confirmation_is_shown_in_english_and_on_the_lists(
    client, member_user, other_member_user, world, django_capture_on_commit_callbacks
):
    login(client, member_user)
    add_beta(client, world, django_capture_on_commit_callbacks)
    project = world["project"]
    consortium = client.get(url("project-edit-consortium", language="en", pk=project.pk)).content.decode()
    assert "awaiting confirmation" in consortium
    detail = client.get(url("project-detail", language="en", pk=project.pk)).content.decode()
    assert "awaiting confirmation" in detail
    mine = client.get(url("my-projects", language="en")).content.decode()
    assert "partner awaiting confirmation" in mine
    client.logout()
    login(client, other_member_user)
    mine = client.get(url("my-projects", language="en")).content.decode()
    assert "Consortia awaiting your confirmation" in mine and "ATAKE" in mine


def test_a_project_scoped_contact_is_not_in_organisations_of_and_is_scoped_to_his_partner(member_user, world):
    partner = PartnerFactory(project=world["project"], organisation=world["beta"])
    outsider = make_user(User, "scoped@outside.example")
    PartnerContact.objects.create(partner=partner, user=outsider, first_name="S", email=outsider.email)
    assert list(partners_of(outsider)) == [partner]
    access = ProjectAccess(outsider, world["project"])
    assert access.can_edit_partner(partner) and not access.can_invite_for(partner)
    assert not access.can_choose_organisation_contact(partner)
    assert not access.can_edit and not access.sees_all_partners


def test_the_partner_form_does_not_list_b_contacts_to_the_lead(client, member_user, world):
    partner = PartnerFactory(project=world["project"], organisation=world["beta"])
    login(client, member_user)
    page = client.get(url("project-edit-partner", pk=world["project"].pk, partner_pk=partner.pk))
    assert page.status_code == 200
    assert "colleague@beta.example" not in page.content.decode()
    assert list(page.context["part_form"].contact_choices) == []


def test_administrators_are_told_of_every_new_contact(
    member_user, other_member_user, world, django_user_model, django_capture_on_commit_callbacks
):
    beta = world["beta"]
    newcomer = make_user(django_user_model, "newcomer@beta.example", first_name="Nouveau", last_name="Venu")
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invite_colleague(
            organisation=beta,
            email=newcomer.email,
            first_name="",
            last_name="",
            make_admin=False,
            invited_by=other_member_user,  # one of BETA's administrators
        )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        accept_invitation(invitation=invitation, user=newcomer)
    assert [message.to for message in mail.outbox] == [[other_member_user.email]]
    assert mail.outbox[0].subject == "New contact of BETA: Nouveau Venu"
    assert members_url("space-contacts", language="en", slug=beta.slug) in mail.outbox[0].body


def test_a_new_consortium_tells_the_lead_organisations_other_administrators(
    member_user, world, django_user_model, django_capture_on_commit_callbacks
):
    from projects.services.submission import create_project
    from tests.factories import CallFactory

    second_admin = make_user(django_user_model, "admin2@acme.example", first_name="Zoé")
    PersonFactory(organisation=world["acme"], user=second_admin, email=second_admin.email, is_organisation_admin=True)
    with django_capture_on_commit_callbacks(execute=True):
        project = create_project(
            call=CallFactory(),
            lead_organisation=world["acme"],
            acronym="NOUVO",
            title_fr="Nouveau",
            created_by=member_user,
        )
    # Alice, who created it, is not told; Zoé, the other administrator, is (in French)
    assert [message.to for message in mail.outbox] == [[second_admin.email]]
    assert mail.outbox[0].subject == "ACME désignée dans le projet NOUVO"
    assert url("partner-confirm", pk=project.partners.get().pk) in mail.outbox[0].body


def test_the_dossier_names_a_project_scoped_contact(member_user, world):
    from projects.services.versions import snapshot_project

    partner = PartnerFactory(project=world["project"], organisation=world["beta"])
    outsider = make_user(User, "scoped@outside.example")
    contact = PartnerContact.objects.create(
        partner=partner, user=outsider, first_name="Sam", last_name="Portée", email=outsider.email
    )
    Partner.objects.filter(pk=partner.pk).update(project_contact=contact)
    rows = {row["id"]: row for row in snapshot_project(world["project"])["partners"]}
    assert rows[partner.pk]["contact"] == "Sam Portée"


def test_a_contact_added_by_staff_in_the_admin_is_told_to_the_administrators(
    other_member_user, staff_user, world, django_user_model, django_capture_on_commit_callbacks, rf
):
    from django.contrib import admin

    from members.admin import PersonAdmin

    newcomer = make_user(django_user_model, "by-staff@beta.example")
    person = Person(
        organisation=world["beta"], user=newcomer, email=newcomer.email, first_name="Par", last_name="Staff"
    )
    request = rf.post("/admin/")
    request.user = staff_user

    class Form:
        changed_data = ["organisation", "user", "first_name"]

    with django_capture_on_commit_callbacks(execute=True):
        PersonAdmin(Person, admin.site).save_model(request, person, Form(), change=False)
    assert [message.to for message in mail.outbox] == [[other_member_user.email]]
    assert mail.outbox[0].subject == "New contact of BETA: Par Staff"
