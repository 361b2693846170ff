"""The Celery application's queues and reliability settings (ARCHITECTURE.md §3 rule 3)."""

from pole.celery import app


def test_pdf_tasks_are_routed_to_the_pdf_queue():
    assert app.amqp.router.route({}, "pole.reports.generate_file")["queue"].name == "pdf"
    assert app.amqp.router.route({}, "pole.tasks.send_templated_email")["queue"].name == "default"
    # The e-mail tasks, now defined in pole/emails.py, keep their registered names.
    assert {"pole.tasks.send_templated_email", "pole.tasks.deliver_email"} <= set(app.tasks)


def test_reliability_settings():
    assert app.conf.task_acks_late is True
    assert app.conf.task_reject_on_worker_lost is True
    assert app.conf.worker_prefetch_multiplier == 1
    assert app.conf.broker_transport_options["visibility_timeout"] > app.conf.task_time_limit
    task = app.tasks["pole.reports.generate_file"]
    assert task.acks_late is True
    assert ConnectionError in task.autoretry_for
    assert task.retry_jitter is True and task.retry_backoff
