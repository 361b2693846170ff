"""Documents of a dossier [P5]: typed uploads checked by content (20 MB at most, PDF, ODF,
Office Open XML, PNG/JPEG), stored privately with their SHA-256, downloaded only through a
permission-checked view as attachments, every download logged."""

import hashlib
import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from pole.models import ActivityLog
from projects.models import ProjectDocument, ProjectState
from projects.services import submission
from projects.services.states import transition_project
from tests.conftest import login
from tests.projects.test_submission import make_dossier, url

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
HTML_AS_PDF = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, format="PNG")
    return buffer.getvalue()


def zip_bytes() -> bytes:
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "hello")
    return buffer.getvalue()


@pytest.fixture
def dossier(member_user, other_member_user):
    return make_dossier(member_user, other_member_user)


def upload(client, dossier, name, content, *, language="fr", kind="technical_annex", partner="", **extra):
    data = {"doc-kind": kind, "doc-partner": partner, "doc-file": SimpleUploadedFile(name, content), **extra}
    return client.post(url("project-edit-documents", language=language, pk=dossier.project.pk), data)


def test_the_lead_uploads_a_pdf_stored_privately_with_its_checksum(client, member_user, dossier):
    login(client, member_user)
    response = upload(client, dossier, "Annexe technique.pdf", PDF, **{"continue": "1"})
    assert response.status_code == 302
    assert response["Location"] == url("project-edit-checks", pk=dossier.project.pk)
    document = ProjectDocument.objects.get()
    assert (document.kind, document.partner, document.original_name, document.size) == (
        "technical_annex",
        None,
        "Annexe technique.pdf",
        len(PDF),
    )
    assert document.content_type == "application/pdf"
    assert document.sha256 == hashlib.sha256(PDF).hexdigest()
    assert (document.version, document.uploaded_by) == (1, member_user)
    stored = Path(document.file.path)
    assert stored.read_bytes() == PDF
    # the private storage, outside the public media folder
    storage = ProjectDocument._meta.get_field("file").storage
    assert document.file.storage is storage
    assert Path(storage.location) in stored.parents
    assert Path(settings.MEDIA_ROOT) not in stored.parents
    assert ActivityLog.objects.filter(verb="project.document_added").count() == 1
    assert ProjectDocument.objects.get().project.state == ProjectState.DRAFT


def test_an_image_for_one_partner_is_accepted(client, member_user, dossier):
    login(client, member_user)
    response = upload(client, dossier, "kbis.png", png_bytes(), kind="kbis", partner=str(dossier.partner.pk))
    assert response.status_code == 302
    document = ProjectDocument.objects.get()
    assert (document.partner, document.content_type) == (dossier.partner, "image/png")


@pytest.mark.parametrize(
    "name, content, reason",
    [
        ("annexe.pdf", PDF + b"\0" * (20 * 1024 * 1024 + 1 - len(PDF)), "This file is too big: the limit is 20 MB."),
        ("setup.exe", EXE, "This type of file is not accepted. Allowed formats: "),
        ("archive.zip", zip_bytes(), "This type of file is not accepted. Allowed formats: "),
        (
            "rapport.pdf",
            HTML_AS_PDF,
            "The content of this file does not match its extension .pdf: it may be damaged or disguised",
        ),
        ("x.php.pdf", PDF, "This file name has a double extension (x.php.pdf), a common way to disguise a file."),
    ],
    ids=["too-big", "exe", "zip", "html-in-a-pdf", "double-extension"],
)
def test_bad_files_are_refused_with_their_reason(client, member_user, dossier, name, content, reason):
    login(client, member_user)
    response = upload(client, dossier, name, content, language="en", kind="kbis", partner=str(dossier.partner.pk))
    assert response.status_code == 200
    errors = response.context["form"].errors["file"]
    assert len(errors) == 1 and errors[0].startswith(reason)
    html = response.content.decode()
    assert reason in html
    # what was chosen is kept
    form = response.context["form"]
    assert (form["kind"].value(), form["partner"].value()) == ("kbis", str(dossier.partner.pk))
    assert not ProjectDocument.objects.exists()


