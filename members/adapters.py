"""allauth adapters: our e-mail helper for allauth's messages, the user's language."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from django.utils.translation import get_language

from members.mfa import decrypt_secret, encrypt_secret, mfa_is_required
from pole.emails import deliver_later
from pole.links import portal_language


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix, email, context):
        """Render allauth's message in the request's language, then hand it to a task
        (after commit) instead of talking to the mail server inside the request."""
        message = self.render_mail(template_prefix, email, context)
        deliver_later(message)

    def save_user(self, request, user, form, commit=True):
        user.language = portal_language(get_language())
        return super().save_user(request, user, form, commit=commit)


class MFAAdapter(DefaultMFAAdapter):
    def can_delete_authenticator(self, authenticator) -> bool:
        """A user whose role requires two-factor authentication cannot switch it off."""
        if mfa_is_required(authenticator.user):
            return False
        return super().can_delete_authenticator(authenticator)

    def encrypt(self, text: str) -> str:
        """TOTP keys and recovery-code seeds are stored encrypted (members/mfa.py)."""
        return encrypt_secret(text)

    def decrypt(self, encrypted_text: str) -> str:
        return decrypt_secret(encrypted_text)
