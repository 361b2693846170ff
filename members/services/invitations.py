"""Invitations of colleagues to an organisation [A3] [M6]: sent by one of its
administrators, valid 14 days (members.models.INVITATION_VALIDITY), used once."""

from allauth.account.models import EmailAddress
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone, translation

from members.models import Invitation, Organisation, Person, User
from members.permissions import OrganisationAccess
from pole.activity import record_activity
from pole.emails import send_email


class InvitationNotUsable(Exception):
    """The invitation was already used, has expired, or was replaced by a newer one."""


class InvitationEmailMismatch(Exception):
    """The account accepting the invitation is not the one of the invited e-mail address."""


class AccountAlreadyExists(Exception):
    """An account already exists for the invited address: its owner must log in instead."""


def pending_invitations(organisation: Organisation):
    """Invitations not yet accepted, newest first (expired ones included: they can be resent)."""
    return organisation.invitations.filter(accepted_at__isnull=True).select_related("invited_by")


def user_has_email(user, email: str) -> bool:
    """True when `email` is the address of `user`'s account or one of his verified addresses."""
    if user.email.lower() == email.lower():
        return True
    return EmailAddress.objects.filter(user=user, email__iexact=email, verified=True).exists()


def account_exists_for(email: str) -> bool:
    return (
        User.objects.filter(email__iexact=email).exists()
        or EmailAddress.objects.filter(email__iexact=email, verified=True).exists()
    )


def invite_colleague(
    *,
    organisation: Organisation,
    email: str,
    first_name: str,
    last_name: str,
    make_admin: bool,
    invited_by,
    base_url: str = "",
) -> Invitation:
    """Invite `email` to join `organisation` as a contact (an administrator when `make_admin`).

    `base_url` ("https://portal.example") makes the link in the e-mail absolute.
    Side effects: deletes the pending invitations of the same address to the same
    organisation (their links stop working), creates the invitation, writes the activity
    log, and e-mails the link after commit, in the inviter's language."""
    OrganisationAccess(invited_by, organisation).require("can_invite_colleague")
    email = email.strip().lower()
    language = (getattr(invited_by, "language", "") or "fr")[:2]
    with transaction.atomic():
        replaced = list(
            organisation.invitations.select_for_update()
            .filter(email__iexact=email, accepted_at__isnull=True)
            .values_list("pk", flat=True)
        )
        Invitation.objects.filter(pk__in=replaced).delete()
        invitation = Invitation.objects.create(
            organisation=organisation,
            email=email,
            first_name=first_name.strip(),
            last_name=last_name.strip(),
            make_admin=make_admin,
            invited_by=invited_by if invited_by is not None and invited_by.is_authenticated else None,
        )
        record_activity(
            actor=invited_by,
            verb="invitation.sent",
            target=organisation,
            data={"email": email, "make_admin": make_admin, "replaced": len(replaced)},
        )
        with translation.override(language):
            path = reverse("members:invitation-accept", kwargs={"token": invitation.token})
            expires = formats.date_format(timezone.localtime(invitation.expires_at), "SHORT_DATE_FORMAT")
        send_email(
            name="members_invitation",
            to=[email],
            language=language,
            context={
                "organisation": organisation.display_name,
                "inviter": invited_by.get_full_name() or invited_by.email if invited_by else "",
                "first_name": invitation.first_name,
                "make_admin": make_admin,
                "accept_url": f"{base_url.rstrip('/')}{path}",
                "expires": expires,
            },
        )
    return invitation


def resend_invitation(*, invitation: Invitation, actor, base_url: str = "") -> Invitation:
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
        base_url=base_url,
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


def notify_new_contact(*, person: Person, base_url: str = "") -> int:
    """E-mail every other active administrator of the person's organisation that `person`
    is now one of its contacts [A3], each in his language, after commit. Returns the
    number of e-mails scheduled."""
    from django.conf import settings

    base_url = (base_url or settings.PORTAL_URL).rstrip("/")
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
        language = (getattr(admin.user, "language", "") or "fr")[:2]
        language = language if language in dict(settings.LANGUAGES) else "fr"
        with translation.override(language):
            path = reverse("members:space-contacts", kwargs={"slug": organisation.slug})
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
                "contacts_url": f"{base_url}{path}",
            },
        )
    return len(sent)


def accept_invitation(*, invitation: Invitation, user) -> Person:
    """Make `user` a contact of the invitation's organisation.

    Side effects: locks the invitation (a token is used once, even on two simultaneous
    clicks), links or creates the Person (activated; made administrator when the
    invitation says so — never demoted), marks the invitation accepted, writes the
    activity log, e-mails the organisation's other administrators (notify_new_contact).
    Raises InvitationNotUsable or InvitationEmailMismatch."""
    with transaction.atomic():
        locked = Invitation.objects.select_for_update().select_related("organisation").get(pk=invitation.pk)
        if not locked.is_usable:
            raise InvitationNotUsable("used or expired")
        if not user_has_email(user, locked.email):
            raise InvitationEmailMismatch(locked.email)
        organisation = locked.organisation
        person = contact_for_invitee(organisation=organisation, user=user, invitation=locked)
        person.is_organisation_admin = person.is_organisation_admin or locked.make_admin
        person.save()
        locked.accepted_at = timezone.now()
        locked.person = person
        locked.save(update_fields=["accepted_at", "person"])
        record_activity(
            actor=user,
            verb="invitation.accepted",
            target=organisation,
            data={"email": locked.email, "person": person.pk, "make_admin": locked.make_admin},
        )
        notify_new_contact(person=person)
    invitation.refresh_from_db()
    return person


def accept_invitation_with_new_account(
    *, invitation: Invitation, first_name: str, last_name: str, password: str, language: str = "fr"
) -> tuple[User, Person]:
    """Create the account of an invited colleague who has none, then accept the invitation.

    The e-mail address counts as verified: the link that reached it proves it.
    Side effects: creates the User and its verified primary EmailAddress, then those of
    accept_invitation. Raises InvitationNotUsable, or AccountAlreadyExists when an account
    holds the address (its owner must log in)."""
    with transaction.atomic():
        locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if not locked.is_usable:
            raise InvitationNotUsable("used or expired")
        if account_exists_for(locked.email):
            raise AccountAlreadyExists(locked.email)
        user = User.objects.create_user(
            locked.email,
            password,
            first_name=first_name.strip(),
            last_name=last_name.strip(),
            language=language if language in {"fr", "en"} else "fr",
        )
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
        person = accept_invitation(invitation=locked, user=user)
    invitation.refresh_from_db()
    return user, person
