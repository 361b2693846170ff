"""Invitations of colleagues to an organisation [A3] [M6]: sent by one of its
administrators, valid 14 days, used once — through the invitation mechanism of
pole.invitations. Accepting one makes the invitee a contact (Person) of that organisation.
"""

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from members.models import Invitation, Organisation, Person, User
from members.permissions import OrganisationAccess
from pole import invitations
from pole.activity import record_activity
from pole.emails import send_email
from pole.french import elide_de
from pole.invitations import (
    AccountAlreadyExists,
    InvitationEmailMismatch,
    InvitationNotUsable,
    account_exists_for,
    user_has_email,
)
from pole.links import absolute_url, language_of

__all__ = [
    "AccountAlreadyExists",
    "InvitationEmailMismatch",
    "InvitationNotUsable",
    "accept_invitation",
    "accept_invitation_with_new_account",
    "account_exists_for",
    "cancel_invitation",
    "contact_for_invitee",
    "invite_colleague",
    "notify_new_contact",
    "pending_invitations",
    "resend_invitation",
    "user_has_email",
]


def pending_invitations(organisation: Organisation):
    """Invitations not yet accepted, newest first (expired ones included: they can be resent)."""
    return organisation.invitations.filter(accepted_at__isnull=True).select_related("invited_by")


def invite_colleague(
    *,
    organisation: Organisation,
    email: str,
    first_name: str,
    last_name: str,
    make_admin: bool,
    invited_by,
) -> Invitation:
    """Invite `email` to join `organisation` as a contact (an administrator when `make_admin`).

    Side effects: deletes the pending invitations of the same address to the same
    organisation (their links stop working), creates the invitation, writes the activity
    log, and e-mails the link after commit, in the inviter's language."""
    OrganisationAccess(invited_by, organisation).require("can_invite_colleague")
    language = language_of(invited_by)
    with transaction.atomic():
        invitation, replaced = invitations.create_invitation(
            model=Invitation,
            scope={"organisation": organisation},
            email=email,
            first_name=first_name,
            last_name=last_name,
            invited_by=invited_by,
            make_admin=make_admin,
        )
        record_activity(
            actor=invited_by,
            verb="invitation.sent",
            target=organisation,
            data={"email": invitation.email, "make_admin": make_admin, "replaced": replaced},
        )
        with translation.override(language):
            subject, message = _wording(invitation, inviter=invitations.inviter_name(invited_by))
        invitations.send_invitation_email(invitation=invitation, language=language, subject=subject, message=message)
    return invitation


def _wording(invitation: Invitation, *, inviter: str) -> tuple[str, str]:
    """The subject and the sentence of a colleague's invitation, in the active language."""
    organisation = invitation.organisation.display_name
    subject = elide_de(
        _("Invitation to join %(organisation)s on the pole's portal") % {"organisation": organisation}, organisation
    )
    if inviter:
        message = _("%(inviter)s invites you to join the space of %(organisation)s on the pole's portal.") % {
            "inviter": inviter,
            "organisation": organisation,
        }
    else:
        message = _("You are invited to join the space of %(organisation)s on the pole's portal.") % {
            "organisation": organisation
        }
    message = elide_de(message, organisation)
    if invitation.make_admin:
        message += " " + _("You will be one of its administrators: you may edit its profile and invite colleagues.")
    return subject, message


def resend_invitation(*, invitation: Invitation, actor) -> Invitation:
    """Send `invitation` again as a new invitation (new link, valid 14 more days).

    Side effects: those of invite_colleague; the previous link stops working."""
    if invitation.accepted_at is not None:
        raise InvitationNotUsable("already accepted")
    return invite_colleague(
        organisation=invitation.organisation,
        email=invitation.email,
        first_name=invitation.first_name,
        last_name=invitation.last_name,
        make_admin=invitation.make_admin,
        invited_by=actor,
    )


