from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PoleConfig(AppConfig):
    name = "pole"
    verbose_name = _("The pole")

    def ready(self):
        from pole import checks  # noqa: F401  (registers the production checks)
