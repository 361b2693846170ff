"""Encrypt the TOTP keys and recovery-code seeds that allauth stored in the clear
(members.mfa.encrypt_secret, called by members.adapters.MFAAdapter since this release).

Reversible: going back decrypts them, so that an older release can read them again.
Both directions skip the values already in the target form, so running either twice is
harmless."""

from django.db import migrations

from members.mfa import ENCRYPTED_PREFIX, decrypt_secret, encrypt_secret

SECRET_KEYS = {"totp": ["secret"], "recovery_codes": ["seed"]}


def _convert(apps, convert, needs_conversion):
    Authenticator = apps.get_model("mfa", "Authenticator")
    for authenticator in Authenticator.objects.filter(type__in=SECRET_KEYS).iterator():
        data = dict(authenticator.data)
        changed = False
        for key in SECRET_KEYS[authenticator.type]:
            if isinstance(data.get(key), str) and needs_conversion(data[key]):
                data[key] = convert(data[key])
                changed = True
        codes = data.get("migrated_codes")
        if isinstance(codes, list):
            data["migrated_codes"] = [convert(code) if needs_conversion(code) else code for code in codes]
            changed = changed or data["migrated_codes"] != codes
        if changed:
            authenticator.data = data
            authenticator.save(update_fields=["data"])


def encrypt_existing_secrets(apps, schema_editor):
    _convert(apps, encrypt_secret, lambda value: not value.startswith(ENCRYPTED_PREFIX))


def decrypt_secrets(apps, schema_editor):
    _convert(apps, decrypt_secret, lambda value: value.startswith(ENCRYPTED_PREFIX))


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0005_bound_typed_numbers"),
        ("mfa", "0003_authenticator_type_uniq"),
    ]

    operations = [migrations.RunPython(encrypt_existing_secrets, decrypt_secrets)]
