"""The documents step [P2]: documents of the project or of a partner, added and removed
by those who may edit them, downloaded by those who may see them (each download logged).

Who may use each page: see projects.views.submission."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from pole.access import AUTHENTICATED, access
from pole.activity import record_activity
from projects.forms.submission import DocumentUploadForm
from projects.models import DocumentKind, ProjectDocument
from projects.permissions import ProjectAccess, projects_visible_to
from projects.services.submission import SubmissionRefused, add_document, remove_document
from projects.views.submission.steps import after_save, dossier_view, step_context

# --- Step 4: documents --------------------------------------------------------------------


def _documents_context(request, project, project_access, form=None) -> dict:
    partners = list(project.partners.select_related("organisation"))
    editable_partners = [partner for partner in partners if project_access.can_edit_partner(partner)]
    documents = [
        document
        for document in project.documents.current().select_related("partner__organisation", "uploaded_by")
        if document.partner is None or project_access.can_see_partner(document.partner)
    ]
    for document in documents:
        document.can_remove = project_access.can_remove_document(document)
    if form is None and (project_access.can_edit or editable_partners):
        form = DocumentUploadForm(partners=editable_partners, allow_project=project_access.can_edit)
    required = [DocumentKind(kind) for kind in project.call.required_document_kinds if kind in DocumentKind.values]
    present = set(project.documents.current().values_list("kind", flat=True)) if required else set()
    return {
        **step_context(request, project, project_access, "documents"),
        "documents": documents,
        "form": form,
        "required_kinds": [(kind.label, kind.value in present) for kind in required],
    }


@dossier_view()
def edit_documents(request, project, project_access):
    if request.method == "POST":
        partners = [
            partner
            for partner in project.partners.select_related("organisation")
            if project_access.can_edit_partner(partner)
        ]
        if not project_access.can_edit and not partners:
            raise PermissionDenied
        form = DocumentUploadForm(request.POST, request.FILES, partners=partners, allow_project=project_access.can_edit)
        if form.is_valid():
            partner = form.chosen_partner
            if partner is None and not project_access.can_edit:
                raise PermissionDenied
            try:
                document = add_document(
                    project=project,
                    partner=partner,
                    kind=form.cleaned_data["kind"],
                    upload=form.cleaned_data["file"],
                    actor=request.user,
                )
            except ValidationError as error:
                form.add_error("file", error)
            except SubmissionRefused as refusal:
                form.add_error(None, str(refusal))
            else:
                messages.success(
                    request, _("%(name)s has been added to the dossier.") % {"name": document.original_name}
                )
                return after_save(request, project, "documents")
        messages.error(request, _("The document was not added: please correct the fields marked below."))
        return render(
            request, "projects/submission/documents.html", _documents_context(request, project, project_access, form)
        )
    return render(request, "projects/submission/documents.html", _documents_context(request, project, project_access))


@dossier_view(page="projects:project-edit-documents")
@require_POST
def document_remove(request, project, project_access, document_pk):
    document = get_object_or_404(project.documents.select_related("partner"), pk=document_pk)
    if document.partner is not None and not project_access.can_see_partner(document.partner):
        raise Http404
    if not project_access.can_remove_document(document):
        raise PermissionDenied
    try:
        remove_document(document=document, actor=request.user)
    except SubmissionRefused as refusal:
        messages.error(request, str(refusal))
        return redirect("projects:project-edit-documents", pk=project.pk)
    messages.success(request, _("%(name)s has been removed from the dossier.") % {"name": document.original_name})
    return redirect("projects:project-edit-documents", pk=project.pk)


@access(AUTHENTICATED)
@require_safe
def document_download(request, pk):
    """documents/<pk>/: a document of a project the user may see (of a partner whose
    details he may see; withdrawn from the dossier, for staff only), as an attachment;
    every download is logged."""
    document = get_object_or_404(
        ProjectDocument.objects.select_related("project", "partner__project"),
        pk=pk,
        project__in=projects_visible_to(request.user),
    )
    project_access = ProjectAccess(request.user, document.project)
    if document.partner is not None and not project_access.can_see_partner(document.partner):
        raise Http404
    # Withdrawn from the dossier, a document stays with the version it was deposited in,
    # for the pole's records only: its partner may have left the consortium since.
    if document.withdrawn_in_version is not None and not project_access.is_staff:
        raise Http404
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    record_activity(
        actor=request.user, verb="document.downloaded", target=document, data={"project": document.project_id}
    )
    response = FileResponse(
        handle, as_attachment=True, filename=document.original_name, content_type=document.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
