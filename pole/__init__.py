"""The cluster itself and the wiring of the portal."""

from pole.celery import app as celery_app

__all__ = ["celery_app"]
