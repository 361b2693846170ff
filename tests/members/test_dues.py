"""Dues [M4]: the scale, the call for dues, the dues state machine, the PDF notice, the
reminders, and the staff and member pages."""

import hashlib
import io
import itertools
from datetime import date, datetime, timedelta
from decimal import Decimal

import pypdf
import pytest
from django.core import mail
from django.core.files.storage import FileSystemStorage
from django.utils import timezone, translation

from members.activity import change_reason_label
from members.exceptions import IllegalTransition
from members.models import Dues, DuesRate, Membership, OrganisationKind, SizeBand
from members.services.dues import (
    DUES_TRANSITIONS,
    DuesScaleIncomplete,
    call_dues,
    notice_request,
    plan_dues_call,
    rate_for,
    remind_unpaid_dues,
    transition_dues,
)
from pole.models import ActivityLog, GeneratedFile, PoleProfile
from pole.reports import request_file
from pole.templatetags.money import euros
from tests.conftest import login
from tests.factories import DuesFactory, MembershipFactory, OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db

YEAR = 2026
Status = Dues.Status
NNBSP, NBSP = "\u202f", "\u00a0"

SCALE = {
    (OrganisationKind.COMPANY, SizeBand.MICRO): Decimal("300.00"),
    (OrganisationKind.COMPANY, SizeBand.SME): Decimal("1200.00"),
    (OrganisationKind.COMPANY, SizeBand.MIDSIZE): Decimal("3500.00"),
    (OrganisationKind.COMPANY, SizeBand.LARGE): Decimal("9000.00"),
    (OrganisationKind.RESEARCH, SizeBand.ANY): Decimal("800.00"),
    (OrganisationKind.EDUCATION, SizeBand.ANY): Decimal("700.00"),
    (OrganisationKind.PUBLIC, SizeBand.ANY): Decimal("2000.00"),
    (OrganisationKind.OTHER, SizeBand.ANY): Decimal("250.00"),
}


@pytest.fixture(autouse=True)
def private_files(tmp_path, monkeypatch):
    """Notices go to a temporary private storage, not the developer's private-media/."""
    storage = FileSystemStorage(location=tmp_path / "private")
    monkeypatch.setattr(Dues._meta.get_field("notice"), "storage", storage)
    return storage


@pytest.fixture
def scale():
    DuesRate.objects.bulk_create(
        [DuesRate(year=YEAR, kind=kind, size_band=band, amount=amount) for (kind, band), amount in SCALE.items()]
    )
    return SCALE


@pytest.fixture
def pole():
    return PoleProfile.objects.create(
        name="Pôle Énergies du Rhône", short_name="PER", address="12 quai Perrache\n69002 Lyon", contact_email="a@b.fr"
    )


def pdf_text(content: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


def generate_notice(dues, capture) -> GeneratedFile:
    """Ask for the notice of `dues` and run its task after commit, as invoicing does."""
    with capture(execute=True):
        job = request_file(notice_request(dues))
    job.refresh_from_db()
    return job


def notice_files(storage) -> list[str]:
    folder = f"dues-notices/{YEAR}"
    return storage.listdir(folder)[1] if storage.exists(folder) else []


# --- The money filter ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (Decimal("1234.56"), f"1{NNBSP}234,56{NBSP}€"),
        (Decimal("1200"), f"1{NNBSP}200,00{NBSP}€"),
        (Decimal("1234567.891"), f"1{NNBSP}234{NNBSP}567,89{NBSP}€"),
        (0, f"0,00{NBSP}€"),
        ("999.5", f"999,50{NBSP}€"),
        (Decimal("-50"), f"-50,00{NBSP}€"),
        (None, ""),
        ("not a number", ""),
    ],
)
def test_euros_are_written_the_french_way(value, shown):
    assert euros(value) == shown


# --- The call for dues ------------------------------------------------------------------------


