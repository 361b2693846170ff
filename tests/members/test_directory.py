"""The public member directory [M5]: who is listed, what is shown, filters, search, FR/EN,
pagination and query counts."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from members.models import Membership, Organisation, OrganisationKind
from members.search import ORGANISATION_SEARCH_INDEX, search_organisations
from pole.models import StrategicDomain
from tests.factories import DuesFactory, MembershipFactory, OrganisationFactory, PersonFactory, luhn_siren

pytestmark = pytest.mark.django_db

State = Membership.State


def luhn_siret(siren: str, establishment: int = 1) -> str:
    """A SIRET that passes the checksum: the SIREN, a 4-digit establishment number and a
    check digit."""
    base = f"{siren}{establishment:04d}"
    for check in range(10):
        candidate = base + str(check)
        total = 0
        for i, ch in enumerate(reversed(candidate)):
            d = int(ch) * (2 if i % 2 else 1)
            total += d - 9 if d > 9 else d
        if total % 10 == 0:
            return candidate
    raise AssertionError("unreachable")


def listed(**kwargs):
    """An organisation the directory must show: opted in, with an active membership."""
    organisation = OrganisationFactory(directory_opt_in=True, **kwargs)
    MembershipFactory(organisation=organisation, state=State.ACTIVE)
    return organisation


def directory_url(language="fr", **params):
    with translation.override(language):
        url = reverse("members:directory")
    if params:
        url += "?" + "&".join(f"{key}={value}" for key, value in params.items())
    return url


def detail_url(organisation, language="fr"):
    with translation.override(language):
        return reverse("members:directory-detail", kwargs={"slug": organisation.slug})


def listed_names(response) -> list[str]:
    """The organisation names of the result cards, in order."""
    html = response.content.decode()
    return re.findall(r'<h3 class="h6 card-title mb-1">\s*<a href="[^"]+">([^<]+)</a>', html)


@pytest.fixture
def domains():
    return [
        StrategicDomain.objects.create(code="industry-40", name_fr="Industrie du futur", name_en="Industry 4.0"),
        StrategicDomain.objects.create(code="health", name_fr="Santé", name_en="Health"),
    ]


# --- Who is listed --------------------------------------------------------------------------


def test_only_opted_in_organisations_with_an_active_membership_are_listed(client):
    shown = listed(legal_name="Visible Industries")
    not_opted_in = OrganisationFactory(legal_name="Discrete Industries", directory_opt_in=False)
    MembershipFactory(organisation=not_opted_in, state=State.ACTIVE)
    never_applied = OrganisationFactory(legal_name="Never Applied", directory_opt_in=True)
    hidden = [not_opted_in, never_applied]
    for state in [State.APPLIED, State.UNDER_REVIEW, State.APPROVED, State.WITHDRAWN, State.EXCLUDED, State.REFUSED]:
        organisation = OrganisationFactory(legal_name=f"Opted In But {state}", directory_opt_in=True)
        MembershipFactory(organisation=organisation, state=state)
        hidden.append(organisation)

    response = client.get(directory_url())

    assert response.status_code == 200
    assert listed_names(response) == ["Visible Industries"]
    html = response.content.decode()
    for organisation in hidden:
        assert organisation.legal_name not in html
        assert client.get(detail_url(organisation)).status_code == 404
    assert client.get(detail_url(shown)).status_code == 200


def test_a_former_member_who_joined_again_is_listed_once(client):
    organisation = OrganisationFactory(legal_name="Returning Member", directory_opt_in=True)
    MembershipFactory(organisation=organisation, state=State.WITHDRAWN)
    MembershipFactory(organisation=organisation, state=State.ACTIVE)

    assert listed_names(client.get(directory_url())) == ["Returning Member"]


def test_unknown_slug_is_404(client):
    assert client.get(reverse("members:directory-detail", kwargs={"slug": "nobody"})).status_code == 404


# --- What is shown --------------------------------------------------------------------------

PRIVATE_SIREN = luhn_siren(48_613_579)
PRIVATE_SIRET = luhn_siret(PRIVATE_SIREN, 73)


def private_markers():
    return [
        PRIVATE_SIREN,
        PRIVATE_SIRET,
        "48613",  # headcount
        "48 613",
        "48\xa0613",
        "97531864",  # turnover
        "97 531 864",
        "97\xa0531\xa0864",
        "86420975",  # balance sheet
        "86 420 975",
        "86\xa0420\xa0975",
        "17 rue du Secret Industriel",
        "Ne pas publier",  # size override reason
        "72.19Z",
        "ceo-secret@discreet.example",
        "+33 6 12 34 98 76",
        "Ingrid Confidentielle",
        "CA-2026-0042",  # board decision reference
        "Motivation privée",
        "4 321,98",  # dues amount
        "4321.98",
    ]


@pytest.fixture
def organisation_with_secrets(domains):
    organisation = OrganisationFactory(
        legal_name="Transparent Robotics",
        acronym="TROB",
        siren="",
        siret=PRIVATE_SIRET,
        naf_code="72.19Z",
        headcount=48613,
        turnover=97531864,
        balance_sheet=86420975,
        street="17 rue du Secret Industriel",
        size_override="large",
        size_override_reason="Ne pas publier",
        website="https://trob.example",
        directory_opt_in=True,
        competences="Robotique collaborative\nVision industrielle",
    )
    organisation.strategic_domains.set(domains)
    PersonFactory(
        organisation=organisation,
        first_name="Ingrid",
        last_name="Confidentielle",
        email="ceo-secret@discreet.example",
        phone="+33 6 12 34 98 76",
    )
    membership = MembershipFactory(
        organisation=organisation,
        state=State.ACTIVE,
        decision_reference="CA-2026-0042",
        motivation="Motivation privée",
    )
    DuesFactory(membership=membership, amount="4321.98")
    return organisation


@pytest.mark.parametrize("language", ["fr", "en"])
def test_no_private_field_appears_in_the_list_or_the_page(client, organisation_with_secrets, language):
    organisation = organisation_with_secrets
    assert organisation.siren == PRIVATE_SIREN  # derived from the SIRET on save

    for url in [directory_url(language), detail_url(organisation, language)]:
        response = client.get(url)
        assert response.status_code == 200
        html = response.content.decode()
        assert "Transparent Robotics" in html
        leaks = [marker for marker in private_markers() if marker in html]
        assert leaks == [], f"{url} shows private data: {leaks}"


def test_the_page_shows_the_public_fields(client, organisation_with_secrets):
    organisation = organisation_with_secrets

    html = client.get(detail_url(organisation, "en")).content.decode()

    assert '<h1 id="organisation-title" class="mb-1">Transparent Robotics</h1>' in html
    assert "TROB" in html
    assert "Company" in html
    assert "Large company (GE)" in html  # the size category is public, the override's reason is not
    assert "Lyon" in html and "Rhône" in html and "Auvergne-Rhône-Alpes" in html
    assert 'href="https://trob.example"' in html
    assert "Industry 4.0" in html and "Health" in html
    assert "<li>Robotique collaborative</li>" in html and "<li>Vision industrielle</li>" in html
    assert "An exemplary company." in html


def test_english_page_shows_the_english_description_and_falls_back_to_french(client):
    bilingual = listed(legal_name="Bilingue SA", description_fr="Nous fabriquons.", description_en="We make things.")
    french_only = listed(legal_name="Francophone SA", description_fr="Seulement en français.", description_en="")

    english = client.get(detail_url(bilingual, "en")).content.decode()
    french = client.get(detail_url(bilingual, "fr")).content.decode()
    fallback = client.get(detail_url(french_only, "en")).content.decode()

    assert "We make things." in english and "Nous fabriquons." not in english
    assert "Nous fabriquons." in french and "We make things." not in french
    assert "Seulement en français." in fallback
    assert '<html lang="en">' in english
    assert f'href="/en/members/directory/{bilingual.slug}/"' in client.get(directory_url("en")).content.decode()


# --- Filters and search ---------------------------------------------------------------------


def test_filters(client, domains):
    industry, health = domains
    lab = listed(legal_name="Labo Lumière", kind=OrganisationKind.RESEARCH, department="38", city="Grenoble")
    lab.strategic_domains.set([health])
    small = listed(legal_name="Petite Usine", headcount=5, turnover=1_000_000, department="42", city="Saint-Étienne")
    small.strategic_domains.set([industry])
    big = listed(legal_name="Grande Usine", headcount=3000, turnover=900_000_000, department="13", city="Marseille")
    big.strategic_domains.set([industry, health])

    def names(**params):
        return sorted(listed_names(client.get(directory_url(**params))))

    assert names() == ["Grande Usine", "Labo Lumière", "Petite Usine"]
    assert names(kind="research") == ["Labo Lumière"]
    assert names(kind="company") == ["Grande Usine", "Petite Usine"]
    assert names(size_category="micro") == ["Petite Usine"]
    assert names(size_category="midsize") == ["Grande Usine"]
    assert names(domain="health") == ["Grande Usine", "Labo Lumière"]
    assert names(domain="industry-40") == ["Grande Usine", "Petite Usine"]
    assert names(region="84") == ["Labo Lumière", "Petite Usine"]  # Auvergne-Rhône-Alpes
    assert names(region="93") == ["Grande Usine"]  # Provence-Alpes-Côte d'Azur
    assert names(department="42") == ["Petite Usine"]
    assert names(kind="company", region="84", domain="industry-40") == ["Petite Usine"]


def test_an_invalid_filter_value_is_explained_not_a_crash(client):
    listed(legal_name="Any Company")

    response = client.get(directory_url(kind="spaceship"))

    assert response.status_code == 200
    assert listed_names(response) == []
    assert "spaceship" in response.content.decode()  # Django's "Select a valid choice. spaceship is not one…"


def test_search_finds_words_in_name_acronym_descriptions_and_competences(client):
    listed(legal_name="Atelier Dupont", competences="Usinage de précision\nFabrication additive")
    listed(legal_name="Biotech Alpes", acronym="BIOAL", description_en="Gene therapy research")
    listed(legal_name="Cabinet Conseil", description_fr="Conseil en stratégie industrielle")

    def found(q):
        return sorted(listed_names(client.get(directory_url(q=q))))

    assert found("additive") == ["Atelier Dupont"]
    assert found("bioal") == ["Biotech Alpes"]
    assert found("therapy") == ["Biotech Alpes"]
    assert found("stratégie") == ["Cabinet Conseil"]
    assert found("dupont usinage") == ["Atelier Dupont"]  # every word must match
    assert found("dupont therapy") == []
    assert found("quantique") == []


def test_search_keeps_the_directory_rules(client):
    listed(legal_name="Quantum Listed")
    OrganisationFactory(legal_name="Quantum Hidden", directory_opt_in=False)
    applied = OrganisationFactory(legal_name="Quantum Applied", directory_opt_in=True)
    MembershipFactory(organisation=applied, state=State.APPLIED)

    assert listed_names(client.get(directory_url(q="quantum"))) == ["Quantum Listed"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="full-text search with stemming needs PostgreSQL")
def test_postgresql_search_uses_french_stemming_and_ranks(client):
    listed(legal_name="Roboticiens Associés", competences="Robots industriels")
    listed(legal_name="Ailleurs", description_fr="Nous intégrons des robots pour la robotique de demain. Robotique.")
    listed(legal_name="Boulangerie Moderne", description_fr="Pains et viennoiseries")

    names = listed_names(client.get(directory_url(q="robotique")))

    assert sorted(names) == ["Ailleurs", "Roboticiens Associés"]
    assert names[0] == "Ailleurs"  # three mentions rank above one
    assert listed_names(client.get(directory_url(q="robotique -demain"))) == ["Roboticiens Associés"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the GIN index exists on PostgreSQL only")
def test_postgresql_search_can_use_the_gin_index():
    listed(legal_name="Indexed Company", competences="Mécatronique")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = search_organisations(Organisation.objects.all(), "mécatronique").explain()
    assert ORGANISATION_SEARCH_INDEX in plan


# --- Pagination and query counts ------------------------------------------------------------


def test_pagination_20_per_page_with_accessible_links(client):
    for n in range(25):
        listed(legal_name=f"Entreprise {n:02d}")

    first = client.get(directory_url())
    second = client.get(directory_url(page=2, kind="company"))

    assert len(listed_names(first)) == 20
    assert listed_names(second) == [f"Entreprise {n:02d}" for n in range(20, 25)]
    html = second.content.decode()
    assert re.search(r'<nav aria-label="[^"]+" class="mt-4">', html)  # the pagination landmark
    assert '<a class="page-link" href="?page=2&amp;kind=company" aria-current="page">' in html
    assert '<a class="page-link" href="?page=1&amp;kind=company" rel="prev">' in html
    assert client.get(directory_url(page=3)).status_code == 404


def _count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_list_query_count_is_the_same_with_1_and_20_organisations(client, domains, django_assert_num_queries):
    listed(legal_name="Entreprise 00").strategic_domains.set(domains)
    filtered = directory_url(q="entreprise", domain="health", kind="company")
    client.get(directory_url())  # warm the caches
    with_one = _count_queries(client, directory_url())
    filtered_with_one = _count_queries(client, filtered)

    for n in range(1, 20):
        listed(legal_name=f"Entreprise {n:02d}", logo="logos/x.png").strategic_domains.set(domains)
    with django_assert_num_queries(with_one):
        response = client.get(directory_url())
    assert len(listed_names(response)) == 20
    with django_assert_num_queries(filtered_with_one):
        response = client.get(filtered)
    assert len(listed_names(response)) == 20
    print(f"directory list: {with_one} queries ({filtered_with_one} with a search and a domain filter)")


def test_detail_query_count_does_not_grow_with_domains(client, django_assert_num_queries):
    few = listed(legal_name="Few Domains")
    few.strategic_domains.set([StrategicDomain.objects.create(code="d0", name_fr="D0", name_en="D0")])
    many = listed(legal_name="Many Domains")
    many.strategic_domains.set(
        [StrategicDomain.objects.create(code=f"m{n}", name_fr=f"M{n}", name_en=f"M{n}") for n in range(8)]
    )
    client.get(detail_url(few))
    with_one = _count_queries(client, detail_url(few))

    with django_assert_num_queries(with_one):
        client.get(detail_url(many))
    print(f"directory detail: {with_one} queries")
