"""Celery tasks of the members app: thin, keyword-only primitive arguments, each calling one
service, each safe to run twice."""

from celery import shared_task

from members.services import dues as dues_services


@shared_task
def generate_dues_notice_pdf(*, dues_id: int) -> str:
    """Render and store the PDF notice of one dues record (routed to the `pdf` queue by
    CELERY_TASK_ROUTES "*.generate_*_pdf"). Running it twice leaves one file."""
    return dues_services.generate_dues_notice(dues_id=dues_id)


@shared_task
def remind_unpaid_dues() -> int:
    """Daily (CELERY_BEAT_SCHEDULE): mark overdue dues and send the reminders that are due."""
    return dues_services.remind_unpaid_dues()
