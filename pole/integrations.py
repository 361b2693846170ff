"""The private APIs of our libraries that the portal and its tests use, wrapped in one
place: an upgrade of django-allauth or Celery that moves one of them touches this file
only (tests/pole/test_integrations.py calls each wrapper).

- allauth's `mfa.totp.internal.auth` and `mfa.recovery_codes.internal.auth`: enrolling an
  account in two-factor authentication without its pages (the demo accounts, the tests'
  staff and experts), and reading an account's recovery codes;
- Celery's `_state`: the process-wide "inside a task" flag that eager tasks toggle.
"""

from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from celery._state import _set_task_join_will_block


def activate_totp(user, secret=None):
    """Enrol `user` in TOTP two-factor authentication with `secret` (a base32 key; a new
    random one by default); returns allauth's TOTP wrapper of the new authenticator."""
    return TOTP.activate(user, secret or generate_totp_secret())


def activate_recovery_codes(user):
    """Give `user` a fresh set of recovery codes; returns allauth's wrapper, whose
    `get_unused_codes()` lists them."""
    return RecoveryCodes.activate(user)


def recovery_codes_of(authenticator):
    """allauth's wrapper of a recovery-codes `Authenticator` (`generate_codes()`,
    `get_unused_codes()`)."""
    return RecoveryCodes(authenticator)


def forget_task_join_will_block():
    """Clear Celery's process-wide "inside a task" flag. Eager tasks set it while they
    run; two threads running eager tasks at once can leave it set, which makes every
    later `.get()` refuse to run."""
    _set_task_join_will_block(False)
