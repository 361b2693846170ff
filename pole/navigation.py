"""The role-aware main navigation. Entries name URLs, so that this bottom layer imports
no higher app; an entry whose URL does not exist yet is left out."""

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from pole.roles import STAFF, has_role


@dataclass(frozen=True)
class Entry:
    label: str
    url_name: str
    audience: str = "all"  # "all", "anonymous", "authenticated", or a role group name


ENTRIES = [
    Entry(_("Home"), "pole:home"),
    Entry(_("Members directory"), "members:directory"),
    Entry(_("Join the pole"), "members:join", "anonymous"),
    Entry(_("Calls for projects"), "projects:calls"),
    Entry(_("Labelled projects"), "projects:labelled"),
    Entry(_("My space"), "pole:dashboard", "authenticated"),
    Entry(_("My organisation"), "members:space", "authenticated"),
    Entry(_("My projects"), "projects:my-projects", "authenticated"),
    Entry(_("Partner search"), "projects:partner-searches", "authenticated"),
    Entry(_("Members"), "members:staff-members", STAFF),
    Entry(_("Applications"), "members:staff-applications", STAFF),
    Entry(_("Projects"), "projects:staff-projects", STAFF),
    Entry(_("Dues"), "members:staff-dues", STAFF),
    Entry(_("Admin"), "admin:index", STAFF),
]


def _visible(entry: Entry, user) -> bool:
    if entry.audience == "all":
        return True
    if entry.audience == "anonymous":
        return not user.is_authenticated
    if entry.audience == "authenticated":
        return user.is_authenticated
    return has_role(user, entry.audience)


def navigation_for(request) -> list[dict]:
    user = request.user
    items = []
    for entry in ENTRIES:
        if not _visible(entry, user):
            continue
        try:
            url = reverse(entry.url_name)
        except NoReverseMatch:
            continue
        current = request.path == url if entry.url_name == "pole:home" else request.path.startswith(url)
        items.append({"label": entry.label, "url": url, "current": current})
    return items
