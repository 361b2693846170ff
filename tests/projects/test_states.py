"""The project state machine [P1]: every (source, target) pair over all states, the reasons
that some moves require, the activity log, and concurrent moves."""

import importlib
import itertools
import threading

import pytest
from django.apps import apps as django_apps
from django.db import connection

from pole.activity import activity_for
from pole.models import ActivityLog
from projects.exceptions import IllegalTransition
from projects.models import Project, ProjectState
from projects.services.states import (
    LABEL_GRANTING,
    PROJECT_TRANSITIONS,
    REASON_REQUIRED,
    allowed_targets,
    transition_project,
)
from tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db

ALL_PAIRS = list(itertools.product(ProjectState.values, ProjectState.values))
ALLOWED = [(source, target) for source, target in ALL_PAIRS if target in PROJECT_TRANSITIONS[source]]
FORBIDDEN = [(source, target) for source, target in ALL_PAIRS if target not in PROJECT_TRANSITIONS[source]]


# No password: hashing one per case would make this module slow for nothing.
@pytest.fixture
def actor(django_user_model):
    return django_user_model.objects.create(email="chargee@pole.example")


def test_the_table_covers_every_state_and_names_only_states():
    assert set(PROJECT_TRANSITIONS) == set(ProjectState.values)
    for targets in PROJECT_TRANSITIONS.values():
        assert targets <= set(ProjectState.values)
    assert REASON_REQUIRED <= set(ProjectState.values)
    # Every pair is either allowed or forbidden, and both kinds exist.
    assert len(ALLOWED) + len(FORBIDDEN) == len(ProjectState.values) ** 2
    assert ALLOWED and FORBIDDEN


@pytest.mark.parametrize(("source", "target"), ALLOWED, ids=[f"{s}->{t}" for s, t in ALLOWED])
def test_allowed_move_succeeds_and_is_logged(source, target, actor):
    project = ProjectFactory(state=source)
    reason = "Pièces manquantes" if target in REASON_REQUIRED else ""

    returned = transition_project(project=project, target=target, actor=actor, reason=reason)

    assert returned is project
    project.refresh_from_db()
    assert project.state == target
    entries = list(activity_for(project))
    assert len(entries) == 1
    entry = entries[0]
    assert entry.actor == actor
    assert entry.verb == f"project.{target}"
    assert entry.data == {"from": source, "to": target, "reason": reason}


@pytest.mark.parametrize(("source", "target"), FORBIDDEN, ids=[f"{s}->{t}" for s, t in FORBIDDEN])
def test_forbidden_move_raises_and_changes_nothing(source, target, actor):
    project = ProjectFactory(state=source)

    with pytest.raises(IllegalTransition) as raised:
        transition_project(project=project, target=target, actor=actor, reason="Une raison")

    assert (raised.value.entity, raised.value.source, raised.value.target) == ("project", source, target)
    project.refresh_from_db()
    assert project.state == source
    assert ActivityLog.objects.count() == 0


@pytest.mark.parametrize("target", sorted(REASON_REQUIRED))
def test_moves_that_need_a_reason_refuse_a_blank_one(target, actor):
    source = next(s for s, targets in PROJECT_TRANSITIONS.items() if target in targets)
    project = ProjectFactory(state=source)

    for blank in ("", "   \n"):
        with pytest.raises(ValueError):
            transition_project(project=project, target=target, actor=actor, reason=blank)

    project.refresh_from_db()
    assert project.state == source
    assert ActivityLog.objects.count() == 0


def test_moves_without_a_required_reason_accept_none():
    pairs = [(s, t) for s, t in ALLOWED if t not in REASON_REQUIRED]
    assert pairs
    for source, target in pairs:
        project = ProjectFactory(state=source)
        transition_project(project=project, target=target, actor=None)
        project.refresh_from_db()
        assert project.state == target
    assert ActivityLog.objects.count() == len(pairs)
    assert set(ActivityLog.objects.values_list("actor", flat=True)) == {None}


def test_the_reason_is_kept_trimmed():
    project = ProjectFactory(state=ProjectState.DEPOSITED)
    transition_project(project=project, target=ProjectState.RETURNED, actor=None, reason="  Budget incomplet  ")
    assert activity_for(project).get().data["reason"] == "Budget incomplet"


def test_extra_fields_are_saved_with_the_state():
    project = ProjectFactory(state=ProjectState.DEPOSITED, version=1)
    project.version = 2
    project.acronym = "NOT-SAVED"
    transition_project(
        project=project, target=ProjectState.RETURNED, actor=None, reason="À compléter", extra_fields=("version",)
    )
    project.refresh_from_db()
    assert (project.state, project.version) == (ProjectState.RETURNED, 2)
    assert project.acronym != "NOT-SAVED"  # only the listed fields are written