def cancel_invitation(*, invitation: Invitation, actor) -> None:
    """Withdraw a pending invitation. Side effects: deletes it (its link answers "unknown
    invitation"), writes the activity log."""
    OrganisationAccess(actor, invitation.organisation).require("can_invite_colleague")
    with transaction.atomic():
        deleted, _ = Invitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True).delete()
        if deleted:
            record_activity(
                actor=actor,
                verb="invitation.cancelled",
                target=invitation.organisation,
                data={"email": invitation.email},
            )


def contact_for_invitee(*, organisation, user, invitation) -> Person:
    """The contact of `organisation` that `user` becomes by accepting `invitation` (a
    colleague's invitation, sent by one of its administrators; a project partner's
    invitation never makes anyone a contact of an organisation): his own contact row if he has one, else
    the row kept for the invited address without an account (an active one first), else a
    new one named after the account or the invitation. Linked to the user and active; the
    caller sets what else it grants, then saves it."""
    person = (
        Person.objects.filter(organisation=organisation, user=user).first()
        or Person.objects.filter(organisation=organisation, user__isnull=True, email__iexact=invitation.email)
        .order_by("-is_active", "pk")
        .first()
    )
    if person is None:
        person = Person(
            organisation=organisation,
            email=invitation.email,
            first_name=user.first_name or invitation.first_name or invitation.email.split("@")[0],
            last_name=user.last_name or invitation.last_name,
            is_main_contact=False,
        )
    person.user = user
    person.is_active = True
    return person


def notify_new_contact(*, person: Person) -> int:
    """E-mail every other active administrator of the person's organisation that `person`
    is now one of its contacts [A3], each in his language, after commit. Returns the
    number of e-mails scheduled."""
    organisation = person.organisation
    admins = (
        Person.objects.filter(organisation=organisation, is_active=True, is_organisation_admin=True, user__isnull=False)
        .exclude(pk=person.pk)
        .select_related("user")
        .order_by("pk")
    )
    sent = set()
    for admin in admins:
        address = (admin.user.email or admin.email).lower()
        if not address or address in sent or (person.user_id and admin.user_id == person.user_id):
            continue
        sent.add(address)
        language = language_of(admin.user)
        send_email(
            name="members_new_contact",
            to=[address],
            language=language,
            context={
                "first_name": admin.first_name,
                "organisation": organisation.display_name,
                "name": str(person),
                "email": person.email,
                "admin": person.is_organisation_admin,
                "contacts_url": absolute_url(
                    "members:space-contacts", language=language, kwargs={"slug": organisation.slug}
                ),
            },
        )
    return len(sent)


def accept_invitation(*, invitation: Invitation, user) -> Person:
    """Make `user` a contact of the invitation's organisation.

    Side effects: those of pole.invitations.accept_invitation (locks the invitation, used
    once, by the invited address only), then links or creates the Person (activated; made
    administrator when the invitation says so — never demoted), writes the activity log,
    e-mails the organisation's other administrators (notify_new_contact).
    Raises InvitationNotUsable or InvitationEmailMismatch."""
    return invitations.accept_invitation(invitation=invitation, user=user, grant=_make_contact)


def _make_contact(invitation: Invitation, user) -> Person:
    organisation = invitation.organisation
    person = contact_for_invitee(organisation=organisation, user=user, invitation=invitation)
    person.is_organisation_admin = person.is_organisation_admin or invitation.make_admin
    person.save()
    invitation.person = person
    record_activity(
        actor=user,
        verb="invitation.accepted",
        target=organisation,
        data={"email": invitation.email, "person": person.pk, "make_admin": invitation.make_admin},
    )
    notify_new_contact(person=person)
    return person


def accept_invitation_with_new_account(
    *, invitation: Invitation, first_name: str, last_name: str, password: str, language: str = "fr"
) -> tuple[User, Person]:
    """Create the account of an invited colleague who has none, then accept the invitation.

    Side effects: those of pole.invitations.accept_invitation_with_new_account (a user
    with a verified address), then those of accept_invitation. Raises
    InvitationNotUsable, or AccountAlreadyExists when an account holds the address."""
    return invitations.accept_invitation_with_new_account(
        invitation=invitation,
        grant=_make_contact,
        first_name=first_name,
        last_name=last_name,
        password=password,
        language=language,
    )
