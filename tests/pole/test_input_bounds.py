"""Numbers out of their column's range, and negative amounts, get a message on every
database — never a 500 from PostgreSQL — and nothing is saved (pole.bounds)."""

import pytest
from django.apps import apps
from django.core.files.storage import FileSystemStorage
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from members.models import MembershipDocument, Organisation
from pole.bounds import MAX_INTEGER, MAX_SMALL_INTEGER
from tests.conftest import login
from tests.members.test_applications import application
from tests.members.test_space import make_contact, profile_data

pytestmark = pytest.mark.django_db

TOO_BIG = {
    "fr": "Assurez-vous que cette valeur est inférieure ou égale à 2147483647.",
    "en": "Ensure this value is less than or equal to 2147483647.",
}
NEGATIVE = {
    "fr": "Assurez-vous que cette valeur est supérieure ou égale à 0.",
    "en": "Ensure this value is greater than or equal to 0.",
}


@pytest.fixture(autouse=True)
def private_files(tmp_path, monkeypatch):
    field = MembershipDocument._meta.get_field("file")
    monkeypatch.setattr(field, "storage", FileSystemStorage(location=tmp_path / "private"))


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize(
    ("field", "value", "messages"),
    [("headcount", "2147483648", TOO_BIG), ("turnover", "-1", NEGATIVE), ("balance_sheet", "-10", NEGATIVE)],
)
def test_the_join_form_refuses_numbers_out_of_range(client, language, field, value, messages):
    response = client.post(f"/{language}/members/join/", application(**{field: value}))
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [messages[language]]
    assert messages[language] in response.content.decode()
    assert Organisation.objects.count() == 0


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize(
    ("field", "value", "messages"),
    [
        ("headcount", "2147483648", TOO_BIG),
        ("headcount", "99999999999999999999", TOO_BIG),
        ("turnover", "-1", NEGATIVE),
    ],
)
def test_the_profile_form_refuses_numbers_out_of_range(client, member_user, language, field, value, messages):
    organisation = Organisation.objects.create(legal_name="Acme", kind="company", city="Lyon", headcount=12)
    make_contact(member_user, organisation)
    login(client, member_user)
    response = client.post(
        f"/{language}/members/my-organisation/{organisation.slug}/profile/",
        profile_data(organisation, **{field: value}),
    )
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [messages[language]]
    organisation.refresh_from_db()
    assert organisation.headcount == 12 and organisation.turnover is None


# Integer columns no form writes: set by the code, never typed.
SET_BY_CODE = {
    "pole.GeneratedFile.pages",
    "members.MembershipDocument.size",
    "projects.ProjectDocument.size",
    "pole.StrategicDomain.position",
    "members.DuesRate.year",  # from the URL, bounded by members.forms.dues.MIN_YEAR/MAX_YEAR
    "members.Dues.year",
    "members.Dues.reminders_sent",
    "projects.Project.version",
    "projects.ProjectDocument.version",
    "projects.ProjectDocument.withdrawn_in_version",
    "projects.ProjectVersion.number",
}
RANGES = {
    "PositiveIntegerField": (0, MAX_INTEGER),
    "IntegerField": (-MAX_INTEGER - 1, MAX_INTEGER),
    "PositiveSmallIntegerField": (0, MAX_SMALL_INTEGER),
    "SmallIntegerField": (-MAX_SMALL_INTEGER - 1, MAX_SMALL_INTEGER),
}


def test_every_typed_integer_column_declares_its_postgresql_bounds():
    """A new integer column must declare pole.bounds' validators (or be listed as set by
    the code): SQLite would store what PostgreSQL refuses with a 500."""
    unbounded = []
    for model in apps.get_models():
        if model._meta.app_label not in {"pole", "members", "projects", "labelling", "governance"}:
            continue
        if model.__name__.startswith("Historical"):
            continue
        for field in model._meta.concrete_fields:
            internal = field.get_internal_type()
            if internal not in RANGES or not field.editable or isinstance(field, models.AutoField):
                continue
            name = f"{model._meta.app_label}.{model.__name__}.{field.name}"
            if name in SET_BY_CODE:
                continue
            low, high = RANGES[internal]
            explicit = field._validators
            maximum = [v.limit_value for v in explicit if isinstance(v, MaxValueValidator)]
            minimum = [v.limit_value for v in explicit if isinstance(v, MinValueValidator)]
            if not maximum or max(maximum) > high or (minimum and min(minimum) < low):
                unbounded.append(name)
    assert unbounded == [], unbounded
