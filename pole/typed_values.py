"""What a user typed, kept across a login.

When a session expires while a form is being filled in, the POST that reaches the portal
is anonymous: instead of losing it, `login_keeping_typed_values` keeps it in the session
and sends the user to log in, back to the form's page; that page then shows it again
with `typed_values` (nothing unsaved is lost, nothing is saved without the user's
say-so). Files cannot be kept. Used by the dossier's steps (projects.views.submission);
any form page may use it.
"""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import QueryDict
from django.utils.translation import gettext as _

SESSION_KEY = "pole_typed_values"
# Above this many characters, what was typed is not kept (the session is no file store).
MAX_TYPED_VALUES = 64 * 1024


def stash_typed_values(request, *, come_back_to: str) -> None:
    """Keep what an anonymous POST carried for the page `come_back_to` (a path) to show
    after the login."""
    data = {key: request.POST.getlist(key) for key in request.POST if key != "csrfmiddlewaretoken"}
    if data and sum(len(value) for values in data.values() for value in values) <= MAX_TYPED_VALUES:
        request.session[SESSION_KEY] = {"path": come_back_to, "data": data}


def login_keeping_typed_values(request, *, come_back_to: str):
    """The redirection to the login page, back to `come_back_to`, keeping what a POST
    carried (stash_typed_values)."""
    if request.method == "POST":
        stash_typed_values(request, come_back_to=come_back_to)
    return redirect_to_login(come_back_to)


def typed_values(request) -> QueryDict | None:
    """What the user typed before his session expired, if it was typed for this page
    (used once: it is removed from the session), with a message saying it is not saved."""
    stashed = request.session.get(SESSION_KEY)
    if not stashed or stashed.get("path") != request.path:
        return None
    del request.session[SESSION_KEY]
    data = QueryDict(mutable=True)
    for key, values in stashed.get("data", {}).items():
        data.setlist(key, values)
    messages.warning(
        request,
        _("Your session had expired: what you typed is shown again below but is not saved yet. Check it and save."),
    )
    return data
