"""Time the deposit of a dossier [P6] and the generation of its PDF, for a project of N
partners (10 by default), in a throwaway database.

    DJANGO_SETTINGS_MODULE=pole.settings .venv/bin/python bench/deposit_pdf.py [--partners 10] [--runs 5]

The database is the configured one's test database (Django's test machinery: created,
migrated, then destroyed), so the bench never touches real data: SQLite by default (in
memory), PostgreSQL with DATABASE_URL=postgres://… (a database named
test_pole_deposit_bench). Files go to a temporary folder, removed at the end (`--output`
keeps a copy of the PDF). It prints the time of the deposit itself (checks, reference,
snapshot, version), of the first PDF (WeasyPrint's import and font set-up included), then
of each further rendering and storing of the PDF, with its size and number of pages.
"""

import argparse
import io
import os
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pole.settings")

import django  # noqa: E402

LOREM = (
    "Le projet développe un électrolyseur à oxyde solide fonctionnant à haute température, couplé à la chaleur "
    "fatale d'un site industriel, afin de produire un hydrogène bas carbone à un coût compétitif. "
)


def build_project(partners: int):
    """An eligible R&D project with `partners` partners (the lead, companies and two labs),
    a budget line in every cost category, requested aid and eight documents."""
    from django.utils import timezone

    from members.models import Organisation, OrganisationKind, Person
    from pole.models import FundingScheme, OtherCluster, StrategicDomain
    from projects.models import (
        BudgetLine,
        Call,
        CostCategory,
        DocumentKind,
        Partner,
        Project,
        ProjectDocument,
        RequestedAid,
    )

    scheme, _created = FundingScheme.objects.get_or_create(
        code="fui", defaults={"name_fr": "Fonds unique interministériel", "name_en": "FUI", "level": "national"}
    )
    now = timezone.now()
    call = Call.objects.create(
        code="fui-bench",
        title_fr="Appel à projets FUI — banc d'essai",
        funding_scheme=scheme,
        allowed_kinds=["rd"],
        opens_at=now - timedelta(days=30),
        deadline=now + timedelta(days=30),
    )
    project = Project.objects.create(
        call=call,
        acronym="HYSOLID",
        title_fr="Hydrogène par électrolyse à oxyde solide couplée à la chaleur fatale",
        title_en="Solid-oxide electrolysis hydrogen coupled with waste heat",
        summary_fr=LOREM * 3,
        summary_en="The project develops a high-temperature solid-oxide electrolyser. " * 4,
        description=LOREM * 20,
        markets="Industrie chimique, mobilité lourde, sidérurgie.",
        duration_months=36,
        start_date=date(2027, 1, 1),
        trl_from=4,
        trl_to=7,
    )
    project.strategic_domains.add(
        StrategicDomain.objects.get_or_create(code="h2", defaults={"name_fr": "Hydrogène", "name_en": "Hydrogen"})[0]
    )
    project.co_labelling_poles.add(OtherCluster.objects.get_or_create(name="Pôle Mer Méditerranée")[0])
    for n in range(partners):
        kind = OrganisationKind.RESEARCH if n in (partners - 1, partners - 2) else OrganisationKind.COMPANY
        organisation = Organisation.objects.create(
            legal_name=f"{'Laboratoire' if kind == OrganisationKind.RESEARCH else 'Société'} Partenaire {n + 1:02d}",
            slug=f"partenaire-{n + 1:02d}",
            kind=kind,
            department="69",
        )
        contact = Person.objects.create(
            organisation=organisation, first_name="Camille", last_name=f"Martin{n}", email=f"contact{n}@bench.example"
        )
        partner = Partner.objects.create(
            project=project,
            organisation=organisation,
            is_lead=n == 0,
            contact=contact,
            role="Chef de file, intégration du démonstrateur" if n == 0 else f"Lot de travail {n + 1}",
            tasks="Conception, essais, industrialisation; rapports d'avancement semestriels.",
        )
        BudgetLine.objects.bulk_create(
            [
                BudgetLine(partner=partner, category=category, amount=Decimal(40000 + 5000 * i + 1000 * n))
                for i, category in enumerate(CostCategory.values)
            ]
        )
        RequestedAid.objects.create(partner=partner, funding_scheme=scheme, amount=Decimal(90000 + 2500 * n))
        if n == 0:
            project.lead_organisation = organisation
            project.save(update_fields=["lead_organisation"])
    for n, kind in enumerate(DocumentKind.values + ["commitment_letter", "commitment_letter"]):
        ProjectDocument.objects.create(
            project=project,
            kind=kind,
            file=f"projects/bench/{n}.pdf",
            original_name=f"piece-{n + 1}-{kind}.pdf",
            size=250_000 + n,
            content_type="application/pdf",
            sha256=f"{n:064x}",
        )
    return project


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--partners", type=int, default=10, help="how many partners (10)")
    parser.add_argument("--runs", type=int, default=5, help="how many further renderings to time (5)")
    parser.add_argument("--output", type=Path, help="keep a copy of the PDF at this path")
    args = parser.parse_args()

    django.setup()
    import pypdf
    from django.core.files.storage import FileSystemStorage
    from django.db import connection
    from django.test.utils import setup_test_environment, teardown_test_environment

    from pole.celery import app as celery_app
    from pole.models import GeneratedFile
    from projects.models import ProjectVersion
    from projects.services.deposit import DOSSIER_PDF, deposit_project, store_dossier_pdf

    celery_app.conf.task_always_eager = True  # the PDF task runs in this process, after commit
    folder = Path(tempfile.mkdtemp(prefix="deposit-bench-"))
    ProjectVersion._meta.get_field("pdf").storage = FileSystemStorage(location=folder)

    setup_test_environment()
    if connection.vendor != "sqlite":
        connection.settings_dict.setdefault("TEST", {})["NAME"] = "test_pole_deposit_bench"
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False, keepdb=False)
    try:
        project = build_project(args.partners)
        # The deposit's own transaction, then (on commit, eagerly) the first PDF, whose
        # timings its request row (pole.reports) keeps.
        started = time.perf_counter()
        deposit_project(project=project, actor=None)
        total = time.perf_counter() - started
        job = GeneratedFile.objects.get(kind=DOSSIER_PDF)
        timings = {"first_pdf": (job.finished_at - job.started_at).total_seconds()}
        version = ProjectVersion.objects.get(project=project)
        content = version.pdf.read()
        pages = len(pypdf.PdfReader(io.BytesIO(content)).pages)
        print(
            f"{connection.vendor}: {args.partners} partners; deposit {total - timings['first_pdf']:.3f} s, "
            f"first PDF {timings['first_pdf']:.3f} s (WeasyPrint start-up included), "
            f"{len(content) / 1024:.0f} KiB, {pages} pages"
        )
        if args.output:
            args.output.write_bytes(content)
            print(f"PDF written to {args.output}")

        runs = []
        for _ in range(args.runs):
            ProjectVersion.objects.filter(pk=version.pk).update(pdf="", pdf_sha256="")
            version.pdf.storage.delete(version.pdf.name)
            started = time.perf_counter()
            store_dossier_pdf(version_id=version.pk)
            runs.append(time.perf_counter() - started)
            version.refresh_from_db()
        if runs:
            print(
                f"{connection.vendor}: render and store the PDF, {len(runs)} runs: "
                f"median {statistics.median(runs):.3f} s, min {min(runs):.3f} s, max {max(runs):.3f} s"
            )
        print(f"{connection.vendor}: (date {date.today().isoformat()})")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
