"""The submission steps [P1]–[P3]: a member creates a draft, fills in the general part,
builds the consortium (existing organisations or created on the fly), each partner's part
(contact, role, tasks, budget grid, requested aid); validation errors and expired sessions
keep what was typed; the services never change the project's state; query counts.

The helpers at the top (`Dossier`, `make_dossier`, `url`) are shared by the other test
modules of the submission."""

import re
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from members.models import Organisation, OrganisationKind, Person
from pole.models import ActivityLog, FundingScheme, OtherCluster, StrategicDomain
from projects.models import BudgetLine, Partner, Project, ProjectKind, ProjectState, RequestedAid
from projects.services import submission
from projects.services.submission import SubmissionRefused
from tests.conftest import login
from tests.factories import (
    VALID_SIRENS,
    BudgetLineFactory,
    CallFactory,
    MembershipFactory,
    OrganisationFactory,
    PartnerFactory,
    PersonFactory,
    ProjectFactory,
    UserFactory,
    funding_scheme,
)

pytestmark = pytest.mark.django_db


def url(name, language="fr", query="", **kwargs):
    with translation.override(language):
        return reverse(f"projects:{name}", kwargs=kwargs or None) + (f"?{query}" if query else "")


@dataclass
class Dossier:
    project: Project
    lead: Partner
    partner: Partner
    lead_person: Person
    partner_person: Person | None


def make_dossier(lead_user, partner_user=None, *, call=None, **project_fields) -> Dossier:
    """A draft project led by ACME (an active member, `lead_user` its contact) with a second
    partner, Beta Labs (a research lab, not a member; `partner_user` its contact)."""
    call = call or CallFactory()
    acme = OrganisationFactory(legal_name="Acme Robotique", acronym="ACME")
    MembershipFactory(organisation=acme)
    lead_person = PersonFactory(organisation=acme, user=lead_user, email=lead_user.email, first_name="Alice")
    beta = OrganisationFactory(legal_name="Beta Labs", acronym="BETA", kind=OrganisationKind.RESEARCH)
    partner_person = (
        PersonFactory(organisation=beta, user=partner_user, email=partner_user.email, first_name="Bruno")
        if partner_user
        else None
    )
    project = ProjectFactory(call=call, lead_organisation=acme, **project_fields)
    lead = PartnerFactory(project=project, organisation=acme, is_lead=True, contact=lead_person, role="Coordinateur")
    partner = PartnerFactory(project=project, organisation=beta, contact=partner_person, role="Laboratoire")
    return Dossier(project, lead, partner, lead_person, partner_person)


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]] if response.context else []


def general_data(**overrides) -> dict:
    data = {
        "acronym": "HYPRO",
        "title_fr": "Hydrogène propre",
        "title_en": "Clean hydrogen",
        "summary_fr": "Résumé public.",
        "summary_en": "Public summary.",
        "description": "Secret de fabrication.",
        "kind": ProjectKind.RD,
        "sub_kind": "",
        "markets": "Mobilité lourde",
        "duration_months": "36",
        "start_date": "2027-01-15",
        "trl_from": "3",
        "trl_to": "6",
        "confidentiality": "restricted",
        "public_consent": "on",
    }
    data.update(overrides)
    return data


def partner_data(partner, **overrides) -> dict:
    scheme = funding_scheme()
    data = {
        "part-contact": (
            str(partner.contact_id or "") or (f"c{partner.project_contact_id}" if partner.project_contact_id else "")
        ),
        "part-role": "Intégrateur",
        "part-tasks": "WP2, WP3",
        "budget-personnel": "120000",
        "budget-equipment": "30000,50",
        "budget-subcontracting": "",
        "budget-travel": "5000",
        "budget-other_direct": "",
        "budget-overheads": "",
        "aid-TOTAL_FORMS": "2",
        "aid-INITIAL_FORMS": "0",
        "aid-MIN_NUM_FORMS": "0",
        "aid-MAX_NUM_FORMS": "1000",
        "aid-0-funding_scheme": str(scheme.pk),
        "aid-0-amount": "60000",
        "aid-1-funding_scheme": "",
        "aid-1-amount": "",
    }
    data.update(overrides)
    return data


