"""The deposit of a dossier [P6]: eligibility, reference, version, immutable PDF, receipts,
return for information, and the deposit, versions, PDF and return pages."""

import hashlib
import io
import threading
from datetime import timedelta

import pypdf
import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.db import connection
from django.urls import reverse
from django.utils import timezone, translation

from members.models import OrganisationKind
from pole.activity import activity_for
from pole.models import ActivityLog, GeneratedFile
from pole.money import format_euros
from pole.reports import generate_file, request_file
from projects.exceptions import DossierLocked, IllegalTransition
from projects.models import Project, ProjectDocument, ProjectState, ProjectVersion, RequestedAid
from projects.services import submission
from projects.services.deposit import (
    DepositRefused,
    deposit_project,
    dossier_request,
    next_reference,
    return_for_information,
    store_dossier_pdf,
)
from tests.conftest import login
from tests.factories import (
    BudgetLineFactory,
    CallFactory,
    OrganisationFactory,
    PartnerFactory,
    PersonFactory,
    ProjectFactory,
    funding_scheme,
)

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year


def english(url: str) -> str:
    """The English page: these tests check the English wording."""
    return "/en/" + url.split("/", 2)[2]


# --- Building a consortium -------------------------------------------------------------------


@pytest.fixture(autouse=True)
def private_files(tmp_path, monkeypatch):
    """Dossier PDFs go to a temporary private storage, not the developer's private-media/."""
    storage = FileSystemStorage(location=tmp_path / "private")
    monkeypatch.setattr(ProjectVersion._meta.get_field("pdf"), "storage", storage)
    monkeypatch.setattr(ProjectDocument._meta.get_field("file"), "storage", storage)
    return storage


def pdf_files(storage, project) -> list[str]:
    folder = f"dossiers/{project.pk}"
    return storage.listdir(folder)[1] if storage.exists(folder) else []


