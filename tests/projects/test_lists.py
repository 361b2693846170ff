"""The project lists [P8] and the project page: who sees what (the public list never shows
a confidential field), filters, search, CSV/XLSX exports, and query counts."""

import csv
import datetime
import io
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from members.models import OrganisationKind
from pole.activity import record_activity
from pole.models import ActivityLog, StrategicDomain
from pole.money import format_euros
from projects.models import Confidentiality, FundingApplication, ProjectDocument, ProjectKind, ProjectState
from projects.permissions import ProjectAccess
from projects.search import PROJECT_SEARCH_INDEX, search_projects
from tests.conftest import login
from tests.factories import (
    BudgetLineFactory,
    CallFactory,
    OrganisationFactory,
    PartnerFactory,
    PersonFactory,
    ProjectFactory,
    UserFactory,
    funding_scheme,
)

pytestmark = pytest.mark.django_db

S = ProjectState
SECRET_DESCRIPTION = "Procédé confidentiel ZX-9931 à base de pérovskite dopée"
SECRET_EMAIL = "chef.secret@leadco.example"
SECRET_AMOUNT = Decimal("987654.32")
SECRET_MARKETS = "Marché caché Omega-77"


def url(name, language="fr", query="", **kwargs):
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None) + (f"?{query}" if query else "")


def labelled(acronym, *, state=S.LABELLED, consent=True, confidentiality=Confidentiality.PUBLIC, **kwargs):
    """A project in `state` with a lead partner (with a contact and a budget line), its
    label dated and recorded in the activity log as transition_project does it."""
    kwargs.setdefault("labelled_at", timezone.now())
    project = ProjectFactory(
        acronym=acronym, state=state, public_consent=consent, confidentiality=confidentiality, **kwargs
    )
    lead = PartnerFactory(
        project=project, is_lead=True, organisation=project.lead_organisation or OrganisationFactory()
    )
    if project.lead_organisation_id is None:
        project.lead_organisation = lead.organisation
        project.save(update_fields=["lead_organisation"])
    record_activity(
        actor=None, verb="project.labelled", target=project, data={"from": "in_committee", "to": "labelled"}
    )
    return project


def public_acronyms(response) -> list[str]:
    return re.findall(r'<h3 class="h6 card-title mb-1"><a href="[^"]+">([^<]+)</a></h3>', response.content.decode())


def row_acronyms(response) -> list[str]:
    return re.findall(r'<th scope="row"><a href="[^"]+">([^<]+)</a>', response.content.decode())


@pytest.fixture
def staff_client(client, staff_user, totp_secret):
    login(client, staff_user, totp_secret)
    return client


@pytest.fixture
def secret_project():
    """A labelled, published project carrying every kind of confidential data."""
    lead_organisation = OrganisationFactory(legal_name="LeadCo Industries")
    project = labelled(
        "SOLARIS",
        title_fr="Cellules solaires tandem",
        title_en="Tandem solar cells",
        summary_fr="Résumé public des cellules tandem.",
        summary_en="Public summary of tandem cells.",
        description=SECRET_DESCRIPTION,
        markets=SECRET_MARKETS,
        lead_organisation=lead_organisation,
    )
    lead = project.partners.get()
    lead.contact = PersonFactory(organisation=lead_organisation, email=SECRET_EMAIL, first_name="Hector")
    lead.tasks = "Tâche secrète T-42"
    lead.save()
    BudgetLineFactory(partner=lead, amount=SECRET_AMOUNT)
    partner = PartnerFactory(project=project, organisation=OrganisationFactory(legal_name="Labo Partenaire"))
    BudgetLineFactory(partner=partner, amount=Decimal("12345.67"))
    ProjectDocument.objects.create(
        project=project,
        kind="technical_annex",
        file="projects/x/annexe-secrete.pdf",
        original_name="annexe-secrete.pdf",
        size=10,
        content_type="application/pdf",
        sha256="0" * 64,
    )
    return project


# --- The public list ----------------------------------------------------------------------


def assert_no_confidential_field(html):
    for leak in (
        SECRET_DESCRIPTION,
        "ZX-9931",
        SECRET_EMAIL,
        SECRET_MARKETS,
        "Hector",
        "Tâche secrète",
        "annexe-secrete",
    ):
        assert leak not in html
    assert format_euros(SECRET_AMOUNT) not in html
    assert "987" not in html.replace(" ", "")  # no budget, in any format