@pytest.fixture
def dossier(member_user, other_member_user):
    return make_dossier(member_user, other_member_user)


# --- creating a project -------------------------------------------------------------------


@pytest.fixture
def member_org(member_user):
    acme = OrganisationFactory(legal_name="Acme Robotique", acronym="ACME")
    MembershipFactory(organisation=acme)
    PersonFactory(organisation=acme, user=member_user, email=member_user.email)
    return acme


def test_a_member_contact_creates_a_draft_with_his_organisation_as_lead(client, member_user, member_org):
    call = CallFactory(code="fui-2026")
    login(client, member_user)
    page = client.get(url("project-create", query="call=fui-2026"))
    assert page.status_code == 200
    assert page.context["form"].initial["call"] == call.pk
    assert page.context["form"].initial["lead_organisation"] == member_org.pk

    response = client.post(
        url("project-create"),
        {
            "call": call.pk,
            "lead_organisation": member_org.pk,
            "kind": "rd",
            "acronym": " NEOBAT ",
            "title_fr": "Batterie",
        },
    )
    project = Project.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("project-edit-general", pk=project.pk)
    assert (project.acronym, project.state, project.call, project.lead_organisation) == (
        "NEOBAT",
        ProjectState.DRAFT,
        call,
        member_org,
    )
    lead = project.partners.get()
    assert (lead.is_lead, lead.organisation, lead.contact.user) == (True, member_org, member_user)
    assert project.created_by == member_user
    assert ActivityLog.objects.filter(verb="project.created").count() == 1


def test_a_non_member_cannot_create_a_project_and_is_told_why(client, member_user):
    organisation = OrganisationFactory()  # no membership
    PersonFactory(organisation=organisation, user=member_user, email=member_user.email)
    call = CallFactory()
    login(client, member_user)
    page = client.get(url("project-create", language="en"))
    assert page.status_code == 403
    assert "Only the contacts of a member organisation of the pole may start a project" in page.content.decode()
    assert "can still take part in a project as partners" in page.content.decode()
    response = client.post(
        url("project-create"),
        {"call": call.pk, "lead_organisation": organisation.pk, "kind": "rd", "acronym": "X", "title_fr": "Y"},
    )
    assert response.status_code == 403
    assert not Project.objects.exists()


def test_a_closed_call_or_another_organisation_is_refused_and_the_typed_values_stay(client, member_user, member_org):
    CallFactory()  # an open call: the form is shown
    closed = CallFactory(deadline=timezone.now() - timedelta(days=1), opens_at=timezone.now() - timedelta(days=60))
    stranger = OrganisationFactory()
    MembershipFactory(organisation=stranger)
    login(client, member_user)
    response = client.post(
        url("project-create"),
        {"call": closed.pk, "lead_organisation": stranger.pk, "kind": "rd", "acronym": "TYPED", "title_fr": "Gardé"},
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"call", "lead_organisation"}
    html = response.content.decode()
    assert 'value="TYPED"' in html and 'value="Gardé"' in html
    assert not Project.objects.exists()


def test_create_refuses_a_kind_the_call_does_not_accept(client, member_user, member_org):
    call = CallFactory(allowed_kinds=["non_rd"])
    login(client, member_user)
    response = client.post(
        url("project-create"),
        {"call": call.pk, "lead_organisation": member_org.pk, "kind": "rd", "acronym": "A", "title_fr": "B"},
    )
    assert response.status_code == 200 and "kind" in response.context["form"].errors
    with pytest.raises(SubmissionRefused):
        submission.create_project(
            call=call, lead_organisation=member_org, acronym="A", title_fr="B", created_by=member_user, kind="rd"
        )
    assert not Project.objects.exists()


def test_anonymous_visitors_are_sent_to_the_login(client):
    response = client.get(url("project-create"))
    assert response.status_code == 302 and response["Location"].startswith("/fr/accounts/login/")


# --- step 1: general ------------------------------------------------------------------------


