"""The portal's roles [A4].

Five roles are Django groups, created by the data migration pole/0002: staff, expert,
committee, board and funder. Two more are derived from data, not stored as groups:
a *member contact* is a person of a member organisation, a *project partner* a contact
of an organisation in a consortium (the members and projects apps answer those).
"""

import rules
from django.utils.translation import gettext_lazy as _

STAFF = "staff"
EXPERT = "expert"
COMMITTEE = "committee"
BOARD = "board"
FUNDER = "funder"

GROUP_ROLES = {
    STAFF: _("Staff"),
    EXPERT: _("Expert"),
    COMMITTEE: _("Committee member"),
    BOARD: _("Board member"),
    FUNDER: _("Funder"),
}


def group_names(user) -> frozenset[str]:
    """The role groups of `user`, read once per request and kept on the user object."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_role_group_names", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user._role_group_names = cached
    return cached


def has_role(user, *roles: str) -> bool:
    return bool(group_names(user) & set(roles))


@rules.predicate
def is_staff_member(user) -> bool:
    return has_role(user, STAFF)


@rules.predicate
def is_expert(user) -> bool:
    return has_role(user, EXPERT)


@rules.predicate
def is_committee_member(user) -> bool:
    return has_role(user, COMMITTEE)


@rules.predicate
def is_board_member(user) -> bool:
    return has_role(user, BOARD)


@rules.predicate
def is_funder(user) -> bool:
    return has_role(user, FUNDER)