def pdf_text(content: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


def add_partner(project, organisation, *, budget=None, aid=None, is_lead=False, contact=None, role="Partenaire"):
    partner = PartnerFactory(project=project, organisation=organisation, is_lead=is_lead, contact=contact, role=role)
    for category, amount in (budget or {}).items():
        BudgetLineFactory(partner=partner, category=category, amount=amount)
    if aid is not None:
        RequestedAid.objects.create(partner=partner, funding_scheme=funding_scheme(), amount=aid)
    return partner


def build_consortium(*, lead_user=None, partner_user=None, call=None, acronym="HYDROGENE", partners=3):
    """An eligible project: Alpha (company, lead), Beta (company) and Gamma (lab), 50/30/20 %
    of a 1 000 000 € budget; more companies when `partners` > 3. `lead_user` is Alpha's
    contact, `partner_user` Beta's; Gamma's contact has no account."""
    project = ProjectFactory(call=call or CallFactory(), acronym=acronym)
    alpha = OrganisationFactory(legal_name="Alpha Énergie SAS", kind=OrganisationKind.COMPANY)
    beta = OrganisationFactory(legal_name="Beta Systèmes", kind=OrganisationKind.COMPANY)
    gamma = OrganisationFactory(legal_name="Laboratoire Gamma", kind=OrganisationKind.RESEARCH, siren="", country="FR")
    alpha_contact = PersonFactory(organisation=alpha, user=lead_user, email=getattr(lead_user, "email", "alpha@ex.fr"))
    beta_contact = PersonFactory(
        organisation=beta, user=partner_user, email=getattr(partner_user, "email", "beta@ex.fr")
    )
    gamma_contact = PersonFactory(organisation=gamma, email="gamma@labo.example", first_name="Gaëlle")
    add_partner(
        project,
        alpha,
        budget={"personnel": "400000.00", "equipment": "100000.00"},
        aid="150000.00",
        is_lead=True,
        contact=alpha_contact,
        role="Chef de file, intégration",
    )
    add_partner(project, beta, budget={"personnel": "300000.00"}, aid="90000.00", contact=beta_contact)
    add_partner(project, gamma, budget={"personnel": "200000.00"}, aid="100000.00", contact=gamma_contact)
    for n in range(partners - 3):
        extra = OrganisationFactory(legal_name=f"Partenaire Industriel {n + 4}", kind=OrganisationKind.COMPANY)
        add_partner(project, extra, budget={"travel": "1000.00"}, contact=PersonFactory(organisation=extra))
    project.lead_organisation = alpha
    project.save(update_fields=["lead_organisation"])
    return project


def partner_of(project, name):
    return project.partners.get(organisation__legal_name=name)


@pytest.fixture
def project(member_user, other_member_user):
    other_member_user.language = "en"
    other_member_user.save(update_fields=["language"])
    return build_consortium(lead_user=member_user, partner_user=other_member_user)


def deposit(project, user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return deposit_project(project=project, actor=user)


# --- The service ---------------------------------------------------------------------------------


def test_deposit_is_refused_while_a_rule_fails(project, member_user, django_capture_on_commit_callbacks):
    partner_of(project, "Laboratoire Gamma").delete()  # no research body left

    with (
        translation.override("en"),
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(DepositRefused) as refused,
    ):
        deposit_project(project=project, actor=member_user)

    assert [failure.code for failure in refused.value.failures] == ["consortium.research"]
    assert "research or training bod" in str(refused.value)
    project.refresh_from_db()
    assert (project.state, project.reference, project.deposited_at) == (ProjectState.DRAFT, None, None)
    assert not ProjectVersion.objects.exists()
    assert mail.outbox == []


def test_deposit_locks_stamps_and_freezes_a_version(
    project, member_user, private_files, django_capture_on_commit_callbacks
):
    before = timezone.now()
    returned = deposit(project, member_user, django_capture_on_commit_callbacks)

    project.refresh_from_db()
    assert returned.pk == project.pk and returned.state == ProjectState.DEPOSITED
    assert project.state == ProjectState.DEPOSITED
    assert not project.is_editable
    assert project.reference == f"{YEAR}-FUI-0001"
    assert project.deposited_at >= before
    version = ProjectVersion.objects.get(project=project)
    assert (version.number, version.deposited_by, version.deposited_at) == (1, member_user, project.deposited_at)
    assert version.snapshot["reference"] == project.reference
    assert [p["name"] for p in version.snapshot["partners"]] == [
        "Alpha Énergie SAS",
        "Beta Systèmes",
        "Laboratoire Gamma",
    ]
    assert version.snapshot["totals"]["budget"] == "1000000.00"
    log = activity_for(project).get(verb="project.deposited")
    assert log.actor == member_user and log.data["from"] == ProjectState.DRAFT
    # The PDF task ran after commit.
    assert version.pdf.name == f"dossiers/{project.pk}/{project.reference}-v1.pdf"
    assert pdf_files(private_files, project) == [f"{project.reference}-v1.pdf"]
    assert len(version.pdf_sha256) == 64


def test_the_dossier_is_locked_after_the_deposit(project, member_user, django_capture_on_commit_callbacks):
    deposit(project, member_user, django_capture_on_commit_callbacks)

    with pytest.raises(DossierLocked):
        submission.update_general(project=project, actor=member_user, data={"title_fr": "Changé"})
    with pytest.raises(IllegalTransition):
        deposit_project(project=project, actor=member_user)
    assert ProjectVersion.objects.count() == 1


def test_only_drafts_and_returned_dossiers_can_be_deposited(project, member_user):
    for state in set(ProjectState.values) - {ProjectState.DRAFT, ProjectState.RETURNED}:
        Project.objects.filter(pk=project.pk).update(state=state)
        with pytest.raises(IllegalTransition):
            deposit_project(project=project, actor=member_user)
    assert not ProjectVersion.objects.exists()


def test_references_count_per_year_and_funding_scheme(member_user, django_capture_on_commit_callbacks):
    fui = CallFactory()
    anr = CallFactory(funding_scheme=funding_scheme("anr"))
    first = build_consortium(call=fui, acronym="PREMIER")
    second = build_consortium(call=fui, acronym="SECOND")
    other = build_consortium(call=anr, acronym="AUTRE")

    for project in (first, second, other):
        deposit(project, None, django_capture_on_commit_callbacks)

    references = [Project.objects.get(pk=p.pk).reference for p in (first, second, other)]
    assert references == [f"{YEAR}-FUI-0001", f"{YEAR}-FUI-0002", f"{YEAR}-ANR-0001"]


def test_next_reference_follows_the_highest_of_the_year_and_scheme():
    scheme = funding_scheme()
    ProjectFactory(reference=f"{YEAR}-FUI-0041")
    ProjectFactory(reference=f"{YEAR}-FUI-0007")
    ProjectFactory(reference=f"{YEAR - 1}-FUI-0099")  # last year: not counted
    ProjectFactory(reference=f"{YEAR}-FUI-EXTRA-0500")  # another scheme whose code starts alike
    assert next_reference(year=YEAR, funding_scheme=scheme) == f"{YEAR}-FUI-0042"
    assert next_reference(year=YEAR + 1, funding_scheme=scheme) == f"{YEAR + 1}-FUI-0001"


@pytest.mark.django_db(transaction=True)
def test_simultaneous_deposits_get_distinct_references():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (row locks); SQLite serialises writers and cannot run this race")
    call = CallFactory()
    projects = [build_consortium(call=call, acronym=f"COURSE{n}") for n in range(4)]
    barrier = threading.Barrier(len(projects))
    errors = []

    def run(project):
        from django.db import connection as thread_connection

        try:
            barrier.wait()
            deposit_project(project=Project.objects.get(pk=project.pk), actor=None)
        except Exception as error:  # noqa: BLE001 — reported below
            errors.append(error)
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=run, args=(project,)) for project in projects]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    references = sorted(Project.objects.values_list("reference", flat=True))
    assert references == [f"{YEAR}-FUI-{n:04d}" for n in range(1, 5)]