def test_the_general_step_saves_and_continues(client, member_user, dossier):
    domain = StrategicDomain.objects.create(code="energie", name_fr="Énergie", name_en="Energy")
    pole = OtherCluster.objects.create(name="Pôle Véhicule du Futur")
    login(client, member_user)
    page = client.get(url("project-edit-general", pk=dossier.project.pk))
    html = page.content.decode()
    assert page.status_code == 200
    assert 'aria-current="step"' in html
    assert re.search(r'<a class="nav-link active" href="[^"]+/edit/general/" aria-current="step">', html)
    assert 'name="continue"' in html and 'name="save"' in html

    data = general_data(strategic_domains=[domain.pk], co_labelling_poles=[pole.pk])
    response = client.post(url("project-edit-general", pk=dossier.project.pk), {**data, "continue": "1"})
    assert response.status_code == 302
    assert response["Location"] == url("project-edit-consortium", pk=dossier.project.pk)
    project = Project.objects.get()
    assert (project.acronym, project.title_en, project.trl_from, project.trl_to, project.duration_months) == (
        "HYPRO",
        "Clean hydrogen",
        3,
        6,
        36,
    )
    assert list(project.strategic_domains.all()) == [domain]
    assert list(project.co_labelling_poles.all()) == [pole]
    assert project.public_consent is True
    assert project.state == ProjectState.DRAFT

    response = client.post(url("project-edit-general", pk=dossier.project.pk), {**data, "save": "1"})
    assert response["Location"] == url("project-edit-general", pk=dossier.project.pk)


def test_a_validation_error_keeps_everything_typed_and_saves_nothing(client, member_user, dossier):
    login(client, member_user)
    before = Project.objects.values().get(pk=dossier.project.pk)
    data = general_data(title_fr="Titre tapé mais pas gardé", markets="Marché tapé", trl_from="7", trl_to="4")
    response = client.post(url("project-edit-general", pk=dossier.project.pk), data)
    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.errors) == ["trl_to"]
    html = response.content.decode()
    assert 'value="Titre tapé mais pas gardé"' in html
    assert "Marché tapé</textarea>" in html
    assert Project.objects.values().get(pk=dossier.project.pk) == before
    # the page around the form shows the saved project, not the typed values
    assert response.context["project"].title_fr == before["title_fr"]


def test_a_non_rd_project_needs_its_sub_kind_and_drops_its_trl(client, member_user, dossier):
    login(client, member_user)
    response = client.post(url("project-edit-general", pk=dossier.project.pk), general_data(kind="non_rd"))
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["sub_kind"]
    assert 'name="sub_kind"' in response.content.decode()  # shown now that the kind is non-R&D

    response = client.post(
        url("project-edit-general", pk=dossier.project.pk), general_data(kind="non_rd", sub_kind="training")
    )
    assert response.status_code == 302
    project = Project.objects.get()
    assert (project.kind, project.sub_kind, project.trl_from, project.trl_to) == ("non_rd", "training", None, None)


def test_the_sub_kind_is_ignored_for_an_rd_project(client, member_user, dossier):
    login(client, member_user)
    client.post(url("project-edit-general", pk=dossier.project.pk), general_data(sub_kind="training"))
    assert Project.objects.get().sub_kind == ""
    page = client.get(url("project-edit-general", pk=dossier.project.pk))
    assert 'name="sub_kind"' not in page.content.decode()
    assert 'name="trl_from"' in page.content.decode()


