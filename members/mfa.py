"""Who must use two-factor authentication [A2], and whether they have enrolled."""

from allauth.mfa.models import Authenticator
from django.conf import settings

from pole.roles import has_role


def mfa_is_required(user) -> bool:
    """Staff, experts, committee and board members, funders, and every Django-admin user."""
    if not user.is_authenticated:
        return False
    return user.is_staff or user.is_superuser or has_role(user, *settings.MFA_REQUIRED_GROUPS)


def has_enrolled(user) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


# --- Secrets at rest -----------------------------------------------------------------------
# allauth stores the TOTP key and the recovery-code seed in Authenticator.data; its MFA
# adapter (members.adapters.MFAAdapter) encrypts them with these two functions. Fernet
# (AES-128-CBC + HMAC-SHA256, from `cryptography`), keyed by MFA_ENCRYPTION_KEY, or by
# a key derived from SECRET_KEY when that setting is empty. SECRET_KEY_FALLBACKS still
# decrypt, so that rotating SECRET_KEY does not lock anyone out (the next activation
# re-encrypts with the new key). The prefix tells an encrypted value from one written
# before encryption existed, which the data migration members/0005 converts.
ENCRYPTED_PREFIX = "fernet:"


def _fernet_key(secret: str) -> bytes:
    import base64
    import hashlib

    digest = hashlib.sha256(f"pole.mfa-secrets:{secret}".encode()).digest()
    return base64.urlsafe_b64encode(digest)


def _fernet():
    from cryptography.fernet import Fernet, MultiFernet

    if settings.MFA_ENCRYPTION_KEY:
        keys = [settings.MFA_ENCRYPTION_KEY]
    else:
        keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return MultiFernet([Fernet(_fernet_key(key)) for key in keys])


def encrypt_secret(text: str) -> str:
    return ENCRYPTED_PREFIX + _fernet().encrypt(text.encode()).decode("ascii")


def decrypt_secret(stored: str) -> str:
    """The clear secret; a value stored before encryption (no prefix) is returned as is."""
    if not stored.startswith(ENCRYPTED_PREFIX):
        return stored
    return _fernet().decrypt(stored[len(ENCRYPTED_PREFIX) :].encode("ascii")).decode()