def test_the_pdf_holds_the_dossier(project, member_user, private_files, django_capture_on_commit_callbacks):
    ProjectDocument.objects.create(
        project=project,
        kind="technical_annex",
        file=ContentFile(b"%PDF-1.4 annexe", name="annexe.pdf"),
        original_name="annexe-technique.pdf",
        size=15,
        content_type="application/pdf",
        sha256="ab" * 32,
    )
    deposit(project, member_user, django_capture_on_commit_callbacks)
    version = ProjectVersion.objects.get(project=project)

    content = version.pdf.read()
    assert hashlib.sha256(content).hexdigest() == version.pdf_sha256
    text = " ".join(pdf_text(content).split())
    project.refresh_from_db()
    assert project.acronym in text
    assert project.reference in text
    for name in ("Alpha Énergie SAS", "Beta Systèmes", "Laboratoire Gamma"):
        assert name in text
    assert "Chef de file, intégration" in text
    assert project.title_fr in text
    assert "annexe-technique.pdf" in text and "ab" * 32 in text
    # French formatting of the amounts (narrow no-break space between thousands).
    assert " ".join(format_euros("1000000.00").split()) in text or "1 000 000,00" in text.replace("\u202f", " ")


def test_the_pdf_task_twice_leaves_one_unchanged_file(
    project, member_user, private_files, django_capture_on_commit_callbacks
):
    deposit(project, member_user, django_capture_on_commit_callbacks)
    version = ProjectVersion.objects.get(project=project)
    name, digest, content = version.pdf.name, version.pdf_sha256, version.pdf.read()

    job = GeneratedFile.objects.get(kind="projects.dossier_pdf", subject=f"projects.dossier_pdf:{version.pk}")
    assert job.status == "done" and job.checksum == digest and job.pages >= 1
    assert generate_file.delay(file_id=job.pk).get() == "done"  # a redelivered job does nothing more
    with django_capture_on_commit_callbacks(execute=True):
        request_file(dossier_request(version.pk))  # asked again: the stored file is kept
    store_dossier_pdf(version_id=version.pk)

    version.refresh_from_db()
    assert (version.pdf.name, version.pdf_sha256) == (name, digest)
    assert version.pdf.read() == content
    assert pdf_files(private_files, project) == [name.rsplit("/", 1)[1]]


def test_a_lost_race_for_the_pdf_deletes_its_own_file(project, member_user, private_files, monkeypatch):
    """Two tasks render at once: the one that finds the row claimed when it has finished
    rendering removes its own file and keeps the winner's."""
    monkeypatch.setattr("projects.services.deposit._schedule_pdf", lambda version_id, **kwargs: None)
    deposit_project(project=project, actor=member_user)
    version = ProjectVersion.objects.get(project=project)
    winner = f"dossiers/{project.pk}/winner.pdf"

    def render_while_another_task_wins(template_name, context=None, *, language="fr"):
        ProjectVersion.objects.filter(pk=version.pk).update(pdf=winner, pdf_sha256="1" * 64)
        return b"%PDF-1.7 loser"

    monkeypatch.setattr("pole.pdf.render_pdf", render_while_another_task_wins)
    assert store_dossier_pdf(version_id=version.pk) == winner
    assert pdf_files(private_files, project) == []  # the loser's file is gone
    version.refresh_from_db()
    assert (version.pdf.name, version.pdf_sha256) == (winner, "1" * 64)


