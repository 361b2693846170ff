"""Values every page needs: the pole's identity, the user's roles and navigation."""

from django.conf import settings

from pole.models import PoleProfile
from pole.navigation import navigation_for
from pole.roles import GROUP_ROLES, group_names


def portal(request):
    user = getattr(request, "user", None)
    names = group_names(user) if user is not None else frozenset()
    return {
        "pole_profile": PoleProfile.current(),
        "user_roles": [GROUP_ROLES[name] for name in GROUP_ROLES if name in names],
        "navigation": navigation_for(request),
        "DEBUG": settings.DEBUG,
    }
