"""Who must use two-factor authentication [A2], and whether they have enrolled."""

from allauth.mfa.models import Authenticator
from django.conf import settings

from pole.roles import has_role


def mfa_is_required(user) -> bool:
    """Staff, experts, committee and board members, funders, and every Django-admin user."""
    if not user.is_authenticated:
        return False
    return user.is_staff or user.is_superuser or has_role(user, *settings.MFA_REQUIRED_GROUPS)


def has_enrolled(user) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
