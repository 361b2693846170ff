"""Celery tasks of the projects app: thin, keyword-only primitive arguments, each calling one
service, each safe to run twice."""

from celery import shared_task

from projects.services import deposit


@shared_task
def generate_dossier_pdf(*, version_id: int) -> str:
    """Render and store the PDF of one deposited version of a dossier (routed to the `pdf`
    queue by CELERY_TASK_ROUTES "*.generate_*_pdf"). Running it twice leaves one file, and
    an existing PDF is never changed."""
    return deposit.store_dossier_pdf(version_id=version_id)
