"""The membership state machine [M3] and the application journey."""

from datetime import date

from django.db import transaction
from django.utils import timezone

from members.exceptions import IllegalTransition
from members.models import Membership
from pole.activity import record_activity

State = Membership.State

# The only moves a membership can make. Anything else raises IllegalTransition.
MEMBERSHIP_TRANSITIONS: dict[str, set[str]] = {
    State.APPLIED: {State.UNDER_REVIEW, State.REFUSED},
    State.UNDER_REVIEW: {State.APPROVED, State.REFUSED},
    State.APPROVED: {State.ACTIVE},
    State.ACTIVE: {State.WITHDRAWN, State.EXCLUDED},
    State.WITHDRAWN: set(),
    State.EXCLUDED: set(),
    State.REFUSED: set(),
}
# Moves that must say why.
REASON_REQUIRED = {State.REFUSED, State.WITHDRAWN, State.EXCLUDED}


def allowed_targets(membership: Membership) -> set[str]:
    return MEMBERSHIP_TRANSITIONS[membership.state]


def transition_membership(
    *,
    membership: Membership,
    target: str,
    actor,
    reason: str = "",
    decision_date: date | None = None,
    decision_reference: str = "",
    effective_date: date | None = None,
) -> Membership:
    """Move `membership` to `target`.

    Side effects: locks the row (two clicks never both win), checks the transition
    table, sets the dates of the move, writes the activity log (who, from, to, reason).
    E-mails are the caller's business (see the application services below).
    Raises IllegalTransition, or ValueError when a required reason is missing."""
    with transaction.atomic():
        locked = Membership.objects.select_for_update().get(pk=membership.pk)
        source = locked.state
        if target not in MEMBERSHIP_TRANSITIONS.get(source, set()):
            raise IllegalTransition("membership", source, target)
        if target in REASON_REQUIRED and not reason.strip():
            raise ValueError("A reason is required for this change.")
        fields = ["state"]
        locked.state = target
        today = timezone.localdate()
        if target == State.APPROVED:
            locked.decision_date = decision_date or today
            locked.decision_reference = decision_reference
            fields += ["decision_date", "decision_reference"]
        if target == State.REFUSED:
            locked.decision_date = decision_date or today
            locked.decision_reference = decision_reference
            fields += ["decision_date", "decision_reference"]
        if target == State.ACTIVE:
            locked.start_date = effective_date or today
            fields.append("start_date")
        if target in {State.WITHDRAWN, State.EXCLUDED}:
            locked.end_date = effective_date or today
            fields.append("end_date")
        if reason:
            locked.reason = reason.strip()
            fields.append("reason")
        locked.save(update_fields=fields)
        record_activity(
            actor=actor,
            verb=f"membership.{target}",
            target=locked,
            data={"from": source, "to": target, "reason": reason.strip()},
        )
    membership.refresh_from_db()
    return membership
