"""Calls for projects [L1] [P4]: the public list and page, the staff pages that create and
edit calls (bad input kept, dates in Paris time), who may use them, and their query counts."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.html import escape

from pole.models import ActivityLog
from projects.models import Call, DocumentKind, ProjectKind
from projects.services.calls import save_call
from tests.conftest import login
from tests.factories import CallFactory, ProjectFactory, funding_scheme

pytestmark = pytest.mark.django_db

LIST_URL = "/fr/projects/calls/"
STAFF_URL = "/fr/projects/staff/calls/"
CREATE_URL = "/fr/projects/staff/calls/new/"


def edit_url(call):
    return f"/fr/projects/staff/calls/{call.code}/edit/"


def open_call(**kwargs):
    return CallFactory(**kwargs)


def upcoming_call(**kwargs):
    now = timezone.now()
    return CallFactory(**{"opens_at": now + timedelta(days=10), "deadline": now + timedelta(days=60), **kwargs})


def past_call(**kwargs):
    now = timezone.now()
    return CallFactory(**{"opens_at": now - timedelta(days=90), "deadline": now - timedelta(days=10), **kwargs})


def valid_data(**overrides):
    data = {
        "code": "fui-2027",
        "title_fr": "Appel FUI 2027",
        "title_en": "FUI call 2027",
        "description_fr": "Projets collaboratifs de R&D.",
        "description_en": "Collaborative R&D projects.",
        "funding_scheme": funding_scheme().pk,
        "allowed_kinds": ["rd", "platform"],
        "opens_at": "2027-01-10T09:00",
        "deadline": "2027-03-31T12:00",
        "is_published": "on",
        "min_companies": "2",
        "min_research_or_training": "1",
        "lead_must_be_company": "on",
        "max_partner_share": "70",
        "research_aid_warning_share": "40",
        "budget_floor": "1 000 000",
        "budget_ceiling": "4000000,00",
        "required_document_kinds": ["technical_annex", "consortium_agreement"],
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


# --- public list -----------------------------------------------------------------------------


def test_public_list_shows_published_open_and_upcoming_calls_and_past_ones_apart(client):
    open_ = open_call(title_fr="Appel ouvert")
    upcoming = upcoming_call(title_fr="Appel à venir")
    past = past_call(title_fr="Appel passé")
    hidden_open = open_call(title_fr="Appel brouillon ouvert", is_published=False)
    hidden_upcoming = upcoming_call(title_fr="Appel brouillon à venir", is_published=False)
    hidden_past = past_call(title_fr="Appel brouillon passé", is_published=False)

    response = client.get(LIST_URL)
    html = response.content.decode()

    assert response.status_code == 200
    assert [c.pk for c in response.context["open_calls"]] == [open_.pk]
    assert [c.pk for c in response.context["upcoming_calls"]] == [upcoming.pk]
    assert [c.pk for c in response.context["past_calls"]] == [past.pk]
    for call in (hidden_open, hidden_upcoming, hidden_past):
        assert call.title_fr not in html
    # past calls sit in their own collapsed section
    past_section = html[html.index('id="past-calls-title"') :]
    assert "Appel passé" in past_section and "<details>" in past_section
    assert "Appel passé" not in html[: html.index('id="past-calls-title"')]


def test_public_list_in_english_uses_english_titles(client):
    open_call(title_fr="Appel ouvert", title_en="Open call")

    html = client.get("/en/projects/calls/").content.decode()

    assert "Open call" in html
    assert "Appel ouvert" not in html


def test_dates_are_shown_in_paris_time_the_french_way(client):
    # 11:00 UTC in January is 12:00 in Paris; 10:00 UTC in July is 12:00 in Paris too.
    CallFactory(
        title_fr="Appel daté",
        opens_at=datetime(2026, 7, 1, 10, 0, tzinfo=UTC),
        deadline=datetime(2027, 1, 15, 11, 0, tzinfo=UTC),
    )

    html = client.get(LIST_URL).content.decode()

    assert '<time datetime="2027-01-15T12:00:00+01:00">15 janvier 2027' in html
    assert '<time datetime="2026-07-01T12:00:00+02:00">1 juillet 2026' in html
    assert "12:00" in html and "11:00" not in html


def test_past_calls_are_paged(client):
    for n in range(12):
        past_call(title_fr=f"Ancien appel {n:02d}", deadline=timezone.now() - timedelta(days=10 + n))

    first = client.get(LIST_URL)
    second = client.get(LIST_URL + "?page=2")

    assert len(first.context["past_calls"]) == 10
    assert [c.title_fr for c in second.context["past_calls"]] == ["Ancien appel 10", "Ancien appel 11"]
    assert "<details open>" in second.content.decode()


@pytest.mark.parametrize("count", [1, 20])
def test_public_list_query_count_is_constant(client, django_assert_num_queries, count):
    for _ in range(count):  # `count` calls in each section
        open_call(), upcoming_call(), past_call()
    # the request's savepoint and its release, open calls, upcoming calls, past calls count and page,
    # pole profile
    with django_assert_num_queries(7):
        response = client.get(LIST_URL)
    assert len(response.context["open_calls"]) == count
    assert len(response.context["past_calls"]) == min(count, 10)


# --- public page -------------------------------------------------------------------------------


def test_call_page_shows_description_scheme_kinds_calendar_and_rules(client):
    call = open_call(
        title_fr="Appel FUI 2026",
        description_fr="Des projets collaboratifs.",
        allowed_kinds=["rd"],
        min_companies=2,
        min_research_or_training=1,
        max_partner_share=Decimal("70"),
        budget_floor=Decimal("1000000"),
        budget_ceiling=Decimal("4000000"),
        required_document_kinds=["technical_annex"],
    )

    response = client.get(f"/fr/projects/calls/{call.code}/")
    html = response.content.decode()

    assert response.status_code == 200
    assert "Des projets collaboratifs." in html
    assert "Fonds unique interministériel (FUI)" in html
    with translation.override("fr"):
        assert escape(str(ProjectKind.RD.label)) in html
        assert escape(str(ProjectKind.PLATFORM.label)) not in html
        assert escape(str(DocumentKind.TECHNICAL_ANNEX.label)) in html
    # companies, research bodies, lead, maximum share, research aid, budget range, documents
    assert len(response.context["rules"]) == 7
    assert all(escape(str(rule)) in html for rule in response.context["rules"])
    assert "70,00\u00a0%" in html
    assert "1\u202f000\u202f000,00\u00a0€" in html and "4\u202f000\u202f000,00\u00a0€" in html


def test_call_page_links_to_project_creation_with_the_call_code_while_open(client, member_user):
    from tests.factories import MembershipFactory, PersonFactory

    PersonFactory(user=member_user, organisation=MembershipFactory().organisation, email=member_user.email)
    login(client, member_user)
    call = open_call()
    html = client.get(call.get_absolute_url()).content.decode()
    try:
        create_url = reverse("projects:project-create")
    except NoReverseMatch:
        pytest.skip("projects:project-create does not exist yet (submission helper)")
    assert f'href="{create_url}?call={call.code}"' in html


def test_closed_and_upcoming_calls_offer_no_project_creation(client):
    for call in (past_call(), upcoming_call()):
        response = client.get(call.get_absolute_url())
        assert "?call=" not in response.content.decode()


def test_unpublished_call_page_is_404_for_the_public_and_members(client, member_user):
    call = open_call(is_published=False)

    assert client.get(call.get_absolute_url()).status_code == 404
    login(client, member_user)
    assert client.get(call.get_absolute_url()).status_code == 404


def test_unpublished_call_page_is_visible_to_staff(client, staff_user, totp_secret):
    call = open_call(is_published=False)
    login(client, staff_user, totp_secret)

    response = client.get(call.get_absolute_url())

    assert response.status_code == 200
    assert call.title_fr in response.content.decode()


def test_unknown_call_is_404(client):
    assert client.get("/fr/projects/calls/nope/").status_code == 404


@pytest.mark.parametrize("required", [True, False])
def test_call_page_query_count(client, django_assert_num_queries, required):
    call = open_call(required_document_kinds=["kbis"] if required else [])
    # the request's savepoint and its release, the call with its funding scheme, pole profile
    with django_assert_num_queries(4):
        assert client.get(call.get_absolute_url()).status_code == 200


# --- staff: who may use the pages ---------------------------------------------------------------


def test_members_get_403_on_staff_pages_and_cannot_post(client, member_user):
    call = open_call(title_fr="Avant")
    login(client, member_user)

    for url in (STAFF_URL, CREATE_URL, edit_url(call)):
        assert client.get(url).status_code == 403, url
    assert client.post(CREATE_URL, valid_data()).status_code == 403
    assert client.post(edit_url(call), valid_data(code=call.code, title_fr="Après")).status_code == 403

    call.refresh_from_db()
    assert call.title_fr == "Avant"
    assert not Call.objects.filter(code="fui-2027").exists()


def test_anonymous_visitors_are_sent_to_login(client):
    response = client.get(STAFF_URL)

    assert response.status_code == 302
    assert response["Location"].startswith("/fr/accounts/login/")


# --- staff: list -------------------------------------------------------------------------------


def test_staff_list_shows_every_call_with_status_and_project_count(client, staff_user, totp_secret):
    open_ = open_call(title_fr="Appel ouvert")
    hidden = upcoming_call(title_fr="Appel brouillon", is_published=False)
    past = past_call(title_fr="Appel passé")
    ProjectFactory.create_batch(3, call=open_)
    login(client, staff_user, totp_secret)

    response = client.get(STAFF_URL)
    rows = {c.pk: (c.status, c.project_count) for c in response.context["calls"]}

    assert rows == {open_.pk: ("open", 3), hidden.pk: ("unpublished", 0), past.pk: ("closed", 0)}
    html = response.content.decode()
    assert "Appel brouillon" in html and edit_url(hidden) in html


@pytest.mark.parametrize("count", [1, 20])
def test_staff_list_query_count_is_constant(client, staff_user, totp_secret, django_assert_num_queries, count):
    for n in range(count):
        call = (open_call, upcoming_call, past_call)[n % 3]()
        ProjectFactory(call=call)
    login(client, staff_user, totp_secret)
    # session, user, MFA authenticator, role groups, calls count, calls page, pole profile, the session's
    # update, and two savepoints with their releases
    with django_assert_num_queries(12):
        response = client.get(STAFF_URL)
    assert len(response.context["calls"]) == count


# --- staff: create and edit ----------------------------------------------------------------------


def test_staff_create_a_call_with_paris_dates_and_french_decimals(client, staff_user, totp_secret):
    login(client, staff_user, totp_secret)

    response = client.post(CREATE_URL, valid_data(max_partner_share="70,5"))

    assert response.status_code == 302
    assert response["Location"] == STAFF_URL
    call = Call.objects.get(code="fui-2027")
    assert call.title_fr == "Appel FUI 2027"
    assert call.allowed_kinds == ["rd", "platform"]
    assert call.required_document_kinds == ["technical_annex", "consortium_agreement"]
    assert call.opens_at == datetime(2027, 1, 10, 8, 0, tzinfo=UTC)  # 09:00 in Paris, winter
    assert call.deadline == datetime(2027, 3, 31, 10, 0, tzinfo=UTC)  # 12:00 in Paris, summer time
    assert call.max_partner_share == Decimal("70.50")
    assert call.research_aid_warning_share == Decimal("40.00")
    assert call.budget_floor == Decimal("1000000.00")
    assert call.budget_ceiling == Decimal("4000000.00")
    assert call.lead_must_be_company is True and call.is_published is True
    log = ActivityLog.objects.get(verb="call.created")
    assert (log.actor, log.target_id, log.data) == (staff_user, str(call.pk), {"code": "fui-2027"})


def test_the_form_shows_checkboxes_for_kinds_and_documents(client, staff_user, totp_secret):
    login(client, staff_user, totp_secret)

    html = client.get(CREATE_URL).content.decode()

    assert 'type="checkbox" name="allowed_kinds" value="rd"' in html
    assert 'type="checkbox" name="allowed_kinds" value="non_rd"' in html
    assert 'type="checkbox" name="required_document_kinds" value="kbis"' in html
    assert 'type="datetime-local" name="deadline"' in html


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"deadline": "2027-01-10T09:00"}, "deadline", "The deadline must come after the opening."),
        ({"deadline": "2027-01-01T09:00"}, "deadline", "The deadline must come after the opening."),
        (
            {"budget_floor": "5000000", "budget_ceiling": "4000000"},
            "budget_ceiling",
            "The maximum budget cannot be below the minimum budget.",
        ),
        ({"max_partner_share": "100,01"}, "max_partner_share", None),
        ({"research_aid_warning_share": "-1"}, "research_aid_warning_share", None),
        ({"allowed_kinds": None}, "allowed_kinds", "Choose at least one kind of project."),
        ({"opens_at": "not a date"}, "opens_at", None),
        ({"code": "FUI 2027!"}, "code", None),
        ({"budget_floor": "abc"}, "budget_floor", None),
    ],
)
def test_bad_input_is_refused_next_to_the_field_and_kept(client, staff_user, totp_secret, overrides, field, message):
    login(client, staff_user, totp_secret)
    data = valid_data(**overrides)

    with timezone.override("UTC"):  # Paris time does not depend on the active time zone
        response = client.post(CREATE_URL, data)

    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.errors) == [field]
    if message:
        with translation.override("fr"):
            assert form.errors[field] == [translation.gettext(message)]
    html = response.content.decode()
    assert 'value="Appel FUI 2027"' in html  # what was typed is kept
    assert "Projets collaboratifs de R&amp;D." in html
    assert f'id="id_{field}_errors"' in html or "invalid-feedback" in html
    if "max_partner_share" in overrides:
        assert 'value="100,01"' in html
    assert not Call.objects.exists()


def test_boundaries_accepted(client, staff_user, totp_secret):
    login(client, staff_user, totp_secret)

    response = client.post(
        CREATE_URL,
        valid_data(max_partner_share="100", research_aid_warning_share="0", budget_floor="4000000", budget_ceiling=""),
    )

    assert response.status_code == 302
    call = Call.objects.get()
    assert (call.max_partner_share, call.research_aid_warning_share) == (Decimal("100"), Decimal("0"))
    assert (call.budget_floor, call.budget_ceiling) == (Decimal("4000000"), None)


def test_duplicate_code_is_refused(client, staff_user, totp_secret):
    CallFactory(code="fui-2027")
    login(client, staff_user, totp_secret)

    response = client.post(CREATE_URL, valid_data())

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["code"]
    assert Call.objects.count() == 1


def test_staff_edit_shows_paris_times_and_saves_changes(client, staff_user, totp_secret):
    call = CallFactory(
        code="fui-2027",
        opens_at=datetime(2027, 1, 10, 8, 0, tzinfo=UTC),
        deadline=datetime(2027, 3, 31, 10, 0, tzinfo=UTC),
        max_partner_share=Decimal("70"),
    )
    login(client, staff_user, totp_secret)

    html = client.get(edit_url(call)).content.decode()
    assert 'value="2027-01-10T09:00"' in html
    assert 'value="2027-03-31T12:00"' in html
    assert 'value="70,00"' in html

    response = client.post(edit_url(call), valid_data(title_fr="Appel FUI 2027 (modifié)", lead_must_be_company=None))

    assert response.status_code == 302
    call.refresh_from_db()
    assert call.title_fr == "Appel FUI 2027 (modifié)"
    assert call.lead_must_be_company is False
    log = ActivityLog.objects.get(verb="call.updated")
    assert set(log.data["changed"]) >= {"title_fr", "lead_must_be_company"}
    assert "opens_at" not in log.data["changed"] and "max_partner_share" not in log.data["changed"]


def test_failed_edit_keeps_the_typed_values_and_changes_nothing(client, staff_user, totp_secret):
    call = CallFactory(code="fui-2027", title_fr="Titre enregistré")
    login(client, staff_user, totp_secret)

    response = client.post(
        edit_url(call), valid_data(title_fr="Titre tapé", budget_floor="9000000", budget_ceiling="100")
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="Titre tapé"' in html
    assert "Titre enregistré" in html  # the page's heading names the stored call
    call.refresh_from_db()
    assert call.title_fr == "Titre enregistré"
    assert not ActivityLog.objects.filter(verb="call.updated").exists()


def test_code_is_locked_once_projects_are_attached(client, staff_user, totp_secret):
    call = CallFactory(code="fui-2027")
    ProjectFactory(call=call)
    login(client, staff_user, totp_secret)

    response = client.post(edit_url(call), valid_data(code="renamed"))

    assert response.status_code == 302
    call.refresh_from_db()
    assert call.code == "fui-2027"


def test_unknown_call_edit_is_404(client, staff_user, totp_secret):
    login(client, staff_user, totp_secret)

    assert client.get("/fr/projects/staff/calls/nope/edit/").status_code == 404


def test_save_call_logs_nothing_when_nothing_changed(staff_user):
    call = CallFactory()

    save_call(call=call, data={"title_fr": call.title_fr, "allowed_kinds": list(call.allowed_kinds)}, actor=staff_user)

    assert not ActivityLog.objects.filter(verb="call.updated").exists()


def test_a_paris_time_that_does_not_exist_is_refused(client, staff_user, totp_secret):
    login(client, staff_user, totp_secret)

    # 28 March 2027, 02:30: clocks jump from 02:00 to 03:00 in Paris
    response = client.post(CREATE_URL, valid_data(deadline="2027-03-28T02:30"))

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["deadline"]
    assert not Call.objects.exists()


def test_english_page_formats_dates_the_english_way(client):
    call = CallFactory(deadline=datetime(2027, 1, 15, 11, 0, tzinfo=UTC))

    html = client.get(f"/en/projects/calls/{call.code}/").content.decode()

    assert "15 January 2027 at 12:00" in html
