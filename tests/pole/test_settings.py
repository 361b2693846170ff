"""One settings module driven by the environment: embedded defaults, or the services named."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROBE = (
    "import json, django; django.setup();"
    "from django.conf import settings; from pole.celery import app;"
    "print(json.dumps({'engine': settings.DATABASES['default']['ENGINE'],"
    " 'name': str(settings.DATABASES['default']['NAME']),"
    " 'eager': app.conf.task_always_eager, 'broker': app.conf.broker_url,"
    " 'cache': settings.CACHES['default']['BACKEND'], 'email': settings.EMAIL_BACKEND,"
    " 'debug': settings.DEBUG}))"
)
VARIABLES = ["DATABASE_URL", "REDIS_URL", "EMAIL_URL", "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "MEDIA_ROOT"]


def probe(**overrides):
    env = {k: v for k, v in os.environ.items() if k not in VARIABLES}
    env.update(overrides, DJANGO_SETTINGS_MODULE="pole.settings", DJANGO_READ_DOT_ENV="0")
    out = subprocess.run([sys.executable, "-c", PROBE], env=env, cwd=ROOT, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_without_environment_the_portal_runs_on_the_embedded_defaults():
    values = probe()
    assert values == {
        "engine": "django.db.backends.sqlite3",
        "name": str(ROOT / "db.sqlite3"),
        "eager": True,
        "broker": "memory://localhost/",
        "cache": "django.core.cache.backends.locmem.LocMemCache",
        "email": "django.core.mail.backends.console.EmailBackend",
        "debug": True,
    }


def test_with_database_and_redis_urls_the_portal_uses_them():
    values = probe(
        DATABASE_URL="postgres://portal@db.internal:5432/pole",
        REDIS_URL="redis://cache.internal:6379/2",
        EMAIL_URL="smtp://mail.internal:25",
    )
    assert values["engine"] == "django.db.backends.postgresql"
    assert values["name"] == "pole"
    assert values["eager"] is False
    assert values["broker"] == "redis://cache.internal:6379/2"
    assert values["cache"] == "django.core.cache.backends.redis.RedisCache"
    assert values["email"] == "django.core.mail.backends.smtp.EmailBackend"


def test_production_refuses_the_development_secret_key():
    env = {k: v for k, v in os.environ.items() if k not in VARIABLES}
    env.update(DEBUG="0", ALLOWED_HOSTS="pole.example", DJANGO_SETTINGS_MODULE="pole.settings", DJANGO_READ_DOT_ENV="0")
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"], env=env, cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "pole.E001" in result.stderr
    assert "Traceback" not in result.stderr