def test_the_public_list_shows_public_fields_and_never_a_confidential_one(client, secret_project):
    response = client.get(url("projects:labelled"))
    assert response.status_code == 200
    html = response.content.decode()
    assert public_acronyms(response) == ["SOLARIS"]
    assert "Cellules solaires tandem" in html
    assert "Résumé public des cellules tandem." in html
    assert "LeadCo Industries" in html and "Labo Partenaire" in html
    assert_no_confidential_field(html)


def test_the_public_page_shows_public_fields_and_never_a_confidential_one(client, secret_project):
    response = client.get(url("projects:labelled-detail", pk=secret_project.pk))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Cellules solaires tandem" in html and "LeadCo Industries" in html and "Labo Partenaire" in html
    assert f"{timezone.localdate():%d/%m/%Y}" in html  # the label date
    assert_no_confidential_field(html)


def test_the_public_pages_speak_english_too(client, secret_project):
    html = client.get(url("projects:labelled-detail", language="en", pk=secret_project.pk)).content.decode()
    assert "Tandem solar cells" in html and "Public summary of tandem cells." in html
    assert "Cellules solaires tandem" not in html


def test_the_public_list_shows_only_labelled_published_projects(client):
    labelled("SHOWN")
    labelled("FUNDED", state=S.FUNDED)
    labelled("NOCONSENT", consent=False)
    labelled("SECRET", confidentiality=Confidentiality.CONFIDENTIAL)
    labelled("RESTRICTED", confidentiality=Confidentiality.RESTRICTED)
    for state in (S.DRAFT, S.DEPOSITED, S.IN_COMMITTEE, S.DEFERRED, S.REFUSED, S.WITHDRAWN):
        labelled(f"ST-{state}", state=state)
    assert sorted(public_acronyms(client.get(url("projects:labelled")))) == ["FUNDED", "RESTRICTED", "SHOWN"]


def test_the_public_list_shows_the_latest_labels_first_by_their_date(client):
    now = timezone.now()
    labelled("OLDEST", labelled_at=now - datetime.timedelta(days=30))
    labelled("NEWEST", labelled_at=now - datetime.timedelta(days=1))
    labelled("MIDDLE", labelled_at=now - datetime.timedelta(days=10))
    # the column, not the activity log, dates the label
    ActivityLog.objects.all().delete()

    assert public_acronyms(client.get(url("projects:labelled"))) == ["NEWEST", "MIDDLE", "OLDEST"]


@pytest.mark.parametrize("acronym", ["NOCONSENT", "DRAFTED", "CONFID"])
def test_the_public_page_of_an_unpublished_project_is_404(client, acronym):
    projects = {
        "NOCONSENT": labelled("NOCONSENT", consent=False),
        "DRAFTED": labelled("DRAFTED", state=S.DRAFT),
        "CONFID": labelled("CONFID", confidentiality=Confidentiality.CONFIDENTIAL),
    }
    assert client.get(url("projects:labelled-detail", pk=projects[acronym].pk)).status_code == 404


def test_the_public_search_never_matches_the_confidential_description(client, secret_project):
    assert public_acronyms(client.get(url("projects:labelled", query="q=tandem"))) == ["SOLARIS"]
    assert public_acronyms(client.get(url("projects:labelled", query="q=ZX-9931"))) == []
    assert public_acronyms(client.get(url("projects:labelled", query="q=pérovskite"))) == []


def test_the_public_list_has_no_state_filter(client, secret_project):
    html = client.get(url("projects:labelled")).content.decode()
    assert 'name="state"' not in html
    assert 'name="q"' in html and 'name="domain"' in html and 'name="region"' in html


