"""Versions of a dossier [P6]: the snapshot, the differences between two snapshots, and the
comparison page (which never shows a partner the other partners' details)."""

import json
from decimal import Decimal

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import translation

from members.models import OrganisationKind
from pole.models import OtherCluster, StrategicDomain
from pole.money import format_euros
from projects.models import BudgetLine, ProjectDocument, ProjectState, ProjectVersion
from projects.services import submission
from projects.services.deposit import deposit_project, return_for_information
from projects.services.versions import ADDED, REMOVED, Change, diff_snapshots, snapshot_project
from tests.conftest import login
from tests.factories import OrganisationFactory, PersonFactory
from tests.projects.test_deposit import add_partner, build_consortium, partner_of, private_files  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """Labels are asserted on their English msgids (the French catalogue is merged later)."""
    with translation.override("en"):
        yield


@pytest.fixture
def project(member_user, other_member_user):
    return build_consortium(lead_user=member_user, partner_user=other_member_user)


def document(project, name, content=b"%PDF-1.4 x", partner=None, kind="technical_annex"):
    return ProjectDocument.objects.create(
        project=project,
        partner=partner,
        kind=kind,
        file=ContentFile(content, name=name),
        original_name=name,
        size=len(content),
        content_type="application/pdf",
        sha256=f"{len(content):064d}",
    )


def by_label(changes) -> dict[str, Change]:
    return {change.label: change for change in changes}


# --- The snapshot ------------------------------------------------------------------------------


def test_the_snapshot_holds_the_whole_dossier_as_json(project):
    project.strategic_domains.add(StrategicDomain.objects.create(code="h2", name_fr="Hydrogène", name_en="Hydrogen"))
    project.co_labelling_poles.add(OtherCluster.objects.create(name="Pôle Mer Méditerranée"))
    alpha = partner_of(project, "Alpha Énergie SAS")
    alpha.tasks = "WP1, WP2"
    alpha.save()
    document(project, "annexe.pdf")

    snapshot = json.loads(json.dumps(snapshot_project(project)))

    assert snapshot["general"]["acronym"] == project.acronym
    assert snapshot["general"]["description"] == project.description
    assert snapshot["call"]["code"] == project.call.code
    assert snapshot["call"]["funding_scheme"]["code"] == "fui"
    assert snapshot["strategic_domains"] == [{"code": "h2", "name_fr": "Hydrogène", "name_en": "Hydrogen"}]
    assert snapshot["co_labelling_poles"] == ["Pôle Mer Méditerranée"]
    lead = snapshot["partners"][0]
    assert lead["name"] == "Alpha Énergie SAS" and lead["is_lead"] is True
    assert lead["siren"] == alpha.organisation.siren and lead["country"] == "FR"
    assert lead["contact"] == str(alpha.contact)
    assert (lead["role"], lead["tasks"]) == ("Chef de file, intégration", "WP1, WP2")
    assert lead["budget_lines"]["personnel"] == "400000.00"
    assert lead["budget_lines"]["equipment"] == "100000.00"
    assert lead["budget_lines"]["travel"] == "0.00"
    assert (lead["total"], lead["share"], lead["requested_aid"], lead["aid_rate"]) == (
        "500000.00",
        "50.00",
        "150000.00",
        "30.00",
    )
    assert lead["requested_aids"][0]["funding_scheme"] == "fui"
    assert [p["is_lead"] for p in snapshot["partners"]] == [True, False, False]
    assert snapshot["documents"] == [
        {
            "kind": "technical_annex",
            "name": "annexe.pdf",
            "sha256": f"{10:064d}",
            "size": 10,
            "partner_organisation_id": None,
            "uploaded_in_version": 1,
        }
    ]
    assert snapshot["totals"]["budget"] == "1000000.00"
    assert snapshot["totals"]["requested_aid"] == "340000.00"
    assert snapshot["totals"]["by_category"]["personnel"] == "900000.00"


