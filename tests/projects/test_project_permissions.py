"""Who may see and change which part of a dossier [P2] [P3] [A4]: a partner who is not the
lead never sees another partner's budget lines, aid or documents and cannot change them
(forged POSTs answer 403 and change nothing); a contact of an unrelated organisation gets
404 everywhere; once deposited, no URL changes the dossier."""

import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern

from members.models import Organisation
from projects.exceptions import DossierLocked
from projects.models import (
    EDITABLE_STATES,
    BudgetLine,
    Partner,
    PartnerInvitation,
    Project,
    ProjectDocument,
    ProjectState,
    RequestedAid,
)
from projects.services import submission
from projects.services.partner_invitations import invite_partner_contact
from projects.services.states import transition_project
from projects.views import submission as submission_views
from tests.conftest import login
from tests.factories import BudgetLineFactory, OrganisationFactory, PersonFactory, UserFactory, funding_scheme
from tests.projects.test_submission import general_data, make_dossier, partner_data, url

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"

# Amounts that must never reach the page of a partner who may not see them.
SECRET_AMOUNTS = {
    "gamma_personnel": Decimal("314159.27"),
    "gamma_equipment": Decimal("271828.18"),
    "gamma_aid": Decimal("99887.66"),
    "lead_personnel": Decimal("161803.39"),
    "lead_aid": Decimal("57721.56"),
}
SECRET_NAMES = ["gamma-kbis-secret.pdf", "acme-comptes-secrets.pdf"]


def amount_pattern(amount: Decimal) -> re.Pattern:
    """The amount in any rendering: 314159.27, 314159,27, 314 159,27 (any space), 314,159.27."""
    units, cents = f"{amount:.2f}".split(".")
    head, tail = units[:-3], units[-3:]
    return re.compile(rf"{head}[\s.,\u202f\u00a0]?{tail}[.,]{cents}")


def assert_no_secret(html: str, where: str) -> None:
    for name, amount in SECRET_AMOUNTS.items():
        assert not amount_pattern(amount).search(html), f"{name} shown on {where}"
    for name in SECRET_NAMES:
        assert name not in html, f"{name} shown on {where}"


def store(document_name, project, partner, kind="kbis"):
    document = ProjectDocument(
        project=project,
        partner=partner,
        kind=kind,
        original_name=document_name,
        size=len(PDF),
        content_type="application/pdf",
        sha256="0" * 64,
    )
    document.file.save(document_name, SimpleUploadedFile(document_name, PDF), save=False)
    document.save()
    return document


@pytest.fixture
def scene(member_user, other_member_user):
    """ACME leads (member_user), Beta Labs is a partner (other_member_user), Gamma another
    partner with its own contact; the lead and Gamma have distinctive amounts and documents."""
    dossier = make_dossier(member_user, other_member_user)
    project = dossier.project
    scheme = funding_scheme()
    gamma_org = OrganisationFactory(legal_name="Gamma Composites")
    gamma = Partner.objects.create(
        project=project, organisation=gamma_org, contact=PersonFactory(organisation=gamma_org), role="Fournisseur"
    )
    BudgetLineFactory(partner=gamma, category="personnel", amount=SECRET_AMOUNTS["gamma_personnel"])
    BudgetLineFactory(partner=gamma, category="equipment", amount=SECRET_AMOUNTS["gamma_equipment"])
    RequestedAid.objects.create(partner=gamma, funding_scheme=scheme, amount=SECRET_AMOUNTS["gamma_aid"])
    BudgetLineFactory(partner=dossier.lead, category="personnel", amount=SECRET_AMOUNTS["lead_personnel"])
    RequestedAid.objects.create(partner=dossier.lead, funding_scheme=scheme, amount=SECRET_AMOUNTS["lead_aid"])
    BudgetLineFactory(partner=dossier.partner, category="personnel", amount=Decimal("1000.00"))
    BudgetLineFactory(partner=dossier.partner, category="travel", amount=Decimal("2000.00"))
    documents = {
        "gamma": store(SECRET_NAMES[0], project, gamma),
        "lead": store(SECRET_NAMES[1], project, dossier.lead, kind="accounts"),
        "project": store("annexe-technique.pdf", project, None, kind="technical_annex"),
        "beta": store("beta-kbis.pdf", project, dossier.partner),
    }
    PartnerInvitation.objects.create(partner=gamma, email="invite.gamma@gamma.example")
    return dossier, gamma, documents


