"""Invitations of a partner's contact to complete his organisation's part of a dossier [A3]
[P3]: sent by the lead's contacts (or the partner's own), valid 14 days
(projects.models.PARTNER_INVITATION_VALIDITY), used once.

Accepting follows the colleagues' invitations of the members app (same account-creation
path, same exceptions, same checks of the e-mail address): the invitee gets an account or
uses his own and becomes the partner's contact for this project only (a PartnerContact),
and the partner's shown contact while the dossier is editable. It never makes him a
contact (members.Person) of the partner's organisation [A3]: only that organisation's
administrators do that, with a colleague's invitation.
"""

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone, translation

from members.models import User
from members.services.invitations import (
    AccountAlreadyExists,
    InvitationEmailMismatch,
    InvitationNotUsable,
    account_exists_for,
    user_has_email,
)
from pole.activity import record_activity
from pole.emails import send_email
from projects.exceptions import DossierLocked
from projects.models import PARTNER_INVITATION_VALIDITY, Partner, PartnerContact, PartnerInvitation, Project

__all__ = [
    "AccountAlreadyExists",
    "InvitationEmailMismatch",
    "InvitationNotUsable",
    "accept_partner_invitation",
    "accept_partner_invitation_with_new_account",
    "invitation_expires_at",
    "invite_partner_contact",
]


def invitation_expires_at(invitation: PartnerInvitation):
    return invitation.created_at + PARTNER_INVITATION_VALIDITY


def invite_partner_contact(
    *, partner: Partner, email: str, first_name: str, last_name: str, invited_by, base_url: str = ""
) -> PartnerInvitation:
    """Invite `email` to become the contact of `partner` and fill in its part.

    `base_url` ("https://portal.example") makes the e-mailed link absolute; it defaults
    to settings.PORTAL_URL. Side effects: locks the project (DossierLocked when it is no
    longer editable), deletes the pending invitations of the same address to the same
    partner (their links stop working), creates the invitation, writes the activity log,
    and e-mails the link after commit, in the inviter's language."""
    email = email.strip().lower()
    language = (getattr(invited_by, "language", "") or "fr")[:2]
    base_url = (base_url or settings.PORTAL_URL).rstrip("/")
    with transaction.atomic():
        project = Project.objects.select_for_update().get(pk=partner.project_id)
        if not project.is_editable:
            raise DossierLocked(project.state)
        partner = Partner.objects.select_related("organisation").get(pk=partner.pk)
        replaced, _count = PartnerInvitation.objects.filter(
            partner=partner, email__iexact=email, accepted_at__isnull=True
        ).delete()
        invitation = PartnerInvitation.objects.create(
            partner=partner,
            email=email,
            first_name=first_name.strip(),
            last_name=last_name.strip(),
            invited_by=invited_by if invited_by is not None and invited_by.is_authenticated else None,
        )
        record_activity(
            actor=invited_by,
            verb="project.partner_invited",
            target=project,
            data={"partner": partner.pk, "email": email, "replaced": replaced},
        )
        with translation.override(language):
            path = reverse("projects:partner-invitation-accept", kwargs={"token": invitation.token})
            expires = formats.date_format(timezone.localtime(invitation_expires_at(invitation)), "SHORT_DATE_FORMAT")
        send_email(
            name="projects_partner_invitation",
            to=[email],
            language=language,
            context={
                "project": project.acronym,
                "project_title": project.title_fr if language == "fr" or not project.title_en else project.title_en,
                "organisation": str(partner.organisation),
                "inviter": (invited_by.get_full_name() or invited_by.email) if invited_by else "",
                "first_name": invitation.first_name,
                "accept_url": f"{base_url}{path}",
                "expires": expires,
            },
        )
    return invitation


def accept_partner_invitation(*, invitation: PartnerInvitation, user) -> Partner:
    """Make `user` the invited partner's contact for this project only and, while the
    dossier is editable, its shown contact (a deposited dossier is not changed).

    Side effects: locks the invitation (a token is used once, even on two simultaneous
    clicks), creates the PartnerContact (or reuses his own), sets the partner's contact,
    marks the invitation accepted, writes the activity log. Creates no members.Person.
    Raises InvitationNotUsable or InvitationEmailMismatch."""
    with transaction.atomic():
        locked = PartnerInvitation.objects.select_for_update().get(pk=invitation.pk)
        if not locked.is_usable:
            raise InvitationNotUsable("used or expired")
        if not user_has_email(user, locked.email):
            raise InvitationEmailMismatch(locked.email)
        project = Project.objects.select_for_update().get(pk=locked.partner.project_id)
        partner = Partner.objects.select_related("organisation").get(pk=locked.partner_id)
        contact, _created = PartnerContact.objects.get_or_create(
            partner=partner,
            user=user,
            defaults={
                "first_name": user.first_name or locked.first_name or locked.email.split("@")[0],
                "last_name": user.last_name or locked.last_name,
                "email": locked.email,
            },
        )
        became_contact = project.is_editable
        if became_contact and partner.project_contact_id != contact.pk:
            partner.contact = None
            partner.project_contact = contact
            partner.save(update_fields=["contact", "project_contact"])
        locked.accepted_at = timezone.now()
        locked.save(update_fields=["accepted_at"])
        record_activity(
            actor=user,
            verb="project.partner_invitation_accepted",
            target=project,
            data={
                "partner": partner.pk,
                "email": locked.email,
                "partner_contact": contact.pk,
                "contact": became_contact,
            },
        )
    invitation.refresh_from_db()
    return partner


def accept_partner_invitation_with_new_account(
    *, invitation: PartnerInvitation, first_name: str, last_name: str, password: str, language: str = "fr"
) -> tuple[User, Partner]:
    """Create the account of an invited partner's contact who has none, then accept the
    invitation (the e-mail address counts as verified: the link that reached it proves it).

    Side effects: creates the User and its verified primary EmailAddress, then those of
    accept_partner_invitation. Raises InvitationNotUsable, or AccountAlreadyExists when an
    account holds the address (its owner must log in)."""
    with transaction.atomic():
        locked = PartnerInvitation.objects.select_for_update().get(pk=invitation.pk)
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
        partner = accept_partner_invitation(invitation=locked, user=user)
    invitation.refresh_from_db()
    return user, partner
