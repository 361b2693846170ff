"""Invitations by e-mail: one mechanism for every kind of invitee [A3].

An invitation is a row with a secret token, sent by e-mail as a link; it expires
(``validity``, 14 days by default), is used once, and only the account holding the invited
address may accept it. What accepting grants depends on who invites: a colleague's
invitation makes a contact (``members.Person``) of an organisation; a partner's invitation
makes a contact for one project only (``projects.PartnerContact``), never a contact of the
partner's organisation. Expert, funder and other invitations follow the same path.

How to add a kind of invitation (the extension point):

1. the model: subclass ``InvitationBase`` (abstract: e-mail, names, token, inviter, dates,
   ``expires_at``, ``is_usable``), add the foreign key that scopes it (the organisation,
   the partner, the evaluation…), set ``accept_url_name`` to the URL name of its link
   (a URL taking ``token``) and, if accepting fills columns of the row, list them in
   ``accepted_fields``;
2. the services (in the app's ``services``): ``create_invitation`` (it replaces the
   pending invitations of the same address in the same scope) then
   ``send_invitation_email`` with the app's wording (a subject and a sentence, already
   translated in the invitee's language); ``accept_invitation`` and
   ``accept_invitation_with_new_account`` with a ``grant(invitation, user)`` callback: it
   runs in the transaction, with the invitation locked, checked usable and checked to
   belong to ``user``, and gives the user what the invitation grants (writing the
   activity log); the skeleton then marks the invitation accepted;
3. the link's page: subclass ``pole.invitation_views.InvitationView`` (token lookup, the
   page for an unknown, used or expired link, "log in as the invitee", the sign-up form)
   and point ``accept_url_name`` at it.

The e-mail is ``emails/invitation`` (subject, text, HTML), the same for every kind.
"""

import uuid
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models, transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext_lazy as _

from pole.emails import send_email
from pole.links import absolute_url

INVITATION_VALIDITY = timedelta(days=14)


class InvitationNotUsable(Exception):
    """The invitation was already used, has expired, or was replaced by a newer one."""


class InvitationEmailMismatch(Exception):
    """The account accepting the invitation is not the one of the invited e-mail address."""


class AccountAlreadyExists(Exception):
    """An account already exists for the invited address: its owner must log in instead."""


def new_token() -> str:
    """A 64-character secret for an invitation's link."""
    return uuid.uuid4().hex + uuid.uuid4().hex


class InvitationBase(models.Model):
    """What every invitation has: the invited address and names, the token of its link, who
    sent it and when, when it was accepted. Valid ``validity`` after it was sent, used once."""

    validity = INVITATION_VALIDITY
    # The URL name of the invitation's link (a URL taking `token`), e.g. "members:invitation-accept".
    accept_url_name = ""
    # Columns of the row that the app's grant callback fills, saved with `accepted_at`.
    accepted_fields: tuple[str, ...] = ()

    email = models.EmailField(_("e-mail"))
    first_name = models.CharField(_("first name"), max_length=100, blank=True)
    last_name = models.CharField(_("last name"), max_length=100, blank=True)
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("sent"), default=timezone.now)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-created_at"]

    @property
    def expires_at(self):
        return self.created_at + self.validity

    @property
    def is_expired(self) -> bool:
        return timezone.now() >= self.expires_at

    @property
    def is_usable(self) -> bool:
        return self.accepted_at is None and not self.is_expired


# --- Accounts and addresses ---------------------------------------------------------------


def user_has_email(user, email: str) -> bool:
    """True when `email` is the address of `user`'s account or one of his verified addresses."""
    if user.email.lower() == email.lower():
        return True
    return EmailAddress.objects.filter(user=user, email__iexact=email, verified=True).exists()


def account_exists_for(email: str) -> bool:
    return (
        get_user_model().objects.filter(email__iexact=email).exists()
        or EmailAddress.objects.filter(email__iexact=email, verified=True).exists()
    )


def inviter_name(user) -> str:
    """How the e-mail names who sent the invitation ("" when nobody did)."""
    if user is None or not user.is_authenticated:
        return ""
    return user.get_full_name() or user.email


