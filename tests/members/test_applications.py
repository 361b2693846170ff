"""The membership application journey [M3]: the public form, the e-mails, the staff's
review (duplicates, approval, refusal), the documents, and who may see what."""

import importlib
import re
import time
from datetime import date, timedelta
from unittest import mock

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps as django_apps
from django.core import mail
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext

from members.models import Membership, MembershipDocument, Organisation, OrganisationKind, Person, User
from members.services.applications import find_possible_duplicates, normalise_name
from pole.activity import record_activity
from pole.models import ActivityLog, StrategicDomain
from tests.conftest import login, make_user
from tests.factories import MembershipFactory, OrganisationFactory, PersonFactory, luhn_siren

pytestmark = pytest.mark.django_db

State = Membership.State
JOIN = "/fr/members/join/"
JOIN_EN = "/en/members/join/"
STAFF_LIST = "/fr/members/staff/applications/"
SIRET = "73282932000074"  # valid checksum
PDF_BYTES = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
NEW_PASSWORD = "a-brand-new-passphrase-2026"


@pytest.fixture(autouse=True)
def private_files(tmp_path, monkeypatch):
    """Application documents go to a temporary private folder, not the project's."""
    field = MembershipDocument._meta.get_field("file")
    monkeypatch.setattr(field, "storage", FileSystemStorage(location=tmp_path / "private"))


@pytest.fixture
def domains():
    return [
        StrategicDomain.objects.create(code="energy", name_fr="Énergie", name_en="Energy", position=1),
        StrategicDomain.objects.create(code="health", name_fr="Santé", name_en="Health", position=2),
    ]


