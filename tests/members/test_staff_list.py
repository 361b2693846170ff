"""The staff members list [S3]: access, filters, CSV/XLSX export, query counts; and the
staff organisation page with its size override."""

import csv
import io
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from members.models import College, Membership, Organisation, OrganisationKind
from pole.models import ActivityLog, StrategicDomain
from pole.money import format_euros
from tests.conftest import login
from tests.factories import DuesFactory, MembershipFactory, OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db

State = Membership.State


def url(name="members:staff-members", language="en", query="", **kwargs):
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None) + (f"?{query}" if query else "")


def row_names(response) -> list[str]:
    return re.findall(r'<th scope="row"><a href="[^"]+">([^<]+)</a>', response.content.decode())


@pytest.fixture
def staff_client(client, staff_user, totp_secret):
    login(client, staff_user, totp_secret)
    return client


@pytest.fixture
def cast():
    """Organisations in every situation the filters separate."""
    health = StrategicDomain.objects.create(code="health", name_fr="Santé", name_en="Health")
    active = OrganisationFactory(legal_name="Active Company", directory_opt_in=True, department="69")
    MembershipFactory(organisation=active, state=State.ACTIVE, college=College.SMES)
    active.strategic_domains.set([health])
    applicant = OrganisationFactory(
        legal_name="Applicant Lab", kind=OrganisationKind.RESEARCH, department="38", headcount=None
    )
    MembershipFactory(organisation=applicant, state=State.APPLIED, college=College.RESEARCH)
    former = OrganisationFactory(legal_name="Former Giant", headcount=9000, turnover=3_000_000_000, department="75")
    MembershipFactory(organisation=former, state=State.WITHDRAWN, college=College.LARGE_COMPANIES)
    partner = OrganisationFactory(legal_name="Partner Without Membership", country="DE", department="", city="Berlin")
    return {"active": active, "applicant": applicant, "former": former, "partner": partner}


# --- Access ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, kwargs",
    [
        ("members:staff-members", {}),
        ("members:staff-members-export", {}),
        ("members:staff-member", {"slug": "any"}),
    ],
)
def test_anonymous_visitors_are_sent_to_the_login_page(client, name, kwargs):
    response = client.get(url(name, **kwargs))
    assert response.status_code == 302
    assert response["Location"].startswith("/en/accounts/login/")


def test_members_and_experts_are_refused(client, member_user, expert_user, totp_secret, cast):
    login(client, member_user)
    PersonFactory(organisation=cast["active"], user=member_user, is_organisation_admin=True)
    assert client.get(url()).status_code == 403
    assert client.get(url("members:staff-members-export", query="format=csv")).status_code == 403
    assert client.get(url("members:staff-member", slug=cast["active"].slug)).status_code == 403
    assert client.post(url("members:staff-member-size", slug=cast["active"].slug), {"size": "large"}).status_code == 403
    client.logout()

    login(client, expert_user, totp_secret)
    assert client.get(url()).status_code == 403
    assert client.get(url(query="format=xlsx")).status_code == 403


# --- List and filters -----------------------------------------------------------------------


def test_the_list_shows_every_organisation_with_its_membership(staff_client, cast):
    response = staff_client.get(url())

    assert response.status_code == 200
    assert row_names(response) == ["Active Company", "Applicant Lab", "Former Giant", "Partner Without Membership"]
    html = response.content.decode()
    assert "<td>Active</td>" in html and "<td>SMEs and start-ups</td>" in html
    assert "<td>Applied</td>" in html and "<td>Withdrawn</td>" in html
    assert "Berlin · Germany" in html


