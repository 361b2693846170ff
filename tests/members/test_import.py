"""Import of organisations and people from CSV/XLSX [S3]: every bad row is reported with
its reasons, and a file with a bad row imports nothing."""

import io

import pytest
import tablib
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from openpyxl import Workbook

from members.models import Organisation, Person
from members.resources import OrganisationResource, PersonResource
from pole.models import StrategicDomain
from tests.conftest import login
from tests.factories import OrganisationFactory, luhn_siren

pytestmark = pytest.mark.django_db

HEADERS = ["Legal name", "Acronym", "Kind", "SIRET", "NAF/APE code", "Headcount", "Turnover (€)", "Department"]
HEADERS += ["Strategic domains (codes)", "In the public directory"]


def siret_of(siren: str) -> str:
    base = siren + "00012"[:4]
    for check in range(10):
        candidate = base + str(check)
        total = sum(
            (d * 2 - 9 if d * 2 > 9 else d * 2) if i % 2 else d
            for i, d in enumerate(int(c) for c in reversed(candidate))
        )
        if total % 10 == 0:
            return candidate
    raise AssertionError


GOOD_SIRET = siret_of(luhn_siren(12_345_678))
# The SIREN part's check digit changed.
BAD_CHECKSUM_SIRET = GOOD_SIRET[:8] + str((int(GOOD_SIRET[8]) + 1) % 10) + GOOD_SIRET[9:]


def dataset(rows, headers=HEADERS):
    data = tablib.Dataset(headers=headers)
    for row in rows:
        data.append(row)
    return data


def good_row(name="Mécanique Alpine", siret=GOOD_SIRET, **overrides):
    row = {
        "Legal name": name,
        "Acronym": "",
        "Kind": "company",
        "SIRET": siret,
        "NAF/APE code": "25.62B",
        "Headcount": "45",
        "Turnover (€)": "6500000",
        "Department": "74",
        "Strategic domains (codes)": "",
        "In the public directory": "oui",
    }
    row.update(overrides)
    return [row[header] for header in HEADERS]


@pytest.fixture
def domains():
    StrategicDomain.objects.create(code="industry-40", name_fr="Industrie du futur", name_en="Industry 4.0")
    StrategicDomain.objects.create(code="health", name_fr="Santé", name_en="Health")


def import_organisations(data, language="en"):
    with translation.override(language):
        return OrganisationResource().import_data(data, dry_run=False, raise_errors=False, use_transactions=True)


def invalid_rows_by_number(result):
    return {row.number: row.error_dict for row in result.invalid_rows}


def test_a_file_with_bad_rows_lists_each_of_them_and_imports_none(domains):
    existing = Organisation.objects.count()
    data = dataset(
        [
            good_row("Bonne Entreprise Un", siret=siret_of(luhn_siren(11_111_111))),
            good_row("Mauvais SIRET", siret=BAD_CHECKSUM_SIRET),
            good_row("SIRET trop court", siret="1234567"),
            good_row("Mauvais NAF", siret="", **{"NAF/APE code": "6201Z"}),
            good_row("", siret=""),  # no legal name
            good_row("Nature inconnue", siret="", Kind="spaceship"),
            good_row("Effectif illisible", siret="", Headcount="beaucoup"),
            good_row("Domaine inconnu", siret="", **{"Strategic domains (codes)": "health, quantum"}),
            good_row("Département inconnu", siret="", Department="999"),
            good_row("Bonne Entreprise Deux", siret="", **{"Strategic domains (codes)": "health,industry-40"}),
        ]
    )

    result = import_organisations(data)

    assert result.has_validation_errors()
    errors = invalid_rows_by_number(result)
    assert sorted(errors) == [2, 3, 4, 5, 6, 7, 8, 9]
    assert errors[2] == {"siret": ["This SIRET number is not valid (its check digit is wrong)."]}
    assert errors[3] == {"siret": ["A SIRET number has exactly 14 digits."]}
    assert list(errors[4]) == ["naf_code"] and "62.01Z" in errors[4]["naf_code"][0]
    assert errors[5] == {"legal_name": ["This field cannot be blank."]}
    assert list(errors[6]) == ["kind"] and "spaceship" in errors[6]["kind"][0]
    assert errors[7] == {"headcount": ["Enter a whole number."]}
    assert errors[8] == {"strategic_domains": ["Unknown codes: quantum."]}
    assert list(errors[9]) == ["department"]
    # The good rows were rolled back with the bad ones: nothing half-way.
    assert Organisation.objects.count() == existing
    assert not Organisation.objects.filter(legal_name__startswith="Bonne Entreprise").exists()
    assert Organisation.history.count() == 0


