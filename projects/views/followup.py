"""Follow-up of labelled projects [P7] and resubmission of deferred or refused ones [P9].

The follow-up page shows the funding applications (with the amounts granted per partner),
milestones, progress reports and final outcomes to everyone who sees the project; staff
and the lead partner's contacts record them (others get 403: they know the project
exists). A partner who is not the lead sees only his own organisation's grants, as for
the budget. The resubmission is the lead's: a new draft in a later open call.
"""

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST

from pole.access import AUTHENTICATED, access
from projects.forms.followup import (
    FundingApplicationForm,
    MilestoneForm,
    ProgressReportForm,
    ProjectOutcomeForm,
    ResubmissionForm,
)
from projects.models import FundingApplication, GrantedAmount, Milestone, ProgressReport, ProjectOutcome
from projects.permissions import ProjectAccess, get_project_for_user
from projects.services.followup import (
    FOLLOWUP_STATES,
    FollowUpNotOpen,
    delete_funding_application,
    delete_milestone,
    delete_progress_report,
    save_funding_application,
    save_milestone,
    save_outcome,
    save_progress_report,
)
from projects.services.resubmission import (
    RESUBMITTABLE_STATES,
    ResubmissionRefused,
    calls_for_resubmission,
    resubmit_project,
)


def _followup_url(project) -> str:
    return reverse("projects:project-followup", kwargs={"pk": project.pk})


def _not_open(request, project):
    messages.error(request, gettext("This project has no follow-up in its current state."))
    return redirect("projects:project-followup", pk=project.pk)


def _manageable_project(request, pk):
    """(project, True) when the user may record its follow-up; (project, False) when the
    project has no follow-up in its state; 404 outside his projects, 403 for a partner
    who is not the lead."""
    project = get_project_for_user(request.user, pk=pk)
    if project.state not in FOLLOWUP_STATES:
        return project, False
    if not ProjectAccess(request.user, project).can_manage_followup:
        raise PermissionDenied
    return project, True


@access(AUTHENTICATED)
@require_http_methods(["GET", "HEAD"])
def project_followup(request, pk):
    project = get_project_for_user(request.user, pk=pk)
    partners = list(project.partners.select_related("organisation"))
    project_access = ProjectAccess(request.user, project)
    visible_ids = project_access.visible_partner_ids(partners)
    applications = list(
        project.funding_applications.select_related("funding_scheme").prefetch_related(
            Prefetch("grants", queryset=GrantedAmount.objects.select_related("partner__organisation"))
        )
    )
    for application in applications:
        grants = list(application.grants.all())
        application.visible_grants = sorted(
            (grant for grant in grants if grant.partner_id in visible_ids),
            key=lambda grant: (not grant.partner.is_lead, grant.partner.organisation.legal_name),
        )
        application.total_granted = sum((grant.amount for grant in grants), Decimal("0.00"))
    outcome = ProjectOutcome.objects.filter(project=project).first()
    context = {
        "project": project,
        "has_followup": project.state in FOLLOWUP_STATES,
        "access": project_access,
        "can_manage": project_access.can_manage_followup,
        "applications": applications,
        "milestones": list(project.milestones.all()),
        "reports": list(project.progress_reports.select_related("submitted_by")),
        "outcome": outcome,
    }
    return render(request, "projects/followup/page.html", context)


def _render_form(request, project, form, *, title, status=200):
    context = {"project": project, "form": form, "title": title, "cancel_url": _followup_url(project)}
    return render(request, "projects/followup/form.html", context, status=status)


def _edit(request, project, *, instance, form_class, save, title, success, form_kwargs=None, extra_save=None):
    """The GET/POST cycle of one follow-up form: a failed validation re-renders the form
    with everything typed; a success saves through the service and goes back to the page."""
    form_kwargs = form_kwargs or {}
    if request.method == "POST":
        form = form_class(request.POST, instance=instance, **form_kwargs)
        if form.is_valid():
            try:
                save(form.save(commit=False), form)
            except FollowUpNotOpen:
                return _not_open(request, project)
            messages.success(request, success)
            return redirect("projects:project-followup", pk=project.pk)
        return _render_form(request, project, form, title=title, status=400)
    return _render_form(request, project, form_class(instance=instance, **form_kwargs), title=title)


@access(AUTHENTICATED)
@require_http_methods(["GET", "HEAD", "POST"])
def funding_application_edit(request, pk, item=None):
    project, is_open = _manageable_project(request, pk)
    if not is_open:
        return _not_open(request, project)
    application = (
        get_object_or_404(project.funding_applications, pk=item) if item else FundingApplication(project=project)
    )
    partners = list(project.partners.select_related("organisation"))

    def save(instance, form):
        save_funding_application(project=project, application=instance, grants=form.grants(), actor=request.user)

    return _edit(
        request,
        project,
        instance=application,
        form_class=FundingApplicationForm,
        form_kwargs={"partners": partners},
        save=save,
        title=gettext("Funding application") if item else gettext("New funding application"),
        success=gettext("The funding application has been saved."),
    )


