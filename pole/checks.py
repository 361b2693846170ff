"""System checks that fail fast when a production setting is missing."""

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security)
def production_settings(app_configs, **kwargs):
    errors = []
    if not settings.DEBUG and settings.SECRET_KEY == settings.DEVELOPMENT_SECRET_KEY:
        errors.append(
            Error(
                "SECRET_KEY is the development key while DEBUG is off.",
                hint="Set a long random SECRET_KEY in the environment.",
                id="pole.E001",
            )
        )
    if not settings.DEBUG and not settings.ALLOWED_HOSTS:
        errors.append(Error("ALLOWED_HOSTS is empty while DEBUG is off.", hint="Set ALLOWED_HOSTS.", id="pole.E002"))
    return errors