def test_a_row_that_cannot_be_loaded_rolls_back_the_whole_file():
    data = dataset([good_row("Première", siret=""), good_row("Deuxième", siret="")])
    data.append_col(["", "not-a-number"], header="ID")

    result = import_organisations(data)

    assert result.has_errors()
    assert [number for number, _errors in result.row_errors()] == [2]
    assert Organisation.objects.count() == 0


def test_a_clean_file_imports_every_row(domains):
    data = dataset(
        [
            good_row("Mécanique Alpine"),
            good_row("Institut Lumière", siret="", Kind="Research organisation or laboratory", Headcount=""),
            good_row(
                "Santé Connectée",
                siret="",
                Acronym="SANTEC",
                **{"Strategic domains (codes)": "health, industry-40", "In the public directory": "no"},
            ),
        ]
    )

    result = import_organisations(data)

    assert not result.has_errors() and not result.has_validation_errors()
    assert result.totals["new"] == 3
    alpine = Organisation.objects.get(legal_name="Mécanique Alpine")
    assert alpine.siret == GOOD_SIRET and alpine.siren == GOOD_SIRET[:9]
    assert alpine.size_category == "sme" and alpine.region == "84"
    assert alpine.directory_opt_in is True
    assert alpine.slug == "mecanique-alpine"
    assert Organisation.objects.get(legal_name="Institut Lumière").kind == "research"
    santec = Organisation.objects.get(acronym="SANTEC")
    assert sorted(santec.strategic_domains.values_list("code", flat=True)) == ["health", "industry-40"]
    assert santec.directory_opt_in is False
    assert santec.slug == "santec"


def test_headers_may_be_the_labels_in_another_language_or_the_field_names():
    data = dataset(
        [["Société Française", "company", "69"]],
        headers=["legal_name", " KIND ", "department"],
    )
    english = dataset([["English Ltd", "company", "69"]], headers=["Legal name", "Kind", "Department"])

    for data_set in (data, english):
        result = import_organisations(data_set, language="fr")
        assert not result.has_validation_errors(), [row.error_dict for row in result.invalid_rows]
    assert sorted(Organisation.objects.values_list("legal_name", flat=True)) == ["English Ltd", "Société Française"]


def test_an_export_imports_back_unchanged(domains):
    organisation = OrganisationFactory(legal_name="Aller Retour", siret=GOOD_SIRET, siren="")
    organisation.strategic_domains.set(StrategicDomain.objects.filter(code="health"))
    exported = OrganisationResource().export(Organisation.objects.all())

    result = OrganisationResource().import_data(exported, dry_run=False, use_transactions=True)

    assert not result.has_errors() and not result.has_validation_errors()
    assert result.totals["skip"] == 1 and result.totals["new"] == 0
    assert Organisation.objects.count() == 1


def test_people_import_reports_bad_rows_and_imports_none():
    organisation = OrganisationFactory(legal_name="Employeur", slug="employeur")
    headers = ["Organisation (directory address)", "First name", "Last name", "E-mail", "Main contact"]
    data = dataset(
        [
            ["employeur", "Anne", "Bonne", "anne@employeur.example", "yes"],
            ["employeur", "Bruno", "Malmail", "not-an-email", "no"],
            ["inconnue", "Carla", "Perdue", "carla@example.org", ""],
            ["employeur", "", "Sansprenom", "x@example.org", "peut-être"],
        ],
        headers=headers,
    )

    with translation.override("en"):
        result = PersonResource().import_data(data, dry_run=False, raise_errors=False, use_transactions=True)

    errors = invalid_rows_by_number(result)
    assert sorted(errors) == [2, 3, 4]
    assert errors[2] == {"email": ["Enter a valid email address."]}
    assert errors[3] == {"organisation": ["No record matches “inconnue”."]}
    assert errors[4] == {"first_name": ["This field cannot be blank."], "is_main_contact": ["Enter yes or no."]}
    assert Person.objects.count() == 0

    clean = dataset([["employeur", "Anne", "Bonne", "anne@employeur.example", "yes"]], headers=headers)
    result = PersonResource().import_data(clean, dry_run=False, raise_errors=False, use_transactions=True)
    assert not result.has_validation_errors()
    person = Person.objects.get()
    assert (person.organisation, person.is_main_contact, person.is_active) == (organisation, True, True)


