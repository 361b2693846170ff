"""The membership state machine [M3]: every allowed and every forbidden transition."""

import itertools
from datetime import date

import pytest

from members.exceptions import IllegalTransition
from members.models import Membership
from members.services.memberships import MEMBERSHIP_TRANSITIONS, REASON_REQUIRED, transition_membership
from pole.models import ActivityLog
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

State = Membership.State
ALL_PAIRS = list(itertools.product(State.values, State.values))
ALLOWED = {(source, target) for source, targets in MEMBERSHIP_TRANSITIONS.items() for target in targets}


def test_the_table_covers_every_state_and_the_expected_moves():
    assert set(MEMBERSHIP_TRANSITIONS) == set(State.values)
    assert ALLOWED == {
        ("applied", "under_review"),
        ("applied", "refused"),
        ("under_review", "approved"),
        ("under_review", "refused"),
        ("approved", "active"),
        ("active", "withdrawn"),
        ("active", "excluded"),
    }
    assert REASON_REQUIRED == {State.REFUSED, State.WITHDRAWN, State.EXCLUDED}


@pytest.mark.parametrize(("source", "target"), ALL_PAIRS, ids=[f"{s}->{t}" for s, t in ALL_PAIRS])
def test_a_transition_succeeds_exactly_when_the_table_allows_it(source, target, staff_user):
    membership = MembershipFactory(state=source)
    reason = "Decided by the board." if target in REASON_REQUIRED else ""
    if (source, target) in ALLOWED:
        result = transition_membership(membership=membership, target=target, actor=staff_user, reason=reason)
        assert result.state == target
        membership.refresh_from_db()
        assert membership.state == target
        (entry,) = ActivityLog.objects.filter(verb__startswith="membership.")
        assert (entry.actor, entry.verb, entry.target_id) == (staff_user, f"membership.{target}", str(membership.pk))
        assert entry.data == {"from": source, "to": target, "reason": reason}
    else:
        with pytest.raises(IllegalTransition) as caught:
            transition_membership(membership=membership, target=target, actor=staff_user, reason=reason)
        assert (caught.value.entity, caught.value.source, caught.value.target) == ("membership", source, target)
        membership.refresh_from_db()
        assert membership.state == source
        assert not ActivityLog.objects.filter(verb__startswith="membership.").exists()


@pytest.mark.parametrize(("source", "target"), sorted((s, t) for s, t in ALLOWED if t in REASON_REQUIRED))
@pytest.mark.parametrize("reason", ["", "   "])
def test_refusal_withdrawal_and_exclusion_require_a_reason(source, target, reason, staff_user):
    membership = MembershipFactory(state=source)
    with pytest.raises(ValueError, match="reason is required"):
        transition_membership(membership=membership, target=target, actor=staff_user, reason=reason)
    membership.refresh_from_db()
    assert (membership.state, membership.reason) == (source, "")
    assert not ActivityLog.objects.filter(verb__startswith="membership.").exists()


def test_each_move_records_its_dates_and_reason(staff_user):
    membership = MembershipFactory(state=State.UNDER_REVIEW)
    transition_membership(
        membership=membership,
        target=State.APPROVED,
        actor=staff_user,
        decision_date=date(2026, 3, 10),
        decision_reference="CA-2026-03",
    )
    assert (membership.decision_date, membership.decision_reference) == (date(2026, 3, 10), "CA-2026-03")
    transition_membership(membership=membership, target=State.ACTIVE, actor=staff_user, effective_date=date(2026, 4, 1))
    assert membership.start_date == date(2026, 4, 1)
    transition_membership(
        membership=membership,
        target=State.WITHDRAWN,
        actor=staff_user,
        reason="  Company closed.  ",
        effective_date=date(2026, 9, 30),
    )
    assert (membership.state, membership.end_date, membership.reason) == (
        State.WITHDRAWN,
        date(2026, 9, 30),
        "Company closed.",
    )
    assert ActivityLog.objects.filter(verb__startswith="membership.").count() == 3


def test_two_concurrent_approvals_cannot_both_win(staff_user):
    """Two staff members open the same application; each click works on its own copy of
    the row. The second one finds the state already moved and is refused."""
    membership = MembershipFactory(state=State.UNDER_REVIEW)
    first_copy = Membership.objects.get(pk=membership.pk)
    second_copy = Membership.objects.get(pk=membership.pk)
    transition_membership(membership=first_copy, target=State.APPROVED, actor=staff_user)
    assert second_copy.state == State.UNDER_REVIEW  # stale
    with pytest.raises(IllegalTransition):
        transition_membership(membership=second_copy, target=State.APPROVED, actor=staff_user)
    membership.refresh_from_db()
    assert membership.state == State.APPROVED
    assert ActivityLog.objects.filter(verb="membership.approved").count() == 1


def test_a_stale_refusal_after_an_approval_is_refused_too(staff_user):
    membership = MembershipFactory(state=State.UNDER_REVIEW)
    stale = Membership.objects.get(pk=membership.pk)
    transition_membership(membership=membership, target=State.APPROVED, actor=staff_user)
    with pytest.raises(IllegalTransition):
        transition_membership(membership=stale, target=State.REFUSED, actor=staff_user, reason="Too late.")
    membership.refresh_from_db()
    assert (membership.state, membership.reason) == (State.APPROVED, "")
