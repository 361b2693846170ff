"""The project history shows translated sentences with who, when and the reason, never a
raw key; the staff's "possible state changes" are real actions through the state
machine [issue 9]."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import translation

from pole.activity import record_activity
from pole.models import ActivityLog
from projects.history import SENTENCES
from projects.models import ProjectState
from tests.conftest import login
from tests.factories import OrganisationFactory, PartnerFactory, ProjectFactory

pytestmark = pytest.mark.django_db
S = ProjectState


def written_project_verbs() -> set[str]:
    verbs = set()
    for path in (Path(settings.BASE_DIR) / "projects").rglob("*.py"):
        verbs |= set(re.findall(r'"(project\.[a-z_]+)"', path.read_text()))
    return verbs


def test_every_project_verb_written_by_the_code_has_a_sentence():
    missing = {verb for verb in written_project_verbs() if verb not in SENTENCES}
    states = {f"project.{state}" for state in S.values}
    assert missing - states == set()


@pytest.fixture
def project():
    project = ProjectFactory(acronym="HISTO")
    PartnerFactory(project=project, organisation=OrganisationFactory(legal_name="Électrolyse SA"), is_lead=True)
    return project


@pytest.fixture
def staff_client(client, staff_user, totp_secret):
    login(client, staff_user, totp_secret)
    return client


def detail(client, project, language):
    with translation.override(language):
        return client.get(reverse("projects:project-detail", kwargs={"pk": project.pk})).content.decode()


@pytest.mark.parametrize(
    "language, aid, move",
    [
        (
            "fr",
            "Aide demandée d&#x27;Électrolyse SA enregistrée",
            "État changé de «\u00a0Déposé\u00a0» à «\u00a0Renvoyé pour compléments\u00a0»",
        ),
        ("en", "Requested aid of Électrolyse SA saved", "State changed from “Deposited” to “Returned for information”"),
    ],
)
def test_the_history_reads_as_sentences(staff_client, staff_user, project, language, aid, move):
    partner = project.partners.get()
    record_activity(actor=staff_user, verb="project.aid_saved", target=project, data={"partner": partner.pk})
    record_activity(
        actor=staff_user,
        verb="project.returned",
        target=project,
        data={"from": "deposited", "to": "returned", "reason": "Précisez le budget"},
    )
    html = detail(staff_client, project, language)
    history = html[html.index('id="staff-title"') :]
    assert "project.aid_saved" not in history and "project.returned" not in history
    rows = re.findall(
        r"<tr>\s*<td[^>]*><time[^>]*>[^<]+</time></td>\s*<td>([^<]+)</td>\s*<td>([^<]+)</td>\s*<td>([^<]*)</td>",
        history,
    )
    who = staff_user.get_full_name() or staff_user.email
    assert [(w, what, reason) for w, what, reason in rows] == [
        (who, move, "Précisez le budget"),
        (who, aid, ""),
    ]


def transition(client, project, target, reason=""):
    with translation.override("en"):
        url = reverse("projects:project-transition", kwargs={"pk": project.pk})
    response = client.post(url, {"target": target, "reason": reason})
    return response, [str(message) for message in get_messages(response.wsgi_request)]


def test_staff_move_a_project_with_a_reason(staff_client, staff_user, project):
    project.state = S.DEPOSITED
    project.save(update_fields=["state"])
    html = detail(staff_client, project, "en")
    assert re.findall(r'name="target" value="([a-z_]+)"', html) == ["admissible", "inadmissible", "withdrawn"]
    response, messages = transition(staff_client, project, "admissible", "Complet")
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.state == S.ADMISSIBLE
    log = ActivityLog.objects.get(verb="project.admissible")
    assert (log.actor, log.data) == (staff_user, {"from": "deposited", "to": "admissible", "reason": "Complet"})
    assert messages[-1] == "The project is now “Admissible”."


def test_an_illegal_move_is_refused_with_a_message(staff_client, project):
    response, messages = transition(staff_client, project, "labelled")
    project.refresh_from_db()
    assert project.state == S.DRAFT
    assert messages[-1] == "The project is “Draft”: it cannot move to “Labelled”."
    assert not ActivityLog.objects.filter(verb="project.labelled").exists()


def test_a_move_that_needs_a_reason_is_refused_without_one(staff_client, project):
    response, messages = transition(staff_client, project, "withdrawn", "  ")
    project.refresh_from_db()
    assert project.state == S.DRAFT
    assert messages[-1] == "Say why the project moves to “Withdrawn”."


def test_the_deposit_and_the_return_keep_their_own_pages(staff_client, project):
    project.state = S.DEPOSITED
    project.save(update_fields=["state"])
    response, messages = transition(staff_client, project, "returned", "Questions")
    project.refresh_from_db()
    assert project.state == S.DEPOSITED
    assert messages[-1] == "This change of state is not possible from this page."


def test_only_staff_may_move_a_project(client, member_user, project):
    login(client, member_user)
    response, _messages = transition(client, project, "withdrawn", "Abandon")
    assert response.status_code == 403
    project.refresh_from_db()
    assert project.state == S.DRAFT


def test_every_verb_logged_on_an_organisation_has_a_label():
    """The members' history shows the organisation's log too: no raw key there either."""
    from members.activity import VERB_LABELS, verb_label

    verbs = set()
    for folder in ("members", "projects"):
        for path in (Path(settings.BASE_DIR) / folder).rglob("*.py"):
            verbs |= set(
                re.findall(r'verb="((?:organisation|person|invitation|membership)\.[a-z_]+)"', path.read_text())
            )
    assert {verb for verb in verbs if verb_label(verb) == verb} == set()
    assert "organisation.created_for_project" in VERB_LABELS
