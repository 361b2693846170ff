"""`manage.py seed_demo` builds the demo pole and is idempotent."""

import io

import pytest
from allauth.mfa.models import Authenticator
from django.apps import apps
from django.core.management import call_command

from members.models import User
from pole.models import FundingScheme, OtherCluster, PoleProfile, StrategicDomain

pytestmark = pytest.mark.django_db


def snapshot():
    rows = {}
    for model in apps.get_models():
        if model._meta.app_label in {"pole", "members", "auth", "account", "mfa"} and model._meta.managed:
            rows[model._meta.label] = sorted(
                map(str, model.objects.values_list(*[f.attname for f in model._meta.concrete_fields]))
            )
    return rows


def test_seed_demo_builds_the_pole_and_a_second_run_changes_nothing():
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert PoleProfile.objects.count() == 1
    assert StrategicDomain.objects.count() == 6
    assert FundingScheme.objects.get(code="fui").name_en == "Single Inter-ministerial Fund (FUI)"
    assert OtherCluster.objects.count() == 71
    emails = set(User.objects.values_list("email", flat=True))
    assert {
        "staff@demo.example",
        "expert@demo.example",
        "committee@demo.example",
        "board@demo.example",
        "funder@demo.example",
        "member@demo.example",
    } <= emails
    assert all(email.endswith("@demo.example") for email in emails)
    staff = User.objects.get(email="staff@demo.example")
    assert staff.check_password("demo-pole-2026")
    assert Authenticator.objects.filter(user=staff, type="totp").exists()
    assert not Authenticator.objects.filter(user__email="member@demo.example").exists()
    printed = out.getvalue()
    secret = Authenticator.objects.get(user=staff, type="totp")
    from allauth.mfa.utils import decrypt

    assert decrypt(secret.data["secret"]) in printed

    before = snapshot()
    call_command("seed_demo", stdout=io.StringIO())
    assert snapshot() == before


def test_the_login_page_lists_the_demo_accounts_only_in_debug(client, settings):
    call_command("seed_demo", stdout=io.StringIO())
    settings.DEBUG = True
    assert "staff@demo.example" in client.get("/fr/accounts/login/").content.decode()
    settings.DEBUG = False
    assert "staff@demo.example" not in client.get("/fr/accounts/login/").content.decode()
