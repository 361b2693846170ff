"""The role-aware main navigation. Entries name URLs, so that this bottom layer imports
no higher app; an entry whose URL does not exist yet is left out. Entries that share a
`menu` are grouped in one drop-down (personal space, back-office) so that the header
stays on one line."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from pole.roles import STAFF, group_names, has_role

MY_SPACE = _("My space")
# Users who have, or may come to have, an organisation: its contacts, and anyone holding no
# role (a new account, which these pages invite to join or to be invited), and staff (who
# reach every organisation from them). A funder, expert, committee or board member with no
# organisation does not see them.
ORGANISATION = "organisation"
BACK_OFFICE = _("Back-office")


@dataclass(frozen=True)
class Entry:
    label: str
    url_name: str
    audience: str = "all"  # "all", "anonymous", "authenticated", "organisation", or a role group name
    menu: str = ""


ENTRIES = [
    Entry(_("Home"), "pole:home"),
    Entry(_("Members directory"), "members:directory"),
    Entry(_("Calls for projects"), "projects:calls"),
    Entry(_("Labelled projects"), "projects:labelled"),
    Entry(_("Join the pole"), "members:join", "anonymous"),
    Entry(_("Dashboard"), "pole:dashboard", "authenticated", MY_SPACE),
    Entry(_("My organisation"), "members:space", ORGANISATION, MY_SPACE),
    Entry(_("My projects"), "projects:my-projects", ORGANISATION, MY_SPACE),
    Entry(_("Partner search"), "projects:partner-searches", "authenticated", MY_SPACE),
    Entry(_("Members"), "members:staff-members", STAFF, BACK_OFFICE),
    Entry(_("Applications"), "members:staff-applications", STAFF, BACK_OFFICE),
    Entry(_("Dues"), "members:staff-dues", STAFF, BACK_OFFICE),
    Entry(_("Projects"), "projects:staff-projects", STAFF, BACK_OFFICE),
    Entry(_("Calls"), "projects:staff-calls", STAFF, BACK_OFFICE),
    Entry(_("Admin"), "admin:index", STAFF, BACK_OFFICE),
]


def has_organisation(user) -> bool:
    """Whether `user` is an active contact of an organisation (read through the user's
    `people` relation, so that this bottom layer imports no higher app); kept on the user
    for the request."""
    cached = getattr(user, "_has_organisation", None)
    if cached is None:
        cached = user.is_authenticated and user.people.filter(is_active=True).exists()
        user._has_organisation = cached
    return cached


def _visible(entry: Entry, user) -> bool:
    if entry.audience == "all":
        return True
    if entry.audience == "anonymous":
        return not user.is_authenticated
    if entry.audience == "authenticated":
        return user.is_authenticated
    if entry.audience == ORGANISATION:
        names = group_names(user)
        return user.is_authenticated and (not names or STAFF in names or has_organisation(user))
    return has_role(user, entry.audience)


def navigation_for(request) -> list[dict]:
    """Top-level items; a drop-down item has `children` and is current when one of them is."""
    user = request.user
    items: list[dict] = []
    menus: dict[str, dict] = {}
    for entry in ENTRIES:
        if not _visible(entry, user):
            continue
        url = reverse(entry.url_name)
        current = request.path == url if entry.url_name == "pole:home" else request.path.startswith(url)
        item = {"label": entry.label, "url": url, "current": current}
        if not entry.menu:
            items.append(item)
            continue
        if entry.menu not in menus:
            menus[entry.menu] = {"label": entry.menu, "children": [], "current": False}
            items.append(menus[entry.menu])
        menus[entry.menu]["children"].append(item)
        menus[entry.menu]["current"] |= current
    return items
