"""Resubmission [P9]: only a deferred or refused project, into a later open call; the clone
carries the general part, the consortium and its budget (not the documents) and keeps the
link to its history."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from pole.models import ActivityLog, OtherCluster, StrategicDomain
from projects.models import BudgetLine, Project, ProjectDocument, ProjectState, RequestedAid
from projects.services.resubmission import ResubmissionRefused, calls_for_resubmission, resubmit_project
from tests.factories import (
    BudgetLineFactory,
    CallFactory,
    OrganisationFactory,
    PartnerFactory,
    PersonFactory,
    ProjectFactory,
    funding_scheme,
)

pytestmark = pytest.mark.django_db

S = ProjectState


def url(name, language="en", **kwargs):
    with translation.override(language):
        return reverse(name, kwargs=kwargs)


def past_call(code="fui-past"):
    return CallFactory(
        code=code, opens_at=timezone.now() - timedelta(days=400), deadline=timezone.now() - timedelta(days=300)
    )


@pytest.fixture
def deferred(member_user, other_member_user):
    """A deferred project from a past call, led by member_user's organisation, with a
    second partner, domains, co-labelling poles, budget lines, aid and a document."""
    acme = OrganisationFactory(legal_name="ACME")
    other = OrganisationFactory(legal_name="OtherLab")
    PersonFactory(organisation=acme, user=member_user)
    PersonFactory(organisation=other, user=other_member_user)
    project = ProjectFactory(
        acronym="AGAIN",
        call=past_call(),
        state=S.DEFERRED,
        lead_organisation=acme,
        markets="Automobile",
        duration_months=36,
        trl_from=3,
        trl_to=6,
        public_consent=True,
    )
    project.strategic_domains.set([StrategicDomain.objects.create(code="mob", name_fr="Mobilité", name_en="Mobility")])
    project.co_labelling_poles.set([OtherCluster.objects.create(name="Pôle Véhicule du Futur")])
    contact = PersonFactory(organisation=acme)
    lead = PartnerFactory(
        project=project, organisation=acme, is_lead=True, contact=contact, role="Chef de file", tasks="WP1"
    )
    partner = PartnerFactory(project=project, organisation=other, role="Laboratoire", tasks="WP2")
    BudgetLineFactory(partner=lead, category="personnel", amount=Decimal("300000.00"))
    BudgetLineFactory(partner=lead, category="equipment", amount=Decimal("50000.00"))
    BudgetLineFactory(partner=partner, category="personnel", amount=Decimal("150000.00"))
    RequestedAid.objects.create(partner=lead, funding_scheme=funding_scheme("fui"), amount=Decimal("100000.00"))
    ProjectDocument.objects.create(
        project=project, partner=lead, kind="kbis", file="x/kbis.pdf", original_name="kbis.pdf",
        size=1, content_type="application/pdf", sha256="0" * 64,
    )  # fmt: skip
    return project


@pytest.fixture
def open_call():
    return CallFactory(code="fui-open")


def test_resubmission_clones_the_project_into_a_new_draft(deferred, open_call, member_user):
    clone = resubmit_project(project=deferred, call=open_call, actor=member_user)
    assert clone.pk != deferred.pk
    assert clone.state == S.DRAFT and clone.call == open_call and clone.resubmission_of == deferred
    assert clone.reference is None and clone.version == 1 and clone.created_by == member_user
    for field in ("acronym", "title_fr", "title_en", "summary_fr", "description", "kind", "markets", "duration_months"):
        assert getattr(clone, field) == getattr(deferred, field)
    assert (clone.trl_from, clone.trl_to, clone.public_consent) == (3, 6, True)
    assert clone.lead_organisation == deferred.lead_organisation
    assert list(clone.strategic_domains.values_list("code", flat=True)) == ["mob"]
    assert list(clone.co_labelling_poles.values_list("name", flat=True)) == ["Pôle Véhicule du Futur"]

    def consortium(project):
        return sorted((p.organisation_id, p.is_lead, p.contact_id, p.role, p.tasks) for p in project.partners.all())

    assert consortium(clone) == consortium(deferred)

    def lines(project):
        return sorted(
            (line.partner.organisation_id, line.category, line.amount)
            for line in BudgetLine.objects.filter(partner__project=project).select_related("partner")
        )

    assert lines(clone) == lines(deferred)
    aids = RequestedAid.objects.filter(partner__project=clone)
    assert [(a.partner.organisation_id, a.funding_scheme.code, a.amount) for a in aids] == [
        (deferred.lead_organisation_id, "fui", Decimal("100000.00"))
    ]
    assert not clone.documents.exists()  # documents are uploaded again for the new call
    assert deferred.documents.count() == 1
    deferred.refresh_from_db()
    assert deferred.state == S.DEFERRED  # the original is untouched
    verbs = set(ActivityLog.objects.values_list("verb", flat=True))
    assert {"project.resubmitted", "project.created_as_resubmission"} <= verbs


def test_a_refused_project_can_be_resubmitted_too(deferred, open_call, member_user):
    Project.objects.filter(pk=deferred.pk).update(state=S.REFUSED)
    deferred.refresh_from_db()
    assert resubmit_project(project=deferred, call=open_call, actor=member_user).resubmission_of == deferred


@pytest.mark.parametrize("state", [s for s in S.values if s not in (S.DEFERRED, S.REFUSED)])
def test_only_deferred_or_refused_projects_can_be_resubmitted(deferred, open_call, member_user, state):
    Project.objects.filter(pk=deferred.pk).update(state=state)
    deferred.refresh_from_db()
    with pytest.raises(ResubmissionRefused):
        resubmit_project(project=deferred, call=open_call, actor=member_user)
    assert Project.objects.count() == 1


def test_not_into_the_same_call(deferred, member_user):
    call = deferred.call
    call.deadline = timezone.now() + timedelta(days=10)
    call.opens_at = timezone.now() - timedelta(days=10)
    call.save()
    with pytest.raises(ResubmissionRefused):
        resubmit_project(project=deferred, call=call, actor=member_user)


def test_not_into_a_closed_or_upcoming_call(deferred, member_user):
    closed = CallFactory(opens_at=timezone.now() - timedelta(days=60), deadline=timezone.now() - timedelta(days=1))
    upcoming = CallFactory(opens_at=timezone.now() + timedelta(days=5), deadline=timezone.now() + timedelta(days=60))
    for call in (closed, upcoming):
        with pytest.raises(ResubmissionRefused):
            resubmit_project(project=deferred, call=call, actor=member_user)


def test_not_into_an_earlier_call(member_user, open_call):
    later_call = CallFactory(deadline=open_call.deadline + timedelta(days=30))
    project = ProjectFactory(call=later_call, state=S.REFUSED)
    with pytest.raises(ResubmissionRefused):
        resubmit_project(project=project, call=open_call, actor=member_user)
    assert calls_for_resubmission(project) == []


def test_not_into_a_call_that_refuses_the_kind(deferred, member_user):
    call = CallFactory(allowed_kinds=["platform"])
    with pytest.raises(ResubmissionRefused):
        resubmit_project(project=deferred, call=call, actor=member_user)
    assert call not in calls_for_resubmission(deferred)


def test_twice_into_the_same_call_makes_one_clone(deferred, open_call, member_user):
    resubmit_project(project=deferred, call=open_call, actor=member_user)
    with pytest.raises(ResubmissionRefused):
        resubmit_project(project=deferred, call=open_call, actor=member_user)
    assert deferred.resubmissions.count() == 1


# --- The view -----------------------------------------------------------------------------


def test_the_lead_resubmits_through_the_page_and_lands_on_the_new_project(client, member_user, deferred, open_call):
    client.force_login(member_user)
    page = client.get(url("projects:project-resubmit", pk=deferred.pk))
    assert page.status_code == 200 and open_call.title in page.content.decode()
    response = client.post(url("projects:project-resubmit", pk=deferred.pk), {"call": open_call.pk})
    clone = Project.objects.get(resubmission_of=deferred)
    assert response.status_code == 302 and response["Location"] == url("projects:project-detail", pk=clone.pk)
    new_page = client.get(response["Location"]).content.decode()
    assert url("projects:project-detail", pk=deferred.pk) in new_page  # link to its history
    old_page = client.get(url("projects:project-detail", pk=deferred.pk)).content.decode()
    assert url("projects:project-detail", pk=clone.pk) in old_page  # and back


def test_the_project_page_offers_resubmission_to_the_lead_only(client, member_user, other_member_user, deferred):
    resubmit = url("projects:project-resubmit", pk=deferred.pk)
    client.force_login(member_user)
    assert resubmit in client.get(url("projects:project-detail", pk=deferred.pk)).content.decode()
    client.force_login(other_member_user)
    assert resubmit not in client.get(url("projects:project-detail", pk=deferred.pk)).content.decode()


def test_another_partner_cannot_resubmit(client, other_member_user, deferred, open_call):
    client.force_login(other_member_user)
    assert client.post(url("projects:project-resubmit", pk=deferred.pk), {"call": open_call.pk}).status_code == 403
    assert Project.objects.count() == 1


def test_a_forged_call_is_refused_and_nothing_is_created(client, member_user, deferred):
    client.force_login(member_user)
    response = client.post(url("projects:project-resubmit", pk=deferred.pk), {"call": deferred.call_id})
    assert response.status_code == 400
    assert Project.objects.count() == 1


def test_a_project_in_another_state_is_sent_back_with_a_message(client, member_user, deferred, open_call):
    Project.objects.filter(pk=deferred.pk).update(state=S.LABELLED)
    client.force_login(member_user)
    response = client.post(url("projects:project-resubmit", pk=deferred.pk), {"call": open_call.pk}, follow=True)
    assert "Only a deferred or refused project can be resubmitted." in response.content.decode()
    assert Project.objects.count() == 1
