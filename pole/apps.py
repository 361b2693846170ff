from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PoleConfig(AppConfig):
    name = "pole"
    verbose_name = _("The pole")

    def ready(self):
        from django.utils.module_loading import autodiscover_modules

        from pole import checks  # noqa: F401  (registers the production checks)

        # Each app's reports.py registers its kinds of generated files (pole.reports).
        autodiscover_modules("reports")