# --- Sending ------------------------------------------------------------------------------


def create_invitation(*, model, scope: dict, email: str, first_name: str, last_name: str, invited_by, **fields):
    """Create an invitation of `model` for `email` in `scope` (e.g. {"organisation": o}),
    replacing the pending invitations of the same address in the same scope (their links
    stop working). Call it inside the caller's transaction. Returns (invitation, number
    of invitations replaced). Side effects: deletes the replaced rows, creates the row."""
    email = email.strip().lower()
    replaced = list(
        model.objects.select_for_update()
        .filter(**scope, email__iexact=email, accepted_at__isnull=True)
        .values_list("pk", flat=True)
    )
    model.objects.filter(pk__in=replaced).delete()
    invitation = model.objects.create(
        **scope,
        **fields,
        email=email,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        invited_by=invited_by if invited_by is not None and invited_by.is_authenticated else None,
    )
    return invitation, len(replaced)


def send_invitation_email(*, invitation: InvitationBase, language: str, subject: str, message: str) -> None:
    """E-mail the invitation's link to the invited address, after commit.

    `subject` and `message` (the sentence saying who invites to what) are the app's
    wording, already in `language`; the greeting, the link and its validity are common.
    Side effects: schedules the e-mail `emails/invitation`."""
    with translation.override(language):
        expires = formats.date_format(timezone.localtime(invitation.expires_at), "SHORT_DATE_FORMAT")
    send_email(
        name="invitation",
        to=[invitation.email],
        language=language,
        context={
            "subject": subject,
            "message": message,
            "first_name": invitation.first_name,
            "accept_url": absolute_url(
                invitation.accept_url_name, language=language, kwargs={"token": invitation.token}
            ),
            "expires": expires,
        },
    )


# --- Accepting ----------------------------------------------------------------------------


def _lock_usable(invitation: InvitationBase) -> InvitationBase:
    locked = type(invitation).objects.select_for_update().get(pk=invitation.pk)
    if not locked.is_usable:
        raise InvitationNotUsable("used or expired")
    return locked


def accept_invitation(*, invitation: InvitationBase, user, grant):
    """Let `user` accept `invitation`: `grant(invitation, user)` gives him what it grants.

    Side effects: locks the invitation (a token is used once, even on two simultaneous
    clicks), checks it is usable and that `user` holds the invited address, calls `grant`
    in the same transaction, marks the invitation accepted (with its `accepted_fields`).
    Returns what `grant` returns. Raises InvitationNotUsable or InvitationEmailMismatch."""
    with transaction.atomic():
        locked = _lock_usable(invitation)
        if not user_has_email(user, locked.email):
            raise InvitationEmailMismatch(locked.email)
        granted = grant(locked, user)
        locked.accepted_at = timezone.now()
        locked.save(update_fields=["accepted_at", *locked.accepted_fields])
    invitation.refresh_from_db()
    return granted


def accept_invitation_with_new_account(
    *, invitation: InvitationBase, grant, first_name: str, last_name: str, password: str, language: str = "fr"
):
    """Create the account of an invitee who has none, then accept the invitation with it.

    The e-mail address counts as verified: the link that reached it proves it. Side
    effects: creates the user and its verified primary EmailAddress, then those of
    accept_invitation. Returns (user, what `grant` returns). Raises InvitationNotUsable,
    or AccountAlreadyExists when an account holds the address (its owner must log in)."""
    supported = {code for code, _name in settings.LANGUAGES}
    with transaction.atomic():
        locked = _lock_usable(invitation)
        if account_exists_for(locked.email):
            raise AccountAlreadyExists(locked.email)
        user = get_user_model().objects.create_user(
            locked.email,
            password,
            first_name=first_name.strip(),
            last_name=last_name.strip(),
            language=language if language in supported else settings.LANGUAGE_CODE,
        )
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
        granted = accept_invitation(invitation=locked, user=user, grant=grant)
    invitation.refresh_from_db()
    return user, granted