def test_the_call_creates_one_record_per_active_membership_and_a_second_call_creates_nothing(scale, staff_user):
    memberships = MembershipFactory.create_batch(3)
    MembershipFactory(state=Membership.State.APPLIED)
    MembershipFactory(state=Membership.State.APPROVED)
    MembershipFactory(state=Membership.State.REFUSED)

    assert call_dues(year=YEAR, actor=staff_user) == 3
    assert call_dues(year=YEAR, actor=staff_user) == 0

    assert sorted(Dues.objects.values_list("membership_id", flat=True)) == sorted(m.pk for m in memberships)
    assert set(Dues.objects.values_list("status", "year", "amount")) == {(Status.TO_INVOICE, YEAR, Decimal("1200.00"))}
    # bulk_create bypasses simple_history: the call writes the history itself, once.
    assert Dues.history.filter(history_type="+").count() == 3
    assert Dues.history.filter(history_user=staff_user).count() == 3
    # the reason is stored as a code and read in the reader's language
    assert set(Dues.history.values_list("history_change_reason", flat=True)) == {"dues.called"}
    with translation.override("fr"):
        assert change_reason_label("dues.called") == "Appel annuel des cotisations"
    with translation.override("en"):
        assert change_reason_label("dues.called") == "Yearly dues call"
    called = ActivityLog.objects.filter(verb="dues.called").order_by("pk")
    assert [entry.data for entry in called] == [{"year": YEAR, "created": 3}]


def test_the_call_skips_organisations_that_already_have_their_dues_for_the_year(scale, staff_user):
    membership = MembershipFactory()
    DuesFactory(membership=membership, year=YEAR, amount="99.00")
    DuesFactory(membership=MembershipFactory(), year=YEAR - 1)
    assert call_dues(year=YEAR, actor=staff_user) == 1
    assert Dues.objects.get(membership=membership, year=YEAR).amount == Decimal("99.00")
    assert Dues.objects.filter(year=YEAR).count() == 2


def test_amounts_follow_the_scale(scale, staff_user):
    companies = {
        "micro": OrganisationFactory(headcount=5, turnover=1_000_000),
        "sme": OrganisationFactory(headcount=40, turnover=5_000_000),
        "midsize": OrganisationFactory(headcount=600, turnover=200_000_000),
        "large": OrganisationFactory(headcount=6000, turnover=2_000_000_000),
        "unknown size": OrganisationFactory(headcount=None, turnover=None),
    }
    lab = OrganisationFactory(kind=OrganisationKind.RESEARCH, headcount=300)
    authority = OrganisationFactory(kind=OrganisationKind.PUBLIC, headcount=None)
    assert [companies[k].size_category for k in ("micro", "sme", "midsize", "large", "unknown size")] == [
        "micro",
        "sme",
        "midsize",
        "large",
        "",
    ]
    for organisation in [*companies.values(), lab, authority]:
        MembershipFactory(organisation=organisation)

    assert call_dues(year=YEAR, actor=staff_user) == 7

    amounts = dict(Dues.objects.values_list("membership__organisation_id", "amount"))
    assert amounts == {
        companies["micro"].pk: Decimal("300.00"),
        companies["sme"].pk: Decimal("1200.00"),
        companies["midsize"].pk: Decimal("3500.00"),
        companies["large"].pk: Decimal("9000.00"),
        companies["unknown size"].pk: Decimal("1200.00"),  # unknown size pays the SME rate
        lab.pk: Decimal("800.00"),
        authority.pk: Decimal("2000.00"),
    }
    assert rate_for(companies["large"], YEAR) == Decimal("9000.00")
    assert rate_for(lab, YEAR) == Decimal("800.00")


def test_a_size_set_by_staff_decides_the_band(scale, staff_user):
    organisation = OrganisationFactory(headcount=40, size_override="large", size_override_reason="Groupe")
    MembershipFactory(organisation=organisation)
    call_dues(year=YEAR, actor=staff_user)
    assert Dues.objects.get().amount == Decimal("9000.00")


