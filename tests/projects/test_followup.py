"""Follow-up of labelled projects [P7]: funding applications with amounts granted per
partner, milestones, progress reports, final outcomes; who records, who reads; bad input
keeps what was typed."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from pole.models import ActivityLog
from pole.money import format_euros
from projects.models import FundingApplication, GrantedAmount, Milestone, ProgressReport, ProjectOutcome, ProjectState
from projects.services.followup import FollowUpNotOpen, save_milestone
from tests.conftest import login
from tests.factories import (
    OrganisationFactory,
    PartnerFactory,
    PersonFactory,
    ProjectFactory,
    UserFactory,
    funding_scheme,
)

pytestmark = pytest.mark.django_db

S = ProjectState


def url(name, language="en", **kwargs):
    with translation.override(language):
        return reverse(name, kwargs=kwargs)


@pytest.fixture
def project(member_user, other_member_user):
    """A labelled project led by member_user's organisation, other_member_user's one a partner."""
    acme = OrganisationFactory(legal_name="ACME")
    other = OrganisationFactory(legal_name="OtherLab")
    PersonFactory(organisation=acme, user=member_user)
    PersonFactory(organisation=other, user=other_member_user)
    project = ProjectFactory(acronym="FOLLOW", state=S.LABELLED, lead_organisation=acme)
    project.lead = PartnerFactory(project=project, organisation=acme, is_lead=True)
    project.other = PartnerFactory(project=project, organisation=other)
    funding_scheme("fui")
    return project


def application_data(project, **overrides):
    data = {
        "funding_scheme": funding_scheme("fui").pk,
        "submitted_on": "2026-01-15",
        "outcome": "granted",
        "decided_on": "2026-04-02",
        "start_date": "2026-05-01",
        "end_date": "2028-04-30",
        f"grant_{project.lead.pk}": "450 000,50",
        f"grant_{project.other.pk}": "120000",
    }
    data.update(overrides)
    return data


def test_the_lead_records_a_funding_application_with_grants_per_partner(client, member_user, project):
    client.force_login(member_user)
    response = client.post(
        url("projects:project-funding-application-create", language="fr", pk=project.pk), application_data(project)
    )
    assert response.status_code == 302 and response["Location"] == url("projects:project-followup", "fr", pk=project.pk)
    application = FundingApplication.objects.get(project=project)
    assert application.outcome == "granted"
    assert application.decided_on == date(2026, 4, 2)
    grants = {grant.partner_id: grant.amount for grant in application.grants.all()}
    assert grants == {project.lead.pk: Decimal("450000.50"), project.other.pk: Decimal("120000.00")}
    assert ActivityLog.objects.filter(verb="project.funding_application_created", target_id=str(project.pk)).exists()
    html = client.get(url("projects:project-followup", pk=project.pk)).content.decode()
    assert format_euros(Decimal("570000.50")) in html


def test_editing_an_application_changes_and_removes_grants(client, member_user, project):
    client.force_login(member_user)
    client.post(url("projects:project-funding-application-create", "fr", pk=project.pk), application_data(project))
    application = FundingApplication.objects.get()
    client.post(
        url("projects:project-funding-application-edit", "fr", pk=project.pk, item=application.pk),
        application_data(project, **{f"grant_{project.lead.pk}": "500000", f"grant_{project.other.pk}": ""}),
    )
    assert {g.partner_id: g.amount for g in GrantedAmount.objects.all()} == {project.lead.pk: Decimal("500000.00")}


def test_a_bad_application_keeps_what_was_typed(client, member_user, project):
    client.force_login(member_user)
    data = application_data(project, decided_on="2025-12-01", **{f"grant_{project.other.pk}": "-5"})
    response = client.post(url("projects:project-funding-application-create", "fr", pk=project.pk), data)
    assert response.status_code == 400
    html = response.content.decode()
    form = response.context["form"]
    assert form.has_error("decided_on") and form.has_error(f"grant_{project.other.pk}")
    assert 'value="2025-12-01"' in html and 'value="2026-01-15"' in html and 'value="450 000,50"' in html
    assert FundingApplication.objects.count() == 0


def test_grants_require_a_granted_outcome(client, member_user, project):
    client.force_login(member_user)
    response = client.post(
        url("projects:project-funding-application-create", pk=project.pk), application_data(project, outcome="pending")
    )
    assert response.status_code == 400
    assert "Amounts are granted only when the outcome is “Granted”." in response.content.decode()


def test_milestones_create_edit_delete(client, member_user, project):
    client.force_login(member_user)
    client.post(url("projects:project-milestone-create", pk=project.pk), {"title": "Prototype", "due_on": "2026-09-30"})
    milestone = Milestone.objects.get(project=project)
    assert milestone.title == "Prototype" and milestone.reached_on is None
    client.post(
        url("projects:project-milestone-edit", pk=project.pk, item=milestone.pk),
        {"title": "Prototype", "due_on": "2026-09-30", "reached_on": "2026-10-04"},
    )
    milestone.refresh_from_db()
    assert milestone.reached_on == date(2026, 10, 4)
    client.post(url("projects:project-followup-delete", pk=project.pk, kind="milestones", item=milestone.pk))
    assert not Milestone.objects.exists()
    verbs = set(ActivityLog.objects.filter(target_id=str(project.pk)).values_list("verb", flat=True))
    assert {"project.milestone_created", "project.milestone_changed", "project.milestone_deleted"} <= verbs


def test_progress_report_records_its_author(client, member_user, project):
    client.force_login(member_user)
    data = {
        "period_start": "2026-05-01",
        "period_end": "2026-10-31",
        "achievements": "Banc d'essai monté",
        "difficulties": "Retard fournisseur",
        "next_steps": "Essais",
    }
    response = client.post(url("projects:project-progress-report-create", pk=project.pk), data)
    assert response.status_code == 302
    report = ProgressReport.objects.get()
    assert report.submitted_by == member_user and report.achievements == "Banc d'essai monté"
    assert "Banc d&#x27;essai monté" in client.get(url("projects:project-followup", pk=project.pk)).content.decode()


def test_a_report_whose_period_ends_before_it_starts_is_refused(client, member_user, project):
    client.force_login(member_user)
    data = {"period_start": "2026-05-01", "period_end": "2026-04-01", "achievements": "Texte saisi"}
    response = client.post(url("projects:project-progress-report-create", pk=project.pk), data)
    assert response.status_code == 400
    assert "Texte saisi" in response.content.decode()
    assert not ProgressReport.objects.exists()


def test_final_outcomes_are_saved_once_per_project(client, member_user, project):
    client.force_login(member_user)
    data = {"patents": 2, "products": 1, "jobs": 12, "turnover": "1 250 000,00", "startups": 1, "publications": 7}
    client.post(url("projects:project-outcome-edit", language="fr", pk=project.pk), data)
    client.post(url("projects:project-outcome-edit", language="fr", pk=project.pk), {**data, "jobs": 14})
    outcome = ProjectOutcome.objects.get(project=project)
    assert (outcome.patents, outcome.jobs, outcome.turnover) == (2, 14, Decimal("1250000.00"))


def test_staff_record_the_follow_up_too(client, staff_user, totp_secret, project):
    login(client, staff_user, totp_secret)
    response = client.post(
        url("projects:project-milestone-create", pk=project.pk), {"title": "Jalon staff", "due_on": "2026-12-01"}
    )
    assert response.status_code == 302
    assert Milestone.objects.filter(title="Jalon staff").exists()


def test_a_partner_reads_but_cannot_record(client, other_member_user, project):
    milestone = Milestone.objects.create(project=project, title="Jalon visible", due_on=date(2026, 6, 1))
    client.force_login(other_member_user)
    html = client.get(url("projects:project-followup", pk=project.pk)).content.decode()
    assert "Jalon visible" in html
    assert url("projects:project-milestone-create", pk=project.pk) not in html
    assert client.get(url("projects:project-milestone-create", pk=project.pk)).status_code == 403
    response = client.post(
        url("projects:project-milestone-create", pk=project.pk), {"title": "Forgé", "due_on": "2026-06-01"}
    )
    assert response.status_code == 403
    response = client.post(url("projects:project-followup-delete", pk=project.pk, kind="milestones", item=milestone.pk))
    assert response.status_code == 403
    assert list(Milestone.objects.values_list("title", flat=True)) == ["Jalon visible"]


def test_a_partner_sees_only_his_own_grant(client, other_member_user, project):
    application = FundingApplication.objects.create(
        project=project, funding_scheme=funding_scheme("fui"), outcome="granted"
    )
    GrantedAmount.objects.create(funding_application=application, partner=project.lead, amount=Decimal("777777.77"))
    GrantedAmount.objects.create(funding_application=application, partner=project.other, amount=Decimal("55555.55"))
    client.force_login(other_member_user)
    html = client.get(url("projects:project-followup", pk=project.pk)).content.decode()
    assert format_euros(Decimal("55555.55")) in html
    assert format_euros(Decimal("777777.77")) not in html


def test_an_unrelated_contact_gets_404(client, project):
    stranger = UserFactory()
    PersonFactory(user=stranger)
    client.force_login(stranger)
    assert client.get(url("projects:project-followup", pk=project.pk)).status_code == 404
    response = client.post(
        url("projects:project-milestone-create", pk=project.pk), {"title": "X", "due_on": "2026-06-01"}
    )
    assert response.status_code == 404


@pytest.mark.parametrize("state", [S.DRAFT, S.DEPOSITED, S.IN_COMMITTEE, S.DEFERRED, S.REFUSED, S.WITHDRAWN])
def test_no_follow_up_before_the_label(client, member_user, project, state):
    project.state = state
    project.save(update_fields=["state"])
    client.force_login(member_user)
    response = client.post(
        url("projects:project-milestone-create", pk=project.pk), {"title": "Trop tôt", "due_on": "2026-06-01"}
    )
    assert response.status_code == 302
    assert not Milestone.objects.exists()
    with pytest.raises(FollowUpNotOpen):
        save_milestone(project=project, milestone=Milestone(title="x", due_on=date(2026, 1, 1)), actor=member_user)


@pytest.mark.parametrize("state", [S.LABELLED, S.LABELLED_WITH_CONDITIONS, S.FUNDED, S.RUNNING, S.CLOSED])
def test_follow_up_from_the_label_to_the_closure(client, member_user, project, state):
    project.state = state
    project.save(update_fields=["state"])
    client.force_login(member_user)
    client.post(url("projects:project-milestone-create", pk=project.pk), {"title": "OK", "due_on": "2026-06-01"})
    assert Milestone.objects.filter(project=project).count() == 1


def test_follow_up_page_query_count_is_constant(client, member_user, project, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def add_one_of_each(n):
        application = FundingApplication.objects.create(project=project, funding_scheme=funding_scheme(f"s{n}"))
        GrantedAmount.objects.create(funding_application=application, partner=project.other, amount=Decimal("1"))
        Milestone.objects.create(project=project, title=f"M{n}", due_on=date(2026, 1, 1))
        ProgressReport.objects.create(
            project=project, period_start=date(2026, 1, 1), period_end=date(2026, 6, 30), achievements="x"
        )

    client.force_login(member_user)
    page = url("projects:project-followup", pk=project.pk)
    add_one_of_each(0)
    client.get(page)
    with CaptureQueriesContext(connection) as with_one:
        client.get(page)
    for n in range(1, 10):
        add_one_of_each(n)
    with django_assert_num_queries(len(with_one)):
        client.get(page)
