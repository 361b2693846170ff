"""Time the call for dues [M4] on N active memberships, in a throwaway database.

    DJANGO_SETTINGS_MODULE=pole.settings .venv/bin/python bench/dues_call.py [--memberships 3000]

The database is the configured one's test database (Django's test machinery: created,
migrated, then destroyed), so the bench never touches real data: SQLite by default (in
memory), PostgreSQL with DATABASE_URL=postgres://… (a database named test_pole_dues_bench).
It prints the time and the number of queries of a first call, which creates one record per
membership, and of a second one, which creates nothing.
"""

import argparse
import os
import sys
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pole.settings")

import django  # noqa: E402

YEAR = 2026


def build_members(count: int) -> None:
    """`count` organisations of every kind and size, each with an active membership, and a
    complete scale for YEAR. Bulk inserts: the derived columns that save() would compute
    are set here."""
    from members.models import (
        College,
        DuesRate,
        Membership,
        Organisation,
        OrganisationKind,
        SizeCategory,
    )
    from members.services.dues import scale_cells

    kinds = [OrganisationKind.COMPANY] * 7 + [
        OrganisationKind.RESEARCH,
        OrganisationKind.EDUCATION,
        OrganisationKind.PUBLIC,
    ]
    sizes = [SizeCategory.MICRO, SizeCategory.SME, SizeCategory.SME, SizeCategory.MIDSIZE, SizeCategory.LARGE, ""]
    organisations = []
    for n in range(count):
        kind = kinds[n % len(kinds)]
        organisations.append(
            Organisation(
                legal_name=f"Organisation {n:05d}",
                slug=f"organisation-{n:05d}",
                kind=kind,
                size_category=sizes[n % len(sizes)] if kind == OrganisationKind.COMPANY else "",
                department="69",
                region="84",
            )
        )
    Organisation.objects.bulk_create(organisations, batch_size=500)
    Membership.objects.bulk_create(
        [
            Membership(organisation=organisation, college=College.SMES, state=Membership.State.ACTIVE)
            for organisation in Organisation.objects.only("pk")
        ],
        batch_size=500,
    )
    DuesRate.objects.bulk_create(
        [DuesRate(year=YEAR, kind=kind, size_band=band, amount=Decimal("1200.00")) for kind, band in scale_cells()]
    )


def timed_call():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from members.services.dues import call_dues

    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        created = call_dues(year=YEAR, actor=None)
        elapsed = time.perf_counter() - started
    return created, elapsed, len(queries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--memberships", type=int, default=3000, help="how many active memberships (3000)")
    args = parser.parse_args()

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment, teardown_test_environment

    from members.models import Dues

    setup_test_environment()
    if connection.vendor != "sqlite":
        # A name of its own: never the test database a test run may be using.
        connection.settings_dict.setdefault("TEST", {})["NAME"] = "test_pole_dues_bench"
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False, keepdb=False)
    try:
        started = time.perf_counter()
        build_members(args.memberships)
        print(
            f"{connection.vendor}: {args.memberships} active memberships built in {time.perf_counter() - started:.1f} s"
        )
        created, elapsed, queries = timed_call()
        assert created == args.memberships == Dues.objects.filter(year=YEAR).count(), created
        print(f"{connection.vendor}: call_dues created {created} records in {elapsed:.3f} s with {queries} queries")
        created, elapsed, queries = timed_call()
        assert created == 0
        print(f"{connection.vendor}: a second call created {created} records in {elapsed:.3f} s with {queries} queries")
        print(f"{connection.vendor}: (date {date.today().isoformat()}, year called {YEAR})")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()


if __name__ == "__main__":
    main()