def test_a_withdrawal_on_31_march_owes_nothing_and_one_on_1_april_owes_the_year(scale, staff_user):
    def ended(state, end):
        return MembershipFactory(state=state, start_date=date(2020, 1, 1), end_date=end)

    on_31_march = ended(Membership.State.WITHDRAWN, date(YEAR, 3, 31))
    on_1_april = ended(Membership.State.WITHDRAWN, date(YEAR, 4, 1))
    excluded_in_june = ended(Membership.State.EXCLUDED, date(YEAR, 6, 30))
    excluded_in_march = ended(Membership.State.EXCLUDED, date(YEAR, 3, 1))
    last_year = ended(Membership.State.WITHDRAWN, date(YEAR - 1, 11, 30))
    starts_next_year = MembershipFactory(start_date=date(YEAR + 1, 1, 1))

    assert call_dues(year=YEAR, actor=staff_user) == 2

    owing = set(Dues.objects.values_list("membership_id", flat=True))
    assert owing == {on_1_april.pk, excluded_in_june.pk}
    assert not owing & {on_31_march.pk, excluded_in_march.pk, last_year.pk, starts_next_year.pk}


def test_an_organisation_that_left_and_came_back_in_the_year_owes_once(scale, staff_user):
    organisation = OrganisationFactory()
    MembershipFactory(organisation=organisation, state=Membership.State.WITHDRAWN, end_date=date(YEAR, 5, 1))
    active = MembershipFactory(organisation=organisation)
    assert call_dues(year=YEAR, actor=staff_user) == 1
    assert Dues.objects.get().membership == active


def test_the_call_is_refused_when_the_scale_lacks_a_needed_amount(staff_user):
    DuesRate.objects.create(year=YEAR, kind=OrganisationKind.COMPANY, size_band=SizeBand.SME, amount="1200.00")
    MembershipFactory()
    MembershipFactory(organisation=OrganisationFactory(kind=OrganisationKind.RESEARCH))
    with pytest.raises(DuesScaleIncomplete) as raised:
        call_dues(year=YEAR, actor=staff_user)
    assert raised.value.missing == [(OrganisationKind.RESEARCH, SizeBand.ANY)]
    assert Dues.objects.count() == 0
    with pytest.raises(DuesScaleIncomplete):
        rate_for(OrganisationFactory(kind=OrganisationKind.OTHER), YEAR)


def test_the_call_runs_in_a_constant_number_of_queries(scale, staff_user, django_assert_max_num_queries):
    MembershipFactory.create_batch(60)
    with django_assert_max_num_queries(12):
        assert call_dues(year=YEAR, actor=staff_user) == 60


# --- The state machine --------------------------------------------------------------------------

DETAILS = {
    Status.PAID: {"paid_on": date(YEAR, 2, 1), "payment_reference": "VIR-123"},
    Status.WAIVED: {"waiver_reason": "Start-up hosted by the pole"},
}
ALL_MOVES = list(itertools.product(Status.values, Status.values))
ALLOWED = {(source, target) for source, targets in DUES_TRANSITIONS.items() for target in targets}


def test_the_transition_table_is_the_one_of_the_issue():
    assert ALLOWED == {
        ("to_invoice", "invoiced"),
        ("to_invoice", "waived"),
        ("invoiced", "paid"),
        ("invoiced", "overdue"),
        ("invoiced", "waived"),
        ("overdue", "paid"),
        ("overdue", "waived"),
    }


@pytest.mark.parametrize(("source", "target"), sorted(ALLOWED))
def test_every_allowed_transition(source, target, staff_user, django_capture_on_commit_callbacks):
    dues = DuesFactory(status=source, invoice_number="2026-00042" if source != "to_invoice" else "")
    with django_capture_on_commit_callbacks(execute=True):
        transition_dues(dues=dues, target=target, actor=staff_user, **DETAILS.get(target, {}))
    dues.refresh_from_db()
    assert dues.status == target
    entry = ActivityLog.objects.get(verb=f"dues.{target}")
    assert (entry.actor, entry.data["from"], entry.data["to"]) == (staff_user, source, target)
    if target == Status.PAID:
        assert (dues.paid_on, dues.payment_reference) == (date(YEAR, 2, 1), "VIR-123")
    if target == Status.WAIVED:
        assert dues.waiver_reason == "Start-up hosted by the pole"