def test_public_query_count_is_the_same_with_1_and_10_projects(client, django_assert_num_queries):
    domain = StrategicDomain.objects.create(code="energy", name_fr="Énergie", name_en="Energy")
    first = labelled("P0")
    first.strategic_domains.set([domain])
    detail = url("projects:labelled-detail", pk=first.pk)
    client.get(url("projects:labelled"))  # warm caches (content types, sessions)
    with CaptureQueriesContext(connection) as with_one:
        assert client.get(url("projects:labelled")).status_code == 200
    with CaptureQueriesContext(connection) as detail_with_one_partner:
        assert client.get(detail).status_code == 200
    for n in range(1, 10):
        project = labelled(f"P{n}")
        project.strategic_domains.set([domain])
        PartnerFactory(project=project)
        PartnerFactory(project=first)
    with django_assert_num_queries(len(with_one)):
        response = client.get(url("projects:labelled"))
    assert len(public_acronyms(response)) == 10
    with django_assert_num_queries(len(detail_with_one_partner)):
        client.get(detail)


# --- Filters and search -------------------------------------------------------------------


@pytest.fixture
def portfolio():
    """Labelled projects that the filters separate."""
    energy = StrategicDomain.objects.create(code="energy", name_fr="Énergie", name_en="Energy")
    health = StrategicDomain.objects.create(code="health", name_fr="Santé", name_en="Health")
    old_call = CallFactory(
        code="fui-old",
        funding_scheme=funding_scheme("fui"),
        opens_at=timezone.now() - timedelta(days=800),
        deadline=timezone.now() - timedelta(days=700),
    )
    anr_call = CallFactory(code="anr-now", funding_scheme=funding_scheme("anr"))
    hydro = labelled(
        "HYDRO",
        call=old_call,
        kind=ProjectKind.RD,
        lead_organisation=OrganisationFactory(department="69"),  # Auvergne-Rhône-Alpes
        title_fr="Hydrogène vert",
        summary_fr="Électrolyse à haute température.",
    )
    hydro.strategic_domains.set([energy])
    medic = labelled(
        "MEDIC",
        call=anr_call,
        kind=ProjectKind.PLATFORM,
        lead_organisation=OrganisationFactory(department="13"),  # Provence-Alpes-Côte d'Azur
        title_fr="Plateforme d'imagerie médicale",
        summary_fr="Imagerie pour les hôpitaux.",
    )
    medic.strategic_domains.set([health])
    train = labelled(
        "TRAIN",
        call=anr_call,
        kind=ProjectKind.NON_RD,
        sub_kind="training",
        state=S.RUNNING,
        lead_organisation=OrganisationFactory(department="35"),
    )
    FundingApplication.objects.create(project=train, funding_scheme=funding_scheme("feder"))
    return {"hydro": hydro, "medic": medic, "train": train, "old_call": old_call}


@pytest.mark.parametrize(
    "query, expected",
    [
        ("", ["HYDRO", "MEDIC", "TRAIN"]),
        ("kind=rd", ["HYDRO"]),
        ("kind=non_rd", ["TRAIN"]),
        ("domain=health", ["MEDIC"]),
        ("call=fui-old", ["HYDRO"]),
        ("funding_scheme=anr", ["MEDIC", "TRAIN"]),
        ("region=84", ["HYDRO"]),
        ("region=93", ["MEDIC"]),
        ("q=imagerie", ["MEDIC"]),
        ("q=hydrogène vert", ["HYDRO"]),
        ("q=MEDIC", ["MEDIC"]),
        ("kind=platform&domain=energy", []),
    ],
)
def test_public_filters_and_search(client, portfolio, query, expected):
    assert sorted(public_acronyms(client.get(url("projects:labelled", query=query)))) == expected


def test_the_year_filter_uses_the_calls_deadline(client, portfolio):
    year = timezone.localtime(portfolio["old_call"].deadline).year
    assert public_acronyms(client.get(url("projects:labelled", query=f"year={year}"))) == ["HYDRO"]


def test_the_public_funding_scheme_filter_ignores_funding_applications(client, portfolio):
    assert public_acronyms(client.get(url("projects:labelled", query="funding_scheme=feder"))) == []


def test_staff_funding_scheme_filter_includes_funding_applications(staff_client, portfolio):
    assert row_acronyms(staff_client.get(url("projects:staff-projects", query="funding_scheme=feder"))) == ["TRAIN"]


def test_staff_state_filter(staff_client, portfolio):
    assert row_acronyms(staff_client.get(url("projects:staff-projects", query="state=running"))) == ["TRAIN"]


