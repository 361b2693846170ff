"""The wrappers of pole/integrations.py still reach the private APIs of allauth and
Celery they wrap: an upgrade that moves one fails here, in one place."""

import pyotp
import pytest
from allauth.mfa.models import Authenticator
from celery import _state

from pole.integrations import (
    activate_recovery_codes,
    activate_totp,
    forget_task_join_will_block,
    recovery_codes_of,
)
from tests.conftest import make_user


@pytest.mark.django_db
def test_enrolment_in_two_factor_authentication(django_user_model):
    user = make_user(django_user_model, "someone@example.com")
    secret = pyotp.random_base32()
    activate_totp(user, secret)
    activate_totp(make_user(django_user_model, "other@example.com"))  # a random secret
    codes = activate_recovery_codes(user).get_unused_codes()

    assert Authenticator.objects.filter(type=Authenticator.Type.TOTP).count() == 2
    recovery = Authenticator.objects.get(user=user, type=Authenticator.Type.RECOVERY_CODES)
    assert len(codes) >= 8 and recovery_codes_of(recovery).get_unused_codes() == codes


def test_the_inside_a_task_flag_is_cleared():
    _state._set_task_join_will_block(True)
    forget_task_join_will_block()
    assert _state.task_join_will_block() is False
