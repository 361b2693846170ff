"""Every view of the portal states who may use it.

Function views take one of the decorators below; class-based views inherit
`AccessPolicyMixin` and set `access_policy`. The policy is stored on the view
(`view.access_policy`), and tests/pole/test_access_policies.py walks every URL pattern
and fails on a view that declares none. Object-level rules (which project, which
organisation) live in each app's permissions.py and scope querysets before fetching.

Policies:
- PUBLIC: anyone, including anonymous visitors.
- AUTHENTICATED: any logged-in user (member contacts and partners are such users; the
  object-level checks of each view narrow what they see).
- roles(...): logged-in users holding one of the given role groups; others get 403.
"""

from dataclasses import dataclass
from functools import wraps

from django.contrib.auth.mixins import AccessMixin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from pole.roles import has_role

PUBLIC = "public"
AUTHENTICATED = "authenticated"


@dataclass(frozen=True)
class Roles:
    names: tuple[str, ...]

    def __str__(self) -> str:
        return "roles:" + ",".join(self.names)


def roles(*names: str) -> Roles:
    return Roles(tuple(names))


# Third-party views that enforce their own policy; the URL walk accepts them.
THIRD_PARTY_POLICIES = {
    "allauth.": "allauth: entrance pages for anonymous users, account pages for logged-in users",
    "django.contrib.admin.": "Django admin: active staff users only, logged in through allauth",
    "django.views.static.": "public media (logos): anyone, like the static files",
    "django.contrib.staticfiles.": "DEBUG-only serving of static files",
}


def check_access(request, policy) -> None:
    """Raise PermissionDenied, or return a login redirect marker, when `request` may not
    use a view of `policy`. Returns None when access is granted."""
    if policy == PUBLIC:
        return None
    if not request.user.is_authenticated:
        return "login"
    if policy == AUTHENTICATED:
        return None
    if isinstance(policy, Roles) and has_role(request.user, *policy.names):
        return None
    raise PermissionDenied


def access(policy):
    """Decorator for function views: `@access(PUBLIC)`, `@access(roles(STAFF))`."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if check_access(request, policy) == "login":
                return redirect_to_login(request.get_full_path())
            return view(request, *args, **kwargs)

        wrapped.access_policy = policy
        return wrapped

    return decorator


class AccessPolicyMixin(AccessMixin):
    """For class-based views: set `access_policy` to PUBLIC, AUTHENTICATED or roles(...)."""

    access_policy = None

    def dispatch(self, request, *args, **kwargs):
        if self.access_policy is None:
            raise PermissionDenied  # a view that forgot its policy is closed, not open
        if check_access(request, self.access_policy) == "login":
            return self.handle_no_permission()
        return super().dispatch(request, *args, **kwargs)


def policy_of(callback):
    """The policy a resolved URL callback declares, or None."""
    policy = getattr(callback, "access_policy", None)
    if policy is None and hasattr(callback, "view_class"):
        policy = getattr(callback.view_class, "access_policy", None)
    return policy
