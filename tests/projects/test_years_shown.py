"""Years are shown as "2027", never grouped as a number ("2 027" in French, "2,027" in
English) in filters, tables and headings [issue 9]."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import translation

from projects.models import ProjectState
from tests.conftest import login
from tests.factories import CallFactory, DuesFactory, MembershipFactory, ProjectFactory

pytestmark = pytest.mark.django_db

GROUPED_YEAR = re.compile(r"\b2[\u00a0\u202f ,.]0\d\d\b")
PAGES = [
    ("projects:labelled", {}),
    ("projects:staff-projects", {}),
    ("projects:my-projects", {}),
    ("projects:calls", {}),
    ("projects:staff-calls", {}),
    ("members:staff-dues", {}),
    ("members:staff-members", {}),
    ("members:staff-dues-scale", {"year": 2027}),
    ("projects:call-detail", {"code": "fui-2027"}),
]


@pytest.fixture
def data_of_2027():
    deadline = datetime(2027, 3, 1, 12, tzinfo=ZoneInfo("Europe/Paris"))
    call = CallFactory(
        code="fui-2027", opens_at=datetime(2026, 1, 1, tzinfo=ZoneInfo("Europe/Paris")), deadline=deadline
    )
    project = ProjectFactory(acronym="YEARLY", call=call, state=ProjectState.LABELLED, public_consent=True)
    DuesFactory(membership=MembershipFactory(), year=2027)
    return {"call": call, "project": project}


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("name, kwargs", PAGES)
def test_no_page_groups_the_digits_of_a_year(client, staff_user, totp_secret, data_of_2027, language, name, kwargs):
    login(client, staff_user, totp_secret)
    with translation.override(language):
        path = reverse(name, kwargs=kwargs or None)
    response = client.get(path, {"year": "2027"})
    assert response.status_code == 200
    html = response.content.decode()
    assert GROUPED_YEAR.findall(html) == []


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_year_filter_lists_years_as_written(client, data_of_2027, language):
    with translation.override(language):
        html = client.get(reverse("projects:labelled")).content.decode()
    assert re.search(r'<option value="2027">2027</option>', html)