def test_htmx_swaps_the_kind_dependent_fields(client, member_user, dossier):
    login(client, member_user)
    response = client.get(
        url("project-edit-general", pk=dossier.project.pk, query="kind=non_rd"), headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="kind-fields"')
    assert 'name="sub_kind"' in html and 'name="trl_from"' not in html


def test_an_expired_session_brings_the_user_back_with_what_he_typed(client, member_user, dossier):
    login(client, member_user)
    client.logout()  # the session expired while he was typing
    edit = url("project-edit-general", pk=dossier.project.pk)
    response = client.post(edit, general_data(title_fr="Tapé avant l'expiration"))
    assert response.status_code == 302
    assert response["Location"] == f"/fr/accounts/login/?next={edit}"
    assert Project.objects.get().title_fr != "Tapé avant l'expiration"

    # the login form keeps the anonymous session's data (Django cycles its key)
    response = client.post(
        "/fr/accounts/login/", {"login": member_user.email, "password": "correct-horse-battery-staple", "next": edit}
    )
    assert response["Location"] == edit
    page = client.get(edit)
    assert "Tapé avant l&#x27;expiration" in page.content.decode()
    assert any("session" in message for message in messages_of(page))
    assert Project.objects.get().title_fr != "Tapé avant l'expiration"  # shown, not saved
    # shown once: the next visit shows what is saved
    assert "Tapé avant" not in client.get(edit).content.decode()


# --- step 2: consortium -------------------------------------------------------------------


def test_the_lead_finds_an_organisation_by_name_or_siren_and_adds_it(client, member_user, dossier):
    gamma = OrganisationFactory(legal_name="Gamma Composites", siren=VALID_SIRENS[0])
    MembershipFactory(organisation=gamma)  # an active member: listed by the search
    login(client, member_user)
    page = client.get(url("project-edit-consortium", pk=dossier.project.pk, query="q=gamma"))
    assert [o.pk for o in page.context["add_form"].results] == [gamma.pk]
    by_siren = client.get(url("project-consortium-search", pk=dossier.project.pk, query=f"q={VALID_SIRENS[0][:5]}"))
    assert by_siren.status_code == 200
    assert f'value="{gamma.pk}"' in by_siren.content.decode()
    assert by_siren.content.decode().lstrip().startswith('<div id="organisation-select"')
    # the partners already in the consortium are not offered
    assert (
        client.get(url("project-edit-consortium", pk=dossier.project.pk, query="q=beta")).context["add_form"].results
        == []
    )

    response = client.post(url("project-consortium-add", pk=dossier.project.pk), {"add-organisation": gamma.pk})
    assert response.status_code == 302
    assert dossier.project.partners.filter(organisation=gamma, is_lead=False).exists()
    # adding it twice is refused
    response = client.post(url("project-consortium-add", pk=dossier.project.pk), {"add-organisation": gamma.pk})
    assert response.status_code == 200 and "organisation" in response.context["add_form"].errors
    assert dossier.project.partners.count() == 3


def test_a_foreign_organisation_is_created_on_the_fly(client, member_user, dossier):
    login(client, member_user)
    response = client.post(
        url("project-consortium-create-organisation", pk=dossier.project.pk),
        {"new-legal_name": "Fraunhofer Test", "new-kind": "research", "new-country": "DE"},
    )
    assert response.status_code == 302
    organisation = Organisation.objects.get(legal_name="Fraunhofer Test")
    assert (str(organisation.country), organisation.siret, organisation.department) == ("DE", "", "")
    assert dossier.project.partners.filter(organisation=organisation).exists()
    assert not organisation.memberships.exists()


def test_a_french_company_needs_its_siret_and_department_and_keeps_what_was_typed(client, member_user, dossier):
    login(client, member_user)
    response = client.post(
        url("project-consortium-create-organisation", pk=dossier.project.pk),
        {"new-legal_name": "Delta Usinage", "new-kind": "company", "new-country": "FR"},
    )
    assert response.status_code == 200
    assert set(response.context["new_form"].errors) == {"siret", "department"}
    assert 'value="Delta Usinage"' in response.content.decode()
    assert not Organisation.objects.filter(legal_name="Delta Usinage").exists()

    response = client.post(
        url("project-consortium-create-organisation", pk=dossier.project.pk),
        {
            "new-legal_name": "Delta Usinage",
            "new-kind": "company",
            "new-country": "FR",
            "new-siret": "732 829 320 00009",
            "new-department": "69",
        },
    )
    assert response.status_code == 302, response.context["new_form"].errors
    delta = Organisation.objects.get(legal_name="Delta Usinage")
    assert (delta.siret, delta.siren, delta.region) == ("73282932000009", "732829320", "84")
    # the same SIREN again: the existing organisation (not listed by the search) is used,
    # already a partner here
    response = client.post(
        url("project-consortium-create-organisation", pk=dossier.project.pk),
        {
            "new-legal_name": "Delta bis",
            "new-kind": "company",
            "new-country": "FR",
            "new-siret": "73282932000009",
            "new-department": "69",
        },
    )
    assert response.status_code == 200
    assert response.context["new_form"].errors == {"__all__": ["Delta Usinage est déjà partenaire de ce projet."]}
    assert Organisation.objects.filter(siren="732829320").count() == 1


def test_a_french_lab_needs_no_siret(client, member_user, dossier):
    login(client, member_user)
    response = client.post(
        url("project-consortium-create-organisation", pk=dossier.project.pk),
        {"new-legal_name": "Labo Epsilon", "new-kind": "research", "new-country": "FR", "new-department": "38"},
    )
    assert response.status_code == 302


def test_the_lead_removes_a_partner_but_not_the_lead(client, member_user, dossier):
    login(client, member_user)
    BudgetLineFactory(partner=dossier.partner)
    response = client.post(
        url("project-consortium-remove", language="en", pk=dossier.project.pk, partner_pk=dossier.lead.pk)
    )
    assert response.status_code == 302
    assert Partner.objects.filter(pk=dossier.lead.pk).exists()
    assert "The lead partner cannot be removed: choose another lead partner first." in messages_of(
        client.get(response["Location"])
    )

    client.post(url("project-consortium-remove", pk=dossier.project.pk, partner_pk=dossier.partner.pk))
    assert list(dossier.project.partners.all()) == [dossier.lead]
    assert not BudgetLine.objects.exists()


def test_the_lead_changes_the_lead_partner(client, member_user, dossier):
    login(client, member_user)
    response = client.post(url("project-consortium-lead", pk=dossier.project.pk, partner_pk=dossier.partner.pk))
    assert response.status_code == 302
    dossier.lead.refresh_from_db()
    dossier.partner.refresh_from_db()
    assert (dossier.lead.is_lead, dossier.partner.is_lead) == (False, True)
    project = Project.objects.get()
    assert project.lead_organisation == dossier.partner.organisation
    # ACME is no longer the lead: its contact may no longer change the consortium
    response = client.post(url("project-consortium-lead", pk=dossier.project.pk, partner_pk=dossier.lead.pk))
    assert response.status_code == 403


# --- a partner's part -----------------------------------------------------------------------


def test_the_lead_fills_in_a_partners_budget_and_aid(client, member_user, dossier):
    login(client, member_user)
    edit = url("project-edit-partner", pk=dossier.project.pk, partner_pk=dossier.partner.pk)
    page = client.get(edit)
    assert page.status_code == 200
    assert re.search(
        r'<a class="nav-link active" href="[^"]+/edit/budget/" aria-current="step">', page.content.decode()
    )
    response = client.post(edit, {**partner_data(dossier.partner), "continue": "1"})
    assert response.status_code == 302
    assert response["Location"] == url("project-edit-budget", pk=dossier.project.pk)
    lines = dict(BudgetLine.objects.filter(partner=dossier.partner).values_list("category", "amount"))
    assert lines == {"personnel": Decimal("120000.00"), "equipment": Decimal("30000.50"), "travel": Decimal("5000.00")}
    aid = RequestedAid.objects.get(partner=dossier.partner)
    assert (aid.funding_scheme.code, aid.amount) == ("fui", Decimal("60000.00"))
    dossier.partner.refresh_from_db()
    assert (dossier.partner.role, dossier.partner.tasks) == ("Intégrateur", "WP2, WP3")

    # blanking a category deletes its line; a second scheme is added
    other = FundingScheme.objects.create(code="bpi", name_fr="Bpifrance", name_en="Bpifrance", level="national")
    data = partner_data(
        dossier.partner,
        **{
            "budget-travel": "",
            "aid-INITIAL_FORMS": "1",
            "aid-1-funding_scheme": str(other.pk),
            "aid-1-amount": "1 000,25",
        },
    )
    client.post(edit, data)
    assert set(BudgetLine.objects.filter(partner=dossier.partner).values_list("category", flat=True)) == {
        "personnel",
        "equipment",
    }
    assert dict(RequestedAid.objects.values_list("funding_scheme__code", "amount")) == {
        "fui": Decimal("60000.00"),
        "bpi": Decimal("1000.25"),
    }
    assert Project.objects.get().state == ProjectState.DRAFT


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"budget-personnel": "-5"}, "personnel"),
        ({"budget-equipment": "10,123"}, "equipment"),
        ({"budget-travel": "beaucoup"}, "travel"),
    ],
)
def test_a_bad_amount_keeps_the_typed_values_and_saves_nothing(client, member_user, dossier, overrides, field):
    BudgetLineFactory(partner=dossier.partner, category="overheads", amount="777.00")
    login(client, member_user)
    edit = url("project-edit-partner", pk=dossier.project.pk, partner_pk=dossier.partner.pk)
    data = partner_data(dossier.partner, **overrides)
    response = client.post(edit, data)
    assert response.status_code == 200
    assert list(response.context["budget_form"].errors) == [field]
    html = response.content.decode()
    typed = [value for key, value in data.items() if key.startswith(("budget-", "aid-0-")) and value]
    assert len(typed) == 5
    assert all(f'value="{value}"' in html for value in typed)
    assert "WP2, WP3</textarea>" in html and 'value="Intégrateur"' in html
    assert list(BudgetLine.objects.values_list("category", "amount")) == [("overheads", Decimal("777.00"))]
    assert not RequestedAid.objects.exists()
    dossier.partner.refresh_from_db()
    assert dossier.partner.role == "Laboratoire"