@pytest.mark.parametrize(("source", "target"), sorted(set(ALL_MOVES) - ALLOWED))
def test_every_forbidden_transition_is_refused(source, target, staff_user):
    dues = DuesFactory(status=source)
    with pytest.raises(IllegalTransition):
        transition_dues(dues=dues, target=target, actor=staff_user, **DETAILS.get(target, {}))
    dues.refresh_from_db()
    assert dues.status == source
    assert not ActivityLog.objects.filter(verb__startswith="dues.").exists()


def test_paid_needs_a_date_and_a_reference_and_waived_a_reason(staff_user):
    dues = DuesFactory(status=Status.INVOICED)
    with pytest.raises(ValueError):
        transition_dues(dues=dues, target=Status.PAID, actor=staff_user, paid_on=date(YEAR, 2, 1))
    with pytest.raises(ValueError):
        transition_dues(dues=dues, target=Status.PAID, actor=staff_user, payment_reference="VIR-1")
    with pytest.raises(ValueError):
        transition_dues(dues=dues, target=Status.WAIVED, actor=staff_user, waiver_reason="   ")
    dues.refresh_from_db()
    assert dues.status == Status.INVOICED


def test_invoicing_numbers_dates_emails_the_billing_contact_and_generates_the_notice(
    pole, staff_user, member_user, private_files, django_capture_on_commit_callbacks, settings
):
    settings.DUES_PAYMENT_TERM_DAYS = 30
    member_user.language = "en"
    member_user.save()
    first, second = DuesFactory.create_batch(2)
    organisation = first.membership.organisation
    PersonFactory(organisation=organisation, email="main@acme.example", is_main_contact=True)
    PersonFactory(
        organisation=organisation, email="billing@acme.example", is_main_contact=False, is_billing_contact=True
    )
    PersonFactory(organisation=second.membership.organisation, email="main@second.example", user=member_user)

    with django_capture_on_commit_callbacks(execute=True):
        transition_dues(dues=first, target=Status.INVOICED, actor=staff_user, invoiced_on=date(YEAR, 1, 15))
        transition_dues(dues=second, target=Status.INVOICED, actor=staff_user, invoiced_on=date(YEAR, 1, 16))

    assert (first.invoice_number, first.invoiced_on, first.due_date) == (
        "2026-00001",
        date(YEAR, 1, 15),
        date(YEAR, 2, 14),
    )
    assert second.invoice_number == "2026-00002"
    to_billing, to_main = mail.outbox
    assert to_billing.to == ["billing@acme.example"]
    assert "2026-00001" in to_billing.subject
    assert f"1{NNBSP}200,00{NBSP}€" in to_billing.body
    assert "14 février 2026" in to_billing.body  # French by default
    assert to_main.to == ["main@second.example"]
    assert to_main.subject == "Pôle Énergies du Rhône: your 2026 dues notice (2026-00002)"  # his language
    assert "16 February 2026" not in to_main.body and "15 February 2026" in to_main.body
    first.refresh_from_db()  # the notice was stored after commit
    assert first.notice.name.startswith(f"dues-notices/{YEAR}/")
    assert private_files.exists(first.notice.name)


def test_an_invoice_number_given_by_staff_is_kept_unless_already_used(staff_user):
    first, second = DuesFactory.create_batch(2)
    transition_dues(dues=first, target=Status.INVOICED, actor=staff_user, invoice_number="2026-00100")
    assert first.invoice_number == "2026-00100"
    with pytest.raises(ValueError):
        transition_dues(dues=second, target=Status.INVOICED, actor=staff_user, invoice_number="2026-00100")
    transition_dues(dues=second, target=Status.INVOICED, actor=staff_user)
    assert second.invoice_number == "2026-00101"


# --- The notice -------------------------------------------------------------------------------


