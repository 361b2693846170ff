"""The portal's roles [A4].

Five roles are Django groups, created by the data migration pole/0002: staff, expert,
committee, board and funder. Two more are derived from data, not stored as groups:
a *member contact* is a person of a member organisation, a *project partner* a contact
of an organisation in a consortium (members.permissions and projects.permissions answer
those). The functions here are plain: `is_staff_member(user)` and the like.
"""

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


def is_staff_member(user) -> bool:
    return has_role(user, STAFF)


def is_expert(user) -> bool:
    return has_role(user, EXPERT)


def is_committee_member(user) -> bool:
    return has_role(user, COMMITTEE)


def is_board_member(user) -> bool:
    return has_role(user, BOARD)


def is_funder(user) -> bool:
    return has_role(user, FUNDER)