def test_the_same_scheme_twice_is_refused(client, member_user, dossier):
    scheme = funding_scheme()
    login(client, member_user)
    edit = url("project-edit-partner", pk=dossier.project.pk, partner_pk=dossier.partner.pk)
    data = partner_data(dossier.partner, **{"aid-1-funding_scheme": str(scheme.pk), "aid-1-amount": "5"})
    response = client.post(edit, data)
    assert response.status_code == 200
    assert response.context["aid_formset"].non_form_errors()
    assert not RequestedAid.objects.exists() and not BudgetLine.objects.exists()


def test_the_contact_must_be_a_person_of_the_partners_organisation(client, member_user, dossier):
    login(client, member_user)
    edit = url("project-edit-partner", pk=dossier.project.pk, partner_pk=dossier.partner.pk)
    response = client.post(edit, partner_data(dossier.partner, **{"part-contact": str(dossier.lead_person.pk)}))
    assert response.status_code == 200 and "contact" in response.context["part_form"].errors
    with pytest.raises(SubmissionRefused):
        submission.update_partner_part(
            partner=dossier.partner, actor=member_user, contact=dossier.lead_person, role="", tasks=""
        )


# --- budget and checks pages --------------------------------------------------------------


def test_the_budget_step_shows_the_consolidated_budget_to_the_lead(client, member_user, dossier):
    BudgetLineFactory(partner=dossier.lead, category="personnel", amount="100000.00")
    BudgetLineFactory(partner=dossier.partner, category="equipment", amount="50000.00")
    login(client, member_user)
    page = client.get(url("project-edit-budget", pk=dossier.project.pk))
    assert page.status_code == 200
    html = page.content.decode()
    assert "150\u202f000,00\u00a0€" in html
    assert "50\u202f000,00\u00a0€" in html and "100\u202f000,00\u00a0€" in html
    assert page.context["budget"].total == Decimal("150000.00")