def snapshot(project):
    """Everything the submission can change, to prove that a refused request changed nothing."""
    return (
        list(Project.objects.filter(pk=project.pk).values()),
        list(Project.objects.get(pk=project.pk).strategic_domains.values_list("pk", flat=True)),
        list(Partner.objects.filter(project=project).order_by("pk").values()),
        list(BudgetLine.objects.order_by("pk").values()),
        list(RequestedAid.objects.order_by("pk").values()),
        list(ProjectDocument.objects.order_by("pk").values()),
        list(PartnerInvitation.objects.order_by("pk").values("pk", "email", "partner_id", "accepted_at")),
        Organisation.objects.count(),
    )


def beta_pages(project, beta):
    return [
        url("project-edit-general", pk=project.pk),
        url("project-edit-consortium", pk=project.pk),
        url("project-edit-partner", pk=project.pk, partner_pk=beta.pk),
        url("project-edit-budget", pk=project.pk),
        url("project-edit-documents", pk=project.pk),
        url("project-edit-checks", pk=project.pk),
        url("project-consortium-invite", pk=project.pk, partner_pk=beta.pk),
        url("project-detail", pk=project.pk),
    ]


def test_a_partner_sees_his_own_part_and_never_the_other_partners_figures(client, other_member_user, scene):
    dossier, gamma, documents = scene
    login(client, other_member_user)
    for page in beta_pages(dossier.project, dossier.partner):
        response = client.get(page)
        assert response.status_code == 200, page
        assert_no_secret(response.content.decode(), page)
    # htmx fragments too
    fragment = client.get(url("project-edit-checks", pk=dossier.project.pk), headers={"HX-Request": "true"})
    assert_no_secret(fragment.content.decode(), "checks fragment")
    # he sees his own lines and the documents he may see
    own = client.get(url("project-edit-partner", pk=dossier.project.pk, partner_pk=dossier.partner.pk))
    assert amount_pattern(Decimal("2000.00")).search(own.content.decode())
    documents_page = client.get(url("project-edit-documents", pk=dossier.project.pk)).content.decode()
    assert "annexe-technique.pdf" in documents_page and "beta-kbis.pdf" in documents_page
    # the project page agrees: the project's own documents and his organisation's, downloadable
    project_page = client.get(url("project-detail", pk=dossier.project.pk)).content.decode()
    assert "annexe-technique.pdf" in project_page and "beta-kbis.pdf" in project_page
    assert client.get(url("project-document", pk=documents["project"].pk)).status_code == 200
    assert client.get(url("project-document", pk=documents["gamma"].pk)).status_code == 404
    # the pending invitation to Gamma's contact is not his business
    assert (
        "invite.gamma@gamma.example"
        not in client.get(url("project-edit-consortium", pk=dossier.project.pk)).content.decode()
    )


def test_the_lead_sees_every_partners_figures(client, member_user, scene):
    dossier, gamma, documents = scene
    login(client, member_user)
    html = client.get(url("project-edit-budget", pk=dossier.project.pk)).content.decode()
    assert amount_pattern(SECRET_AMOUNTS["gamma_personnel"]).search(html)
    html = client.get(url("project-edit-partner", pk=dossier.project.pk, partner_pk=gamma.pk)).content.decode()
    assert amount_pattern(SECRET_AMOUNTS["gamma_equipment"]).search(html)
    html = client.get(url("project-edit-documents", pk=dossier.project.pk)).content.decode()
    assert all(name in html for name in SECRET_NAMES)


def test_a_partner_cannot_open_or_change_another_partners_part(client, other_member_user, scene):
    dossier, gamma, documents = scene
    project = dossier.project
    login(client, other_member_user)
    before = snapshot(project)
    gamma_page = url("project-edit-partner", pk=project.pk, partner_pk=gamma.pk)
    assert client.get(gamma_page).status_code == 403
    forged = partner_data(gamma, **{"budget-personnel": "1", "part-role": "Pirate"})
    assert client.post(gamma_page, forged).status_code == 403
    lead_page = url("project-edit-partner", pk=project.pk, partner_pk=dossier.lead.pk)
    assert client.post(lead_page, partner_data(dossier.lead, **{"budget-personnel": "1"})).status_code == 403
    assert snapshot(project) == before


