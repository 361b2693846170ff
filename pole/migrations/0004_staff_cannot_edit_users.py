"""Staff cannot raise their own rights [A4]: the staff group loses the add, change and
delete permissions on accounts that the post-migrate hook of the members app used to
grant (members.apps.grant_staff_permissions no longer grants them). It keeps
`view_user`. Going back gives them back."""

from django.db import migrations

USER_PERMISSIONS = ["add_user", "change_user", "delete_user"]


def _user_permissions(apps):
    Permission = apps.get_model("auth", "Permission")
    return Permission.objects.filter(
        content_type__app_label="members", content_type__model="user", codename__in=USER_PERMISSIONS
    )


def remove_user_permissions(apps, schema_editor):
    staff = apps.get_model("auth", "Group").objects.filter(name="staff").first()
    if staff is not None:
        staff.permissions.remove(*_user_permissions(apps))


def restore_user_permissions(apps, schema_editor):
    staff = apps.get_model("auth", "Group").objects.filter(name="staff").first()
    if staff is not None:
        staff.permissions.add(*_user_permissions(apps))


class Migration(migrations.Migration):
    dependencies = [
        ("pole", "0003_pole_bank_details"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(remove_user_permissions, restore_user_permissions)]
