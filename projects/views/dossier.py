"""The deposit [P6]: the deposit page (checklist, confirmation), the versions of a dossier,
the PDF of each version, the comparison of two versions, and the staff's return for
information."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_safe

from pole.access import AUTHENTICATED, access, roles
from pole.activity import record_activity
from pole.reports import serve_or_wait
from pole.roles import STAFF
from projects.eligibility import blocking_failures, check_eligibility
from projects.exceptions import DossierLocked, IllegalTransition
from projects.forms.dossier import CURRENT, CompareForm, DepositForm, ReturnAnswerForm, ReturnForm
from projects.models import Partner, ProjectState, ProjectVersion
from projects.permissions import ProjectAccess, get_project_for_user, projects_visible_to
from projects.services.deposit import (
    DepositRefused,
    answer_return,
    deposit_project,
    dossier_filename,
    dossier_request,
    return_for_information,
)
from projects.services.versions import diff_snapshots, snapshot_project


def _state_label(project) -> str:
    return str(ProjectState(project.state).label)


# --- The deposit ---------------------------------------------------------------------------------


@access(AUTHENTICATED)
@require_http_methods(["GET", "HEAD", "POST"])
def project_deposit(request, pk: int):
    """The checklist and the confirmation (GET), then the deposit (POST): for the lead
    partner's contacts only (403 for the other partners and for staff, 404 for anyone
    outside the consortium)."""
    project = get_project_for_user(request.user, pk=pk)
    project_access = ProjectAccess(request.user, project)
    if not project_access.can_deposit:
        raise PermissionDenied
    form = DepositForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            project = deposit_project(project=project, actor=request.user)
        except IllegalTransition:
            project.refresh_from_db()
            messages.error(
                request,
                gettext("This dossier is “%(state)s”: it cannot be deposited.") % {"state": _state_label(project)},
            )
            return redirect(project)
        except DepositRefused as refused:
            messages.error(
                request,
                gettext("The dossier was not deposited; correct these points first: %(failures)s")
                % {"failures": " ".join(f"• {failure.message}" for failure in refused.failures)},
            )
            return redirect("projects:project-deposit", pk=project.pk)
        messages.success(
            request,
            gettext(
                "The dossier is deposited under the reference %(reference)s. A receipt is on its way to every "
                "partner; the PDF of the dossier is being prepared."
            )
            % {"reference": project.reference},
        )
        return redirect(project)

    results = check_eligibility(project) if project.is_editable else []
    context = {
        "project": project,
        "access": project_access,
        "form": form,
        "results": results,
        "failures": blocking_failures(results),
        "state_label": _state_label(project),
    }
    return render(request, "projects/dossier/deposit.html", context)


# --- Versions ----------------------------------------------------------------------------------


@access(AUTHENTICATED)
@require_safe
def project_versions(request, pk: int):
    """The deposited versions of a dossier, with their dates and PDFs: for staff and the
    consortium. The PDF links are for staff and the lead's contacts."""
    project = get_project_for_user(request.user, pk=pk)
    versions = list(project.versions.select_related("deposited_by").defer("snapshot").order_by("-number"))
    project_access = ProjectAccess(request.user, project)
    context = {
        "project": project,
        "access": project_access,
        "versions": versions,
        "may_download": project_access.can_download_dossier,
        "is_staff": project_access.is_staff,
        "can_return": project_access.can_return and project.state == ProjectState.DEPOSITED,
        "state_label": _state_label(project),
    }
    return render(request, "projects/dossier/versions.html", context)


@access(AUTHENTICATED)
@require_safe
def version_pdf(request, pk: int):
    """The PDF of one version, as an attachment, every download logged ("dossier.downloaded").
    404 outside the consortium, 403 for partners other than the lead. While the PDF is
    being generated, a page that polls (htmx) until it is ready (pole.reports.serve_or_wait)."""
    version = get_object_or_404(
        ProjectVersion.objects.filter(project__in=projects_visible_to(request.user))
        .select_related("project")
        .defer("snapshot"),
        pk=pk,
    )
    project = version.project
    if not ProjectAccess(request.user, project).can_download_dossier:
        raise PermissionDenied

    def log_download():
        record_activity(
            actor=request.user,
            verb="dossier.downloaded",
            target=version,
            data={"project": project.pk, "version": version.number, "sha256": version.pdf_sha256},
        )

    return serve_or_wait(
        request,
        file=version.pdf,
        filename=dossier_filename(version),
        # Immutable: a version whose PDF is named is never generated again.
        wanted=None if version.pdf.name else dossier_request(version.pk),
        page="projects/dossier/pdf_pending.html",
        partial="projects/dossier/_pdf_status.html",
        context={"project": project, "version": version},
        on_download=log_download,
    )