@pytest.mark.parametrize(
    "query, expected",
    [
        ("membership_state=active", ["Active Company"]),
        ("membership_state=applied", ["Applicant Lab"]),
        ("membership_state=withdrawn", ["Former Giant"]),
        ("membership_state=none", ["Partner Without Membership"]),
        ("college=research", ["Applicant Lab"]),
        ("college=large-companies", ["Former Giant"]),
        ("kind=research", ["Applicant Lab"]),
        ("size_category=large", ["Former Giant"]),
        ("size_category=sme", ["Active Company", "Partner Without Membership"]),
        ("region=84", ["Active Company", "Applicant Lab"]),
        ("department=75", ["Former Giant"]),
        ("domain=health", ["Active Company"]),
        ("directory_opt_in=true", ["Active Company"]),
        ("directory_opt_in=false", ["Applicant Lab", "Former Giant", "Partner Without Membership"]),
        ("q=giant", ["Former Giant"]),
        ("q=lab&membership_state=applied", ["Applicant Lab"]),
        ("membership_state=bogus", []),
    ],
)
def test_filters(staff_client, cast, query, expected):
    response = staff_client.get(url(query=query))
    assert response.status_code == 200
    assert row_names(response) == expected


def test_the_current_membership_is_the_latest(staff_client):
    organisation = OrganisationFactory(legal_name="Came Back")
    MembershipFactory(organisation=organisation, state=State.WITHDRAWN, college=College.OTHER)
    MembershipFactory(organisation=organisation, state=State.UNDER_REVIEW, college=College.SMES)

    assert row_names(staff_client.get(url(query="membership_state=under_review"))) == ["Came Back"]
    assert row_names(staff_client.get(url(query="membership_state=withdrawn"))) == []


def _count_queries(client, address):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(address)
    assert response.status_code == 200
    return len(queries)


def test_list_query_count_is_the_same_with_1_and_20_organisations(staff_client, django_assert_num_queries):
    domains = [StrategicDomain.objects.create(code=f"d{n}", name_fr=f"D{n}", name_en=f"D{n}") for n in range(3)]

    def organisation(n):
        created = OrganisationFactory(legal_name=f"Organisation {n:02d}", directory_opt_in=bool(n % 2))
        created.strategic_domains.set(domains)
        MembershipFactory(organisation=created, state=State.WITHDRAWN)
        MembershipFactory(organisation=created, state=State.ACTIVE)
        PersonFactory(organisation=created)

    organisation(0)
    staff_client.get(url())
    with_one = _count_queries(staff_client, url())
    filtered = url(query="membership_state=active&college=smes&domain=d1&q=organisation")
    filtered_with_one = _count_queries(staff_client, filtered)

    for n in range(1, 20):
        organisation(n)
    with django_assert_num_queries(with_one):
        response = staff_client.get(url())
    assert len(row_names(response)) == 20
    with django_assert_num_queries(filtered_with_one):
        response = staff_client.get(filtered)
    assert len(row_names(response)) == 20
    print(f"staff members list: {with_one} queries ({filtered_with_one} filtered)")


# --- Exports --------------------------------------------------------------------------------

EXPECTED_HEADERS = [
    "ID",
    "Legal name",
    "Acronym",
    "Directory address",
    "Kind",
    "SIREN",
    "SIRET",
    "NAF/APE code",
    "RNSR",
    "Headcount",
    "Turnover (€)",
    "Balance sheet total (€)",
    "Size category",
    "Street address",
    "Postcode",
    "City",
    "Department",
    "Region",
    "Country (ISO code)",
    "Website",
    "Description (French)",
    "Description (English)",
    "Strategic domains (codes)",
    "Competences",
    "In the public directory",
    "Membership state",
    "College",
]


def test_csv_export_of_the_filtered_list(staff_client, cast):
    response = staff_client.get(url("members:staff-members-export", query="format=csv&region=84"))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert re.fullmatch(r'attachment; filename="members-\d{4}-\d{2}-\d{2}\.csv"', response["Content-Disposition"])
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert list(rows[0].keys()) == EXPECTED_HEADERS
    assert [row["Legal name"] for row in rows] == ["Active Company", "Applicant Lab"]
    active = rows[0]
    assert active["Membership state"] == "Active"
    assert active["College"] == "SMEs and start-ups"
    assert active["Kind"] == "Company"
    assert active["Size category"] == "SME (PME)"
    assert active["Region"] == "Auvergne-Rhône-Alpes"
    assert active["Strategic domains (codes)"] == "health"
    assert active["In the public directory"] == "yes"
    assert active["SIREN"] == cast["active"].siren
    assert rows[1]["Membership state"] == "Applied"