def pdf(name="statuts.pdf"):
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def application(domains=(), **overrides):
    data = {
        "legal_name": "Acme Robotique",
        "acronym": "ACME",
        "kind": OrganisationKind.COMPANY,
        "siret": "732 829 320 00074",
        "naf_code": "2830Z",
        "headcount": "42",
        "turnover": "3500000",
        "balance_sheet": "",
        "street": "12 rue des Forges",
        "postcode": "69007",
        "city": "Lyon",
        "department": "69",
        "country": "FR",
        "website": "acme-robotique.example",
        "rep_first_name": "Hélène",
        "rep_last_name": "Dupont",
        "rep_email": "h.dupont@acme-robotique.example",
        "rep_job_title": "Présidente",
        "contact_first_name": "Marc",
        "contact_last_name": "Lefèvre",
        "contact_email": "Marc.Lefevre@Acme-Robotique.example",
        "contact_phone": "04 72 00 00 00",
        "contact_job_title": "Responsable innovation",
        "college": "smes",
        "strategic_domains": [str(domain.pk) for domain in domains],
        "motivation": "Nous voulons monter des projets de robotique collaborative.",
        "consent": "on",
        "document_1_kind": "statutes",
        "document_1": pdf(),
        "document_2_kind": "",
        "document_3_kind": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def link_in(message, pattern):
    match = re.search(r"https?://[^/\s]+(" + pattern + r")", message.body)
    assert match, message.body
    return match.group(1)


def messages_of(response):
    return [str(message) for message in response.context["messages"]] if response.context else []


def apply(client, data, *, url=JOIN, capture):
    with capture(execute=True):
        return client.post(url, data)


# --- The whole journey ---------------------------------------------------------------------


def test_apply_then_staff_approve_then_the_contact_sets_his_password_and_opens_the_member_space(
    client, staff_user, totp_secret, domains, django_capture_on_commit_callbacks
):
    response = apply(client, application(domains), capture=django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert response["Location"] == "/fr/members/join/thanks/"
    thanks = client.get(response["Location"])
    assert thanks.status_code == 200
    assert escape(gettext_fr("What happens next")) in thanks.content.decode()

    # What the application created.
    organisation = Organisation.objects.get()
    assert (organisation.legal_name, organisation.siret, organisation.siren) == ("Acme Robotique", SIRET, "732829320")
    assert (organisation.naf_code, organisation.region, organisation.website) == (
        "28.30Z",
        "84",
        "https://acme-robotique.example",
    )
    assert organisation.size_category == "sme"
    assert sorted(organisation.strategic_domains.values_list("code", flat=True)) == ["energy", "health"]
    membership = Membership.objects.get()
    assert (membership.organisation, membership.state, membership.college) == (organisation, State.APPLIED, "smes")
    contact = Person.objects.get(is_main_contact=True)
    representative = Person.objects.get(is_legal_representative=True)
    assert membership.applicant == contact
    assert (contact.email, contact.is_organisation_admin, contact.phone) == (
        "marc.lefevre@acme-robotique.example",
        True,
        "04 72 00 00 00",
    )
    assert (representative.email, representative.is_organisation_admin, representative.user) == (
        "h.dupont@acme-robotique.example",
        False,
        None,
    )
    user = contact.user
    assert user.email == "marc.lefevre@acme-robotique.example"
    assert (user.first_name, user.last_name, user.language) == ("Marc", "Lefèvre", "fr")
    assert not user.has_usable_password()
    assert list(EmailAddress.objects.filter(user=user).values_list("email", "verified", "primary")) == [
        ("marc.lefevre@acme-robotique.example", False, True)
    ]
    document = MembershipDocument.objects.get()
    assert (document.kind, document.original_name, document.content_type, document.size) == (
        "statutes",
        "statuts.pdf",
        "application/pdf",
        len(PDF_BYTES),
    )
    with document.file.open("rb") as stored:
        assert stored.read() == PDF_BYTES
    assert ActivityLog.objects.filter(verb="membership.applied", target_id=str(membership.pk)).count() == 1

    # The e-mails: the contact is invited to choose his password, the staff are told.
    assert sorted(message.to[0] for message in mail.outbox) == [
        "marc.lefevre@acme-robotique.example",
        "staff@pole.example",
    ]
    welcome = next(message for message in mail.outbox if message.to == ["marc.lefevre@acme-robotique.example"])
    assert "Acme Robotique" in welcome.body
    set_password_path = link_in(welcome, r"/fr/accounts/password/reset/key/[^\s]+/")
    staff_message = next(message for message in mail.outbox if message.to == ["staff@pole.example"])
    assert link_in(staff_message, r"/fr/members/staff/applications/\d+/") == (
        f"/fr/members/staff/applications/{membership.pk}/"
    )
    mail.outbox.clear()

    # Staff review and approve.
    staff = Client()
    login(staff, staff_user, totp_secret)
    listing = staff.get(STAFF_LIST)
    assert listing.status_code == 200
    assert "Acme Robotique" in listing.content.decode()
    page = staff.get(f"/fr/members/staff/applications/{membership.pk}/")
    assert page.status_code == 200
    content = page.content.decode()
    for expected in ["Acme Robotique", "Hélène", "Lefèvre", "robotique collaborative", "statuts.pdf", "Énergie"]:
        assert expected in content
    assert f"/fr/members/staff/applications/documents/{document.pk}/" in content

    response = staff.post(f"/fr/members/staff/applications/{membership.pk}/review/")
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.state == State.UNDER_REVIEW

    decided = timezone.localdate() - timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(
            f"/fr/members/staff/applications/{membership.pk}/approve/",
            {
                "approve-decision_date": decided.isoformat(),
                "approve-decision_reference": "CA-2026-07",
                "approve-start_date": timezone.localdate().isoformat(),
            },
        )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert (membership.state, membership.decision_date, membership.decision_reference, membership.start_date) == (
        State.ACTIVE,
        decided,
        "CA-2026-07",
        timezone.localdate(),
    )
    assert list(
        ActivityLog.objects.filter(target_id=str(membership.pk), verb__startswith="membership.")
        .order_by("pk")
        .values_list("verb", flat=True)
    ) == ["membership.applied", "membership.under_review", "membership.approved", "membership.active"]
    assert EmailAddress.objects.get(user=user).verified is True
    (approved,) = mail.outbox
    assert approved.to == ["marc.lefevre@acme-robotique.example"]
    assert link_in(approved, r"/fr/accounts/login/") == "/fr/accounts/login/"
    assert link_in(approved, r"/fr/members/my-organisation/") == "/fr/members/my-organisation/"
    assert "/fr/accounts/password/reset/key/" in approved.body  # he had not chosen his password yet

    # The contact follows the first link, chooses his password, logs in.
    response = client.get(set_password_path)
    assert response.status_code == 302
    response = client.post(response["Location"], {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    response = client.post(
        "/fr/accounts/login/", {"login": "marc.lefevre@acme-robotique.example", "password": NEW_PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == "/fr/my-space/"
    assert "_auth_user_id" in client.session

    # …and opens his organisation's member space.
    response = client.get("/fr/members/my-organisation/", follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == f"/fr/members/my-organisation/{organisation.slug}/"
    assert "Acme Robotique" in response.content.decode()


def gettext_fr(message):
    with translation.override("fr"):
        return gettext(message)


def confirmation_mail(address):
    sent = [message for message in mail.outbox if message.to == [address]]
    assert len(sent) == 1
    return sent[0]


@pytest.mark.parametrize(
    ("url", "subject", "sentence"),
    [
        (
            JOIN,
            "Êtes-vous le contact de Acme Robotique ? Confirmez sur le portail de",
            "rien n'y est rattaché tant que vous ne confirmez pas",
        ),
        (JOIN_EN, "Are you the contact of Acme Robotique? Confirm on", "nothing is attached to it until you confirm"),
    ],
)
def test_the_join_form_never_binds_an_existing_account_its_owner_logs_in_and_confirms(
    client, member_user, other_member_user, staff_user, url, subject, sentence, django_capture_on_commit_callbacks
):
    """Anyone may type anyone's address: an existing account becomes the contact only when
    its owner, logged in, says so."""
    response = apply(
        client, application(contact_email="Contact@Acme.example"), url=url, capture=django_capture_on_commit_callbacks
    )
    assert response.status_code == 302
    assert User.objects.filter(email__iexact="contact@acme.example").count() == 1
    contact = Person.objects.get(is_main_contact=True)
    assert contact.user is None and contact.email == "contact@acme.example"
    assert not Person.objects.filter(user=member_user).exists()
    message = confirmation_mail("contact@acme.example")
    assert message.subject.startswith(subject)
    assert sentence in message.body
    assert "/accounts/password/reset/key/" not in message.body
    confirm_path = link_in(message, r"/(?:fr|en)/members/join/confirm/[^/\s]+/")

    # another account cannot use the link
    login(client, other_member_user)
    assert client.get(confirm_path).status_code == 403
    assert client.post(confirm_path).status_code == 403
    contact.refresh_from_db()
    assert contact.user is None
    client.logout()

    # anonymous: log in first
    response = client.get(confirm_path)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]

    login(client, member_user)
    page = client.get(confirm_path)
    assert page.status_code == 200
    assert "Acme Robotique" in page.content.decode()
    contact.refresh_from_db()
    assert contact.user is None  # a GET changes nothing
    response = client.post(confirm_path)
    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.user == member_user
    entry = ActivityLog.objects.get(verb="membership.contact_confirmed")
    assert entry.actor == member_user
    assert client.post(confirm_path).status_code == 404  # used once


def test_a_forged_or_expired_confirmation_link_attaches_nothing(
    client, member_user, django_capture_on_commit_callbacks
):
    apply(client, application(contact_email="contact@acme.example"), capture=django_capture_on_commit_callbacks)
    path = link_in(confirmation_mail("contact@acme.example"), r"/fr/members/join/confirm/[^/\s]+/")
    login(client, member_user)
    assert client.post(path[:-2] + "x/").status_code == 404
    with freeze_days(15):
        assert client.post(path).status_code == 404
    assert Person.objects.get(is_main_contact=True).user is None


def freeze_days(days):
    real = time.time
    return mock.patch("time.time", lambda: real() + days * 24 * 60 * 60)


def test_a_logged_in_user_applying_with_his_own_address_is_the_contact_at_once(
    client, member_user, django_capture_on_commit_callbacks
):
    login(client, member_user)
    response = apply(
        client, application(contact_email="contact@acme.example"), capture=django_capture_on_commit_callbacks
    )
    assert response.status_code == 302
    assert Person.objects.get(is_main_contact=True).user == member_user
    message = confirmation_mail("contact@acme.example")
    assert "/members/join/confirm/" not in message.body
    assert "/fr/accounts/login/" in message.body


def approve(client, membership, capture):
    client.post(f"/fr/members/staff/applications/{membership.pk}/review/")
    with capture(execute=True):
        response = client.post(
            f"/fr/members/staff/applications/{membership.pk}/approve/",
            {
                "approve-decision_date": timezone.localdate().isoformat(),
                "approve-decision_reference": "CA-9",
                "approve-start_date": timezone.localdate().isoformat(),
            },
        )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.state == State.ACTIVE


def test_a_contact_who_sets_his_password_before_the_approval_can_log_in_at_once(
    client, staff_user, totp_secret, django_capture_on_commit_callbacks
):
    apply(client, application(), capture=django_capture_on_commit_callbacks)
    welcome = next(m for m in mail.outbox if m.to == ["marc.lefevre@acme-robotique.example"])
    response = client.get(link_in(welcome, r"/fr/accounts/password/reset/key/[^\s]+/"))
    client.post(response["Location"], {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    # The link was sent to his address: setting the password through it proves the address.
    assert EmailAddress.objects.get(email="marc.lefevre@acme-robotique.example").verified is True
    response = client.post(
        "/fr/accounts/login/", {"login": "marc.lefevre@acme-robotique.example", "password": NEW_PASSWORD}
    )
    assert response["Location"] == "/fr/my-space/"

    staff = Client()
    login(staff, staff_user, totp_secret)
    approve(staff, Membership.objects.get(), django_capture_on_commit_callbacks)
    approved = mail.outbox[-1]
    assert "/accounts/password/reset/key/" not in approved.body  # he has a password already


def test_approval_does_not_verify_an_older_unverified_account(
    client, django_user_model, staff_user, totp_secret, django_capture_on_commit_callbacks
):
    """Someone signed up with this address but never proved it; an application naming it
    must not vouch for it."""
    older = make_user(django_user_model, "marc.lefevre@acme-robotique.example", verified=False)
    apply(client, application(), capture=django_capture_on_commit_callbacks)
    assert Person.objects.get(is_main_contact=True).user is None  # until its owner confirms
    login(client, staff_user, totp_secret)
    approve(client, Membership.objects.get(), django_capture_on_commit_callbacks)
    assert EmailAddress.objects.get(user=older).verified is False


def test_the_application_records_that_it_created_the_account_in_a_column(
    client, django_user_model, django_capture_on_commit_callbacks
):
    apply(client, application(), capture=django_capture_on_commit_callbacks)
    assert Membership.objects.get().created_applicant_account is True

    make_user(django_user_model, "paul@bureau-robotique.example", verified=False)
    data = application(contact_email="paul@bureau-robotique.example")
    apply(client, data, capture=django_capture_on_commit_callbacks)
    assert Membership.objects.get(applicant__email="paul@bureau-robotique.example").created_applicant_account is False


def test_the_migration_fills_the_column_from_the_log_of_earlier_applications():
    created, older = MembershipFactory(), MembershipFactory()
    record_activity(actor=None, verb="membership.applied", target=created, data={"new_account": True})
    record_activity(actor=None, verb="membership.applied", target=older, data={"new_account": False})

    migration = importlib.import_module("members.migrations.0007_membership_created_applicant_account")
    migration.fill_from_the_log(django_apps, None)

    assert set(Membership.objects.filter(created_applicant_account=True)) == {created}


def test_one_person_holds_both_roles_when_the_representative_is_the_contact(client, django_capture_on_commit_callbacks):
    data = application(rep_email="boss@acme-robotique.example", contact_email="BOSS@acme-robotique.example")
    assert apply(client, data, capture=django_capture_on_commit_callbacks).status_code == 302
    (person,) = Person.objects.all()
    assert (person.is_legal_representative, person.is_main_contact, person.is_organisation_admin) == (True, True, True)


def test_a_research_lab_abroad_needs_no_siret_nor_department(client, django_capture_on_commit_callbacks):
    data = application(
        kind=OrganisationKind.RESEARCH, siret="", country="DE", department="", headcount="", city="Berlin"
    )
    response = apply(client, data, capture=django_capture_on_commit_callbacks)
    assert response.status_code == 302
    organisation = Organisation.objects.get()
    assert (organisation.siret, organisation.siren, organisation.country.code, organisation.region) == (
        "",
        "",
        "DE",
        "",
    )


def test_the_form_is_public_and_prefills_the_contact_of_a_logged_in_user(client, member_user):
    anonymous = client.get(JOIN)
    assert anonymous.status_code == 200
    assert 'enctype="multipart/form-data"' in anonymous.content.decode()
    client.force_login(member_user)
    content = client.get(JOIN).content.decode()
    assert 'value="contact@acme.example"' in content
    assert 'value="Alice"' in content


# --- Bad input: a clear message next to the field, nothing typed lost -----------------------


def assert_kept(content, domains):
    for expected in [
        'value="Acme Robotique"',
        'value="ACME"',
        'value="12 rue des Forges"',
        'value="Marc.Lefevre@Acme-Robotique.example"',
        'value="04 72 00 00 00"',
        "Nous voulons monter des projets de robotique collaborative.",
        '<option value="smes" selected>',
        '<option value="69" selected>',
    ]:
        assert expected in content, expected
    for domain in domains:
        assert re.search(rf'<input[^>]*value="{domain.pk}"[^>]*checked', content)
    assert "Attached files are not kept: please select them again before sending." in content


@pytest.mark.parametrize(
    ("siret", "message"),
    [
        ("732 829 321 00074", "This SIRET number is not valid (its check digit is wrong)."),
        ("7328293200007", "A SIRET number has exactly 14 digits."),
        ("73282932000074123", "A SIRET number has exactly 14 digits."),
    ],
)
def test_a_bad_siret_is_refused_next_to_its_field(client, domains, siret, message, django_capture_on_commit_callbacks):
    response = apply(client, application(domains, siret=siret), url=JOIN_EN, capture=django_capture_on_commit_callbacks)
    assert response.status_code == 200
    assert response.context["form"].errors["siret"] == [message]
    content = response.content.decode()
    errors = content[content.index('id="id_siret_errors"') :]
    assert message in errors[: errors.index("</div>")]
    assert 'aria-describedby="id_siret_errors id_siret_helptext"' in content
    assert f'value="{siret}"' in content
    assert_kept(content, domains)
    assert not Organisation.objects.exists() and mail.outbox == []


def test_a_french_company_must_give_its_siret(client, django_capture_on_commit_callbacks):
    response = apply(client, application(siret=""), url=JOIN_EN, capture=django_capture_on_commit_callbacks)
    assert response.context["form"].errors["siret"] == ["A company registered in France must give its SIRET number."]


def test_a_png_that_is_really_text_is_refused(client, domains, django_capture_on_commit_callbacks):
    fake = SimpleUploadedFile("logo.png", b"this is not an image at all\n" * 20, content_type="image/png")
    data = application(domains, document_1_kind="presentation", document_1=fake)
    response = apply(client, data, url=JOIN_EN, capture=django_capture_on_commit_callbacks)
    assert response.status_code == 200
    assert response.context["form"].errors["document_1"] == [
        "The content of this file does not match its extension .png: it may be damaged or disguised as another type."
    ]
    content = response.content.decode()
    assert_kept(content, domains)
    assert '<option value="presentation" selected>' in content  # the kind is kept, the file must be chosen again
    assert not Organisation.objects.exists() and not MembershipDocument.objects.exists()


def test_a_file_over_20_mb_is_refused(client, domains, django_capture_on_commit_callbacks):
    big = SimpleUploadedFile("accounts.pdf", PDF_BYTES + b"0" * (20 * 1024 * 1024 + 1 - len(PDF_BYTES)))
    assert big.size == 20 * 1024 * 1024 + 1
    response = apply(
        client, application(domains, document_1=big), url=JOIN_EN, capture=django_capture_on_commit_callbacks
    )
    assert response.status_code == 200
    assert response.context["form"].errors["document_1"] == ["This file is too big: the limit is 20 MB."]
    assert_kept(response.content.decode(), domains)
    assert not Organisation.objects.exists()


def test_a_double_extension_is_refused(client, django_capture_on_commit_callbacks):
    data = application(document_1=SimpleUploadedFile("statuts.pdf.exe", PDF_BYTES))
    response = apply(client, data, url=JOIN_EN, capture=django_capture_on_commit_callbacks)
    assert "double extension" in response.context["form"].errors["document_1"][0]


def test_more_than_three_files_are_refused(client, django_capture_on_commit_callbacks):
    data = application(
        document_2_kind="kbis",
        document_2=pdf("kbis.pdf"),
        document_3_kind="accounts",
        document_3=pdf("comptes.pdf"),
        document_4=pdf("extra.pdf"),
    )
    response = apply(client, data, url=JOIN_EN, capture=django_capture_on_commit_callbacks)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == ["You can attach at most 3 files."]
    assert not Organisation.objects.exists()


def test_a_file_needs_a_kind_and_a_kind_needs_a_file(client, django_capture_on_commit_callbacks):
    data = application(document_1_kind="", document_2_kind="kbis")
    response = apply(client, data, url=JOIN_EN, capture=django_capture_on_commit_callbacks)
    errors = response.context["form"].errors
    assert errors["document_1_kind"] == ["Say what this document is."]
    assert errors["document_2"] == ["Select the file of this document, or leave its kind empty."]


def test_consent_is_required(client, django_capture_on_commit_callbacks):
    data = application(consent=None)
    response = apply(client, data, url=JOIN_EN, capture=django_capture_on_commit_callbacks)
    assert response.context["form"].errors["consent"] == ["You must accept the privacy notice to apply."]


def without_csrf_token(html):
    html = re.sub(r'"X-CSRFToken": "[^"]+"', "", html)
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


@pytest.mark.parametrize("url", [JOIN, JOIN_EN])
@pytest.mark.parametrize("state", [State.APPLIED, State.UNDER_REVIEW, State.APPROVED, State.ACTIVE])
def test_the_join_form_does_not_reveal_whether_a_siren_has_applied_staff_check_it(
    client, staff_client, domains, state, url, django_capture_on_commit_callbacks
):
    """A SIREN that is a member or has applied is answered like any other: the form, its
    redirect, the thanks page and the e-mail say only that staff will check the
    organisation; staff see the duplicate."""
    fresh = Client()
    fresh_response = apply(fresh, application(domains, siret="552 100 554 00005"), url=url,
                           capture=django_capture_on_commit_callbacks)  # fmt: skip
    MembershipFactory(organisation__legal_name="Secret Industries", organisation__siren="732829320", state=state)
    anonymous = Client()
    response = apply(anonymous, application(domains), url=url, capture=django_capture_on_commit_callbacks)
    assert response.status_code == fresh_response.status_code == 302
    assert response["Location"] == fresh_response["Location"]
    thanks = without_csrf_token(anonymous.get(response["Location"]).content.decode())
    assert thanks == without_csrf_token(fresh.get(fresh_response["Location"]).content.decode())
    assert "Secret Industries" not in thanks
    checks = {
        JOIN: "vérifie l’organisation (ses identifiants, si elle est déjà adhérente ou a déjà candidaté)",
        JOIN_EN: "checks the organisation (its identifiers, whether it is already a member or has already applied)",
    }[url]
    assert checks.replace("’", "'") in thanks.replace("&#x27;", "'")
    assert not any("Secret Industries" in message.body for message in mail.outbox)
    new = Membership.objects.get(organisation__legal_name="Acme Robotique", organisation__siren="732829320")
    assert new.state == State.APPLIED
    entry = ActivityLog.objects.get(verb="membership.applied", target_id=str(new.pk))
    assert entry.data["possible_duplicate"] is True
    review = staff_client.get(f"/en/members/staff/applications/{new.pk}/").content.decode()
    assert "Secret Industries" in review


@pytest.mark.parametrize("state", [State.REFUSED, State.WITHDRAWN, State.EXCLUDED])
def test_a_siren_whose_membership_ended_may_apply_again(client, state, django_capture_on_commit_callbacks):
    MembershipFactory(organisation__siren="732829320", state=state)
    assert apply(client, application(), capture=django_capture_on_commit_callbacks).status_code == 302
    assert Membership.objects.filter(state=State.APPLIED).count() == 1


# --- Staff review --------------------------------------------------------------------------


@pytest.fixture
def staff_client(client, staff_user, totp_secret):
    login(client, staff_user, totp_secret)
    client.get(STAFF_LIST)  # shows (and so clears) the login message; the session remembers the MFA check
    return client


def pending(**kwargs):
    membership = MembershipFactory(state=kwargs.pop("state", State.APPLIED), **kwargs)
    membership.applicant = PersonFactory(organisation=membership.organisation, email="applicant@example.org")
    membership.save(update_fields=["applicant"])
    return membership


def test_a_forged_approval_of_an_application_not_under_review_gives_a_message(staff_client):
    membership = pending()
    response = staff_client.post(
        f"/en/members/staff/applications/{membership.pk}/approve/",
        {
            "approve-decision_date": "2026-01-10",
            "approve-decision_reference": "CA-1",
            "approve-start_date": "2026-01-10",
        },
        follow=True,
    )
    assert response.status_code == 200
    assert messages_of(response) == [
        'This action is not possible: the application is now "Applied". The page shows what can still be done.'
    ]
    membership.refresh_from_db()
    assert membership.state == State.APPLIED


def test_acting_twice_gives_a_message_not_an_error(staff_client, django_capture_on_commit_callbacks):
    membership = pending(state=State.UNDER_REVIEW)
    url = f"/en/members/staff/applications/{membership.pk}/approve/"
    data = {
        "approve-decision_date": "2026-01-10",
        "approve-decision_reference": "CA-1",
        "approve-start_date": "2026-02-01",
    }
    with django_capture_on_commit_callbacks(execute=True):
        first = staff_client.post(url, data, follow=True)
        second = staff_client.post(url, data, follow=True)
    assert messages_of(first) == [
        f"{membership.organisation.legal_name} is now a member. Its main contact has been e-mailed."
    ]
    assert messages_of(second) == [
        'This action is not possible: the application is now "Active". The page shows what can still be done.'
    ]
    assert [message.to for message in mail.outbox] == [["applicant@example.org"]]
    membership.refresh_from_db()
    assert (membership.state, membership.start_date) == (State.ACTIVE, date(2026, 2, 1))
    start_twice = staff_client.post(f"/en/members/staff/applications/{membership.pk}/review/", follow=True)
    assert messages_of(start_twice)[0].startswith("This action is not possible")


def test_approval_requires_the_board_decision(staff_client):
    membership = pending(state=State.UNDER_REVIEW)
    response = staff_client.post(
        f"/en/members/staff/applications/{membership.pk}/approve/",
        {"approve-decision_date": "", "approve-decision_reference": "", "approve-start_date": "2026-02-01"},
    )
    assert response.status_code == 200
    form = response.context["approval_form"]
    assert form.errors["decision_date"] == ["This field is required."]
    assert form.errors["decision_reference"] == ["This field is required."]
    assert 'value="2026-02-01"' in response.content.decode()
    membership.refresh_from_db()
    assert membership.state == State.UNDER_REVIEW


def test_refusal_requires_a_reason_and_e_mails_it(staff_client, django_capture_on_commit_callbacks):
    membership = pending()
    url = f"/en/members/staff/applications/{membership.pk}/refuse/"
    response = staff_client.post(url, {"refuse-reason": "   "})
    assert response.status_code == 200
    assert response.context["refusal_form"].errors["reason"] == ["This field is required."]
    membership.refresh_from_db()
    assert membership.state == State.APPLIED

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(url, {"refuse-reason": "Activity outside the pole's domains."}, follow=True)
    assert messages_of(response) == ["The application has been refused. Its main contact has been e-mailed."]
    membership.refresh_from_db()
    assert (membership.state, membership.reason) == (State.REFUSED, "Activity outside the pole's domains.")
    (message,) = mail.outbox
    assert message.to == ["applicant@example.org"]
    assert "Activity outside the pole's domains." in message.body
    log = ActivityLog.objects.get(verb="membership.refused")
    assert log.data == {"from": "applied", "to": "refused", "reason": "Activity outside the pole's domains."}


def test_the_review_page_warns_of_possible_duplicates(staff_client):
    OrganisationFactory(legal_name="ACME Robotique S.A.S.", siren=luhn_siren(1), city="Grenoble")
    OrganisationFactory(legal_name="Tout autre nom", siren="732829320", city="Paris")
    OrganisationFactory(legal_name="Boulangerie Martin", siren=luhn_siren(2))
    membership = pending(organisation__legal_name="Acme Robotique", organisation__siren="732829320")
    content = staff_client.get(f"/en/members/staff/applications/{membership.pk}/").content.decode()
    assert "Possible duplicate" in content
    assert "ACME Robotique S.A.S." in content and "similar name" in content
    assert "Tout autre nom" in content and "same SIREN" in content
    assert "Boulangerie Martin" not in content
    listing = staff_client.get("/en/members/staff/applications/")
    assert listing.context["applications"][0].has_possible_duplicates is True


def test_the_staff_list_shows_only_pending_applications(staff_client):
    shown = [
        pending(organisation__legal_name="Applied One"),
        pending(organisation__legal_name="Reviewed Two", state=State.UNDER_REVIEW),
    ]
    for state in [State.ACTIVE, State.REFUSED, State.WITHDRAWN]:
        MembershipFactory(organisation__legal_name=f"Hidden {state}", state=state)
    response = staff_client.get(STAFF_LIST)
    assert [membership.pk for membership in response.context["applications"]] == [m.pk for m in shown]
    assert "Hidden" not in response.content.decode()


@pytest.mark.parametrize("rows", [1, 20])
def test_the_staff_list_runs_the_same_number_of_queries_for_1_and_20_applications(
    staff_client, rows, django_assert_num_queries
):
    for n in range(rows):
        pending(organisation__legal_name=f"Société Candidate {n}")
    with django_assert_num_queries(10):
        response = staff_client.get(STAFF_LIST)
    assert len(response.context["applications"]) == rows


def test_staff_download_a_document_as_a_logged_attachment(staff_client, staff_user):
    membership = pending()
    document = MembershipDocument(
        membership=membership,
        kind="kbis",
        original_name="Kbis été.pdf",
        size=len(PDF_BYTES),
        content_type="application/pdf",
    )
    document.file.save("Kbis été.pdf", SimpleUploadedFile("Kbis été.pdf", PDF_BYTES), save=True)
    response = staff_client.get(f"/fr/members/staff/applications/documents/{document.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Disposition"].startswith("attachment;")
    assert "Kbis" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    log = ActivityLog.objects.get(verb="document.downloaded")
    assert (log.actor, log.target_id, log.data["name"]) == (staff_user, str(document.pk), "Kbis été.pdf")
    assert staff_client.get("/fr/members/staff/applications/documents/999999/").status_code == 404


# --- Who may see what ------------------------------------------------------------------------


def staff_urls(membership, document):
    return [
        STAFF_LIST,
        f"/fr/members/staff/applications/{membership.pk}/",
        f"/fr/members/staff/applications/documents/{document.pk}/",
    ]


def post_urls(membership):
    return [f"/fr/members/staff/applications/{membership.pk}/{action}/" for action in ("review", "approve", "refuse")]


@pytest.fixture
def application_with_document():
    membership = pending(organisation__legal_name="Confidential Candidate")
    document = MembershipDocument(
        membership=membership,
        kind="accounts",
        original_name="comptes.pdf",
        size=len(PDF_BYTES),
        content_type="application/pdf",
    )
    document.file.save("comptes.pdf", SimpleUploadedFile("comptes.pdf", PDF_BYTES), save=True)
    return membership, document


def test_anonymous_visitors_are_sent_to_the_login_page(client, application_with_document):
    membership, document = application_with_document
    for url in staff_urls(membership, document) + post_urls(membership):
        response = client.post(url) if url in post_urls(membership) else client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/fr/accounts/login/"), url
    membership.refresh_from_db()
    assert membership.state == State.APPLIED


def test_a_member_gets_403_on_staff_pages_and_cannot_download_a_document(
    client, member_user, application_with_document
):
    membership, document = application_with_document
    # Even a contact of the applying organisation.
    PersonFactory(organisation=membership.organisation, user=member_user, email=member_user.email)
    login(client, member_user)
    for url in staff_urls(membership, document):
        response = client.get(url)
        assert response.status_code == 403, url
        assert b"%PDF" not in response.content and b"Confidential Candidate" not in response.content
    for url in post_urls(membership):
        assert client.post(url, {"refuse-reason": "forged"}).status_code == 403
    membership.refresh_from_db()
    assert membership.state == State.APPLIED
    assert not ActivityLog.objects.filter(verb="document.downloaded").exists()


# --- Duplicates ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("ACME Robotique SAS", "acme robotique"),
        ("Société Générale d'Électricité S.A.", "generale d electricite"),
        ("Association Les Amis du Rhône", "les amis du rhone"),
        ("GIE Santé-Plus", "sante plus"),
        ("SARL", ""),
    ],
)
def test_names_are_normalised_for_comparison(name, expected):
    assert normalise_name(name) == expected


def test_find_possible_duplicates():
    applicant = OrganisationFactory(legal_name="Acme Robotique", siren="732829320")
    same_name = OrganisationFactory(legal_name="ACME ROBOTIQUE SAS", siren="")
    close_name = OrganisationFactory(legal_name="Acme Robotiques", siren="")
    same_siren = OrganisationFactory(legal_name="Autre chose", siren="732829320")
    OrganisationFactory(legal_name="Acme Aéronautique", siren="")
    OrganisationFactory(legal_name="Biotech Lyon", siren="")
    MembershipFactory(organisation=same_siren, state=State.ACTIVE)
    found = find_possible_duplicates(applicant)
    assert {org.pk: sorted(org.duplicate_reasons) for org in found} == {
        same_name.pk: ["name"],
        close_name.pk: ["name"],
        same_siren.pk: ["siren"],
    }
    assert {org.pk: org.open_memberships for org in found}[same_siren.pk] == [State.ACTIVE]
    assert find_possible_duplicates(OrganisationFactory(legal_name="Tout à fait unique", siren="")) == []
