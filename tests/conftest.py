"""The cast of the test suite and the settings every test runs with."""

from collections import Counter
from pathlib import Path

import pyotp
import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.test import override_settings

from pole import roles
from pole.celery import app as celery_app
from pole.integrations import activate_totp, forget_task_join_will_block

PASSWORD = "correct-horse-battery-staple"
E2E = Path(__file__).resolve().parent / "e2e"


def pytest_collection_modifyitems(config, items):
    """The browser tests (tests/e2e) are marked `e2e` and run last: Playwright, once
    started, makes Django see an event loop in the main thread until the last of them."""
    for item in items:
        if E2E in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.e2e)
    items.sort(key=lambda item: item.get_closest_marker("e2e") is not None)


def pytest_terminal_summary(terminalreporter):
    """Say what this machine did not run, and why, one line per reason (`-ra` lists each
    test): no Chromium, no Redis, no PostgreSQL."""
    reasons = Counter(
        report.longrepr[2].removeprefix("Skipped: ")
        for report in terminalreporter.stats.get("skipped", [])
        if isinstance(report.longrepr, tuple)
    )
    if reasons:
        terminalreporter.section("skipped on this machine")
        for reason, count in reasons.most_common():
            terminalreporter.line(f"{count} test{'s' if count > 1 else ''}: {reason}")


@pytest.fixture(scope="session", autouse=True)
def _fast_password_hasher():
    """MD5 instead of PBKDF2 in tests: hashing a password then costs microseconds, not a
    quarter of a second (production settings are untouched)."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(autouse=True)
def _isolated_environment(settings, tmp_path):
    """Tasks run eagerly (the real-worker test switches this off for itself), uploaded and
    generated files go to a temporary folder, and no rate-limit counter or cache entry
    leaks from one test to the next."""
    celery_app.conf.task_always_eager = True
    celery_app.conf.task_eager_propagates = True
    # Two threads running eager tasks at once (the concurrency tests) can leave Celery's
    # "inside a task" flag set.
    forget_task_join_will_block()
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    cache.clear()
    yield
    cache.clear()


def make_user(django_user_model, email, *, group=None, verified=True, totp_secret=None, **extra):
    user = django_user_model.objects.create_user(email, PASSWORD, **extra)
    EmailAddress.objects.create(user=user, email=email, verified=verified, primary=True)
    if group:
        # get_or_create: browser tests flush the database, role groups included
        user.groups.add(Group.objects.get_or_create(name=group)[0])
    if totp_secret:
        activate_totp(user, totp_secret)
    return user


@pytest.fixture
def totp_secret():
    return pyotp.random_base32()


@pytest.fixture
def member_user(django_user_model):
    return make_user(django_user_model, "contact@acme.example", first_name="Alice", last_name="Martin")


@pytest.fixture
def other_member_user(django_user_model):
    return make_user(django_user_model, "contact@other.example", first_name="Bruno", last_name="Leroy")


@pytest.fixture
def staff_user(django_user_model, totp_secret):
    return make_user(django_user_model, "staff@pole.example", group=roles.STAFF, is_staff=True, totp_secret=totp_secret)


@pytest.fixture
def expert_user(django_user_model, totp_secret):
    return make_user(django_user_model, "expert@lab.example", group=roles.EXPERT, totp_secret=totp_secret)


@pytest.fixture
def funder_user(django_user_model, totp_secret):
    return make_user(django_user_model, "officer@region.example", group=roles.FUNDER, totp_secret=totp_secret)


def login(client, user, secret=None):
    """Log `user` in through allauth's real pages (password, then TOTP when enrolled)."""
    response = client.post("/fr/accounts/login/", {"login": user.email, "password": PASSWORD})
    if secret is not None:
        assert response.status_code == 302 and response["Location"] == "/fr/accounts/2fa/authenticate/"
        response = client.post("/fr/accounts/2fa/authenticate/", {"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 302, response.content.decode()[:2000]
    return response
