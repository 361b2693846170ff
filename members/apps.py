from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("Members")

    def ready(self):
        from allauth.account.signals import password_reset
        from django.db.models.signals import post_migrate

        password_reset.connect(mark_address_verified_on_password_reset, dispatch_uid="members-reset-verifies")
        post_migrate.connect(grant_staff_permissions, dispatch_uid="members-staff-permissions")


# The Django admin is the staff's tool for reference data and corrections [S3]: the staff
# group holds every permission on the portal's own models (and may read accounts' e-mails).
STAFF_PERMISSION_APPS = ["pole", "members", "projects", "labelling", "governance"]


def grant_staff_permissions(sender, **kwargs):
    """After every migrate (permissions of new models exist only then), give the staff
    group the permissions of our apps' models."""
    from django.contrib.auth.models import Group, Permission

    staff, _created = Group.objects.get_or_create(name="staff")
    permissions = Permission.objects.filter(content_type__app_label__in=STAFF_PERMISSION_APPS)
    staff.permissions.add(*permissions)


def mark_address_verified_on_password_reset(sender, request, user, **kwargs):
    """A password set through the reset link sent to the account's address proves that the
    user owns it (allauth 65 does not mark it verified by itself): no second confirmation
    e-mail at the first login of a contact created by a membership application."""
    from allauth.account.models import EmailAddress

    EmailAddress.objects.filter(user=user, email__iexact=user.email).update(verified=True)
