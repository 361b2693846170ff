"""Generated files (PDFs) through one pattern: a request row, one task, one download page.

Every generated file — the dues notice, the PDF of a deposited dossier, tomorrow's annual
and funder reports — is a `pole.models.GeneratedFile` row: its kind, its parameters (JSON),
its language, who asked, its status (queued → running → done | failed), its file, SHA-256,
page count, error and timings.

- **A kind** is registered once, in the `reports.py` module of the app that owns it (pole's
  AppConfig.ready imports every app's `reports.py`): `register(FileKind(name=…, render=…))`.
  `render(job)` returns the PDF's bytes from `job.parameters` in `job.language`, usually
  with `pole.pdf.render_pdf("reports/<template>.html", context, language=job.language)`.
  A kind that belongs to an object (the dues notice on `Dues.notice`, the dossier on
  `ProjectVersion.pdf`) also gives `store(job, content) -> name`, which saves the bytes on
  its object; other kinds leave `store` out and the file goes to `job.file`. A kind that
  is downloaded through the generic page gives `may_download(user, job)`.
- **One task**, `generate_file(file_id=…)` on the `pdf` queue: it claims the row (running),
  renders, stores, records checksum and pages, and marks it done — or failed, with the
  error, when rendering raises anything but a transient error (those are retried).
  Running it twice does nothing more: a done or failed row is left alone.
- **One request call**, `request_file(FileRequest(…), requested_by=…)`: writes the row in
  the caller's transaction and hands the task to Celery after commit.
- **One download page**, `serve_or_wait(request, …)`: the file as an attachment when it
  is stored; otherwise a page that polls (htmx, every 3 s, in the page's language) and,
  on a full visit, asks for the file when no request exists or hands a lost job (see
  GeneratedFile.looks_lost) to Celery again — once. The view checks who may see the
  object before calling it.

To add the annual report of a later issue: a template `templates/reports/annual_report.html`;
in `governance/reports.py`, `register(FileKind(name="governance.annual_report",
render=render_annual_report, may_download=lambda user, job: <the permission module's rule>))`;
a form view that calls `request_file(FileRequest(kind="governance.annual_report",
parameters={"year": 2026}, language=…), requested_by=request.user)` and redirects to a view
that checks `may_download` and calls `serve_or_wait(request, file=job.file, job=job, …)`;
staff follow the requests (and their errors) in the admin.
"""

import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from celery import shared_task
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from pole.celery import TRANSIENT_ERRORS
from pole.models import GeneratedFile

logger = logging.getLogger(__name__)

Status = GeneratedFile.Status


@dataclass(frozen=True)
class FileKind:
    """What a kind of generated file is: how to render it and, for a file that belongs
    to an object, how to store it there. `filename(job)` names a file kept in `job.file`."""

    name: str
    render: Callable[[GeneratedFile], bytes]
    store: Callable[[GeneratedFile, bytes], str] | None = None
    filename: Callable[[GeneratedFile], str] = lambda job: f"{job.kind.rsplit('.', 1)[-1]}.pdf"
    may_download: Callable[..., bool] = lambda user, job: False


@dataclass(frozen=True)
class FileRequest:
    """What to generate: a registered kind, its parameters (JSON-serialisable), the language
    and the object it is of (`subject`, e.g. "members.dues:42")."""

    kind: str
    parameters: dict = field(default_factory=dict)
    language: str = "fr"
    subject: str = ""


KINDS: dict[str, FileKind] = {}


def register(kind: FileKind) -> FileKind:
    KINDS[kind.name] = kind
    return kind


def kind_of(name: str) -> FileKind:
    try:
        return KINDS[name]
    except KeyError:
        raise LookupError(f"No generated-file kind {name!r}: register it in its app's reports.py") from None


# --- Asking for a file -------------------------------------------------------------------------


def request_file(wanted: FileRequest, *, requested_by=None) -> GeneratedFile:
    """Write the request row and hand its generation to Celery after the current
    transaction commits (a rolled-back action asks for nothing).

    Side effects: one GeneratedFile row, one task on the pdf queue after commit."""
    kind_of(wanted.kind)
    job = GeneratedFile.objects.create(
        kind=wanted.kind,
        subject=wanted.subject,
        parameters=wanted.parameters,
        language=wanted.language,
        requested_by=requested_by if requested_by is not None and requested_by.is_authenticated else None,
    )
    _enqueue_after_commit(job.pk)
    return job


def _enqueue_after_commit(file_id: int) -> None:
    transaction.on_commit(lambda: generate_file.delay(file_id=file_id))


def latest_request(wanted: FileRequest) -> GeneratedFile | None:
    return GeneratedFile.objects.filter(kind=wanted.kind, subject=wanted.subject).first()