def test_the_service_checks_the_file_too(member_user, dossier):
    with pytest.raises(ValidationError) as refused:
        submission.add_document(
            project=dossier.project,
            partner=None,
            kind="other",
            upload=SimpleUploadedFile("rapport.pdf", HTML_AS_PDF),
            actor=member_user,
        )
    assert refused.value.code == "file_content_mismatch"
    assert not ProjectDocument.objects.exists()


def test_a_download_is_an_attachment_never_sniffed_and_logged(client, member_user, dossier):
    login(client, member_user)
    upload(client, dossier, "Annexe technique.pdf", PDF)
    document = ProjectDocument.objects.get()
    response = client.get(url("project-document", pk=document.pk))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "Annexe" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    entry = ActivityLog.objects.get(verb="document.downloaded")
    assert (entry.actor, entry.target_id, entry.data) == (
        member_user,
        str(document.pk),
        {"project": dossier.project.pk},
    )
    assert entry.target_type.model == "projectdocument"


def test_partners_download_what_they_may_see_and_nothing_else(client, member_user, other_member_user, dossier):
    login(client, member_user)
    upload(client, dossier, "annexe.pdf", PDF)
    upload(client, dossier, "comptes-acme.pdf", PDF, kind="accounts", partner=str(dossier.lead.pk))
    upload(client, dossier, "kbis-beta.pdf", PDF, kind="kbis", partner=str(dossier.partner.pk))
    documents = {document.original_name: document for document in ProjectDocument.objects.all()}
    client.logout()
    login(client, other_member_user)
    assert client.get(url("project-document", pk=documents["annexe.pdf"].pk)).status_code == 200
    assert client.get(url("project-document", pk=documents["kbis-beta.pdf"].pk)).status_code == 200
    assert client.get(url("project-document", pk=documents["comptes-acme.pdf"].pk)).status_code == 404
    assert ActivityLog.objects.filter(verb="document.downloaded", actor=other_member_user).count() == 2


def test_staff_download_every_document_and_downloads_stay_open_after_the_deposit(
    client, member_user, staff_user, totp_secret, dossier
):
    login(client, member_user)
    upload(client, dossier, "kbis-beta.pdf", PDF, kind="kbis", partner=str(dossier.partner.pk))
    document = ProjectDocument.objects.get()
    transition_project(project=dossier.project, target=ProjectState.DEPOSITED, actor=member_user)
    assert client.get(url("project-document", pk=document.pk)).status_code == 200
    client.logout()
    login(client, staff_user, totp_secret)
    assert client.get(url("project-document", pk=document.pk)).status_code == 200
    assert ActivityLog.objects.filter(verb="document.downloaded").count() == 2


def test_anonymous_visitors_cannot_download(client, member_user, dossier):
    login(client, member_user)
    upload(client, dossier, "annexe.pdf", PDF)
    client.logout()
    response = client.get(url("project-document", pk=ProjectDocument.objects.get().pk))
    assert response.status_code == 302 and response["Location"].startswith("/fr/accounts/login/")
    assert not ActivityLog.objects.filter(verb="document.downloaded").exists()


def test_the_lead_removes_a_document_and_its_file(client, member_user, dossier, django_capture_on_commit_callbacks):
    login(client, member_user)
    upload(client, dossier, "annexe.pdf", PDF)
    document = ProjectDocument.objects.get()
    path = Path(document.file.path)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("project-document-remove", pk=dossier.project.pk, document_pk=document.pk))
    assert response.status_code == 302
    assert not ProjectDocument.objects.exists()
    assert not path.exists()


