"""A real Celery worker, started as a subprocess against Redis, generates a production PDF
(the dues notice, through pole.reports) end to end.

Skipped, with the reason shown in pytest's summary, when Redis is not reachable at
REDIS_URL, or when the test database is one another process cannot open (SQLite in
memory: run with DATABASE_URL on PostgreSQL); .ci/run provides both, so it runs in CI."""

import os

import pytest
import redis
from celery import Celery

from tests.pole.faults import CeleryWorker, wait_until

REDIS_URL = os.environ.get("REDIS_URL", "")


def redis_is_up() -> bool:
    if not REDIS_URL:
        return False
    try:
        return redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError:
        return False


def why_no_worker() -> str:
    if not REDIS_URL:
        return "REDIS_URL not set: real-worker test skipped"
    return f"Redis not reachable at REDIS_URL={REDIS_URL!r}: real-worker test skipped"


pytestmark = [pytest.mark.worker, pytest.mark.skipif(not redis_is_up(), reason=why_no_worker())]


@pytest.fixture
def worker(tmp_path, transactional_db, settings):
    """A worker consuming every queue, on the test database; yields the private media folder."""
    process = CeleryWorker(tmp_path / "worker", REDIS_URL).start()
    yield settings.PRIVATE_MEDIA_ROOT
    process.stop()
    print(process.log()[-3000:])


def test_a_real_worker_generates_the_dues_notice_end_to_end(worker):
    import hashlib
    import io
    from datetime import date

    import pypdf

    from members.models import Dues
    from members.services.dues import notice_request
    from pole.models import GeneratedFile, PoleProfile
    from tests.factories import DuesFactory

    PoleProfile.objects.create(name="Pôle Hydrogène", short_name="PH", address="1 rue X", contact_email="a@b.fr")
    dues = DuesFactory(
        membership__organisation__legal_name="Généré par un vrai worker SAS",
        status=Dues.Status.INVOICED,
        invoice_number="2026-00042",
        invoiced_on=date(2026, 1, 15),
        due_date=date(2026, 2, 14),
    )
    wanted = notice_request(dues)  # the request row, as invoicing writes it; the worker does the rest
    job = GeneratedFile.objects.create(
        kind=wanted.kind, subject=wanted.subject, parameters=wanted.parameters, language=wanted.language
    )

    client = Celery(broker=REDIS_URL, backend=REDIS_URL, set_as_current=False)
    client.send_task("pole.reports.generate_file", kwargs={"file_id": job.pk}, queue="pdf")
    wait_until(
        lambda: GeneratedFile.objects.filter(pk=job.pk, status="done").exists(),
        timeout=120,
        what="the worker to generate the notice",
    )

    job.refresh_from_db()
    dues.refresh_from_db()
    assert job.status == "done" and job.started_at and job.finished_at and job.pages == 1
    content = (worker / dues.notice.name).read_bytes()
    assert content.startswith(b"%PDF-")
    assert job.checksum == hashlib.sha256(content).hexdigest()
    text = pypdf.PdfReader(io.BytesIO(content)).pages[0].extract_text()
    assert "Généré par un vrai worker SAS" in text and "2026-00042" in text