def recover_lost_job(wanted: FileRequest, job: GeneratedFile | None, *, requested_by=None) -> bool:
    """For a file the caller did not find: ask for it when no request exists; hand a job
    that looks lost — or is done although its file is missing — to Celery again, once (the
    first visitor's conditional UPDATE of `requeued_at` wins). A failed job is not retried
    here. Returns True when a job was (re)queued."""
    if job is None:
        request_file(wanted, requested_by=requested_by)
        return True
    done = job.status == Status.DONE
    if job.requeued_at is not None or not (done or job.looks_lost()):
        return False
    claimed = GeneratedFile.objects.filter(pk=job.pk, requeued_at__isnull=True, status=job.status).update(
        requeued_at=timezone.now(), status=Status.QUEUED if done else job.status
    )
    if claimed:
        logger.warning("Generated file %s (%s) looked lost: queued again", job.pk, job.kind)
        _enqueue_after_commit(job.pk)
    return bool(claimed)


# --- The task ------------------------------------------------------------------------------------


@shared_task(bind=True)
def generate_file(self, *, file_id: int) -> str:
    """Generate one requested file (routed to the `pdf` queue). Returns its status.

    Claims the row (queued or running → running: a redelivered job whose worker died runs
    again), renders, stores, then marks it done with its checksum and pages. Any error but
    a transient one marks it failed with the error; a transient one is retried. Safe to run
    twice: a done or failed row is left alone."""
    now = timezone.now()
    pending = GeneratedFile.objects.filter(pk=file_id, status__in=[Status.QUEUED, Status.RUNNING])
    if not pending.update(status=Status.RUNNING, started_at=now):
        return GeneratedFile.objects.values_list("status", flat=True).get(pk=file_id)
    job = GeneratedFile.objects.get(pk=file_id)
    try:
        kind = kind_of(job.kind)
        content = kind.render(job)
        name = kind.store(job, content) if kind.store else _store_on_row(job, kind, content)
    except Exception as error:
        if isinstance(error, TRANSIENT_ERRORS) and self.request.retries < self.max_retries:
            raise  # ReliableTask retries it with backoff
        logger.exception("Generated file %s (%s) failed", job.pk, job.kind)
        GeneratedFile.objects.filter(pk=file_id).update(
            status=Status.FAILED, error=f"{type(error).__name__}: {error}"[:2000], finished_at=timezone.now()
        )
        return Status.FAILED
    GeneratedFile.objects.filter(pk=file_id).update(
        status=Status.DONE,
        file=name if not kind.store else "",
        checksum=hashlib.sha256(content).hexdigest(),
        pages=getattr(content, "pages", None),
        error="",
        finished_at=timezone.now(),
    )
    return Status.DONE


def _store_on_row(job: GeneratedFile, kind: FileKind, content: bytes) -> str:
    """Save `content` in the job's own file (private storage), replacing an earlier one."""
    storage = job.file.storage
    if job.file.name:
        storage.delete(job.file.name)
    return storage.save(job.file.field.generate_filename(job, kind.filename(job)), ContentFile(content))


# --- The download page ---------------------------------------------------------------------------


def is_stored(file: FieldFile) -> bool:
    """True when `file` names a file that is in its storage."""
    return bool(file.name) and file.storage.exists(file.name)


def serve_or_wait(
    request,
    *,
    file: FieldFile,
    filename: str,
    wanted: FileRequest | None = None,
    job: GeneratedFile | None = None,
    page: str,
    partial: str,
    context: dict,
    on_download: Callable[[], None] | None = None,
) -> HttpResponse:
    """The download of a generated file, for a view that has already checked that the user
    may see it.

    Stored: the file as an attachment (after `on_download()`, e.g. an activity-log row).
    Not stored: the wait page `page` (which includes `partial`, the part that polls), or
    `partial` alone for htmx's polling. A full visit also asks for the file, or hands a lost
    job to Celery again once (recover_lost_job). The file is either one an object expects
    (`wanted`, its latest request is looked up; None: no file is expected and nothing is
    asked for) or that of a request row (`job`, e.g. a report: `file=job.file`). Both
    templates get `ready`, `job` (the request) and `failed` besides `context`."""
    ready = is_stored(file)
    if job is None and wanted is not None:
        job = latest_request(wanted)
    context = {**context, "ready": ready, "job": job, "failed": not ready and job is not None and job.failed}
    if request.htmx:
        return render(request, partial, context)
    if ready:
        if on_download is not None:
            on_download()
        return FileResponse(file.open("rb"), as_attachment=True, filename=filename, content_type="application/pdf")
    if wanted is not None or job is not None:
        recover_lost_job(wanted or request_of(job), job, requested_by=request.user)
    return render(request, page, context)


def request_of(job: GeneratedFile) -> FileRequest:
    """What `job` asked for."""
    return FileRequest(kind=job.kind, parameters=job.parameters, language=job.language, subject=job.subject)