def test_the_list_url_exports_too(staff_client, cast):
    response = staff_client.get(url(query="format=csv&membership_state=none"))
    rows = list(csv.DictReader(io.StringIO(response.content.decode().lstrip("\ufeff"))))
    assert [(row["Legal name"], row["Membership state"], row["Country (ISO code)"]) for row in rows] == [
        ("Partner Without Membership", "", "DE")
    ]


def test_xlsx_export(staff_client, cast):
    response = staff_client.get(url(query="format=xlsx&membership_state=withdrawn"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0] == EXPECTED_HEADERS
    assert len(rows) == 2
    record = dict(zip(rows[0], rows[1], strict=True))
    assert record["Legal name"] == "Former Giant"
    assert record["Membership state"] == "Withdrawn"
    assert record["College"] == "Large and mid-size companies"
    assert record["Size category"] == "Large company (GE)"
    assert record["Headcount"] == 9000  # numbers stay numbers
    assert record["Turnover (€)"] == 3_000_000_000


def test_unknown_export_format_is_404(staff_client):
    assert staff_client.get(url("members:staff-members-export", query="format=pdf")).status_code == 404


# --- The staff organisation page ------------------------------------------------------------


def test_the_staff_page_shows_every_field_people_memberships_and_dues(staff_client):
    organisation = OrganisationFactory(
        legal_name="Open Book",
        siret="73282932000074",
        naf_code="62.01Z",
        headcount=120,
        turnover=Decimal("12345678.00"),
        street="1 place Bellecour",
    )
    PersonFactory(organisation=organisation, first_name="Zoé", last_name="Contact", phone="+33 4 00 00 00 01")
    membership = MembershipFactory(organisation=organisation, state=State.ACTIVE, decision_reference="CA-7")
    DuesFactory(membership=membership, year=2026, amount="1500.00")

    response = staff_client.get(url("members:staff-member", slug=organisation.slug))

    assert response.status_code == 200
    html = response.content.decode()
    # Amounts through the one euros filter (pole.money: the French way on every page).
    turnover = format_euros(Decimal("12345678.00"))
    for text in ["73282932000074", "732829320", "62.01Z", "120", turnover, "1 place Bellecour"]:
        assert text in html, text
    assert "Zoé Contact" in html and "+33 4 00 00 00 01" in html
    assert "CA-7" in html and f"2026: {format_euros(Decimal('1500'))} — To invoice" in html


def test_size_override_needs_a_reason_and_keeps_what_was_typed(staff_client, staff_user):
    organisation = OrganisationFactory(legal_name="Subsidiary", headcount=40, turnover=5_000_000)
    assert organisation.size_category == "sme"
    address = url("members:staff-member-size", slug=organisation.slug)

    response = staff_client.post(address, {"size": "large", "reason": "  "})

    assert response.status_code == 200
    html = response.content.decode()
    assert '<option value="large" selected>' in html
    assert "Say why the size category differs" in html
    organisation.refresh_from_db()
    assert (organisation.size_override, organisation.size_category) == ("", "sme")

    response = staff_client.post(address, {"size": "large", "reason": "Subsidiary of a large group"})

    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.size_override == "large"
    assert organisation.size_category == "large"
    assert organisation.size_override_reason == "Subsidiary of a large group"
    log = ActivityLog.objects.get(verb="organisation.size_overridden")
    assert log.actor == staff_user
    assert log.data == {"from": "sme", "to": "large", "reason": "Subsidiary of a large group"}

    staff_client.post(address, {"size": "", "reason": ""})
    organisation.refresh_from_db()
    assert (organisation.size_override, organisation.size_override_reason, organisation.size_category) == (
        "",
        "",
        "sme",
    )


def test_size_override_is_for_companies_only(staff_client):
    lab = OrganisationFactory(legal_name="Public Lab", kind=OrganisationKind.RESEARCH)

    page = staff_client.get(url("members:staff-member", slug=lab.slug)).content.decode()
    response = staff_client.post(
        url("members:staff-member-size", slug=lab.slug), {"size": "large", "reason": "x"}, follow=True
    )

    assert url("members:staff-member-size", slug=lab.slug) not in page
    assert "Only companies have a size category." in response.content.decode()
    assert Organisation.objects.get(pk=lab.pk).size_override == ""
