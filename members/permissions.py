"""Who may see and change what in the members app. Querysets are scoped to the user
before any object is fetched; an object outside the scope answers 404."""

import rules
from django.shortcuts import get_object_or_404

from members.models import Dues, Organisation, Person
from pole.roles import is_staff_member


def organisations_of(user):
    """Organisations `user` is an active contact of."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(people__user=user, people__is_active=True).distinct()


def administered_organisations_of(user):
    """Organisations whose profile and contacts `user` may edit."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(
        people__user=user, people__is_active=True, people__is_organisation_admin=True
    ).distinct()


def get_organisation_for_contact(user, *, slug: str) -> Organisation:
    """The organisation `slug` if `user` is one of its contacts (or staff); 404 otherwise."""
    queryset = Organisation.objects.all() if is_staff_member(user) else organisations_of(user)
    return get_object_or_404(queryset, slug=slug)


def get_organisation_for_admin(user, *, slug: str) -> Organisation:
    """The organisation `slug` if `user` administers it (or is staff); 404 otherwise."""
    queryset = Organisation.objects.all() if is_staff_member(user) else administered_organisations_of(user)
    return get_object_or_404(queryset, slug=slug)


def dues_visible_to(user):
    """Dues records `user` may see: all for staff, his organisations' for contacts."""
    if is_staff_member(user):
        return Dues.objects.all()
    return Dues.objects.filter(membership__organisation__in=organisations_of(user))


@rules.predicate
def is_contact_of(user, organisation) -> bool:
    return (
        user.is_authenticated and Person.objects.filter(organisation=organisation, user=user, is_active=True).exists()
    )


@rules.predicate
def is_admin_of(user, organisation) -> bool:
    return (
        user.is_authenticated
        and Person.objects.filter(
            organisation=organisation, user=user, is_active=True, is_organisation_admin=True
        ).exists()
    )


rules.add_perm("members.view_organisation_space", is_staff_member | is_contact_of)
rules.add_perm("members.change_organisation_profile", is_staff_member | is_admin_of)
rules.add_perm("members.invite_colleague", is_staff_member | is_admin_of)


@rules.predicate
def has_organisation(user) -> bool:
    """`user` is an active contact of at least one organisation."""
    return organisations_of(user).exists()


# Named for the bottom layer: pole's navigation and dashboard ask rules.test_rule("members.has_organisation")
# without importing this app.
rules.add_rule("members.has_organisation", has_organisation)
