"""What the activity log's verbs of the members app mean, in words: the staff history of
an organisation and the member space show these labels, never the raw verbs."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from members.models import Dues, Membership, SizeCategory

VERB_LABELS = {
    "membership.applied": _("Membership application sent"),
    "organisation.size_overridden": _("Size category set by staff"),
    "organisation.size_override_removed": _("Size category set by staff removed"),
    "organisation.profile_updated": _("Profile updated"),
    "person.updated": _("Contact updated"),
    "person.deactivated": _("Contact deactivated"),
    "invitation.sent": _("Invitation sent"),
    "invitation.accepted": _("Invitation accepted"),
    "invitation.cancelled": _("Invitation cancelled"),
    "document.downloaded": _("Document downloaded"),
    "dues.reminded": _("Reminder of unpaid dues sent"),
    "organisation.created_for_project": _("Organisation created for a project's consortium"),
    "membership.contact_confirmed": _("Main contact confirmed by the owner of the address"),
    "user.role_changed": _("Roles and rights of an account changed"),
}

# History change reasons are stored as codes (a history row outlives the language of the
# person who caused it) and shown in the reader's language.
CHANGE_REASON_LABELS = {
    "dues.called": _("Yearly dues call"),
    "dues call": _("Yearly dues call"),  # before the codes
}

# The labels of the values that activity-log rows carry in "from" and "to", by verb prefix.
TRANSITION_LABELS = {
    "membership.": dict(Membership.State.choices),
    "dues.": dict(Dues.Status.choices),
    "organisation.size": dict(SizeCategory.choices),
}


def verb_label(verb: str) -> str:
    """A readable name for an activity-log verb; the verb itself when unknown."""
    if verb in VERB_LABELS:
        return str(VERB_LABELS[verb])
    prefix, _dot, target = verb.partition(".")
    if prefix == "membership" and target in Membership.State.values:
        return gettext("Membership: %(state)s") % {"state": Membership.State(target).label}
    if prefix == "dues" and target in Dues.Status.values:
        return gettext("Dues: %(status)s") % {"status": Dues.Status(target).label}
    return verb


def transition_labels(verb: str, data: dict) -> dict:
    """The readable "from" and "to" values of a transition's log entry."""
    labels = next((labels for prefix, labels in TRANSITION_LABELS.items() if verb.startswith(prefix)), {})
    return {key: str(labels.get(data.get(key), data.get(key) or "")) for key in ("from", "to")}


def change_reason_label(reason: str | None) -> str:
    """A history row's change reason in the reader's language (free text stays as typed)."""
    if not reason:
        return ""
    return str(CHANGE_REASON_LABELS.get(reason, reason))
