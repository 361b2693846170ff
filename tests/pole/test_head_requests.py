"""HEAD answers wherever GET does [§4]: every URL pattern of the project, walked like
tests/pole/test_access_policies.py does, gets the same status for HEAD as for GET, with no
body. The user holds every role (and is a superuser), so that the access policies let the
request reach the view's method check; object ids that do not exist are fine — a view that
refuses HEAD answers 405 before looking anything up."""

import re
import uuid

import pytest
from django.contrib.auth.models import Group
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.converters import UUIDConverter

from pole import roles
from tests.conftest import login, make_user

pytestmark = pytest.mark.django_db


def sample_url(route: str, converters) -> str:
    """`route` with a value that matches no object for each parameter (999999 suits ints,
    slugs, strings and paths alike)."""
    for name, converter in converters.items():
        value = str(uuid.UUID(int=999999)) if isinstance(converter, UUIDConverter) else "999999"
        route = re.sub(rf"<(\w+:)?{name}>", value, route)
    return route


def concrete_routes():
    """Each route of the project with sample values in place of its parameters."""

    def visit(patterns, prefix, converters):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            pattern_converters = {**converters, **getattr(pattern.pattern, "converters", {})}
            if isinstance(pattern, URLResolver):
                yield from visit(pattern.url_patterns, route, pattern_converters)
            elif isinstance(pattern, URLPattern):
                if "^" in route or "(?P" in route:
                    continue  # regular-expression routes: Django's static and media views
                yield sample_url(route, pattern_converters)

    return sorted(set(visit(get_resolver().url_patterns, "/", {})))


@pytest.fixture
def all_roles_client(client, django_user_model, totp_secret):
    user = make_user(
        django_user_model, "everyone@pole.example", is_staff=True, is_superuser=True, totp_secret=totp_secret
    )
    user.groups.add(*[Group.objects.get_or_create(name=name)[0] for name in roles.GROUP_ROLES])
    login(client, user, totp_secret)
    return client


def test_head_answers_wherever_get_does(all_roles_client):
    urls = concrete_routes()
    assert len(urls) > 50
    mismatches = []
    for url in urls:
        if "logout" in url:
            continue  # would end the session the walk runs in
        get = all_roles_client.get(url)
        head = all_roles_client.head(url)
        # Django's admin login sends a logged-in GET to the index but shows HEAD the form.
        same_status = head.status_code == get.status_code or url.endswith("/admin/login/")
        if (head.status_code == 405 and get.status_code != 405) or not same_status:
            mismatches.append(f"{url}: GET {get.status_code}, HEAD {head.status_code}")
        assert head.content == b"", url
    assert mismatches == []