def test_the_notice_task_stores_one_pdf_with_the_organisation_the_amount_and_the_number(
    pole, staff_user, private_files, django_capture_on_commit_callbacks
):
    organisation = OrganisationFactory(legal_name="Hydrogène de Lyon SAS", street="3 rue Garibaldi")
    dues = DuesFactory(
        membership=MembershipFactory(organisation=organisation),
        amount="1200.00",
        status=Status.INVOICED,
        invoice_number="2026-00007",
        invoiced_on=date(YEAR, 1, 15),
        due_date=date(YEAR, 2, 14),
    )
    job = generate_notice(dues, django_capture_on_commit_callbacks)
    dues.refresh_from_db()
    first_name = dues.notice.name
    with dues.notice.open("rb") as handle:
        content = handle.read()
    text = pdf_text(content)
    # The request row of pole.reports says what became of it.
    assert (job.kind, job.status, job.pages, job.language) == ("members.dues_notice", "done", 1, "fr")
    assert job.checksum == hashlib.sha256(content).hexdigest() and job.finished_at
    assert "Hydrogène de Lyon SAS" in text
    assert f"1{NNBSP}200,00{NBSP}€" in text
    assert "2026-00007" in text
    assert "14 février 2026" in text
    assert "Pôle Énergies du Rhône" in text
    assert "12 quai Perrache" in text
    assert notice_files(private_files) == [first_name.rsplit("/", 1)[1]]

    generate_notice(dues, django_capture_on_commit_callbacks)  # the earlier file goes once the new one is committed
    dues.refresh_from_db()
    assert dues.notice.name != first_name
    assert notice_files(private_files) == [dues.notice.name.rsplit("/", 1)[1]]


def test_the_notice_task_is_routed_to_the_pdf_queue():
    """The notice is generated by the one task of pole.reports."""
    from pole.celery import app

    route = app.amqp.router.route({}, "pole.reports.generate_file")
    assert route["queue"].name == "pdf"


# --- Reminders --------------------------------------------------------------------------------


def aware(year, month, day, hour=9):
    return timezone.make_aware(datetime(year, month, day, hour))


def test_invoiced_dues_past_their_due_date_become_overdue(settings):
    late = DuesFactory(status=Status.INVOICED, invoice_number="2026-00001", due_date=date(YEAR, 3, 9))
    due_today = DuesFactory(status=Status.INVOICED, invoice_number="2026-00002", due_date=date(YEAR, 3, 10))
    paid = DuesFactory(status=Status.PAID, due_date=date(YEAR, 1, 1))
    remind_unpaid_dues(now=aware(YEAR, 3, 10))
    assert Dues.objects.get(pk=late.pk).status == Status.OVERDUE
    assert Dues.objects.get(pk=due_today.pk).status == Status.INVOICED
    assert Dues.objects.get(pk=paid.pk).status == Status.PAID
    entry = ActivityLog.objects.get(verb="dues.overdue")
    assert (entry.actor, entry.target_id) == (None, str(late.pk))


def test_one_reminder_per_interval(settings, django_capture_on_commit_callbacks):
    settings.DUES_REMINDER_INTERVAL_DAYS = 30
    dues = DuesFactory(status=Status.INVOICED, invoice_number="2026-00001", due_date=date(YEAR, 3, 1))
    PersonFactory(organisation=dues.membership.organisation, email="main@acme.example")
    DuesFactory(status=Status.PAID, due_date=date(YEAR, 3, 1))
    now = aware(YEAR, 3, 10)

    with django_capture_on_commit_callbacks(execute=True):
        assert remind_unpaid_dues(now=now) == 1
        assert remind_unpaid_dues(now=now) == 0  # run twice at the same time: one e-mail
        assert remind_unpaid_dues(now=now + timedelta(days=29)) == 0
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["main@acme.example"]
    assert "2026-00001" in mail.outbox[0].subject
    dues.refresh_from_db()
    assert (dues.status, dues.reminders_sent, dues.last_reminder_at) == (Status.OVERDUE, 1, now)

    with django_capture_on_commit_callbacks(execute=True):
        assert remind_unpaid_dues(now=now + timedelta(days=30)) == 1
    assert len(mail.outbox) == 2
    dues.refresh_from_db()
    assert dues.reminders_sent == 2