# --- Through the admin ----------------------------------------------------------------------


@pytest.fixture
def admin_client(client, staff_user, totp_secret):
    staff_user.user_permissions.add(*Permission.objects.filter(content_type__app_label="members"))
    login(client, staff_user, totp_secret)
    return client


def xlsx_file(rows):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    buffer.name = "organisations.xlsx"
    return buffer


def _format_index(response, label):
    import re

    html = response.content.decode()
    match = re.search(r'<option value="(\d+)">' + label + "</option>", html)
    assert match, html[:3000]
    return match.group(1)


def test_the_admin_import_page_lists_bad_rows_and_offers_no_confirmation(admin_client):
    address = "/en/admin/members/organisation/import/"
    page = admin_client.get(address)
    assert page.status_code == 200
    xlsx = _format_index(page, "xlsx")
    upload = xlsx_file([good_row("Bonne Entreprise"), good_row("Mauvais SIRET", siret=BAD_CHECKSUM_SIRET)])

    response = admin_client.post(address, {"format": xlsx, "import_file": upload})

    assert response.status_code == 200
    html = response.content.decode()
    assert "This SIRET number is not valid (its check digit is wrong)." in html
    assert 'name="import_file_name"' not in html  # no confirmation form: nothing can be imported
    assert Organisation.objects.count() == 0


def test_the_admin_imports_a_clean_file_after_confirmation(admin_client, staff_user):
    address = "/en/admin/members/organisation/import/"
    xlsx = _format_index(admin_client.get(address), "xlsx")
    upload = xlsx_file([good_row("Import Un", siret=""), good_row("Import Deux", siret="")])

    preview = admin_client.post(address, {"format": xlsx, "import_file": upload})
    assert 'name="import_file_name"' in preview.content.decode()
    form = preview.context["confirm_form"]
    response = admin_client.post(
        "/en/admin/members/organisation/process_import/", {name: form[name].value() for name in form.fields}
    )

    assert response.status_code == 302
    assert sorted(Organisation.objects.values_list("legal_name", flat=True)) == ["Import Deux", "Import Un"]
    assert {record.history_user for record in Organisation.history.all()} == {staff_user}


def _preview(admin_client, address, xlsx, count, offset=0):
    rows = [
        good_row(
            f"Entreprise {index}",
            siret=siret_of(luhn_siren(20_000_000 + offset + index)),
            **{"Strategic domains (codes)": "health,industry-40"},
        )
        for index in range(count)
    ]
    with CaptureQueriesContext(connection) as queries:
        response = admin_client.post(address, {"format": xlsx, "import_file": xlsx_file(rows)})
    return response, len(queries)


def test_the_import_preview_costs_a_few_queries_a_row(admin_client, domains):
    """The preview of an import reads the strategic domains once per import and, rolled
    back anyway, writes neither history rows nor links: at most six queries a row (about
    twenty before). bench/import_preview.py times a 1,500-row file (goal: under 30 s):
    54.8 s before on a loaded machine, 9.6 s after on SQLite (5.0 queries a row)."""
    address = "/en/admin/members/organisation/import/"
    xlsx = _format_index(admin_client.get(address), "xlsx")

    _small, few = _preview(admin_client, address, xlsx, 10)
    response, many = _preview(admin_client, address, xlsx, 40, offset=100)

    assert (many - few) / 30 <= 6
    html = response.content.decode()
    assert 'name="import_file_name"' in html
    assert html.count("Entreprise 39") == 1
    assert html.count("health,industry-40") == 40  # the preview shows the links it did not write
    assert (Organisation.objects.count(), Organisation.history.count()) == (0, 0)
