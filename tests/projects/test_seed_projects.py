"""`manage.py seed_demo` builds believable demo projects (issue 4, point 12) and a second
run changes nothing.

One test on purpose: seeding the whole demo pole takes tens of seconds, so it runs once and
every property is checked on the same data."""

import io
import re
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.files.storage import FileSystemStorage
from django.core.management import call_command
from django.db.models import Count, Q, Sum

from members.models import Person, User
from pole.models import ActivityLog
from projects.eligibility import blocking_failures, check_eligibility
from projects.models import (
    LABELLED_STATES,
    FundingApplication,
    NonRDSubKind,
    Partner,
    Project,
    ProjectDocument,
    ProjectKind,
    ProjectState,
    ProjectVersion,
)
from projects.permissions import partners_awaiting_confirmation_for, partners_of

pytestmark = pytest.mark.django_db

S = ProjectState
NOT_DEPOSITED = {S.DRAFT}
REFERENCE = re.compile(r"^\d{4}-[A-Z-]+-\d{4}$")


@pytest.fixture(autouse=True)
def _private_files_in_tmp(monkeypatch, tmp_path):
    """The file fields called `private_storage()` when the models loaded, so the conftest's
    STORAGES override does not reach them: point them at the test's folder too."""
    storage = FileSystemStorage(location=tmp_path / "private-files")
    for model, name in [(ProjectDocument, "file"), (ProjectVersion, "pdf")]:
        monkeypatch.setattr(model._meta.get_field(name), "storage", storage)
    return storage


def rows_of_every_model():
    """Every row of the projects app, the activity log and the people, field by field."""
    models = [m for m in apps.get_app_config("projects").get_models() if m._meta.managed]
    models += [ActivityLog, Person, apps.get_model("members", "User")]
    return {
        model._meta.label: sorted(
            map(str, model.objects.values_list(*[f.attname for f in model._meta.concrete_fields]))
        )
        for model in models
    }