def _visible_changes(project_access, project, changes):
    """`changes` as the project page would show them: without the details (contact,
    tasks, budget lines, aid, documents) of partners whose details the user may not see
    (ProjectAccess.can_see_partner), nor the project's own documents unless he is staff
    or one of the lead's contacts. A partner that has left the consortium is checked as a
    non-lead partner no one belongs to."""
    if project_access.sees_all_partners:
        return changes
    changes = [change for change in changes if not change.lead_only]
    organisation_ids = {change.organisation_id for change in changes if change.organisation_id is not None}
    current = {partner.organisation_id: partner for partner in project.partners.all()}
    visible = {
        organisation_id
        for organisation_id in organisation_ids
        if project_access.can_see_partner(
            current.get(organisation_id) or Partner(project=project, organisation_id=organisation_id)
        )
    }
    return [change for change in changes if change.organisation_id is None or change.organisation_id in visible]


@access(AUTHENTICATED)
@require_safe
def project_versions_compare(request, pk: int):
    """What changed between two versions (`?from=1&to=2`), or between a version and the
    dossier as it stands (`to=current`, while it is editable). Without parameters: the
    last two versions. Partners other than the lead do not see the other partners' details."""
    project = get_project_for_user(request.user, pk=pk)
    project_access = ProjectAccess(request.user, project)
    numbers = sorted(project.versions.values_list("number", flat=True))
    with_current = project.is_editable and bool(numbers)
    data = request.GET if ("from" in request.GET or "to" in request.GET) else None
    if data is None:
        if len(numbers) >= 2:
            data = {"from": numbers[-2], "to": numbers[-1]}
        elif numbers and with_current:
            data = {"from": numbers[-1], "to": CURRENT}
    form = CompareForm(data, numbers=numbers, with_current=with_current)
    changes, source, target = None, None, None
    if data is not None and form.is_valid():
        source, target = form.cleaned_data["from"], form.cleaned_data["to"]
        wanted = [source] if target == CURRENT else [source, int(target)]
        snapshots = dict(project.versions.filter(number__in=wanted).values_list("number", "snapshot"))
        new = snapshot_project(project) if target == CURRENT else snapshots[int(target)]
        changes = _visible_changes(project_access, project, diff_snapshots(snapshots[source], new))
    context = {
        "project": project,
        "form": form,
        "numbers": numbers,
        "changes": changes,
        "source": source,
        "target": target,
        "current": CURRENT,
        "access": project_access,
        "sees_everything": project_access.sees_all_partners,
    }
    return render(request, "projects/dossier/compare.html", context)


# --- Return for information (staff) ----------------------------------------------------------------


@access(roles(STAFF))
@require_http_methods(["GET", "HEAD", "POST"])
def project_return(request, pk: int):
    """Return a deposited dossier to its consortium for more information, with the reason
    (e-mailed to the lead partner)."""
    project = get_project_for_user(request.user, pk=pk)
    form = ReturnForm(request.POST if request.method == "POST" else None)
    if project.state != ProjectState.DEPOSITED:
        messages.error(
            request,
            gettext("This dossier is “%(state)s”: it cannot be returned for information.")
            % {"state": _state_label(project)},
        )
        return redirect(project)
    if request.method == "POST" and form.is_valid():
        try:
            project = return_for_information(project=project, actor=request.user, reason=form.cleaned_data["reason"])
        except IllegalTransition:
            project.refresh_from_db()
            messages.error(
                request,
                gettext("This dossier is “%(state)s”: it cannot be returned for information.")
                % {"state": _state_label(project)},
            )
            return redirect(project)
        except ValueError as error:
            form.add_error("reason", str(error))
        else:
            messages.success(
                request,
                gettext("The dossier is returned to the consortium; its next deposit will be version %(number)s.")
                % {"number": project.version},
            )
            return redirect(project)
    return render(request, "projects/dossier/return.html", {"project": project, "form": form})


@access(AUTHENTICATED)
@require_http_methods(["POST"])
def project_return_answer(request, pk: int):
    """The lead partner answers the questions of a returned dossier, from the project page
    (403 for the other partners, 404 outside the consortium)."""
    project = get_project_for_user(request.user, pk=pk)
    if not ProjectAccess(request.user, project).is_lead:
        raise PermissionDenied
    form = ReturnAnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, gettext("Write your answer to the pole's questions."))
        return redirect(project)
    try:
        answer_return(project=project, actor=request.user, answer=form.cleaned_data["answer"])
    except (DossierLocked, ValueError) as error:
        messages.error(request, str(error))
        return redirect(project)
    messages.success(
        request, gettext("Your answer is saved. Deposit the dossier again when it is complete: the pole reads both.")
    )
    return redirect(project)


urlpatterns = [
    path("<int:pk>/deposit/", project_deposit, name="project-deposit"),
    path("<int:pk>/versions/", project_versions, name="project-versions"),
    path("<int:pk>/versions/compare/", project_versions_compare, name="project-versions-compare"),
    path("versions/<int:pk>/pdf/", version_pdf, name="project-version-pdf"),
    path("<int:pk>/return/", project_return, name="project-return"),
    path("<int:pk>/return/answer/", project_return_answer, name="project-return-answer"),
]