def test_the_scheduled_task_is_the_daily_beat_entry(settings):
    from members.tasks import remind_unpaid_dues as task

    assert settings.CELERY_BEAT_SCHEDULE["mark-overdue-dues-and-remind"]["task"] == task.name
    DuesFactory(status=Status.INVOICED, invoice_number="2026-00001", due_date=timezone.localdate() - timedelta(days=1))
    assert task.delay().get() == 0  # no contact to write to: marked overdue, nobody e-mailed
    assert Dues.objects.get().status == Status.OVERDUE


# --- The member's notice page -------------------------------------------------------------------


@pytest.fixture
def two_organisations(member_user):
    mine = OrganisationFactory(legal_name="Acme Hydrogène")
    PersonFactory(organisation=mine, user=member_user, email=member_user.email)
    other = OrganisationFactory(legal_name="Concurrent SA")
    PersonFactory(organisation=other, email="boss@concurrent.example")

    def invoiced(organisation, number):
        return DuesFactory(
            membership=MembershipFactory(organisation=organisation),
            status=Status.INVOICED,
            invoice_number=number,
            invoiced_on=date(YEAR, 1, 15),
            due_date=date(YEAR, 2, 14),
        )

    return invoiced(mine, "2026-00001"), invoiced(other, "2026-00002")


