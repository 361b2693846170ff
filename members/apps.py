from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("Members")

    def ready(self):
        from allauth.account.signals import password_reset
        from django.db.models.signals import m2m_changed, post_migrate, post_save, pre_save

        from members import role_changes
        from members.models import User

        password_reset.connect(mark_address_verified_on_password_reset, dispatch_uid="members-reset-verifies")
        post_migrate.connect(grant_staff_permissions, dispatch_uid="members-staff-permissions")
        pre_save.connect(role_changes.remember_role_flags, sender=User, dispatch_uid="members-role-flags-before")
        post_save.connect(role_changes.record_role_flag_changes, sender=User, dispatch_uid="members-role-flags")
        m2m_changed.connect(
            role_changes.record_group_changes, sender=User.groups.through, dispatch_uid="members-groups"
        )


# The Django admin is the staff's tool for reference data and corrections [S3]: the staff
# group holds every permission on the portal's own models (and may read accounts' e-mails),
# except adding, changing or deleting accounts: roles, passwords and rights are the
# superusers' alone [A4] (pole/0004 removed them where an older release had granted them).
STAFF_PERMISSION_APPS = ["pole", "members", "projects", "labelling", "governance"]
STAFF_FORBIDDEN_PERMISSIONS = ["add_user", "change_user", "delete_user"]


def grant_staff_permissions(sender, **kwargs):
    """After every migrate (permissions of new models exist only then), give the staff
    group the permissions of our apps' models."""
    from django.contrib.auth.models import Group, Permission

    staff, _created = Group.objects.get_or_create(name="staff")
    permissions = Permission.objects.filter(content_type__app_label__in=STAFF_PERMISSION_APPS).exclude(
        content_type__app_label="members", content_type__model="user", codename__in=STAFF_FORBIDDEN_PERMISSIONS
    )
    staff.permissions.add(*permissions)


def mark_address_verified_on_password_reset(sender, request, user, **kwargs):
    """A password set through the reset link sent to the account's address proves that the
    user owns it (allauth 65 does not mark it verified by itself): no second confirmation
    e-mail at the first login of a contact created by a membership application."""
    from allauth.account.models import EmailAddress

    EmailAddress.objects.filter(user=user, email__iexact=user.email).update(verified=True)
