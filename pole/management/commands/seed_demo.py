"""Build the demo pole: `python manage.py seed_demo`.

Each of our apps may provide a `demo` module with `seed(*, stdout, scale)`; they run in
the order of INSTALLED_APPS, which is the order of the layers (pole, members, projects,
labelling, governance), so that this bottom-layer command imports no higher app.
Idempotent: a second run changes no row.
"""

from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings

OUR_APPS = ["pole", "members", "projects", "labelling", "governance"]


class Command(BaseCommand):
    help = "Create or complete the demo pole, its reference data and one demo account per role."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=int, default=1, help="Multiply the volume of demo data (benchmarks).")

    def handle(self, *args, scale, **options):
        # Demo data never e-mails anyone: messages the services send are kept in memory.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            for config in apps.get_app_configs():
                if config.name not in OUR_APPS or find_spec(f"{config.name}.demo") is None:
                    continue
                module = import_module(f"{config.name}.demo")
                with transaction.atomic():
                    module.seed(stdout=self.stdout, scale=scale)
