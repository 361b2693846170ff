"""The size category set by staff [M1]: the derived category can be overridden, always
with a reason, and the override can be removed to return to the derived one."""

from django.db import transaction

from members.models import Organisation, OrganisationKind
from pole.activity import record_activity


def override_size_category(*, organisation: Organisation, size: str, reason: str, actor) -> Organisation:
    """Set (or, with an empty `size`, remove) the staff override of `organisation`'s size
    category; `reason` is required when setting one.

    Side effects: locks the row, saves `size_override`, `size_override_reason` and the
    recomputed `size_category` (history record with `actor` as its author), and writes
    an activity-log row (from, to, reason). Raises ValueError for an organisation that is
    not a company, or a missing reason."""
    reason = (reason or "").strip()
    if organisation.kind != OrganisationKind.COMPANY:
        raise ValueError("Only companies have a size category.")
    if size and not reason:
        raise ValueError("A reason is required to set the size category.")
    with transaction.atomic():
        locked = Organisation.objects.select_for_update().get(pk=organisation.pk)
        previous = locked.size_category
        locked.size_override = size
        locked.size_override_reason = reason if size else ""
        locked._history_user = actor if actor is not None and actor.is_authenticated else None
        locked.save(update_fields=["size_override", "size_override_reason", "updated_at"])
        record_activity(
            actor=actor,
            verb="organisation.size_overridden" if size else "organisation.size_override_removed",
            target=locked,
            data={"from": previous, "to": locked.size_category, "reason": reason},
        )
    organisation.refresh_from_db()
    return organisation
