"""Returned for information: the pole's questions, with their date, on the project page
and in "My projects" for the whole consortium; the lead answers there and deposits again
[issue 9]."""

import importlib

import pytest
from django.urls import reverse
from django.utils import translation

from pole.activity import activity_for
from projects.exceptions import DossierLocked
from projects.models import ProjectState, ProjectVersion
from projects.services.deposit import answer_return, return_for_information
from tests.conftest import login
from tests.projects.test_deposit import build_consortium, deposit, private_files  # noqa: F401

pytestmark = pytest.mark.django_db
QUESTIONS = "Joignez l'annexe technique & le plan de charge."


@pytest.fixture
def returned(member_user, other_member_user, staff_user, django_capture_on_commit_callbacks):
    project = build_consortium(lead_user=member_user, partner_user=other_member_user)
    deposit(project, member_user, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        return_for_information(project=project, actor=staff_user, reason=QUESTIONS)
    project.refresh_from_db()
    return project


def test_the_questions_are_kept_with_the_returned_version(returned, staff_user):
    version = returned.versions.get(number=1)
    assert (version.return_questions, version.returned_by) == (QUESTIONS, staff_user)
    assert version.returned_at is not None and version.return_answer == ""


def url(name, language="fr", **kwargs):
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


@pytest.mark.parametrize("language, heading", [("fr", "Les questions du pôle"), ("en", "The pole's questions")])
@pytest.mark.parametrize("who", ["lead", "partner"])
def test_every_partner_sees_the_questions_on_the_project_page_and_in_my_projects(
    client, returned, member_user, other_member_user, language, heading, who
):
    login(client, member_user if who == "lead" else other_member_user)
    html = client.get(url("projects:project-detail", language, pk=returned.pk)).content.decode()
    escaped = "Joignez l&#x27;annexe technique &amp; le plan de charge."
    section = html[html.index('id="returns"') :]
    assert escaped in section
    assert heading in section
    answer_url = url("projects:project-return-answer", language, pk=returned.pk)
    assert (f'action="{answer_url}"' in html) == (who == "lead")
    listing = client.get(url("projects:my-projects", language)).content.decode()
    assert escaped in listing


def test_the_lead_answers_then_deposits_again(
    client, returned, member_user, other_member_user, django_capture_on_commit_callbacks
):
    login(client, member_user)
    response = client.post(url("projects:project-return-answer", pk=returned.pk), {"answer": "Annexe jointe."})
    assert response.status_code == 302
    version = returned.versions.get(number=1)
    assert (version.return_answer, version.answered_by) == ("Annexe jointe.", member_user)
    assert activity_for(returned).filter(verb="project.return_answered").exists()
    html = client.get(url("projects:project-detail", pk=returned.pk)).content.decode()
    assert "Annexe jointe." in html
    assert f'href="{url("projects:project-deposit", pk=returned.pk)}"' in html
    deposit(returned, member_user, django_capture_on_commit_callbacks)
    returned.refresh_from_db()
    assert returned.state == ProjectState.DEPOSITED
    assert list(returned.versions.values_list("number", flat=True)) == [1, 2]
    # once deposited again, the answer stays on the page, without the form
    html = client.get(url("projects:project-detail", pk=returned.pk)).content.decode()
    assert "Annexe jointe." in html and "project-return-answer" not in html
    assert 'action="' + url("projects:project-return-answer", pk=returned.pk) + '"' not in html


def test_another_partner_cannot_answer(client, returned, other_member_user):
    login(client, other_member_user)
    response = client.post(url("projects:project-return-answer", pk=returned.pk), {"answer": "Moi aussi"})
    assert response.status_code == 403
    assert returned.versions.get(number=1).return_answer == ""


def test_no_answer_outside_a_return(returned, member_user, django_capture_on_commit_callbacks):
    deposit(returned, member_user, django_capture_on_commit_callbacks)
    with pytest.raises(DossierLocked):
        answer_return(project=returned, actor=member_user, answer="Trop tard")
    with pytest.raises(ValueError):
        answer_return(project=returned, actor=member_user, answer="  ")


def test_the_migration_copies_earlier_questions_from_the_log(returned, staff_user):
    from django.apps import apps

    migration = importlib.import_module("projects.migrations.0007_return_questions_and_answers")
    ProjectVersion.objects.update(returned_at=None, returned_by=None, return_questions="")
    migration.copy_questions_from_the_log(apps, None)
    version = returned.versions.get(number=1)
    assert (version.return_questions, version.returned_by_id) == (QUESTIONS, staff_user.pk)
