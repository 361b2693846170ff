"""Every view states who may use it [A4]."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, path

from pole.access import AUTHENTICATED, PUBLIC, THIRD_PARTY_POLICIES, access, policy_of, roles


def walk(patterns, prefix="", namespaces=()):
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from walk(pattern.url_patterns, route, (*namespaces, pattern.namespace))
        elif isinstance(pattern, URLPattern):
            yield route, pattern.callback, namespaces


def views_without_policy(patterns):
    offenders = []
    for route, callback, namespaces in walk(patterns):
        if policy_of(callback) is not None:
            continue
        if "admin" in namespaces:
            continue  # every admin URL goes through AdminSite.admin_view: active staff only
        module = getattr(callback, "__module__", "") or ""
        if hasattr(callback, "view_class"):
            module = callback.view_class.__module__
        if any((module + ".").startswith(prefix) for prefix in THIRD_PARTY_POLICIES):
            continue
        offenders.append(f"{route} -> {module}.{getattr(callback, '__name__', callback)}")
    return offenders


def test_every_url_pattern_declares_an_access_policy():
    routes = list(walk(get_resolver().url_patterns))
    assert len(routes) > 50  # the walk really visits the portal, allauth and the admin
    assert views_without_policy(get_resolver().url_patterns) == []


def test_the_walk_catches_a_view_that_forgot_its_policy():
    def forgotten(request):
        return HttpResponse("open to all by mistake")

    @access(PUBLIC)
    def declared(request):
        return HttpResponse("ok")

    patterns = [path("forgotten/", forgotten), path("declared/", declared)]
    assert views_without_policy(patterns) == ["forgotten/ -> tests.pole.test_access_policies.forgotten"]


@pytest.mark.django_db
def test_policies_are_enforced(member_user, staff_user):
    from django.contrib.auth.models import AnonymousUser

    @access(roles("staff"))
    def staff_only(request):
        return HttpResponse("staff")

    @access(AUTHENTICATED)
    def members_only(request):
        return HttpResponse("members")

    request = RequestFactory().get("/fr/somewhere/")
    request.user = AnonymousUser()
    assert staff_only(request).status_code == 302
    assert members_only(request).status_code == 302
    request.user = member_user
    assert members_only(request).status_code == 200
    with pytest.raises(PermissionDenied):
        staff_only(request)
    request.user = staff_user
    assert staff_only(request).content == b"staff"
