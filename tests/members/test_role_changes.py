"""Every change of a person's role or group is logged and e-mailed to the superusers [A4],
wherever it is made (the admin's case is in tests/pole/test_staff_privileges.py)."""

import pytest
from django.contrib.auth.models import Group
from django.core import mail

from pole import roles
from pole.models import ActivityLog
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(django_user_model):
    return make_user(django_user_model, "root@pole.example", is_staff=True, is_superuser=True)


@pytest.fixture
def person(django_user_model):
    return make_user(django_user_model, "jeanne@acme.example", first_name="Jeanne", last_name="Roux")


def role_log(user):
    return list(
        ActivityLog.objects.filter(verb="user.role_changed", target_id=str(user.pk))
        .order_by("pk")
        .values_list("actor", "data")
    )


def test_flags_set_from_the_shell_are_logged_and_told(superuser, person, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        person.is_superuser = True
        person.is_staff = True
        person.save()

    assert role_log(person) == [(None, {"is_staff": [False, True], "is_superuser": [False, True]})]
    # every active superuser, the new one included
    assert sorted(m.to[0] for m in mail.outbox) == ["jeanne@acme.example", "root@pole.example"]
    message = next(m for m in mail.outbox if m.to == ["root@pole.example"])
    assert message.subject == "Droits modifiés : Jeanne Roux"
    assert message.body.splitlines()[:4] == [
        "Les droits de Jeanne Roux (jeanne@acme.example) viennent d'être modifiés. Modifiés par : une commande "
        "ou une tâche planifiée (aucun utilisateur connecté).",
        "",
        "- Statut de super-utilisateur accordé (tous les droits)",
        "- Accès à l'administration accordé",
    ]
    assert "Jeanne Roux" in message.alternatives[0][0]


def test_group_changes_from_either_side_are_logged(superuser, person, django_capture_on_commit_callbacks):
    expert = Group.objects.get_or_create(name=roles.EXPERT)[0]
    funder = Group.objects.get_or_create(name=roles.FUNDER)[0]

    with django_capture_on_commit_callbacks(execute=True):
        person.groups.add(expert, funder)
        funder.user_set.remove(person)
        person.groups.clear()

    assert role_log(person) == [
        (None, {"groups_added": ["expert", "funder"]}),
        (None, {"groups_removed": ["funder"]}),
        (None, {"groups_removed": ["expert"]}),
    ]
    assert [m.body.splitlines()[2] for m in mail.outbox] == [
        "- Ajout au groupe « Expert »",
        "- Retrait du groupe « Financeur »",
        "- Retrait du groupe « Expert »",
    ]


def test_saves_that_do_not_touch_roles_log_nothing(superuser, person, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        person.first_name = "Jeanne-Marie"
        person.save()
        person.save(update_fields=["last_login"])
        person.groups.add(*person.groups.all())  # nothing new

    assert role_log(person) == []
    assert mail.outbox == []


def test_a_new_superuser_is_logged(superuser, django_user_model, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        created = django_user_model.objects.create_superuser("boss@pole.example", "x-long-password-1")

    assert role_log(created) == [(None, {"is_staff": [False, True], "is_superuser": [False, True]})]
    assert sorted(m.to[0] for m in mail.outbox) == ["boss@pole.example", "root@pole.example"]