@access(AUTHENTICATED)
@require_http_methods(["GET", "HEAD", "POST"])
def milestone_edit(request, pk, item=None):
    project, is_open = _manageable_project(request, pk)
    if not is_open:
        return _not_open(request, project)
    milestone = get_object_or_404(project.milestones, pk=item) if item else Milestone(project=project)
    return _edit(
        request,
        project,
        instance=milestone,
        form_class=MilestoneForm,
        save=lambda instance, form: save_milestone(project=project, milestone=instance, actor=request.user),
        title=gettext("Milestone") if item else gettext("New milestone"),
        success=gettext("The milestone has been saved."),
    )


@access(AUTHENTICATED)
@require_http_methods(["GET", "HEAD", "POST"])
def progress_report_edit(request, pk, item=None):
    project, is_open = _manageable_project(request, pk)
    if not is_open:
        return _not_open(request, project)
    report = get_object_or_404(project.progress_reports, pk=item) if item else ProgressReport(project=project)
    return _edit(
        request,
        project,
        instance=report,
        form_class=ProgressReportForm,
        save=lambda instance, form: save_progress_report(project=project, report=instance, actor=request.user),
        title=gettext("Progress report") if item else gettext("New progress report"),
        success=gettext("The progress report has been saved."),
    )


@access(AUTHENTICATED)
@require_http_methods(["GET", "HEAD", "POST"])
def outcome_edit(request, pk):
    project, is_open = _manageable_project(request, pk)
    if not is_open:
        return _not_open(request, project)
    outcome = ProjectOutcome.objects.filter(project=project).first() or ProjectOutcome(project=project)
    return _edit(
        request,
        project,
        instance=outcome,
        form_class=ProjectOutcomeForm,
        save=lambda instance, form: save_outcome(project=project, outcome=instance, actor=request.user),
        title=gettext("Final outcomes"),
        success=gettext("The final outcomes have been saved."),
    )


DELETIONS = {
    "applications": (
        "funding_applications",
        lambda obj, actor: delete_funding_application(application=obj, actor=actor),
    ),
    "milestones": ("milestones", lambda obj, actor: delete_milestone(milestone=obj, actor=actor)),
    "reports": ("progress_reports", lambda obj, actor: delete_progress_report(report=obj, actor=actor)),
}


@access(AUTHENTICATED)
@require_POST
def followup_delete(request, pk, kind, item):
    if kind not in DELETIONS:
        raise Http404("Unknown follow-up record.")
    project, is_open = _manageable_project(request, pk)
    if not is_open:
        return _not_open(request, project)
    related_name, delete = DELETIONS[kind]
    obj = get_object_or_404(getattr(project, related_name), pk=item)
    try:
        delete(obj, request.user)
    except FollowUpNotOpen:
        return _not_open(request, project)
    messages.success(request, gettext("The record has been deleted."))
    return redirect("projects:project-followup", pk=project.pk)


# --- Resubmission [P9] ---------------------------------------------------------------------


@access(AUTHENTICATED)
@require_http_methods(["GET", "HEAD", "POST"])
def project_resubmit(request, pk):
    """The lead's contacts choose a later open call; the project is cloned there as a new
    draft (without its documents) and they land on the new project's page."""
    project = get_project_for_user(request.user, pk=pk)
    if not ProjectAccess(request.user, project).is_lead:
        raise PermissionDenied
    if project.state not in RESUBMITTABLE_STATES:
        messages.error(request, gettext("Only a deferred or refused project can be resubmitted."))
        return redirect("projects:project-detail", pk=project.pk)
    calls = calls_for_resubmission(project)
    form = ResubmissionForm(request.POST or None, calls=calls)
    if request.method == "POST" and form.is_valid():
        try:
            clone = resubmit_project(project=project, call=form.cleaned_data["call"], actor=request.user)
        except ResubmissionRefused as refusal:
            messages.error(request, str(refusal.message))
            return redirect("projects:project-resubmit", pk=project.pk)
        messages.success(
            request,
            gettext(
                "The project has been copied into a new draft for this call. Its documents were not copied: "
                "upload them again for the new call."
            ),
        )
        return redirect("projects:project-detail", pk=clone.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "projects/followup/resubmit.html", {"project": project, "form": form, "calls": calls}, status=status
    )


urlpatterns = [
    path("<int:pk>/follow-up/", project_followup, name="project-followup"),
    path("<int:pk>/follow-up/applications/new/", funding_application_edit, name="project-funding-application-create"),
    path(
        "<int:pk>/follow-up/applications/<int:item>/", funding_application_edit, name="project-funding-application-edit"
    ),
    path("<int:pk>/follow-up/milestones/new/", milestone_edit, name="project-milestone-create"),
    path("<int:pk>/follow-up/milestones/<int:item>/", milestone_edit, name="project-milestone-edit"),
    path("<int:pk>/follow-up/reports/new/", progress_report_edit, name="project-progress-report-create"),
    path("<int:pk>/follow-up/reports/<int:item>/", progress_report_edit, name="project-progress-report-edit"),
    path("<int:pk>/follow-up/outcome/", outcome_edit, name="project-outcome-edit"),
    path("<int:pk>/follow-up/<slug:kind>/<int:item>/delete/", followup_delete, name="project-followup-delete"),
    path("<int:pk>/resubmit/", project_resubmit, name="project-resubmit"),
]