def test_receipts_go_to_every_partner_in_their_language(
    project, member_user, other_member_user, django_capture_on_commit_callbacks
):
    deposit(project, member_user, django_capture_on_commit_callbacks)
    project.refresh_from_db()

    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [member_user.email, other_member_user.email, "gamma@labo.example"]
    )
    for message in mail.outbox:
        assert project.reference in message.subject
        assert project.acronym in message.body
        assert project.reference in message.alternatives[0][0]
    english = next(message for message in mail.outbox if message.to == [other_member_user.email])
    assert "The dossier of the project" in english.body
    assert project.title_en in english.body
    french = next(message for message in mail.outbox if message.to == [member_user.email])
    assert project.title_fr in french.body


def test_a_partner_without_contact_is_reached_through_its_main_contact(
    project, member_user, django_capture_on_commit_callbacks
):
    gamma = partner_of(project, "Laboratoire Gamma")
    gamma.contact = None
    gamma.save()
    deposit(project, member_user, django_capture_on_commit_callbacks)
    assert "gamma@labo.example" in [message.to[0] for message in mail.outbox]


# --- Return for information ---------------------------------------------------------------------------


def test_return_unlocks_and_starts_a_new_version(project, member_user, staff_user, django_capture_on_commit_callbacks):
    deposit(project, member_user, django_capture_on_commit_callbacks)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        return_for_information(project=project, actor=staff_user, reason="  Merci de joindre l'annexe technique.  ")

    project.refresh_from_db()
    assert (project.state, project.version) == (ProjectState.RETURNED, 2)
    assert project.is_editable
    assert project.reference == f"{YEAR}-FUI-0001"
    log = activity_for(project).get(verb="project.returned")
    assert log.actor == staff_user and log.data["reason"] == "Merci de joindre l'annexe technique."
    assert [message.to for message in mail.outbox] == [[member_user.email]]
    assert "Merci de joindre l'annexe technique." in mail.outbox[0].body
    # The dossier can be changed again, then deposited as version 2 under the same reference.
    submission.update_general(project=project, actor=member_user, data={"title_fr": "Titre complété"})
    deposit(project, member_user, django_capture_on_commit_callbacks)
    project.refresh_from_db()
    assert project.reference == f"{YEAR}-FUI-0001"
    assert list(project.versions.values_list("number", flat=True)) == [1, 2]
    assert project.versions.get(number=1).snapshot["general"]["title_fr"] != "Titre complété"
    assert project.versions.get(number=2).snapshot["general"]["title_fr"] == "Titre complété"


def test_return_needs_a_reason_and_a_deposited_dossier(project, member_user, staff_user):
    with pytest.raises(IllegalTransition):
        return_for_information(project=project, actor=staff_user, reason="Pourquoi pas")
    deposit_project(project=project, actor=member_user)
    with pytest.raises(ValueError):
        return_for_information(project=project, actor=staff_user, reason="   ")
    project.refresh_from_db()
    assert (project.state, project.version) == (ProjectState.DEPOSITED, 1)


# --- The pages ---------------------------------------------------------------------------------------


def deposit_url(project):
    return english(reverse("projects:project-deposit", kwargs={"pk": project.pk}))


def test_the_deposit_page_shows_the_checklist_and_the_warning(client, project, member_user):
    login(client, member_user)
    response = client.get(deposit_url(project))
    content = response.content.decode()
    assert response.status_code == 200
    assert 'data-code="consortium.companies"' in content
    assert "Once deposited, the dossier is locked" in content
    assert 'name="confirm"' in content


