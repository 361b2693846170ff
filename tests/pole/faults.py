"""Real services that fault tests start, break and bring back: a redis-server of the test's
own on a free port (stopped, hung with SIGSTOP, killed, restarted), a Celery worker as a
subprocess (killed with SIGKILL mid-job, restarted), and a URL where nothing listens.

Each helper skips its test, with the reason, when this machine lacks what it needs
(redis-server on the PATH; a test database another process can open)."""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
import redis

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def closed_port_url(db: int = 0) -> str:
    """A Redis URL where nothing listens: every connection is refused at once."""
    return f"redis://127.0.0.1:{free_port()}/{db}"


def wait_until(predicate, timeout: float = 30, every: float = 0.1, what: str = "condition"):
    """Poll `predicate` until it returns something true; fail the test after `timeout` s."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(every)
    pytest.fail(f"Timed out after {timeout} s waiting for {what}")


class RedisServer:
    """A redis-server on a free port, in its own folder, that the test controls."""

    def __init__(self, directory: Path, *, appendonly: bool = False):
        if not shutil.which("redis-server"):
            pytest.skip("redis-server is not on the PATH: fault test skipped")
        self.directory = directory
        self.directory.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.appendonly = appendonly
        self.process = None

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def start(self) -> "RedisServer":
        arguments = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1"]
        arguments += ["--dir", str(self.directory), "--save", "", "--protected-mode", "no"]
        arguments += ["--appendonly", "yes" if self.appendonly else "no"]
        log = open(self.directory / "redis.log", "a")
        self.process = subprocess.Popen(arguments, stdout=log, stderr=subprocess.STDOUT)
        wait_until(self.answers, timeout=10, what=f"redis-server on port {self.port}")
        return self

    def answers(self) -> bool:
        try:
            return redis.Redis(port=self.port, socket_connect_timeout=0.2, socket_timeout=0.2).ping()
        except redis.RedisError:
            return False

    def stop(self) -> None:
        """Stop the server; connections are then refused (the port stays the same)."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGCONT)
            self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)
        self.process = None

    def hang(self) -> None:
        """SIGSTOP: the port accepts connections (the kernel's backlog) but nothing answers."""
        self.process.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        self.process.send_signal(signal.SIGCONT)


@pytest.fixture
def redis_server(tmp_path):
    """A started redis-server of this test's own, stopped at the end whatever happened."""
    server = RedisServer(tmp_path / "redis").start()
    yield server
    server.stop()


def database_url_of_the_test_database() -> str:
    """A DATABASE_URL that opens the test database, for a subprocess; skips when it is in memory."""
    from django.db import connection

    db = connection.settings_dict
    if db["ENGINE"] == "django.db.backends.postgresql":
        credentials = quote(db["USER"] or "") + (f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else "")
        return f"postgres://{credentials}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"
    if "memory" in str(db["NAME"]):
        pytest.skip("The test database is SQLite in memory: a worker cannot open it (use DATABASE_URL)")
    return f"sqlite:///{db['NAME']}"


class CeleryWorker:
    """`celery -A pole worker` as a subprocess on the test database and the given Redis.

    `start()` returns once the worker says it is ready; `kill()` is a SIGKILL (nothing
    acknowledged, nothing cleaned up); `stop()` a warm shutdown; `log()` what it printed."""

    def __init__(self, directory: Path, redis_url: str, *, queues: str = "default,pdf,email", env=None):
        self.directory = directory
        self.directory.mkdir(parents=True, exist_ok=True)
        self.redis_url = redis_url
        self.queues = queues
        self.extra_env = env or {}
        self.process = None
        self.log_path = directory / "worker.log"

    def environment(self) -> dict:
        from django.conf import settings

        return {
            **os.environ,
            "REDIS_URL": self.redis_url,
            "DATABASE_URL": database_url_of_the_test_database(),
            "CONN_MAX_AGE": "0",
            "MEDIA_ROOT": str(settings.MEDIA_ROOT),
            "PRIVATE_MEDIA_ROOT": str(settings.PRIVATE_MEDIA_ROOT),
            "DJANGO_SETTINGS_MODULE": "pole.settings",
            **self.extra_env,
        }

    def start(self, *, wait: bool = True) -> "CeleryWorker":
        arguments = [sys.executable, "-m", "celery", "-A", "pole", "worker", "--pool", "solo"]
        arguments += ["--queues", self.queues, "--hostname", f"test-{uuid.uuid4().hex[:8]}@%h"]
        arguments += ["--without-gossip", "--without-mingle", "--loglevel", "INFO"]
        log = open(self.log_path, "a")
        self.process = subprocess.Popen(
            arguments, cwd=ROOT, env=self.environment(), stdout=log, stderr=subprocess.STDOUT
        )
        if wait:
            wait_until(
                lambda: "ready." in self.log() or self.process.poll() is not None,
                timeout=60,
                what="the Celery worker to be ready",
            )
            if self.process.poll() is not None:
                pytest.fail(f"The worker exited at start:\n{self.log()[-3000:]}")
        return self

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
