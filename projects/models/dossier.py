"""Documents [P5] and the versions of a deposited dossier [P6]."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from pole.models import UploadedFile
from pole.storage import private_storage
from projects.models.base import DocumentKind
from projects.models.consortium import (
    Partner,
)
from projects.models.projects import (
    Project,
)


def project_document_path(instance, filename):
    return f"projects/{instance.project_id}/{uuid.uuid4().hex}/{filename}"


class ProjectDocumentQuerySet(models.QuerySet):
    def current(self):
        """The documents of the dossier being prepared or last deposited: a document stays in
        the dossier from the version it was added in until it is withdrawn."""
        return self.filter(withdrawn_in_version__isnull=True)


class ProjectDocument(UploadedFile):
    """A typed attachment, stored privately, downloaded only through a permission-checked
    view (every download is written to the activity log).

    A document added in one version stays in the next ones: after a return for information
    the consortium replaces only what the pole asked for. Withdrawing a document of a
    deposited version keeps its file with that version (`withdrawn_in_version`); so does
    removing the partner it belongs to (`partner` then becomes empty, and only staff may
    still download it: projects.views.submission.documents.document_download)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="documents")
    partner = models.ForeignKey(
        Partner, verbose_name=_("partner"), null=True, blank=True, on_delete=models.SET_NULL, related_name="documents"
    )
    kind = models.CharField(_("kind"), max_length=30, choices=DocumentKind.choices)
    file = models.FileField(_("file"), upload_to=project_document_path, storage=private_storage)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    version = models.PositiveSmallIntegerField(_("dossier version"), default=1)
    withdrawn_in_version = models.PositiveSmallIntegerField(_("withdrawn in version"), null=True, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    objects = ProjectDocumentQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "uploaded_at"]
        verbose_name = _("project document")
        verbose_name_plural = _("project documents")


# --- Versions [P6] ---------------------------------------------------------------------


def dossier_path(instance, filename):
    return f"dossiers/{instance.project_id}/{filename}"


class ProjectVersion(models.Model):
    """The dossier as deposited: a frozen snapshot of its data and an immutable PDF."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("version"))
    snapshot = models.JSONField(_("data as deposited"))
    deposited_at = models.DateTimeField(_("deposited on"))
    deposited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    pdf = models.FileField(_("dossier (PDF)"), upload_to=dossier_path, storage=private_storage, blank=True)
    pdf_sha256 = models.CharField(_("SHA-256 of the PDF"), max_length=64, blank=True)
    # Returned for information [P6]: the pole's questions on this version, and the lead
    # partner's answer (sent before the next deposit). Written by projects.services.deposit.
    returned_at = models.DateTimeField(_("returned on"), null=True, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    return_questions = models.TextField(_("the pole's questions"), blank=True)
    return_answer = models.TextField(_("answer of the consortium"), blank=True)
    answered_at = models.DateTimeField(_("answered on"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["project", "number"]
        verbose_name = _("dossier version")
        verbose_name_plural = _("dossier versions")
        constraints = [models.UniqueConstraint(fields=["project", "number"], name="one_version_number_per_project")]

    def __str__(self) -> str:
        return f"{self.project} v{self.number}"
