"""Generated files through pole/reports.py: a lost job is handed to Celery again once, a
failed generation is recorded and shown, the polling never asks for anything."""

from datetime import date, timedelta

import pytest
from celery.exceptions import Retry
from django.utils import timezone

from members.models import Dues
from members.services.dues import notice_request
from pole.models import GeneratedFile
from pole.reports import KINDS, FileKind, FileRequest, generate_file, register, request_file, serve_or_wait
from tests.conftest import login
from tests.factories import DuesFactory, OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db

Status = GeneratedFile.Status


@pytest.fixture
def dues(member_user):
    organisation = OrganisationFactory(legal_name="Acme Hydrogène")
    PersonFactory(organisation=organisation, user=member_user, email=member_user.email)
    return DuesFactory(
        membership__organisation=organisation,
        status=Dues.Status.INVOICED,
        invoice_number="2026-00001",
        invoiced_on=date(2026, 1, 15),
        due_date=date(2026, 2, 14),
    )


@pytest.fixture
def enqueued(monkeypatch):
    """The ids handed to Celery, instead of running the task."""
    calls = []
    monkeypatch.setattr(generate_file, "delay", lambda *, file_id: calls.append(file_id))
    return calls


def job_for(dues, **fields) -> GeneratedFile:
    wanted = notice_request(dues)
    return GeneratedFile.objects.create(
        kind=wanted.kind, subject=wanted.subject, parameters=wanted.parameters, language=wanted.language, **fields
    )


def notice_url(dues) -> str:
    return f"/en/members/dues/{dues.pk}/notice/"


def test_a_lost_job_is_handed_to_celery_again_once(
    client, member_user, dues, enqueued, django_capture_on_commit_callbacks, settings
):
    settings.GENERATED_FILE_LOST_AFTER = 5 * 60
    job = job_for(dues, requested_at=timezone.now() - timedelta(minutes=6))  # its task never ran
    login(client, member_user)

    polled = client.get(notice_url(dues), headers={"HX-Request": "true"})
    assert "every 3s" in polled.content.decode() and enqueued == []  # polling never asks

    with django_capture_on_commit_callbacks(execute=True):
        first = client.get(notice_url(dues))
        second = client.get(notice_url(dues))
    assert first.status_code == second.status_code == 200
    assert 'hx-trigger="every 3s"' in second.content.decode()
    assert enqueued == [job.pk]  # once, not once per visit
    job.refresh_from_db()
    assert job.requeued_at is not None and job.status == Status.QUEUED
    assert GeneratedFile.objects.count() == 1

    # The job handed over again runs: the notice is there, and the page offers it.
    generate_file.run(file_id=job.pk)
    job.refresh_from_db()
    assert job.status == Status.DONE and job.pages == 1
    response = client.get(notice_url(dues))
    assert response["Content-Type"] == "application/pdf"


def test_a_recent_job_is_waited_for_and_a_missing_one_is_asked_for(
    client, member_user, dues, enqueued, django_capture_on_commit_callbacks
):
    login(client, member_user)
    with django_capture_on_commit_callbacks(execute=True):
        client.get(notice_url(dues))  # no request yet: one is written and queued
    job = GeneratedFile.objects.get()
    assert enqueued == [job.pk]
    assert (job.kind, job.subject, job.parameters, job.requested_by) == (
        "members.dues_notice",
        f"members.dues_notice:{dues.pk}",
        {"dues_id": dues.pk},
        member_user,
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.get(notice_url(dues))  # queued a moment ago: not lost
    assert enqueued == [job.pk] and GeneratedFile.objects.count() == 1


def test_a_notice_whose_file_went_missing_is_generated_again_once(
    client, member_user, dues, enqueued, django_capture_on_commit_callbacks
):
    job = job_for(dues, status=Status.DONE, finished_at=timezone.now())  # but dues.notice is empty
    login(client, member_user)
    with django_capture_on_commit_callbacks(execute=True):
        client.get(notice_url(dues))
        client.get(notice_url(dues))
    assert enqueued == [job.pk]
    job.refresh_from_db()
    assert job.status == Status.QUEUED and job.requeued_at is not None


def test_a_running_job_looks_lost_only_after_the_time_limit(dues, settings):
    now = timezone.now()
    job = job_for(dues, status=Status.RUNNING, started_at=now - timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT))
    assert not job.looks_lost(now=now)
    assert job.looks_lost(now=now + timedelta(minutes=2))
    assert not job_for(dues, status=Status.DONE, requested_at=now - timedelta(days=1)).looks_lost(now=now)


def test_a_failed_generation_is_recorded_shown_and_not_retried_by_visits(
    client, member_user, dues, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(**kwargs):
        raise ValueError("the template is broken")

    monkeypatch.setattr("members.services.dues.render_dues_notice", broken)
    with django_capture_on_commit_callbacks(execute=True):
        job = request_file(notice_request(dues))
    job.refresh_from_db()
    assert job.status == Status.FAILED
    assert job.error == "ValueError: the template is broken"
    assert job.finished_at and not job.checksum
    dues.refresh_from_db()
    assert not dues.notice.name

    login(client, member_user)
    with django_capture_on_commit_callbacks(execute=True):
        page = client.get(notice_url(dues))
    content = page.content.decode()
    assert page.status_code == 200
    assert "The notice could not be generated" in content
    assert "every 3s" not in content  # nothing to wait for
    assert GeneratedFile.objects.count() == 1  # the visit asked for nothing

    # Run again (a redelivery), a failed job is left alone.
    assert generate_file.delay(file_id=job.pk).get() == Status.FAILED


def test_a_transient_error_is_retried_then_recorded(dues, monkeypatch):
    def flaky(**kwargs):
        raise ConnectionError("the storage is away")

    monkeypatch.setattr("members.services.dues.render_dues_notice", flaky)
    job = job_for(dues)
    with pytest.raises((Retry, ConnectionError)):  # handed back to Celery for a retry
        generate_file.apply(kwargs={"file_id": job.pk})
    job.refresh_from_db()
    assert job.status == Status.RUNNING

    last_try = generate_file.apply(kwargs={"file_id": job.pk}, retries=generate_file.max_retries)
    assert last_try.get() == Status.FAILED
    job.refresh_from_db()
    assert job.status == Status.FAILED and job.error == "ConnectionError: the storage is away"


def test_an_unknown_kind_is_refused():
    with pytest.raises(LookupError):
        request_file(FileRequest(kind="governance.annual_report"))
    assert not GeneratedFile.objects.exists()


@pytest.fixture
def row_kind():
    """A kind kept on its request row, as the reports of a later issue will be."""
    kind = register(FileKind(name="tests.row", render=lambda job: b"%PDF-1.7 " + job.language.encode()))
    yield kind
    del KINDS[kind.name]


def test_a_file_kept_on_its_request_row_is_served_by_the_same_helper(
    rf, member_user, row_kind, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = request_file(FileRequest(kind="tests.row", language="en"), requested_by=member_user)
    job.refresh_from_db()
    assert job.status == Status.DONE and job.file.name.endswith("-row.pdf") and job.pages is None
    request = rf.get("/report/")
    request.user, request.htmx = member_user, False
    response = serve_or_wait(request, file=job.file, filename="report.pdf", job=job, page="", partial="", context={})
    assert response["Content-Disposition"] == 'attachment; filename="report.pdf"'
    assert b"".join(response.streaming_content) == b"%PDF-1.7 en"
