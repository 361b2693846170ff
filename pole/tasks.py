"""Where Celery's autodiscovery (which imports `<app>.tasks`) finds the tasks of the bottom
layer. Each is defined beside the service that schedules it, pretix's way, so that no
service and task module import each other: e-mail delivery in pole/emails.py, the
generation of files (PDFs) in pole/reports.py."""

from pole.emails import deliver_email, send_templated_email
from pole.reports import generate_file

__all__ = ["deliver_email", "generate_file", "send_templated_email"]