def test_the_checks_step_lists_the_rules_and_refreshes_with_htmx(client, member_user, dossier):
    login(client, member_user)
    page = client.get(url("project-edit-checks", pk=dossier.project.pk))
    assert page.status_code == 200
    assert page.context["results"]
    assert page.context["deposit_url"] == url("project-deposit", pk=dossier.project.pk)
    fragment = client.get(url("project-edit-checks", pk=dossier.project.pk), headers={"HX-Request": "true"})
    assert fragment.content.decode().lstrip().startswith('<div id="checks"')


def test_the_edit_entry_sends_each_contact_to_his_first_step(client, member_user, other_member_user, dossier):
    login(client, member_user)
    assert client.get(url("project-edit", pk=dossier.project.pk))["Location"] == url(
        "project-edit-general", pk=dossier.project.pk
    )
    client.logout()
    login(client, other_member_user)
    assert client.get(url("project-edit", pk=dossier.project.pk))["Location"] == url(
        "project-edit-partner", pk=dossier.project.pk, partner_pk=dossier.partner.pk
    )


def test_the_steps_work_in_english(client, member_user, dossier):
    login(client, member_user)
    page = client.get(url("project-edit-general", language="en", pk=dossier.project.pk))
    assert page.status_code == 200
    assert "Save and continue" in page.content.decode()


