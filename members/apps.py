from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("Members")

    def ready(self):
        from allauth.account.signals import password_reset

        password_reset.connect(mark_address_verified_on_password_reset, dispatch_uid="members-reset-verifies")


def mark_address_verified_on_password_reset(sender, request, user, **kwargs):
    """A password set through the reset link sent to the account's address proves that the
    user owns it (allauth 65 does not mark it verified by itself): no second confirmation
    e-mail at the first login of a contact created by a membership application."""
    from allauth.account.models import EmailAddress

    EmailAddress.objects.filter(user=user, email__iexact=user.email).update(verified=True)
