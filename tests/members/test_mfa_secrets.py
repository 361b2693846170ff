"""TOTP keys and recovery-code seeds are encrypted at rest [A2] [A4]; logging in with a
second factor still works, and the migration converts the secrets stored in the clear."""

import importlib

import pyotp
import pytest
from allauth.mfa.models import Authenticator
from cryptography.fernet import InvalidToken
from django.apps import apps as django_apps

from members.mfa import decrypt_secret, encrypt_secret
from pole.integrations import activate_recovery_codes, recovery_codes_of
from tests.conftest import PASSWORD, login

pytestmark = pytest.mark.django_db
migration = importlib.import_module("members.migrations.0006_encrypt_mfa_secrets")


def stored(user, kind):
    return Authenticator.objects.get(user=user, type=kind).data


def test_the_totp_key_is_stored_encrypted_and_login_still_works(client, staff_user, totp_secret):
    secret = stored(staff_user, Authenticator.Type.TOTP)["secret"]
    assert secret.startswith("fernet:")
    assert totp_secret not in secret
    assert decrypt_secret(secret) == totp_secret

    login(client, staff_user, totp_secret)  # password, then the six-digit code

    assert client.get("/fr/my-space/").status_code == 200


def test_a_wrong_code_is_still_refused(client, staff_user, totp_secret):
    client.post("/fr/accounts/login/", {"login": staff_user.email, "password": PASSWORD})
    wrong = str((int(pyotp.TOTP(totp_secret).now()) + 1) % 1_000_000).zfill(6)
    response = client.post("/fr/accounts/2fa/authenticate/", {"code": wrong})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_recovery_codes_are_seeded_encrypted_and_log_in(client, staff_user, totp_secret):
    codes = activate_recovery_codes(staff_user).get_unused_codes()
    assert stored(staff_user, Authenticator.Type.RECOVERY_CODES)["seed"].startswith("fernet:")
    client.post("/fr/accounts/login/", {"login": staff_user.email, "password": PASSWORD})
    response = client.post("/fr/accounts/2fa/authenticate/", {"code": codes[0]})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(staff_user.pk)


def test_the_key_comes_from_the_settings(settings):
    settings.MFA_ENCRYPTION_KEY = "a dedicated key"
    token = encrypt_secret("JBSWY3DPEHPK3PXP")
    assert decrypt_secret(token) == "JBSWY3DPEHPK3PXP"
    settings.MFA_ENCRYPTION_KEY = ""
    with pytest.raises(InvalidToken):
        decrypt_secret(token)


def test_an_old_secret_key_still_decrypts_after_rotation(settings):
    token = encrypt_secret("JBSWY3DPEHPK3PXP")
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-new-secret-key-" + "x" * 40
    assert decrypt_secret(token) == "JBSWY3DPEHPK3PXP"


def test_the_migration_encrypts_clear_secrets_and_back(client, staff_user, totp_secret):
    clear = {"secret": totp_secret}
    Authenticator.objects.filter(user=staff_user, type=Authenticator.Type.TOTP).update(data=clear)
    seeded = activate_recovery_codes(staff_user)
    codes = seeded.generate_codes()
    Authenticator.objects.filter(pk=seeded.instance.pk).update(
        data={"seed": decrypt_secret(seeded.instance.data["seed"]), "used_mask": 0, "migrated_codes": ["123456"]}
    )

    migration.encrypt_existing_secrets(django_apps, None)
    migration.encrypt_existing_secrets(django_apps, None)  # a second run changes nothing

    totp = stored(staff_user, Authenticator.Type.TOTP)
    recovery = stored(staff_user, Authenticator.Type.RECOVERY_CODES)
    assert totp["secret"].startswith("fernet:") and decrypt_secret(totp["secret"]) == totp_secret
    assert recovery["seed"].startswith("fernet:") and recovery["used_mask"] == 0
    assert [decrypt_secret(code) for code in recovery["migrated_codes"]] == ["123456"]
    login(client, staff_user, totp_secret)

    migration.decrypt_secrets(django_apps, None)

    assert stored(staff_user, Authenticator.Type.TOTP) == clear
    recovery = stored(staff_user, Authenticator.Type.RECOVERY_CODES)
    assert recovery["migrated_codes"] == ["123456"]
    del recovery["migrated_codes"]
    assert recovery_codes_of(Authenticator(data=recovery)).generate_codes() == codes
