"""Who may see and change what in the members app [A3, A4]: the app's only home for object
rules, in one style (plain Python).

- Queryset functions scope lists and fetches before any object is loaded, so that an object
  outside the scope answers 404: `organisations_visible_to`, `dues_visible_to`, and
  `organisations_of` / `administered_organisations_of` (also read by projects).
- `OrganisationAccess(user, organisation)` says what one user may do with one organisation.
  It is computed once per request (one query at most) and used by the views, by the
  templates (as `access`) and by the services, which refuse an action it does not allow.
"""

from functools import cached_property

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from members.models import Dues, Organisation, Person
from pole.roles import is_staff_member


def organisations_of(user):
    """Organisations `user` is an active contact of."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(people__user=user, people__is_active=True).distinct()


def administered_organisations_of(user):
    """Organisations whose profile and contacts `user` may edit as their administrator."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(
        people__user=user, people__is_active=True, people__is_organisation_admin=True
    ).distinct()


def organisations_visible_to(user):
    """Organisations whose space `user` may open: every one for staff, his own for a contact."""
    return Organisation.objects.all() if is_staff_member(user) else organisations_of(user)


def dues_visible_to(user):
    """Dues records `user` may see: all for staff, his organisations' for contacts."""
    if is_staff_member(user):
        return Dues.objects.all()
    return Dues.objects.filter(membership__organisation__in=organisations_of(user))


class OrganisationAccess:
    """What `user` may do with `organisation`: staff may do everything, an active contact
    sees the space, an administrator contact also edits the profile and the contacts."""

    def __init__(self, user, organisation: Organisation):
        self.user = user
        self.organisation = organisation

    @cached_property
    def is_staff(self) -> bool:
        return is_staff_member(self.user)

    @cached_property
    def _contact(self) -> Person | None:
        if not self.user.is_authenticated:
            return None
        return (
            Person.objects.filter(organisation=self.organisation, user=self.user, is_active=True)
            .only("pk", "is_organisation_admin")
            .first()
        )

    @property
    def is_contact(self) -> bool:
        return self._contact is not None

    @property
    def is_admin(self) -> bool:
        return self._contact is not None and self._contact.is_organisation_admin

    @property
    def can_view_space(self) -> bool:
        return self.is_staff or self.is_contact

    @property
    def can_see_dues(self) -> bool:
        return self.is_staff or self.is_contact

    @property
    def can_edit_profile(self) -> bool:
        return self.is_staff or self.is_admin

    @property
    def can_manage_contacts(self) -> bool:
        """Edit and remove contacts, see and cancel the pending invitations."""
        return self.is_staff or self.is_admin

    @property
    def can_invite_colleague(self) -> bool:
        return self.is_staff or self.is_admin

    def require(self, permission: str) -> "OrganisationAccess":
        """Raise PermissionDenied unless the property `permission` is true."""
        if not getattr(self, permission):
            raise PermissionDenied
        return self


def get_organisation_access(user, *, slug: str, require: str = "can_view_space") -> OrganisationAccess:
    """The access of `user` to the organisation `slug`: 404 when he may not see it, 403
    when he sees it but `require` (a property of OrganisationAccess) is false."""
    organisation = get_object_or_404(organisations_visible_to(user), slug=slug)
    return OrganisationAccess(user, organisation).require(require)
