"""A real Celery worker, started as a subprocess against Redis, renders a PDF end to end.

Skipped, with the reason shown in pytest's summary, when Redis is not reachable at
REDIS_URL; .ci/run provides Redis, so it runs in CI."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import redis
from celery import Celery

ROOT = Path(__file__).resolve().parents[2]
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
def worker(tmp_path):
    """A worker consuming the default and pdf queues of a queue prefix of its own."""
    env = {
        **os.environ,
        "REDIS_URL": REDIS_URL,
        "MEDIA_ROOT": str(tmp_path / "media"),
        "PRIVATE_MEDIA_ROOT": str(tmp_path / "private"),
        "DJANGO_SETTINGS_MODULE": "pole.settings",
    }
    log = open(tmp_path / "worker.log", "w+")
    name = f"test-{uuid.uuid4().hex[:8]}@%h"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "pole",
            "worker",
            "--pool",
            "solo",
            "--queues",
            "pdf,default",
            "--hostname",
            name,
            "--without-gossip",
            "--without-mingle",
            "--loglevel",
            "INFO",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    yield tmp_path / "private"
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
    log.seek(0)
    print(log.read()[-3000:])


def test_a_real_worker_renders_the_pdf_task_end_to_end(worker):
    client = Celery(broker=REDIS_URL, backend=REDIS_URL, set_as_current=False)
    context = {
        "pole_name": "Pôle Hydrogène",
        "tagline": "Rapport généré par un vrai worker",
        "domains": ["Électrolyse"],
    }
    result = client.send_task(
        "pole.tasks.render_pdf_document",
        kwargs={"template_name": "reports/pole_sheet.html", "context": context, "path": "worker/sheet.pdf"},
        queue="pdf",
    )
    outcome = result.get(timeout=120)
    assert outcome["path"] == "worker/sheet.pdf"
    content = (worker / "worker" / "sheet.pdf").read_bytes()
    assert content.startswith(b"%PDF-")
    assert outcome["size"] == len(content)

    import hashlib
    import io

    import pypdf

    assert outcome["sha256"] == hashlib.sha256(content).hexdigest()
    text = pypdf.PdfReader(io.BytesIO(content)).pages[0].extract_text()
    assert "Rapport généré par un vrai worker" in text
