"""Invitations of a partner's contact to complete his organisation's part of a dossier [A3]
[P3]: sent by the lead's contacts (or the partner's own), valid 14 days, used once —
through the invitation mechanism of pole.invitations, like the colleagues' invitations of
the members app (same account-creation path, same exceptions, same checks of the e-mail
address).

The invitee gets an account or uses his own and becomes the partner's contact for this
project only (a PartnerContact), and the partner's shown contact while the dossier is
editable. It never makes him a contact (members.Person) of the partner's organisation
[A3]: only that organisation's administrators do that, with a colleague's invitation.
"""

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from members.models import User
from pole import invitations
from pole.activity import record_activity
from pole.french import elide_de
from pole.invitations import AccountAlreadyExists, InvitationEmailMismatch, InvitationNotUsable
from pole.links import language_of
from projects.exceptions import DossierLocked
from projects.models import PARTNER_INVITATION_VALIDITY, Partner, PartnerContact, PartnerInvitation, Project

__all__ = [
    "PARTNER_INVITATION_VALIDITY",
    "AccountAlreadyExists",
    "InvitationEmailMismatch",
    "InvitationNotUsable",
    "accept_partner_invitation",
    "accept_partner_invitation_with_new_account",
    "invite_partner_contact",
]


def invite_partner_contact(
    *, partner: Partner, email: str, first_name: str, last_name: str, invited_by
) -> PartnerInvitation:
    """Invite `email` to become the contact of `partner` and fill in its part.

    Side effects: locks the project (DossierLocked when it is no longer editable), deletes
    the pending invitations of the same address to the same partner (their links stop
    working), creates the invitation, writes the activity log, and e-mails the link after
    commit, in the inviter's language."""
    language = language_of(invited_by)
    with transaction.atomic():
        project = Project.objects.select_for_update().get(pk=partner.project_id)
        if not project.is_editable:
            raise DossierLocked(project.state)
        partner = Partner.objects.select_related("organisation").get(pk=partner.pk)
        invitation, replaced = invitations.create_invitation(
            model=PartnerInvitation,
            scope={"partner": partner},
            email=email,
            first_name=first_name,
            last_name=last_name,
            invited_by=invited_by,
        )
        record_activity(
            actor=invited_by,
            verb="project.partner_invited",
            target=project,
            data={"partner": partner.pk, "email": invitation.email, "replaced": replaced},
        )
        with translation.override(language):
            subject, message = _wording(project, partner, inviter=invitations.inviter_name(invited_by))
        invitations.send_invitation_email(invitation=invitation, language=language, subject=subject, message=message)
    return invitation


def _wording(project: Project, partner: Partner, *, inviter: str) -> tuple[str, str]:
    """The subject and the sentence of a partner's invitation, in the active language."""
    organisation = str(partner.organisation)
    values = {
        "inviter": inviter,
        "organisation": organisation,
        "project": project.acronym,
        "project_title": project.title,
    }
    subject = _("Invitation to the project %(project)s on the pole's portal") % values
    if inviter:
        message = (
            _(
                "%(inviter)s invites you to be the contact of %(organisation)s in the project %(project)s "
                "(%(project_title)s) and to fill in its part of the dossier on the pole's portal: role, tasks, "
                "budget and requested aid."
            )
            % values
        )
    else:
        message = (
            _(
                "You are invited to be the contact of %(organisation)s in the project %(project)s "
                "(%(project_title)s) and to fill in its part of the dossier on the pole's portal: role, tasks, "
                "budget and requested aid."
            )
            % values
        )
    return subject, elide_de(message, organisation)


def accept_partner_invitation(*, invitation: PartnerInvitation, user) -> Partner:
    """Make `user` the invited partner's contact for this project only and, while the
    dossier is editable, its shown contact (a deposited dossier is not changed).

    Side effects: those of pole.invitations.accept_invitation (locks the invitation, used
    once, by the invited address only), then creates the PartnerContact (or reuses his
    own), sets the partner's contact, writes the activity log. Creates no members.Person.
    Raises InvitationNotUsable or InvitationEmailMismatch."""
    return invitations.accept_invitation(invitation=invitation, user=user, grant=_make_partner_contact)


def _make_partner_contact(invitation: PartnerInvitation, user) -> Partner:
    project = Project.objects.select_for_update().get(pk=invitation.partner.project_id)
    partner = Partner.objects.select_related("organisation").get(pk=invitation.partner_id)
    contact, _created = PartnerContact.objects.get_or_create(
        partner=partner,
        user=user,
        defaults={
            "first_name": user.first_name or invitation.first_name or invitation.email.split("@")[0],
            "last_name": user.last_name or invitation.last_name,
            "email": invitation.email,
        },
    )
    became_contact = project.is_editable
    if became_contact and partner.project_contact_id != contact.pk:
        partner.contact = None
        partner.project_contact = contact
        partner.save(update_fields=["contact", "project_contact"])
    record_activity(
        actor=user,
        verb="project.partner_invitation_accepted",
        target=project,
        data={
            "partner": partner.pk,
            "email": invitation.email,
            "partner_contact": contact.pk,
            "contact": became_contact,
        },
    )
    return partner


def accept_partner_invitation_with_new_account(
    *, invitation: PartnerInvitation, first_name: str, last_name: str, password: str, language: str = "fr"
) -> tuple[User, Partner]:
    """Create the account of an invited partner's contact who has none, then accept the
    invitation.

    Side effects: those of pole.invitations.accept_invitation_with_new_account (a user
    with a verified address), then those of accept_partner_invitation. Raises
    InvitationNotUsable, or AccountAlreadyExists when an account holds the address."""
    return invitations.accept_invitation_with_new_account(
        invitation=invitation,
        grant=_make_partner_contact,
        first_name=first_name,
        last_name=last_name,
        password=password,
        language=language,
    )