def test_a_contact_downloads_his_organisations_notice_and_gets_404_for_another(
    client, member_user, two_organisations, django_capture_on_commit_callbacks
):
    mine, others = two_organisations
    generate_notice(mine, django_capture_on_commit_callbacks)
    generate_notice(others, django_capture_on_commit_callbacks)
    login(client, member_user)

    response = client.get(f"/fr/members/dues/{mine.pk}/notice/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="dues-notice-2026-00001.pdf"'
    assert "Acme Hydrogène" in pdf_text(b"".join(response.streaming_content))

    assert client.get(f"/fr/members/dues/{others.pk}/notice/").status_code == 404
    assert client.get("/fr/members/staff/dues/").status_code == 403
    assert client.get("/fr/members/staff/dues/scale/2026/").status_code == 403
    assert client.post("/fr/members/staff/dues/call/", {"year": YEAR, "confirm": "1"}).status_code == 403
    assert client.post(f"/fr/members/staff/dues/{others.pk}/waived/", {"waiver_reason": "x"}).status_code == 403
    assert Dues.objects.get(pk=others.pk).status == Status.INVOICED


def test_a_notice_not_generated_yet_shows_a_page_that_polls(
    client, member_user, two_organisations, django_capture_on_commit_callbacks
):
    mine, _ = two_organisations
    login(client, member_user)
    with django_capture_on_commit_callbacks(execute=True):  # the visit (re)schedules the task once
        response = client.get(f"/en/members/dues/{mine.pk}/notice/")
    assert response.status_code == 200
    content = response.content.decode()
    assert 'hx-trigger="every 3s"' in content
    assert f'hx-get="/en/members/dues/{mine.pk}/notice/"' in content
    assert "<script>" not in content.replace('<script src="', "")

    partial = client.get(f"/en/members/dues/{mine.pk}/notice/", headers={"HX-Request": "true"})
    assert "every 3s" not in partial.content.decode()
    assert "Download the notice (PDF)" in partial.content.decode()


def test_anonymous_visitors_are_sent_to_log_in(client, two_organisations):
    mine, _ = two_organisations
    response = client.get(f"/fr/members/dues/{mine.pk}/notice/")
    assert response.status_code == 302
    assert response["Location"].startswith("/fr/accounts/login/")


# --- The staff pages ------------------------------------------------------------------------------


@pytest.fixture
def staff_client(client, staff_user, totp_secret):
    login(client, staff_user, totp_secret)
    client.get("/en/members/staff/dues/")  # the first page remembers the MFA enrolment in the session
    return client


def test_the_staff_page_shows_the_years_dues_with_totals_by_status(staff_client):
    DuesFactory(amount="1200.00", status=Status.TO_INVOICE, membership__organisation__legal_name="Alpha")
    DuesFactory(amount="300.00", status=Status.PAID, membership__organisation__legal_name="Bravo")
    DuesFactory(amount="2000.00", status=Status.PAID, membership__organisation__legal_name="Charlie")
    DuesFactory(amount="5000.00", year=YEAR - 1, membership__organisation__legal_name="Last year Ltd")

    content = staff_client.get(f"/en/members/staff/dues/?year={YEAR}").content.decode()
    assert "Alpha" in content and "Bravo" in content and "Charlie" in content
    assert "Last year Ltd" not in content
    assert f'<td class="text-end text-nowrap">2{NNBSP}300,00{NBSP}€</td>' in content  # paid: 300 + 2000
    assert f"3{NNBSP}500,00{NBSP}€" in content  # all statuses

    content = staff_client.get(f"/en/members/staff/dues/?year={YEAR}&status=paid").content.decode()
    assert "Bravo" in content and "Alpha" not in content

    content = staff_client.get(f"/en/members/staff/dues/?year={YEAR - 1}&status=bogus").content.decode()
    assert '<h1 class="h3 mb-0">Dues 2025</h1>' in content  # a bad filter does not lose the good one
    assert "Last year Ltd" in content and "Alpha" not in content


@pytest.mark.parametrize("count", [1, 20])
def test_the_staff_page_runs_a_constant_number_of_queries(staff_client, django_assert_num_queries, count):
    for index in range(count):
        DuesFactory(status=[Status.TO_INVOICE, Status.INVOICED, Status.OVERDUE, Status.PAID][index % 4])
    with django_assert_num_queries(10):
        response = staff_client.get(f"/en/members/staff/dues/?year={YEAR}")
    assert response.content.decode().count('<th scope="row" class="fw-normal">') == count


def test_the_staff_page_is_paginated_by_50(staff_client):
    for index in range(51):
        DuesFactory(membership__organisation__legal_name=f"Org {index:03d}")
    first = staff_client.get(f"/en/members/staff/dues/?year={YEAR}").content.decode()
    second = staff_client.get(f"/en/members/staff/dues/?year={YEAR}&page=2").content.decode()
    assert first.count('<th scope="row" class="fw-normal">') == 50
    assert "Org 050" in second and "Org 000" not in second
    assert 'aria-current="page">2<' in second


def test_staff_calls_the_dues_after_a_confirmation(staff_client, scale):
    MembershipFactory.create_batch(4)
    page = staff_client.post("/en/members/staff/dues/call/", {"year": YEAR})
    assert page.status_code == 200
    assert "This call will create 4 dues records for 2026" in page.content.decode()
    assert Dues.objects.count() == 0

    response = staff_client.post("/en/members/staff/dues/call/", {"year": YEAR, "confirm": "1"})
    assert response.status_code == 302
    assert Dues.objects.count() == 4
    staff_client.post("/en/members/staff/dues/call/", {"year": YEAR, "confirm": "1"})
    assert Dues.objects.count() == 4
    assert (
        "this call would create nothing"
        in staff_client.get(f"/en/members/staff/dues/call/?year={YEAR}").content.decode()
    )


def test_a_call_with_an_incomplete_scale_says_so_and_creates_nothing(staff_client):
    MembershipFactory()
    response = staff_client.post("/en/members/staff/dues/call/", {"year": YEAR, "confirm": "1"}, follow=True)
    assert response.redirect_chain[-1][0] == f"/en/members/staff/dues/scale/{YEAR}/"
    assert "The 2026 dues scale has no amount for: Company — SME (PME)." in response.content.decode()
    assert Dues.objects.count() == 0


def test_staff_moves_a_record_from_the_list(staff_client, django_capture_on_commit_callbacks, pole):
    dues = DuesFactory(membership__organisation__legal_name="Alpha")
    PersonFactory(organisation=dues.membership.organisation, email="main@alpha.example")
    next_url = f"/en/members/staff/dues/?year={YEAR}&status=to_invoice"
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(f"/en/members/staff/dues/{dues.pk}/invoiced/", {"next": next_url})
    assert response.status_code == 302 and response["Location"] == next_url
    dues.refresh_from_db()
    assert (dues.status, dues.invoice_number) == (Status.INVOICED, "2026-00001")
    assert [m.to for m in mail.outbox] == [["main@alpha.example"]]
    assert dues.notice.name

    # bad input: the page comes back with what was typed and the error next to the field
    response = staff_client.post(
        f"/en/members/staff/dues/{dues.pk}/paid/", {"paid_on": "2026-02-01", "payment_reference": ""}
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert 'value="2026-02-01"' in content
    assert "This field is required." in content
    dues.refresh_from_db()
    assert dues.status == Status.INVOICED

    staff_client.post(
        f"/en/members/staff/dues/{dues.pk}/paid/", {"paid_on": "2026-02-01", "payment_reference": "VIR 9"}
    )
    dues.refresh_from_db()
    assert (dues.status, dues.paid_on, dues.payment_reference) == (Status.PAID, date(YEAR, 2, 1), "VIR 9")

    # an illegal move: a clear message and a redirect, never a 500
    response = staff_client.post(f"/en/members/staff/dues/{dues.pk}/waived/", {"waiver_reason": "x"}, follow=True)
    assert response.status_code == 200
    assert "These dues are “Paid”: they cannot become “Waived”." in response.content.decode()


def test_staff_invoices_all_to_invoice_records_after_a_confirmation(staff_client, django_capture_on_commit_callbacks):
    DuesFactory.create_batch(3)
    DuesFactory(status=Status.PAID)
    page = staff_client.post("/en/members/staff/dues/invoice-all/", {"year": YEAR})
    assert "3 dues records of 2026 will be invoiced" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post("/en/members/staff/dues/invoice-all/", {"year": YEAR, "confirm": "1"})
    assert sorted(Dues.objects.exclude(invoice_number="").values_list("invoice_number", flat=True)) == [
        "2026-00001",
        "2026-00002",
        "2026-00003",
    ]
    assert Dues.objects.filter(status=Status.INVOICED).count() == 3


def test_staff_edits_the_scale_and_bad_input_keeps_what_was_typed(staff_client):
    url = f"/en/members/staff/dues/scale/{YEAR}/"
    assert staff_client.get(url).status_code == 200
    data = {
        "rate_company_micro": "300",
        "rate_company_sme": "1200.5",
        "rate_company_midsize": "-10",
        "rate_company_large": "abc",
        "rate_research_any": "800",
    }
    response = staff_client.post(url, data)
    content = response.content.decode()
    assert response.status_code == 200
    assert 'value="-10"' in content and 'value="abc"' in content and 'value="1200.5"' in content
    assert "Ensure this value is greater than or equal to 0." in content
    assert "Enter a number, for example 12,500.50." in content
    assert DuesRate.objects.count() == 0

    data.update({"rate_company_midsize": "3500", "rate_company_large": "9000"})
    assert staff_client.post(url, data).status_code == 302
    assert scale_as_dict(YEAR) == {
        ("company", "micro"): Decimal("300.00"),
        ("company", "sme"): Decimal("1200.50"),
        ("company", "midsize"): Decimal("3500.00"),
        ("company", "large"): Decimal("9000.00"),
        ("research", "any"): Decimal("800.00"),
    }
    # a blank cell removes its amount
    data["rate_research_any"] = ""
    staff_client.post(url, data)
    assert ("research", "any") not in scale_as_dict(YEAR)


def test_staff_copies_last_years_scale_into_the_grid(staff_client, scale):
    response = staff_client.post(f"/en/members/staff/dues/scale/{YEAR + 1}/", {"action": "copy"})
    content = response.content.decode()
    assert 'name="rate_company_large" value="9,000.00"' in content
    assert DuesRate.objects.filter(year=YEAR + 1).count() == 0  # nothing saved until staff saves
    assert plan_dues_call(year=YEAR + 1).count == 0


def scale_as_dict(year):
    return {(r.kind, r.size_band): r.amount for r in DuesRate.objects.filter(year=year)}
