"""Handing work to Celery without letting a broker failure undo or hide a completed action.

Work that must not be lost is first written as a row in the action's own transaction (an
outbox row for an e-mail, a `GeneratedFile` row for a PDF). Handing it to Celery is then only
a wake-up call: `enqueue_after_commit` publishes after the commit and, when the broker is
down or hangs, logs and returns — the page answers normally, the row stays pending, and the
periodic sweep publishes it again once Redis is back.
"""

import logging

from django.db import transaction
from kombu.exceptions import KombuError, OperationalError

logger = logging.getLogger(__name__)

# What publishing raises when Redis refuses, drops or times out the connection.
BROKER_ERRORS = (OperationalError, KombuError, ConnectionError, TimeoutError, OSError)


def enqueue(task, **kwargs) -> bool:
    """Publish `task(**kwargs)` now, once, without the publisher's own retries (they made a
    page wait 19 s on a dead Redis). True when published; False, with a log line, when the
    broker is unreachable: the caller's row stays pending for the sweep."""
    try:
        task.apply_async(kwargs=kwargs, retry=False)
    except BROKER_ERRORS:
        logger.warning("Broker unreachable: %s%r left for the sweep", task.name, kwargs, exc_info=True)
        return False
    return True


def enqueue_after_commit(task, **kwargs) -> None:
    """`enqueue` once the current transaction commits (at once outside a transaction); a
    rolled-back action publishes nothing."""
    transaction.on_commit(lambda: enqueue(task, **kwargs))