def test_the_snapshot_costs_the_same_queries_for_3_or_10_partners(django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    small, large = build_consortium(acronym="PETIT"), build_consortium(acronym="GRAND", partners=10)
    with CaptureQueriesContext(connection) as queries:
        snapshot_project(small)
    with django_assert_num_queries(len(queries)):
        assert len(snapshot_project(large)["partners"]) == 10


# --- The differences ------------------------------------------------------------------------------


def test_no_change_means_an_empty_list(project):
    snapshot = snapshot_project(project)
    assert diff_snapshots(snapshot, snapshot) == []


def test_diff_lists_what_a_person_needs_to_read(project):
    old = snapshot_project(project)
    project.title_fr = "Nouveau titre"
    project.kind = "platform"
    project.save()
    beta = partner_of(project, "Beta Systèmes")
    BudgetLine.objects.filter(partner=beta, category="personnel").update(amount=Decimal("350000.00"))
    partner_of(project, "Laboratoire Gamma").delete()
    newcomer = OrganisationFactory(legal_name="Delta Robotique", kind=OrganisationKind.COMPANY)
    add_partner(project, newcomer, budget={"equipment": "50000.00"})
    document(project, "annexe-v2.pdf", partner=beta)

    changes = diff_snapshots(old, snapshot_project(project))
    labels = by_label(changes)

    title = labels["Title (French)"]
    assert (title.section, title.old, title.new) == ("General information", old["general"]["title_fr"], "Nouveau titre")
    assert (labels["Kind"].old, labels["Kind"].new) == ("R&D project", "Innovation platform")
    assert (labels["Partner added"].new, labels["Partner added"].kind) == ("Delta Robotique", ADDED)
    assert (labels["Partner removed"].old, labels["Partner removed"].kind) == ("Laboratoire Gamma", REMOVED)
    line = labels["Beta Systèmes — Personnel"]
    assert (line.section, line.old, line.new) == ("Budget", format_euros("300000"), format_euros("350000"))
    assert line.organisation_id == beta.organisation_id
    assert labels["Delta Robotique — Equipment"].new == format_euros("50000")
    assert labels["Laboratoire Gamma — Personnel"].new == format_euros("0")
    aid = next(c for c in changes if c.section == "Requested aid")
    assert aid.label.startswith("Laboratoire Gamma — ") and aid.new == format_euros("0")
    added = labels["Technical annex"]
    assert (added.section, added.kind, added.organisation_id) == ("Documents", ADDED, beta.organisation_id)
    assert added.new.startswith("annexe-v2.pdf")
    assert labels["Total budget"].new == format_euros("900000")
    # Reading order: general, consortium, budget, aid, documents, totals.
    sections = [change.section for change in changes]
    assert sections == sorted(
        sections,
        key=["General information", "Consortium", "Budget", "Requested aid", "Documents", "Totals"].index,
    )


def test_diff_shows_a_new_lead_and_changed_partner_details(project):
    old = snapshot_project(project)
    beta = partner_of(project, "Beta Systèmes")
    submission.set_lead_partner(partner=beta, actor=None)
    beta.refresh_from_db()
    beta.role = "Nouveau chef de file"
    beta.save()

    labels = by_label(diff_snapshots(old, snapshot_project(project)))

    assert (labels["Lead partner"].old, labels["Lead partner"].new) == ("Alpha Énergie SAS", "Beta Systèmes")
    assert (labels["Beta Systèmes — Role"].old, labels["Beta Systèmes — Role"].new) == (
        "Partenaire",
        "Nouveau chef de file",
    )


def test_a_replaced_document_shows_as_removed_and_added(project):
    document(project, "annexe.pdf", b"version 1")
    old = snapshot_project(project)
    ProjectDocument.objects.all().delete()
    document(project, "annexe.pdf", b"version 2 longer")

    changes = [c for c in diff_snapshots(old, snapshot_project(project)) if c.section == "Documents"]
    assert [(c.kind, c.old[:10], c.new[:10]) for c in changes] == [
        (REMOVED, "annexe.pdf", ""),
        (ADDED, "", "annexe.pdf"),
    ]


# --- The comparison page ---------------------------------------------------------------------------


def deposit_twice(project, lead_user, staff_user, django_capture_on_commit_callbacks, change):
    """Deposit, return, apply `change`, deposit again: versions 1 and 2."""
    with django_capture_on_commit_callbacks(execute=True):
        deposit_project(project=project, actor=lead_user)
        return_for_information(project=project, actor=staff_user, reason="Budgets à revoir")
    change()
    with django_capture_on_commit_callbacks(execute=True):
        deposit_project(project=project, actor=lead_user)
    mail.outbox.clear()


def compare_url(project, query="?from=1&to=2"):
    return reverse("projects:project-versions-compare", kwargs={"pk": project.pk}) + query


def change_two_budgets(project):
    def change():
        for name, amount in (("Alpha Énergie SAS", "410000.00"), ("Beta Systèmes", "320000.00")):
            submission.save_budget_lines(
                partner=partner_of(project, name), actor=None, amounts={"personnel": Decimal(amount)}
            )

    return change


def test_compare_shows_a_changed_budget_line(
    client, project, member_user, staff_user, django_capture_on_commit_callbacks
):
    deposit_twice(project, member_user, staff_user, django_capture_on_commit_callbacks, change_two_budgets(project))
    assert list(ProjectVersion.objects.filter(project=project).values_list("number", flat=True)) == [1, 2]
    login(client, member_user)

    with translation.override("en"):
        response = client.get(compare_url(project).replace("/fr/", "/en/"))

    content = response.content.decode()
    assert response.status_code == 200
    assert "Alpha Énergie SAS — Personnel" in content
    assert format_euros("400000") in content and format_euros("410000") in content
    assert "Beta Systèmes — Personnel" in content
    assert format_euros("320000") in content


def test_a_partner_does_not_see_other_partners_budget_rows(
    client, project, member_user, other_member_user, staff_user, django_capture_on_commit_callbacks
):
    deposit_twice(project, member_user, staff_user, django_capture_on_commit_callbacks, change_two_budgets(project))
    login(client, other_member_user)  # Beta's contact, not the lead

    response = client.get(compare_url(project).replace("/fr/", "/en/"))

    content = response.content.decode()
    assert response.status_code == 200
    assert "Beta Systèmes — Personnel" in content  # his own organisation
    assert "Alpha Énergie SAS — Personnel" not in content
    assert format_euros("410000") not in content and format_euros("400000") not in content
    assert "Total budget" in content  # the project's totals are shown to the consortium


def test_a_partner_does_not_see_a_departed_partners_details(
    client, member_user, other_member_user, staff_user, django_capture_on_commit_callbacks
):
    project = build_consortium(lead_user=member_user, partner_user=other_member_user, partners=4)

    def change():
        submission.remove_partner(partner=partner_of(project, "Partenaire Industriel 4"), actor=None)

    deposit_twice(project, member_user, staff_user, django_capture_on_commit_callbacks, change)
    login(client, other_member_user)
    content = client.get(compare_url(project).replace("/fr/", "/en/")).content.decode()
    assert "Partner removed" in content and "Partenaire Industriel 4" in content
    assert "Partenaire Industriel 4 — Travel" not in content

    client.logout()
    login(client, member_user)
    content = client.get(compare_url(project).replace("/fr/", "/en/")).content.decode()
    assert "Partenaire Industriel 4 — Travel" in content


def test_compare_with_the_dossier_as_it_stands(
    client, project, member_user, staff_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        deposit_project(project=project, actor=member_user)
        return_for_information(project=project, actor=staff_user, reason="Budgets à revoir")
    submission.update_general(project=project, actor=member_user, data={"title_fr": "Titre en cours"})
    login(client, member_user)

    response = client.get(compare_url(project, "").replace("/fr/", "/en/"))  # defaults: v1 → current

    content = response.content.decode()
    assert response.status_code == 200
    assert "Titre en cours" in content
    assert "From version 1 to the dossier as it stands" in content


def test_compare_refuses_unknown_or_equal_versions(client, project, member_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        deposit_project(project=project, actor=member_user)
    login(client, member_user)
    for query in ("?from=1&to=1", "?from=1&to=7", "?from=x&to=2"):
        response = client.get(compare_url(project, query).replace("/fr/", "/en/"))
        assert response.status_code == 200, query
        assert '<table class="table">' not in response.content.decode(), query


def test_staff_see_every_change(
    client, project, member_user, staff_user, totp_secret, django_capture_on_commit_callbacks
):
    deposit_twice(project, member_user, staff_user, django_capture_on_commit_callbacks, change_two_budgets(project))
    login(client, staff_user, totp_secret)
    content = client.get(compare_url(project).replace("/fr/", "/en/")).content.decode()
    assert "Alpha Énergie SAS — Personnel" in content and "Beta Systèmes — Personnel" in content
    assert ProjectState(project.__class__.objects.get(pk=project.pk).state) == ProjectState.DEPOSITED


def test_an_unrelated_contact_cannot_compare(client, project, member_user, django_user_model):
    from tests.conftest import make_user

    stranger = make_user(django_user_model, "stranger@elsewhere.example")
    PersonFactory(organisation=OrganisationFactory(), user=stranger)
    login(client, stranger)
    assert client.get(compare_url(project)).status_code == 404


def test_a_partner_does_not_see_other_partners_contact_tasks_or_the_projects_documents(
    client, project, member_user, other_member_user, staff_user, django_capture_on_commit_callbacks
):
    def change():
        alpha = partner_of(project, "Alpha Énergie SAS")
        submission.update_partner_part(
            partner=alpha, actor=None, contact=alpha.contact, role="Coordination", tasks="WP0 — pilotage secret"
        )
        document(project, "accord-de-consortium.pdf", kind="consortium_agreement")

    deposit_twice(project, member_user, staff_user, django_capture_on_commit_callbacks, change)
    login(client, other_member_user)
    content = client.get(compare_url(project).replace("/fr/", "/en/")).content.decode()
    assert "Alpha Énergie SAS — Role" in content and "Coordination" in content  # roles are public to the consortium
    assert "WP0 — pilotage secret" not in content
    assert "accord-de-consortium.pdf" not in content

    client.logout()
    login(client, member_user)
    content = client.get(compare_url(project).replace("/fr/", "/en/")).content.decode()
    assert "WP0 — pilotage secret" in content
    assert "accord-de-consortium.pdf" in content