def test_a_partner_cannot_forge_the_leads_steps(client, other_member_user, scene):
    dossier, gamma, documents = scene
    project = dossier.project
    newcomer = OrganisationFactory(legal_name="Intrus SA")
    login(client, other_member_user)
    before = snapshot(project)
    forged = [
        (url("project-edit-general", pk=project.pk), general_data(title_fr="Piraté")),
        (url("project-consortium-add", pk=project.pk), {"add-organisation": newcomer.pk}),
        (
            url("project-consortium-create-organisation", pk=project.pk),
            {"new-legal_name": "Fausse", "new-kind": "research", "new-country": "DE"},
        ),
        (url("project-consortium-remove", pk=project.pk, partner_pk=gamma.pk), {}),
        (url("project-consortium-lead", pk=project.pk, partner_pk=dossier.partner.pk), {}),
        (url("project-consortium-invite", pk=project.pk, partner_pk=gamma.pk), {"email": "x@evil.example"}),
        (url("project-document-remove", pk=project.pk, document_pk=documents["project"].pk), {}),
        (url("project-document-remove", pk=project.pk, document_pk=documents["lead"].pk), {}),
    ]
    for target, data in forged:
        response = client.post(target, data)
        assert response.status_code in (403, 404), target
    assert client.get(url("project-consortium-search", pk=project.pk, query="q=intrus")).status_code == 403
    assert client.get(url("project-consortium-invite", pk=project.pk, partner_pk=gamma.pk)).status_code == 403
    # uploads: for Gamma, or for the whole project, are refused
    for partner_value in (str(gamma.pk), ""):
        response = client.post(
            url("project-edit-documents", pk=project.pk),
            {"doc-kind": "other", "doc-partner": partner_value, "doc-file": SimpleUploadedFile("x.pdf", PDF)},
        )
        assert response.status_code == 200 and "partner" in response.context["form"].errors
    assert snapshot(project) == before


def test_a_partner_edits_his_own_part(client, other_member_user, scene):
    dossier, gamma, documents = scene
    login(client, other_member_user)
    edit = url("project-edit-partner", pk=dossier.project.pk, partner_pk=dossier.partner.pk)
    response = client.post(edit, partner_data(dossier.partner, **{"budget-personnel": "4242"}))
    assert response.status_code == 302
    assert BudgetLine.objects.get(partner=dossier.partner, category="personnel").amount == Decimal("4242.00")
    response = client.post(
        url("project-edit-documents", pk=dossier.project.pk),
        {"doc-kind": "kbis", "doc-partner": str(dossier.partner.pk), "doc-file": SimpleUploadedFile("k.pdf", PDF)},
    )
    assert response.status_code == 302
    assert ProjectDocument.objects.filter(partner=dossier.partner, original_name="k.pdf").exists()


def all_edit_routes(project, dossier, documents):
    """Every URL of the submission module that changes or shows a dossier, with its kwargs."""
    routes = []
    for pattern in submission_views.urlpatterns:
        assert isinstance(pattern, URLPattern)
        route = str(pattern.pattern)
        if not route.startswith("<int:pk>/edit/"):
            continue
        kwargs = {"pk": project.pk}
        if "<int:partner_pk>" in route:
            kwargs["partner_pk"] = dossier.partner.pk
        if "<int:document_pk>" in route:
            kwargs["document_pk"] = documents["beta"].pk
        routes.append((pattern.name, url(pattern.name, **kwargs)))
    return routes


def forged_post_data(name, dossier, outsider):
    return {
        "project-edit-general": general_data(title_fr="Changé après dépôt"),
        "project-edit-partner": partner_data(dossier.partner, **{"budget-personnel": "1"}),
        "project-consortium-add": {"add-organisation": outsider.pk},
        "project-consortium-create-organisation": {
            "new-legal_name": "Après dépôt",
            "new-kind": "research",
            "new-country": "DE",
        },
        "project-consortium-invite": {"email": "late@example.org"},
        "project-edit-documents": {
            "doc-kind": "other",
            "doc-partner": "",
            "doc-file": SimpleUploadedFile("late.pdf", PDF),
        },
    }.get(name, {})


def test_no_url_changes_a_deposited_dossier(client, member_user, other_member_user, scene):
    dossier, gamma, documents = scene
    project = dossier.project
    transition_project(project=project, target=ProjectState.DEPOSITED, actor=member_user)
    routes = all_edit_routes(project, dossier, documents)
    assert len(routes) == 14
    outsider = OrganisationFactory()
    before = snapshot(project)
    for user in (member_user, other_member_user):
        client.logout()
        login(client, user)
        for name, target in routes:
            for method in ("get", "post"):
                data = forged_post_data(name, dossier, outsider) if method == "post" else {}
                response = getattr(client, method)(target, data)
                assert response.status_code == 302, (method, name, response.status_code)
                assert response["Location"] == url("project-detail", pk=project.pk), (method, name)
    assert snapshot(project) == before
    page = client.get(url("project-edit-general", language="en", pk=project.pk), follow=True)
    assert "This dossier can no longer be changed: it is deposited." in [str(m) for m in page.context["messages"]]
    # the entry point refuses too
    assert client.get(url("project-edit", pk=project.pk))["Location"] == url("project-detail", pk=project.pk)