def test_a_document_of_a_deposited_version_stays_in_the_dossier_until_withdrawn(client, member_user, dossier):
    call = dossier.project.call
    call.required_document_kinds = ["technical_annex"]
    call.save()
    login(client, member_user)
    upload(client, dossier, "annexe.pdf", PDF)
    document = ProjectDocument.objects.get()
    path = Path(document.file.path)
    # the dossier was deposited, then returned for information: version 2 is being prepared
    type(dossier.project).objects.filter(pk=dossier.project.pk).update(state=ProjectState.RETURNED, version=2)
    page = client.get(url("project-edit-documents", language="en", pk=dossier.project.pk))
    # the annex of version 1 still counts: nothing to upload again
    assert page.context["required_kinds"] == [("Technical annex", True)]
    assert [d.pk for d in page.context["documents"]] == [document.pk]
    assert "Added in version" in page.content.decode()

    # withdrawn from version 2, it stays with version 1, file included
    client.post(url("project-document-remove", pk=dossier.project.pk, document_pk=document.pk))
    document.refresh_from_db()
    assert (document.version, document.withdrawn_in_version) == (1, 2)
    assert path.exists()
    page = client.get(url("project-edit-documents", language="en", pk=dossier.project.pk))
    assert page.context["required_kinds"] == [("Technical annex", False)]
    assert page.context["documents"] == []
    # a second removal is refused with a message, not an error
    response = client.post(
        url("project-document-remove", language="en", pk=dossier.project.pk, document_pk=document.pk), follow=True
    )
    assert "no longer part of the dossier" in response.content.decode()

    upload(client, dossier, "annexe-v2.pdf", PDF)
    assert ProjectDocument.objects.get(original_name="annexe-v2.pdf").version == 2
    assert set(ProjectDocument.objects.current().values_list("original_name", flat=True)) == {"annexe-v2.pdf"}


def test_removing_a_partner_keeps_its_documents_of_a_deposited_version_for_staff_only(
    client, member_user, other_member_user, staff_user, totp_secret, dossier, django_capture_on_commit_callbacks
):
    login(client, member_user)
    upload(client, dossier, "beta-kbis-v1.pdf", PDF, kind="kbis", partner=dossier.partner.pk)
    v1 = ProjectDocument.objects.get()
    # deposited, returned for information: version 2 is being prepared
    type(dossier.project).objects.filter(pk=dossier.project.pk).update(state=ProjectState.RETURNED, version=2)
    upload(client, dossier, "beta-kbis-v2.pdf", PDF, kind="kbis", partner=dossier.partner.pk)
    v2 = ProjectDocument.objects.get(version=2)
    v1_path, v2_path = Path(v1.file.path), Path(v2.file.path)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("project-consortium-remove", pk=dossier.project.pk, partner_pk=dossier.partner.pk))
    assert response.status_code == 302

    # the document of the current version is gone with its file; the deposited one stays
    assert not ProjectDocument.objects.filter(pk=v2.pk).exists() and not v2_path.exists()
    v1.refresh_from_db()
    assert (v1.partner, v1.version, v1.withdrawn_in_version) == (None, 1, 2) and v1_path.exists()
    assert not ProjectDocument.objects.current().exists()
    # no longer part of the dossier: the consortium cannot download it, staff can
    assert client.get(url("project-document", pk=v1.pk)).status_code == 404
    client.logout()
    login(client, staff_user, totp_secret)
    assert client.get(url("project-document", pk=v1.pk)).status_code == 200


def test_the_documents_step_lists_the_required_kinds(client, member_user, dossier):
    call = dossier.project.call
    call.required_document_kinds = ["technical_annex", "consortium_agreement"]
    call.save()
    login(client, member_user)
    upload(client, dossier, "annexe.pdf", PDF)
    page = client.get(url("project-edit-documents", language="en", pk=dossier.project.pk))
    assert page.context["required_kinds"] == [("Technical annex", True), ("Consortium agreement", False)]