# --- the services never touch the state ---------------------------------------------------


def test_no_submission_service_changes_the_project_state(member_user, dossier):
    project = dossier.project
    gamma = OrganisationFactory()
    scheme = funding_scheme()
    partner = submission.add_partner(project=project, organisation=gamma, actor=member_user)
    submission.update_general(project=project, actor=member_user, data={"title_en": "New", "kind": "rd"})
    submission.update_partner_part(partner=partner, actor=member_user, contact=None, role="R", tasks="T")
    submission.save_budget_lines(partner=partner, actor=member_user, amounts={"personnel": Decimal("1")})
    submission.save_requested_aids(partner=partner, actor=member_user, aids=[(scheme, Decimal("1"))])
    submission.set_lead_partner(partner=partner, actor=member_user)
    submission.set_lead_partner(partner=dossier.lead, actor=member_user)
    submission.remove_partner(partner=partner, actor=member_user)
    project.refresh_from_db()
    assert project.state == ProjectState.DRAFT
    assert not ActivityLog.objects.filter(verb__in=[f"project.{state}" for state in ProjectState.values]).exists()
    # and in a returned dossier, the state stays "returned"
    Project.objects.filter(pk=project.pk).update(state=ProjectState.RETURNED)
    submission.update_general(project=project, actor=member_user, data={"title_en": "Again"})
    assert Project.objects.get(pk=project.pk).state == ProjectState.RETURNED


def test_services_refuse_a_negative_amount_or_an_unknown_category(member_user, dossier):
    with pytest.raises(SubmissionRefused):
        submission.save_budget_lines(partner=dossier.partner, actor=member_user, amounts={"personnel": Decimal("-1")})
    with pytest.raises(SubmissionRefused):
        submission.save_budget_lines(partner=dossier.partner, actor=member_user, amounts={"magic": Decimal("1")})
    assert not BudgetLine.objects.exists()


# --- query counts -------------------------------------------------------------------------


def add_partners(project, count):
    for n in range(count):
        organisation = OrganisationFactory()
        contact = PersonFactory(organisation=organisation)
        partner = PartnerFactory(project=project, organisation=organisation, contact=contact)
        BudgetLineFactory(partner=partner, amount=Decimal(1000 + n))


@pytest.mark.parametrize("page", ["consortium", "partner", "budget"])
def test_page_query_counts_do_not_grow_with_the_partners(client, member_user, django_assert_num_queries, page):
    dossier_ = make_dossier(member_user)
    project = dossier_.project
    Partner.objects.filter(pk=dossier_.partner.pk).delete()  # start with the lead alone
    login(client, member_user)
    if page == "consortium":
        target = url("project-edit-consortium", pk=project.pk)
    elif page == "budget":
        target = url("project-edit-budget", pk=project.pk)
    else:
        target = url("project-edit-partner", pk=project.pk, partner_pk=dossier_.lead.pk)
    client.get(target)  # warm the session and content-type caches
    with CaptureQueriesContext(connection) as one:
        assert client.get(target).status_code == 200
    add_partners(project, 9)
    assert project.partners.count() == 10
    with django_assert_num_queries(len(one.captured_queries)):
        assert client.get(target).status_code == 200


def test_an_unrelated_user_is_not_shown_any_step(client, dossier):
    stranger = UserFactory()
    PersonFactory(organisation=OrganisationFactory(), user=stranger, email=stranger.email)
    login(client, stranger)
    assert client.get(url("project-edit-general", pk=dossier.project.pk)).status_code == 404