def test_seed_demo_builds_projects_of_every_kind_and_state_and_a_second_run_changes_nothing(_private_files_in_tmp):
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert "Projects: 60 created, 60 in all (17 states)" in out.getvalue()

    projects = Project.objects.annotate(
        leads=Count("partners", filter=Q(partners__is_lead=True)), partner_count=Count("partners", distinct=True)
    )
    assert projects.count() == 60
    assert set(projects.values_list("state", flat=True)) == set(S.values)
    assert set(projects.values_list("kind", flat=True)) == set(ProjectKind.values)
    assert set(projects.filter(kind=ProjectKind.NON_RD).values_list("sub_kind", flat=True)) == set(NonRDSubKind.values)
    assert set(projects.exclude(kind=ProjectKind.NON_RD).values_list("sub_kind", flat=True)) == {""}

    # Consortia: exactly one lead, kept in step with lead_organisation; 2 to 6 partners.
    assert list(projects.exclude(leads=1)) == []
    assert list(projects.exclude(partner_count__range=(2, 6))) == []
    for partner in Partner.objects.filter(is_lead=True).select_related("project"):
        assert partner.project.lead_organisation_id == partner.organisation_id
    rd = projects.filter(kind=ProjectKind.RD)
    assert not rd.exclude(lead_organisation__kind="company").exists()
    with_lab = rd.filter(partners__organisation__kind="research").distinct().count()
    assert with_lab >= rd.count() * 0.75

    # Budgets, computed from the budget lines: R&D projects between 1 and 4 M€.
    totals = dict(
        Project.objects.filter(kind=ProjectKind.RD)
        .annotate(total=Sum("partners__budget_lines__amount"))
        .values_list("acronym", "total")
    )
    assert len(totals) == 44
    for acronym, total in totals.items():
        assert isinstance(total, Decimal)
        assert Decimal("1000000") <= total <= Decimal("4000000"), (acronym, total)
    assert not Partner.objects.filter(requested_aids__isnull=True).exists()

    # Deposit: a reference and a version from "deposited" on; none for drafts.
    deposited = Project.objects.exclude(state__in=NOT_DEPOSITED).exclude(reference=None)
    for project in Project.objects.exclude(state__in=NOT_DEPOSITED).exclude(state=S.WITHDRAWN, reference=None):
        assert REFERENCE.match(project.reference), project.reference
        assert project.versions.exists(), project.acronym
        assert project.deposited_at is not None
    assert not Project.objects.filter(state=S.DRAFT).exclude(reference=None).exists()
    assert deposited.filter(versions__number=2).exists()  # returned for information, deposited again
    for project in Project.objects.filter(state=S.DEPOSITED):
        assert blocking_failures(check_eligibility(project)) == [], project.acronym

    # Documents: small PDFs in the private storage.
    for project in Project.objects.all():
        assert project.documents.exists(), project.acronym
    document = Project.objects.get(acronym="CATALYS").documents.first()
    assert _private_files_in_tmp.exists(document.file.name)
    with document.file.open("rb") as handle:
        assert handle.read(5) == b"%PDF-"

    # Follow-up from the label on.
    for project in Project.objects.filter(state__in=LABELLED_STATES | {S.SUPPORT_LETTER}):
        assert project.funding_applications.exists(), project.acronym
    assert FundingApplication.objects.filter(outcome="granted", grants__isnull=False).exists()
    assert FundingApplication.objects.filter(outcome="rejected").exists()
    for project in Project.objects.filter(state__in=[S.FUNDED, S.RUNNING, S.CLOSED]):
        assert project.milestones.exists(), project.acronym
    for project in Project.objects.filter(state=S.RUNNING):
        assert project.progress_reports.exists(), project.acronym
    for project in Project.objects.filter(state=S.CLOSED):
        assert project.outcome.jobs >= 1
    labelled = Project.objects.filter(state__in=LABELLED_STATES)
    assert labelled.filter(public_consent=True).count() > labelled.count() / 2
    assert Project.objects.labelled_public().exists()

    # The demo accounts' organisations.
    member = Person.objects.get(user__email="member@demo.example").organisation
    led = set(
        Project.objects.filter(partners__organisation=member, partners__is_lead=True).values_list("state", flat=True)
    )
    assert {S.DRAFT, S.DEPOSITED} <= led
    assert Partner.objects.filter(organisation=member, is_lead=False).count() >= 1
    partner = Person.objects.get(user__email="partner@demo.example").organisation
    assert Partner.objects.filter(organisation=partner, is_lead=False).count() >= 2

    # A consortium that names the member's organisation awaits his confirmation, as its
    # administrator [A3]; it gives him no access to the project until then.
    member_user = User.objects.get(email="member@demo.example")
    awaiting = list(partners_awaiting_confirmation_for(member_user).values_list("project__acronym", flat=True))
    assert awaiting == ["PILOTIS"]
    assert not partners_of(member_user).filter(project__acronym="PILOTIS").exists()
    assert Project.objects.get(acronym="PILOTIS").state == S.DRAFT

    # Returned for information: the pole's questions on the returned version, with their date;
    # the member leads one that waits for his answer, another lead has answered; the
    # redeposited projects' first versions carry the questions and the answer.
    for project in Project.objects.filter(state=S.RETURNED):
        version = project.versions.get(number=project.version - 1)
        assert version.returned_at is not None and version.return_questions, project.acronym
    led_by_member = Project.objects.filter(partners__is_lead=True, partners__contact__user=member_user)
    assert led_by_member.filter(state=S.RETURNED).exists()
    assert ProjectVersion.objects.get(project__acronym="JUMEAUH", returned_at__isnull=False).return_answer == ""
    assert ProjectVersion.objects.get(project__acronym="HYDRURE", returned_at__isnull=False).answered_at is not None
    for version in ProjectVersion.objects.filter(project__acronym__in=["RESERV4", "PIPEH2"], number=1):
        assert version.return_questions and version.return_answer
        assert version.returned_at < version.answered_at < version.project.versions.get(number=2).deposited_at

    # Partner searches with answers.
    assert apps.get_model("projects", "PartnerSearchAnswer").objects.exists()

    before = rows_of_every_model()
    states = sorted(Project.objects.values_list("acronym", "state", "reference"))
    call_command("seed_demo", stdout=io.StringIO())
    assert sorted(Project.objects.values_list("acronym", "state", "reference")) == states
    assert rows_of_every_model() == before
