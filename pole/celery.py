"""The Celery application: queues `default` and `pdf`, reliability settings from
ARCHITECTURE.md §3 rule 3 (read from pole/settings.py under the CELERY_ namespace)."""

import os

from celery import Celery, Task
from kombu import Queue

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pole.settings")

# Errors worth a retry: the database, the broker or the mail server was briefly away.
TRANSIENT_ERRORS = (ConnectionError, TimeoutError, OSError)


class ReliableTask(Task):
    """Base of every task: retried with exponential backoff and jitter on transient
    errors. Tasks must be safe to run twice (late acknowledgement may redeliver)."""

    autoretry_for = TRANSIENT_ERRORS
    retry_backoff = 5
    retry_backoff_max = 10 * 60
    retry_jitter = True
    max_retries = 5


app = Celery("pole", task_cls=ReliableTask)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.task_queues = (Queue("default"), Queue("pdf"))
app.autodiscover_tasks()
