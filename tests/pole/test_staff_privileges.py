"""Staff cannot raise their own rights [A4]: accounts' roles, groups, permissions and
passwords are the superusers' alone, in the admin and in the permissions themselves."""

import importlib

import pytest
from allauth.mfa.models import Authenticator
from django.apps import apps as django_apps
from django.contrib.auth.models import Group, Permission
from django.core import mail

from members.apps import grant_staff_permissions
from pole import roles
from pole.models import ActivityLog
from tests.conftest import PASSWORD, login, make_user

pytestmark = pytest.mark.django_db

USER_WRITE_PERMISSIONS = {"add_user", "change_user", "delete_user"}


def staff_user_permissions():
    staff = Group.objects.get(name=roles.STAFF)
    return set(staff.permissions.filter(content_type__model="user").values_list("codename", flat=True))


def change_form_data(user, **overrides):
    data = {
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "language": user.language,
        "is_active": "on",
        "date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
        "last_login_0": "",
        "last_login_1": "",
    }
    data.update(overrides)
    return data


def assert_rights_unchanged(user, groups):
    user.refresh_from_db()
    assert (user.is_superuser, user.is_staff) == (False, True)
    assert set(user.groups.values_list("name", flat=True)) == groups
    assert not user.user_permissions.exists()
    assert user.check_password(PASSWORD)


@pytest.fixture
def superuser(django_user_model, totp_secret):
    return make_user(django_user_model, "root@pole.example", is_staff=True, is_superuser=True, totp_secret=totp_secret)


def test_the_staff_group_holds_no_write_permission_on_accounts():
    grant_staff_permissions(sender=None)
    assert staff_user_permissions() == {"view_user"}
    assert Group.objects.get(name=roles.STAFF).permissions.filter(codename="change_organisation").exists()


def test_the_migration_takes_back_what_an_older_release_granted():
    staff = Group.objects.get(name=roles.STAFF)
    staff.permissions.add(*Permission.objects.filter(content_type__model="user", codename__in=USER_WRITE_PERMISSIONS))
    assert staff_user_permissions() == USER_WRITE_PERMISSIONS | {"view_user"}
    migration = importlib.import_module("pole.migrations.0004_staff_cannot_edit_users")

    migration.remove_user_permissions(django_apps, None)

    assert staff_user_permissions() == {"view_user"}


def test_staff_posting_is_superuser_on_his_own_change_form_is_refused(client, staff_user, totp_secret):
    login(client, staff_user, totp_secret)
    board = Group.objects.get_or_create(name=roles.BOARD)[0]
    url = f"/en/admin/members/user/{staff_user.pk}/change/"

    response = client.post(url, change_form_data(staff_user, is_superuser="on", groups=[board.pk]))

    assert response.status_code == 403
    assert_rights_unchanged(staff_user, {roles.STAFF})
    page = client.get(url)  # he may read his account, with nothing to submit
    assert page.status_code == 200
    assert 'name="is_superuser"' not in page.content.decode()
    assert 'name="_save"' not in page.content.decode()


def test_even_with_the_change_permission_staff_cannot_touch_rights(client, staff_user, totp_secret):
    """Someone gives the staff group `change_user` again: the rights stay read-only."""
    Group.objects.get(name=roles.STAFF).permissions.add(Permission.objects.get(codename="change_user"))
    login(client, staff_user, totp_secret)
    board = Group.objects.get_or_create(name=roles.BOARD)[0]
    url = f"/en/admin/members/user/{staff_user.pk}/change/"
    page = client.get(url).content.decode()
    assert 'name="first_name"' in page
    for field in ("is_superuser", "is_staff", "groups", "user_permissions"):
        assert f'name="{field}"' not in page
    assert 'href="../password/"' not in page and "field-password" not in page

    response = client.post(
        url,
        change_form_data(
            staff_user,
            first_name="Samuel",
            is_superuser="on",
            groups=[board.pk],
            user_permissions=[Permission.objects.get(codename="change_group").pk],
        ),
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    assert_rights_unchanged(staff_user, {roles.STAFF})
    assert staff_user.first_name == "Samuel"  # the rest of the form was saved


def test_staff_cannot_change_a_password_add_an_account_or_edit_groups(client, staff_user, totp_secret, member_user):
    Group.objects.get(name=roles.STAFF).permissions.add(
        *Permission.objects.filter(content_type__model="user", codename__in=USER_WRITE_PERMISSIONS)
    )
    login(client, staff_user, totp_secret)
    new_password = {"password1": "An0ther-long-passw0rd", "password2": "An0ther-long-passw0rd"}
    board = Group.objects.get_or_create(name=roles.BOARD)[0]

    for user in (staff_user, member_user):
        url = f"/en/admin/members/user/{user.pk}/password/"
        assert client.get(url).status_code == 403
        assert client.post(url, new_password).status_code == 403
        user.refresh_from_db()
        assert user.check_password(PASSWORD)
    add = client.post("/en/admin/members/user/add/", {"email": "new@pole.example", **new_password})
    assert add.status_code == 403
    group_page = f"/en/admin/auth/group/{board.pk}/change/"
    assert client.get(group_page).status_code == 403
    assert client.post(group_page, {"name": "board", "permissions": []}).status_code == 403
    assert client.get("/en/admin/auth/group/").status_code == 403
    assert client.get("/en/admin/mfa/authenticator/").status_code == 403
    mfa = Authenticator.objects.get(user=staff_user, type=Authenticator.Type.TOTP)
    assert client.post(f"/en/admin/mfa/authenticator/{mfa.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Authenticator.objects.filter(pk=mfa.pk).exists()
    assert_rights_unchanged(staff_user, {roles.STAFF})
    assert not get_user_model_emails("new@pole.example")


def get_user_model_emails(email):
    return django_apps.get_model("members", "User").objects.filter(email=email).exists()


def test_a_superuser_changes_rights_and_every_superuser_is_told(
    client, superuser, totp_secret, staff_user, django_user_model, django_capture_on_commit_callbacks
):
    other_superuser = make_user(django_user_model, "second@pole.example", is_staff=True, is_superuser=True)
    other_superuser.language = "en"
    other_superuser.save(update_fields=["language"])
    login(client, superuser, totp_secret)
    board = Group.objects.get_or_create(name=roles.BOARD)[0]
    staff = Group.objects.get(name=roles.STAFF)
    ActivityLog.objects.all().delete()
    url = f"/en/admin/members/user/{staff_user.pk}/change/"
    page = client.get(url).content.decode()
    assert 'name="is_superuser"' in page and 'href="../password/"' in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, change_form_data(staff_user, is_staff="on", groups=[staff.pk, board.pk]))

    assert response.status_code == 302, response.content.decode()[:3000]
    (entry,) = ActivityLog.objects.filter(verb="user.role_changed")
    assert (entry.actor, entry.target_id, entry.data) == (superuser, str(staff_user.pk), {"groups_added": ["board"]})
    messages = {message.to[0]: message for message in mail.outbox}
    assert set(messages) == {"root@pole.example", "second@pole.example"}
    french, english = messages["root@pole.example"], messages["second@pole.example"]
    assert french.subject == "Droits modifiés : staff@pole.example"
    assert english.subject == "Rights changed: staff@pole.example"
    assert "- Added to the group “Board member”" in english.body
    assert "Changed by: root@pole.example." in english.body
    assert "- Ajout au groupe « Administrateur »" in french.body
    assert "Modifiés par : root@pole.example." in french.body
    assert f"http://127.0.0.1:8000/en/admin/members/user/{staff_user.pk}/change/" in english.body