def test_the_first_label_dates_the_project_and_a_later_one_keeps_that_date(actor):
    project = ProjectFactory(state=ProjectState.IN_COMMITTEE)
    transition_project(project=project, target=ProjectState.LABELLED_WITH_CONDITIONS, actor=actor)
    project.refresh_from_db()
    first = project.labelled_at
    assert first is not None

    transition_project(project=project, target=ProjectState.LABELLED, actor=actor)
    transition_project(project=project, target=ProjectState.FUNDED, actor=actor)

    project.refresh_from_db()
    assert project.labelled_at == first


@pytest.mark.parametrize("target", sorted(PROJECT_TRANSITIONS[ProjectState.IN_COMMITTEE] - LABEL_GRANTING))
def test_a_move_that_gives_no_label_leaves_the_label_date_empty(target, actor):
    project = ProjectFactory(state=ProjectState.IN_COMMITTEE)
    transition_project(project=project, target=target, actor=actor, reason="Motif")
    project.refresh_from_db()
    assert project.labelled_at is None


def test_the_migration_fills_the_label_date_from_the_log_of_earlier_labels(actor):
    labelled, relabelled, refused = (ProjectFactory(state=ProjectState.IN_COMMITTEE) for _ in range(3))
    for project, target in [
        (labelled, ProjectState.LABELLED),
        (relabelled, ProjectState.LABELLED_WITH_CONDITIONS),
        (relabelled, ProjectState.LABELLED),
        (refused, ProjectState.REFUSED),
    ]:
        transition_project(project=project, target=target, actor=actor, reason="Motif")
    first_labels = {
        project.pk: activity_for(project).order_by("created_at").first().created_at
        for project in (labelled, relabelled)
    }
    Project.objects.update(labelled_at=None)

    migration = importlib.import_module("projects.migrations.0008_project_labelled_at")
    migration.fill_labelled_at_from_the_log(django_apps, None)

    assert dict(Project.objects.filter(labelled_at__isnull=False).values_list("pk", "labelled_at")) == first_labels


def test_allowed_targets_reads_the_table():
    for state in ProjectState.values:
        assert allowed_targets(Project(state=state)) == PROJECT_TRANSITIONS[state]


def test_a_stale_concurrent_move_loses():
    """Two people loaded the same deposited dossier; one returns it, the other (whose copy
    still says "deposited") declares it admissible: the second move is checked against the
    database, not against his stale copy, and is refused."""
    project = ProjectFactory(state=ProjectState.DEPOSITED)
    first, second = Project.objects.get(pk=project.pk), Project.objects.get(pk=project.pk)

    transition_project(project=first, target=ProjectState.RETURNED, actor=None, reason="Pièces manquantes")
    with pytest.raises(IllegalTransition) as raised:
        transition_project(project=second, target=ProjectState.ADMISSIBLE, actor=None)

    assert raised.value.source == ProjectState.RETURNED
    project.refresh_from_db()
    assert project.state == ProjectState.RETURNED
    assert ActivityLog.objects.count() == 1


def test_the_same_move_twice_wins_once():
    project = ProjectFactory(state=ProjectState.DRAFT)
    first, second = Project.objects.get(pk=project.pk), Project.objects.get(pk=project.pk)

    transition_project(project=first, target=ProjectState.DEPOSITED, actor=None)
    with pytest.raises(IllegalTransition):
        transition_project(project=second, target=ProjectState.DEPOSITED, actor=None)

    assert ActivityLog.objects.filter(verb="project.deposited").count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_moves_one_wins():
    """Two threads, two connections, the same move at the same moment: the row lock makes
    one wait for the other, which then finds the state already changed."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (row locks); SQLite serialises writers and cannot run this race")
    project = ProjectFactory(state=ProjectState.DEPOSITED)
    barrier = threading.Barrier(2)
    outcomes = []

    def move(target, reason):
        from django.db import connection as thread_connection

        try:
            barrier.wait()
            transition_project(project=Project.objects.get(pk=project.pk), target=target, actor=None, reason=reason)
            outcomes.append(("won", target))
        except IllegalTransition:
            outcomes.append(("lost", target))
        finally:
            thread_connection.close()

    threads = [
        threading.Thread(target=move, args=(ProjectState.RETURNED, "À compléter")),
        threading.Thread(target=move, args=(ProjectState.INADMISSIBLE, "Hors périmètre")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(result for result, _target in outcomes) == ["lost", "won"]
    winner = next(target for result, target in outcomes if result == "won")
    project.refresh_from_db()
    assert project.state == winner
    assert ActivityLog.objects.filter(verb__startswith="project.").count() == 1
