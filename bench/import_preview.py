"""Time the admin's import preview [S3] of an N-row XLSX file of organisations (1500 by
default), each with two strategic domains, in a throwaway database.

    DJANGO_SETTINGS_MODULE=pole.settings .venv/bin/python bench/import_preview.py [--rows 1500]

The database is the configured one's test database (Django's test machinery: created,
migrated, then destroyed), so the bench never touches real data: SQLite by default (in
memory), PostgreSQL with DATABASE_URL=postgres://… (a database named
test_pole_import_bench). A staff account enrolled in two-factor authentication logs in
through allauth's real pages, then posts the file to the real admin view (the dry run that
lists the rows before confirmation); the uploaded copy import-export keeps goes to a
temporary folder, removed at the end. It prints the time and the number of queries of that
one request, and checks that the page lists every row, offers the confirmation and that
nothing was written (no organisation, no history row).
"""

import argparse
import io
import os
import re
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pole.settings")

import django  # noqa: E402

ADDRESS = "/en/admin/members/organisation/import/"
EMAIL = "bench-staff@pole.example"
PASSWORD = "correct-horse-battery-staple"
HEADERS = ["Legal name", "Acronym", "Kind", "SIRET", "NAF/APE code", "Headcount", "Turnover (€)", "Department"]
HEADERS += ["Strategic domains (codes)", "In the public directory"]


def luhn_completed(digits: str) -> str:
    """`digits` followed by the check digit that makes the whole pass Luhn's test."""
    for check in "0123456789":
        candidate = digits + check
        total = sum(
            (d * 2 - 9 if d * 2 > 9 else d * 2) if i % 2 else d for i, d in enumerate(map(int, reversed(candidate)))
        )
        if total % 10 == 0:
            return candidate
    raise AssertionError(digits)


def siret_of(n: int) -> str:
    """A valid SIRET (the head office, 0001) of a valid SIREN built from `n`."""
    return luhn_completed(luhn_completed(f"{n:08d}") + "0001")


def xlsx_file(count: int) -> io.BytesIO:
    """`count` clean rows of companies, each with its own SIRET and two strategic domains."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADERS)
    for n in range(count):
        sheet.append(
            [f"Entreprise {n:05d}", "", "company", siret_of(20_000_000 + n), "25.62B", "45", "6500000", "74"]
            + ["health,industry-40", "oui"]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    buffer.name = "organisations.xlsx"
    return buffer


def logged_in_staff_client():
    """A client logged in as a staff member with the members app's permissions, through the
    password page and then the TOTP page, as the two-factor enrolment middleware requires."""
    import pyotp
    from allauth.account.models import EmailAddress
    from allauth.mfa.totp.internal.auth import TOTP
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group, Permission
    from django.test import Client

    from pole import roles

    user = get_user_model().objects.create_user(EMAIL, PASSWORD, is_staff=True)
    EmailAddress.objects.create(user=user, email=EMAIL, verified=True, primary=True)
    user.groups.add(Group.objects.get_or_create(name=roles.STAFF)[0])
    user.user_permissions.add(*Permission.objects.filter(content_type__app_label="members"))
    secret = pyotp.random_base32()
    TOTP.activate(user, secret)

    client = Client()
    response = client.post("/fr/accounts/login/", {"login": EMAIL, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/fr/accounts/2fa/authenticate/", response
    response = client.post("/fr/accounts/2fa/authenticate/", {"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 302, response.content.decode()[:2000]
    return client


def xlsx_format(client) -> str:
    page = client.get(ADDRESS)
    assert page.status_code == 200, page.status_code
    match = re.search(r'<option value="(\d+)">xlsx</option>', page.content.decode())
    assert match, "no xlsx format offered on the import page"
    return match.group(1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1500, help="how many rows in the file (1500)")
    args = parser.parse_args()

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext, setup_test_environment, teardown_test_environment

    from members.models import Organisation
    from pole.models import StrategicDomain

    # DEBUG off, as under the test runner; the temporary folder receives import-export's copy.
    setup_test_environment(debug=False)
    scratch = tempfile.TemporaryDirectory(prefix="pole-import-bench-")
    tempfile.tempdir = scratch.name
    if connection.vendor != "sqlite":
        # A name of its own: never the test database a test run may be using.
        connection.settings_dict.setdefault("TEST", {})["NAME"] = "test_pole_import_bench"
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False, keepdb=False)
    try:
        StrategicDomain.objects.get_or_create(
            code="industry-40", defaults={"name_fr": "Industrie du futur", "name_en": "Industry 4.0"}
        )
        StrategicDomain.objects.get_or_create(code="health", defaults={"name_fr": "Santé", "name_en": "Health"})
        client = logged_in_staff_client()
        file_format = xlsx_format(client)
        upload = xlsx_file(args.rows)

        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.post(ADDRESS, {"format": file_format, "import_file": upload})
            elapsed = time.perf_counter() - started

        assert response.status_code == 200, response.status_code
        html = response.content.decode()
        assert 'name="import_file_name"' in html, "no confirmation form: the file has errors"
        listed = len(set(re.findall(r"Entreprise \d{5}", html)))
        new = response.context["result"].totals["new"]
        assert listed == new == args.rows, (listed, new)
        written = (Organisation.objects.count(), Organisation.history.count())
        assert written == (0, 0), written
        vendor = connection.vendor
        print(f"{vendor}: import preview of {args.rows} rows in {elapsed:.2f} s with {len(queries)} queries")
        print(f"{vendor}: {len(queries) / args.rows:.2f} queries a row, {elapsed / args.rows * 1000:.1f} ms a row")
        print(f"{vendor}: the page lists {listed} rows, all new; written: {written[0]} organisations, ", end="")
        print(f"{written[1]} history rows")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()
        tempfile.tempdir = None
        scratch.cleanup()


if __name__ == "__main__":
    main()