def test_the_deposit_page_refuses_with_the_failures_listed(
    client, project, member_user, django_capture_on_commit_callbacks
):
    partner_of(project, "Laboratoire Gamma").delete()
    login(client, member_user)
    page = client.get(deposit_url(project)).content.decode()
    assert 'name="confirm"' not in page  # no confirmation while a rule fails

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(deposit_url(project), {"confirm": "on"}, follow=True)

    content = response.content.decode()
    assert response.redirect_chain[-1][0] == deposit_url(project)
    assert "The dossier was not deposited" in content
    assert "The consortium has 0 research or training bodies" in content
    project.refresh_from_db()
    assert project.state == ProjectState.DRAFT
    assert mail.outbox == []


def test_the_lead_deposits_through_the_page(client, project, member_user, django_capture_on_commit_callbacks):
    login(client, member_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(deposit_url(project), {"confirm": "on"})

    assert response.status_code == 302
    assert response["Location"] == reverse("projects:project-detail", kwargs={"pk": project.pk})
    project.refresh_from_db()
    assert project.state == ProjectState.DEPOSITED
    assert len(mail.outbox) == 3


def test_the_deposit_needs_the_confirmation(client, project, member_user):
    login(client, member_user)
    response = client.post(deposit_url(project), {})
    assert response.status_code == 200
    assert "Tick this box to confirm the deposit." in response.content.decode()
    project.refresh_from_db()
    assert project.state == ProjectState.DRAFT


def test_a_deposit_of_a_deposited_dossier_says_why(client, project, member_user):
    Project.objects.filter(pk=project.pk).update(state=ProjectState.ADMISSIBLE)
    login(client, member_user)
    response = client.post(deposit_url(project), {"confirm": "on"}, follow=True)
    assert "it cannot be deposited" in response.content.decode()
    project.refresh_from_db()
    assert project.state == ProjectState.ADMISSIBLE


def test_a_forged_deposit_by_a_partner_is_forbidden(client, project, other_member_user):
    login(client, other_member_user)
    assert client.get(deposit_url(project)).status_code == 403
    response = client.post(deposit_url(project), {"confirm": "on"})
    assert response.status_code == 403
    project.refresh_from_db()
    assert (project.state, project.reference) == (ProjectState.DRAFT, None)
    assert not ProjectVersion.objects.exists()


def test_an_unrelated_contact_gets_404_everywhere(
    client, django_user_model, member_user, django_capture_on_commit_callbacks
):
    project = build_consortium(lead_user=member_user)
    deposit(project, member_user, django_capture_on_commit_callbacks)
    version = ProjectVersion.objects.get(project=project)
    stranger = django_user_model.objects.create_user("stranger@elsewhere.example", "correct-horse-battery-staple")
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=stranger, email=stranger.email, verified=True, primary=True)
    PersonFactory(organisation=OrganisationFactory(), user=stranger)
    login(client, stranger)

    urls = [
        deposit_url(project),
        reverse("projects:project-versions", kwargs={"pk": project.pk}),
        reverse("projects:project-versions-compare", kwargs={"pk": project.pk}),
        reverse("projects:project-version-pdf", kwargs={"pk": version.pk}),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
    assert client.post(deposit_url(project), {"confirm": "on"}).status_code == 404
    assert not ActivityLog.objects.filter(verb="dossier.downloaded").exists()


def test_the_pdf_download_is_logged(client, project, member_user, django_capture_on_commit_callbacks):
    deposit(project, member_user, django_capture_on_commit_callbacks)
    version = ProjectVersion.objects.get(project=project)
    login(client, member_user)

    response = client.get(reverse("projects:project-version-pdf", kwargs={"pk": version.pk}))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{YEAR}-FUI-0001-v1.pdf"'
    assert b"".join(response.streaming_content) == version.pdf.read()
    log = ActivityLog.objects.get(verb="dossier.downloaded")
    assert log.actor == member_user and log.data["version"] == 1 and log.target_id == str(version.pk)


def test_the_pdf_is_for_the_lead_and_staff_not_the_other_partners(
    client, project, member_user, other_member_user, django_capture_on_commit_callbacks
):
    deposit(project, member_user, django_capture_on_commit_callbacks)
    version = ProjectVersion.objects.get(project=project)
    login(client, other_member_user)
    assert client.get(reverse("projects:project-version-pdf", kwargs={"pk": version.pk})).status_code == 403
    page = client.get(reverse("projects:project-versions", kwargs={"pk": project.pk})).content.decode()
    assert reverse("projects:project-version-pdf", kwargs={"pk": version.pk}) not in page


def test_a_pdf_not_ready_yet_shows_a_polling_page(
    client, project, member_user, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr("projects.services.deposit._schedule_pdf", lambda version_id, **kwargs: None)
    deposit_project(project=project, actor=member_user)
    version = ProjectVersion.objects.get(project=project)
    url = english(reverse("projects:project-version-pdf", kwargs={"pk": version.pk}))
    login(client, member_user)

    fragment = client.get(url, headers={"HX-Request": "true"})
    assert fragment.status_code == 200
    assert 'hx-trigger="every 3s"' in fragment.content.decode()
    assert "<html" not in fragment.content.decode()
    assert not ActivityLog.objects.filter(verb="dossier.downloaded").exists()

    # A full visit asks for the lost PDF again (eager here: it is generated at once).
    with django_capture_on_commit_callbacks(execute=True):
        page = client.get(url)
    assert page.status_code == 200
    assert "being generated" in page.content.decode()
    version.refresh_from_db()
    assert version.pdf.name


def test_the_versions_page_lists_versions_with_dates_and_pdfs(
    client, project, member_user, django_capture_on_commit_callbacks
):
    deposit(project, member_user, django_capture_on_commit_callbacks)
    version = ProjectVersion.objects.get(project=project)
    login(client, member_user)
    content = client.get(reverse("projects:project-versions", kwargs={"pk": project.pk})).content.decode()
    assert reverse("projects:project-version-pdf", kwargs={"pk": version.pk}) in content
    assert timezone.localtime(version.deposited_at).strftime("%d/%m/%Y") in content


def add_versions(project, count):
    base = timezone.now() - timedelta(days=count)
    for number in range(1, count + 1):
        ProjectVersion.objects.create(
            project=project,
            number=number,
            snapshot={"general": {"acronym": project.acronym}},
            deposited_at=base + timedelta(days=number),
            pdf=f"dossiers/{project.pk}/v{number}.pdf",
            pdf_sha256="0" * 64,
        )
    Project.objects.filter(pk=project.pk).update(
        version=count, state=ProjectState.DEPOSITED, reference=f"2026-FUI-{project.pk:04d}"
    )


def test_the_versions_page_query_count_does_not_grow(client, member_user, django_assert_num_queries):
    from django.test.utils import CaptureQueriesContext

    one = build_consortium(lead_user=member_user, acronym="UNE")
    ten = build_consortium(lead_user=member_user, acronym="DIX")
    add_versions(one, 1)
    add_versions(ten, 10)
    login(client, member_user)
    client.get(reverse("projects:project-versions", kwargs={"pk": one.pk}))  # warm the session and caches

    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("projects:project-versions", kwargs={"pk": one.pk}))
    assert response.status_code == 200
    with django_assert_num_queries(len(queries)):
        response = client.get(reverse("projects:project-versions", kwargs={"pk": ten.pk}))
    assert response.content.decode().count("/pdf/") == 10


# --- Return for information, pages -----------------------------------------------------------------


def test_staff_return_a_dossier_through_the_page(
    client, project, member_user, staff_user, totp_secret, django_capture_on_commit_callbacks
):
    deposit(project, member_user, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    url = english(reverse("projects:project-return", kwargs={"pk": project.pk}))
    login(client, staff_user, totp_secret)

    assert client.get(url).status_code == 200
    response = client.post(url, {"reason": "   "})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode() or "Say what" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"reason": "Budget de Beta à détailler."})

    assert response.status_code == 302
    project.refresh_from_db()
    assert (project.state, project.version) == (ProjectState.RETURNED, 2)
    assert [message.to for message in mail.outbox] == [[member_user.email]]
    # A second return of a dossier no longer deposited is refused with a message.
    response = client.post(url, {"reason": "Encore"}, follow=True)
    assert "it cannot be returned for information" in response.content.decode()
    assert Project.objects.get(pk=project.pk).version == 2


def test_members_cannot_return_a_dossier(client, project, member_user, django_capture_on_commit_callbacks):
    deposit(project, member_user, django_capture_on_commit_callbacks)
    login(client, member_user)
    response = client.post(reverse("projects:project-return", kwargs={"pk": project.pk}), {"reason": "Je reprends"})
    assert response.status_code == 403
    assert Project.objects.get(pk=project.pk).state == ProjectState.DEPOSITED