def test_sqlite_search_requires_every_word_in_a_public_field():
    labelled("ALPHA", title_fr="Batteries solides", summary_fr="Pour véhicules")
    labelled("BETA", title_fr="Batteries liquides", description="solides en secret")
    from projects.models import Project

    found = search_projects(Project.objects.all(), "batteries solides")
    assert sorted(project.acronym for project in found) == ["ALPHA"]
    assert search_projects(Project.objects.all(), "  ").count() == 2


@pytest.mark.skipif(connection.vendor != "postgresql", reason="full-text search with stemming needs PostgreSQL")
def test_postgresql_search_uses_french_stemming(client):
    labelled("STEM", title_fr="Recyclage des batteries", summary_fr="Les batteries usagées sont recyclées.")
    assert public_acronyms(client.get(url("projects:labelled", query="q=recycler batterie"))) == ["STEM"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the GIN index exists on PostgreSQL only")
def test_postgresql_search_can_use_the_gin_index():
    from projects.models import Project

    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        plan = search_projects(Project.objects.all(), "hydrogène").explain()
        cursor.execute("SET enable_seqscan = on")
    assert PROJECT_SEARCH_INDEX in plan


# --- My projects --------------------------------------------------------------------------


@pytest.fixture
def consortium(member_user, other_member_user):
    """A draft led by ACME (member_user's organisation) with OTHER (other_member_user's) as a
    partner, each with distinctive budget lines and contacts."""
    acme = OrganisationFactory(legal_name="ACME Robotique")
    other = OrganisationFactory(legal_name="Other Labs", kind=OrganisationKind.RESEARCH)
    PersonFactory(organisation=acme, user=member_user, email=member_user.email)
    PersonFactory(organisation=other, user=other_member_user, email=other_member_user.email)
    project = ProjectFactory(acronym="ROBOT", lead_organisation=acme, description="Description du consortium")
    lead = PartnerFactory(
        project=project,
        organisation=acme,
        is_lead=True,
        contact=PersonFactory(organisation=acme, email="lead.contact@acme.example"),
        tasks="Coordination générale",
    )
    partner = PartnerFactory(
        project=project,
        organisation=other,
        contact=PersonFactory(organisation=other, email="partner.contact@other.example"),
        tasks="Essais en laboratoire",
    )
    BudgetLineFactory(partner=lead, amount=Decimal("111111.11"))
    BudgetLineFactory(partner=partner, amount=Decimal("222222.22"))
    lead_document = ProjectDocument.objects.create(
        project=project, partner=lead, kind="kbis", file="x/kbis-acme.pdf", original_name="kbis-acme.pdf",
        size=1, content_type="application/pdf", sha256="0" * 64,
    )  # fmt: skip
    ProjectDocument.objects.create(
        project=project, partner=partner, kind="kbis", file="x/kbis-other.pdf", original_name="kbis-other.pdf",
        size=1, content_type="application/pdf", sha256="0" * 64,
    )  # fmt: skip
    return {"project": project, "lead": lead, "partner": partner, "acme": acme, "other": other, "doc": lead_document}


def test_my_projects_lists_my_organisations_projects_with_role_and_next_step(client, member_user, consortium):
    ProjectFactory(acronym="STRANGER")
    client.force_login(member_user)
    response = client.get(url("projects:my-projects", language="en"))
    html = response.content.decode()
    assert row_acronyms(response) == ["ROBOT"]
    assert "Lead partner" in html
    assert "Complete the dossier and deposit it" in html


def test_my_projects_shows_partner_role_to_the_other_partner(client, other_member_user, consortium):
    client.force_login(other_member_user)
    html = client.get(url("projects:my-projects", language="en")).content.decode()
    assert "Complete your organisation&#x27;s part" in html
    assert "<td>Partner</td>" in html


def test_my_projects_requires_login(client):
    response = client.get(url("projects:my-projects"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_my_projects_state_filter(client, member_user, consortium):
    client.force_login(member_user)
    assert row_acronyms(client.get(url("projects:my-projects", query="state=draft"))) == ["ROBOT"]
    assert row_acronyms(client.get(url("projects:my-projects", query="state=labelled"))) == []


def test_my_projects_query_count_is_the_same_with_1_and_10_projects(
    client, member_user, consortium, django_assert_num_queries
):
    client.force_login(member_user)
    client.get(url("projects:my-projects"))
    with CaptureQueriesContext(connection) as with_one:
        client.get(url("projects:my-projects"))
    for n in range(9):
        project = ProjectFactory(acronym=f"MORE{n}")
        PartnerFactory(project=project, organisation=consortium["acme"], is_lead=n % 2 == 0)
        PartnerFactory(project=project)
    with django_assert_num_queries(len(with_one)):
        response = client.get(url("projects:my-projects"))
    assert len(row_acronyms(response)) == 10


# --- Staff list and exports ---------------------------------------------------------------


def test_staff_list_is_for_staff_only(client, member_user):
    client.force_login(member_user)
    assert client.get(url("projects:staff-projects")).status_code == 403
    assert client.get(url("projects:staff-projects", query="format=csv")).status_code == 403


def test_staff_list_shows_every_project_with_totals(staff_client, consortium):
    ProjectFactory(acronym="LONELY")
    response = staff_client.get(url("projects:staff-projects"))
    assert sorted(row_acronyms(response)) == ["LONELY", "ROBOT"]
    assert format_euros(Decimal("333333.33")) in response.content.decode()


def test_csv_export_of_the_filtered_list(staff_client, consortium):
    ProjectFactory(acronym="OTHERKIND", kind=ProjectKind.PLATFORM)
    response = staff_client.get(url("projects:staff-projects", language="en", query="format=csv&kind=rd"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [row["Acronym"] for row in rows] == ["ROBOT"]
    row = rows[0]
    assert row["Kind"] == "R&D project"
    assert row["State"] == "Draft"
    assert row["Lead partner"] == "ACME Robotique"
    assert row["Partners"] == "2"
    assert Decimal(row["Total budget (€)"]) == Decimal("333333.33")
    assert Decimal(row["Requested aid (€)"]) == Decimal("0")


def test_xlsx_export(staff_client, consortium):
    response = staff_client.get(url("projects:staff-projects", language="en", query="format=xlsx"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.values)
    header = list(rows[0])
    assert header[:3] == ["ID", "Reference", "Acronym"]
    assert [dict(zip(header, row, strict=True))["Acronym"] for row in rows[1:]] == ["ROBOT"]
    assert Decimal(str(dict(zip(header, rows[1], strict=True))["Total budget (€)"])) == Decimal("333333.33")


def test_unknown_export_format_is_404(staff_client):
    assert staff_client.get(url("projects:staff-projects", query="format=pdf")).status_code == 404


def test_staff_list_query_count_is_the_same_with_1_and_10_projects(staff_client, django_assert_num_queries):
    domain = StrategicDomain.objects.create(code="energy", name_fr="Énergie", name_en="Energy")
    first = ProjectFactory()
    first.strategic_domains.set([domain])
    staff_client.get(url("projects:staff-projects"))
    with CaptureQueriesContext(connection) as with_one:
        staff_client.get(url("projects:staff-projects"))
    for _n in range(9):
        project = ProjectFactory(lead_organisation=OrganisationFactory())
        project.strategic_domains.set([domain])
        BudgetLineFactory(partner=PartnerFactory(project=project))
    with django_assert_num_queries(len(with_one)):
        response = staff_client.get(url("projects:staff-projects"))
    assert len(row_acronyms(response)) == 10


# --- The project page ---------------------------------------------------------------------


def test_the_lead_sees_the_whole_consortium(client, member_user, consortium):
    client.force_login(member_user)
    response = client.get(url("projects:project-detail", pk=consortium["project"].pk))
    assert response.status_code == 200
    html = response.content.decode()
    assert format_euros(Decimal("111111.11")) in html
    assert format_euros(Decimal("222222.22")) in html
    assert "partner.contact@other.example" in html and "Essais en laboratoire" in html
    assert "kbis-acme.pdf" in html and "kbis-other.pdf" in html
    assert "Description du consortium" in html
    assert "Historique" not in html and "History" not in html  # staff only


def test_another_partner_sees_totals_but_only_his_own_budget_and_documents(client, other_member_user, consortium):
    client.force_login(other_member_user)
    response = client.get(url("projects:project-detail", pk=consortium["project"].pk))
    assert response.status_code == 200
    html = response.content.decode()
    assert "ACME Robotique" in html and "Other Labs" in html  # the partners' list
    assert format_euros(Decimal("333333.33")) in html  # the project's total
    assert format_euros(Decimal("222222.22")) in html  # his own line
    assert format_euros(Decimal("111111.11")) not in html  # not the lead's
    assert "lead.contact@acme.example" not in html and "Coordination générale" not in html
    assert "kbis-other.pdf" in html and "kbis-acme.pdf" not in html
    assert "Description du consortium" in html  # the general part


def test_an_unrelated_contact_gets_404(client, consortium):
    stranger = UserFactory()
    PersonFactory(organisation=OrganisationFactory(), user=stranger)
    client.force_login(stranger)
    assert client.get(url("projects:project-detail", pk=consortium["project"].pk)).status_code == 404


def test_anonymous_visitors_are_sent_to_login(client, consortium):
    response = client.get(url("projects:project-detail", pk=consortium["project"].pk))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_staff_see_everything_the_history_and_the_allowed_moves(staff_client, consortium, staff_user):
    project = consortium["project"]
    record_activity(
        actor=staff_user,
        verb="project.deposited",
        target=project,
        data={"from": "draft", "to": "deposited", "reason": "Motif visible"},
    )
    response = staff_client.get(url("projects:project-detail", language="en", pk=project.pk))
    html = response.content.decode()
    assert format_euros(Decimal("111111.11")) in html and format_euros(Decimal("222222.22")) in html
    assert "History" in html and "Motif visible" in html
    assert "State changed from “Draft” to “Deposited”" in html
    # the deposit has its own page; the other allowed moves are forms
    assert re.findall(r'<input type="hidden" name="target" value="([a-z_]+)">', html) == ["withdrawn"]


def test_staff_see_the_history_of_moves_made_by_the_portal(staff_client, secret_project):
    response = staff_client.get(url("projects:project-detail", language="en", pk=secret_project.pk))
    assert response.status_code == 200
    assert "State changed from “In committee” to “Labelled”" in response.content.decode()


def test_the_partners_whose_details_each_user_sees(member_user, other_member_user, staff_user, consortium):
    project = consortium["project"]
    partners = list(project.partners.all())
    lead = next(partner for partner in partners if partner.is_lead)
    other = next(partner for partner in partners if not partner.is_lead)
    every = {lead.pk, other.pk}
    assert ProjectAccess(member_user, project).visible_partner_ids(partners) == every
    assert ProjectAccess(staff_user, project).visible_partner_ids(partners) == every
    assert ProjectAccess(other_member_user, project).visible_partner_ids(partners) == {other.pk}


def test_project_page_query_count_is_the_same_with_1_and_10_partners(
    client, member_user, staff_user, totp_secret, django_assert_num_queries
):
    acme = OrganisationFactory()
    PersonFactory(organisation=acme, user=member_user)
    project = ProjectFactory(lead_organisation=acme)
    BudgetLineFactory(partner=PartnerFactory(project=project, organisation=acme, is_lead=True))
    client.force_login(member_user)
    page = url("projects:project-detail", pk=project.pk)
    client.get(page)
    with CaptureQueriesContext(connection) as with_one:
        assert client.get(page).status_code == 200
    for _n in range(9):
        partner = PartnerFactory(project=project, contact=PersonFactory())
        BudgetLineFactory(partner=partner)
        BudgetLineFactory(partner=partner, category="equipment")
        ProjectDocument.objects.create(
            project=project, partner=partner, kind="kbis", file="x/k.pdf", original_name="k.pdf",
            size=1, content_type="application/pdf", sha256="0" * 64,
        )  # fmt: skip
    with django_assert_num_queries(len(with_one)):
        client.get(page)


def test_the_page_links_to_the_follow_up_once_labelled(client, member_user, consortium):
    client.force_login(member_user)
    project = consortium["project"]
    followup = url("projects:project-followup", pk=project.pk)
    assert followup not in client.get(url("projects:project-detail", pk=project.pk)).content.decode()
    project.state = S.LABELLED
    project.save(update_fields=["state"])
    assert followup in client.get(url("projects:project-detail", pk=project.pk)).content.decode()