@pytest.mark.parametrize("state", sorted(set(ProjectState.values) - EDITABLE_STATES))
def test_every_service_refuses_a_locked_dossier_even_with_a_stale_object(member_user, scene, state):
    dossier, gamma, documents = scene
    project = dossier.project  # still "draft" in memory: the services read the locked row
    Project.objects.filter(pk=project.pk).update(state=state)
    scheme = funding_scheme()
    outsider = OrganisationFactory()
    before = snapshot(project)
    calls = [
        lambda: submission.update_general(project=project, actor=member_user, data={"title_fr": "X"}),
        lambda: submission.add_partner(project=project, organisation=outsider, actor=member_user),
        lambda: submission.add_partner(
            project=project, organisation=Organisation(legal_name="Nouvelle", kind="research"), actor=member_user
        ),
        lambda: submission.remove_partner(partner=gamma, actor=member_user),
        lambda: submission.set_lead_partner(partner=gamma, actor=member_user),
        lambda: submission.update_partner_part(partner=gamma, actor=member_user, contact=None, role="", tasks=""),
        lambda: submission.save_budget_lines(partner=gamma, actor=member_user, amounts={"personnel": Decimal("1")}),
        lambda: submission.save_requested_aids(partner=gamma, actor=member_user, aids=[(scheme, Decimal("1"))]),
        lambda: submission.add_document(
            project=project,
            partner=None,
            kind="other",
            upload=SimpleUploadedFile("late.pdf", PDF),
            actor=member_user,
        ),
        lambda: submission.remove_document(document=documents["project"], actor=member_user),
        lambda: invite_partner_contact(
            partner=gamma, email="late@example.org", first_name="", last_name="", invited_by=member_user
        ),
    ]
    for call in calls:
        with pytest.raises(DossierLocked):
            call()
    assert snapshot(project) == before


def test_an_unrelated_contact_gets_404_on_every_page_and_document(client, scene):
    dossier, gamma, documents = scene
    project = dossier.project
    stranger = UserFactory()
    PersonFactory(organisation=OrganisationFactory(), user=stranger, email=stranger.email)
    login(client, stranger)
    outsider = OrganisationFactory()
    before = snapshot(project)
    for name, target in all_edit_routes(project, dossier, documents):
        assert client.get(target).status_code == 404, name
        assert client.post(target, forged_post_data(name, dossier, outsider)).status_code == 404, name
    for document in documents.values():
        assert client.get(url("project-document", pk=document.pk)).status_code == 404
    assert client.get(url("project-detail", pk=project.pk)).status_code == 404
    assert snapshot(project) == before


def test_project_access_in_an_editable_and_a_deposited_dossier(member_user, other_member_user, staff_user, scene):
    """ProjectAccess, the one rule every view, template and service reads: the lead's
    contact edits everything while editable, Beta's contact his own part, staff read all,
    a stranger nothing; once deposited nobody edits."""
    from projects.permissions import ProjectAccess

    dossier, gamma, documents = scene
    stranger = UserFactory()
    for state in (ProjectState.DRAFT, ProjectState.DEPOSITED):
        Project.objects.filter(pk=dossier.project.pk).update(state=state)
        project = Project.objects.get(pk=dossier.project.pk)
        editable = state == ProjectState.DRAFT
        partners = [dossier.lead, dossier.partner, gamma]
        expected = {
            # user: (can_edit, edits partners, sees partners, can_invite_for partners)
            member_user: (editable, [editable] * 3, [True] * 3, [editable] * 3),
            other_member_user: (False, [False, editable, False], [False, True, False], [False, editable, False]),
            staff_user: (False, [False] * 3, [True] * 3, [False] * 3),
            stranger: (False, [False] * 3, [False] * 3, [False] * 3),
        }
        for user, (can_edit, edits, sees, invites) in expected.items():
            project_access = ProjectAccess(user, project)
            assert project_access.can_edit == can_edit, (state, user)
            assert [project_access.can_edit_partner(p) for p in partners] == edits, (state, user)
            assert [project_access.can_see_partner(p) for p in partners] == sees, (state, user)
            assert [project_access.can_invite_for(p) for p in partners] == invites, (state, user)
