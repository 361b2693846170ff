"""The steps of a dossier that are one page each [P1] [P2] [P5]: a new project, the general
information, the consolidated budget and the checklist; and what every page of the
dossier shares (the list of steps, the `dossier_view` guard, the step context).

Who may use each page: see projects.views.submission."""

from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from pole.access import AUTHENTICATED, access
from pole.typed_values import login_keeping_typed_values, typed_values
from projects.budgets import partners_for_budget, project_budget
from projects.eligibility import check_eligibility
from projects.exceptions import DossierLocked
from projects.forms.submission import GeneralForm, ProjectCreateForm
from projects.models import Call, CostCategory, Project, ProjectKind
from projects.permissions import ProjectAccess, get_project_for_user, lead_organisations_for
from projects.services.submission import SubmissionRefused, create_project, update_general

STEPS = [
    ("general", gettext_lazy("General information"), "projects:project-edit-general"),
    ("consortium", gettext_lazy("Consortium"), "projects:project-edit-consortium"),
    ("budget", gettext_lazy("Budget"), "projects:project-edit-budget"),
    ("documents", gettext_lazy("Documents"), "projects:project-edit-documents"),
    ("checks", gettext_lazy("Checks"), "projects:project-edit-checks"),
    ("deposit", gettext_lazy("Deposit"), "projects:project-deposit"),
]
NEXT_STEP = {"general": "consortium", "consortium": "budget", "budget": "documents", "documents": "checks"}
STEP_URL_NAMES = {key: name for key, _label, name in STEPS}


# --- What every page of the dossier shares ------------------------------------------------


def project_page_url(project: Project) -> str:
    """The project page."""
    return reverse("projects:project-detail", kwargs={"pk": project.pk})


def step_url(key: str, project: Project) -> str:
    return reverse(STEP_URL_NAMES[key], kwargs={"pk": project.pk})


def _refuse_locked(request, project: Project):
    messages.error(
        request,
        _("This dossier can no longer be changed: it is %(state)s.") % {"state": project.get_state_display().lower()},
    )
    return redirect(project_page_url(project))


def dossier_view(page: str | None = None):
    """Decorator of the dossier's pages and actions: logged-in users (AUTHENTICATED); the
    project fetched within the user's scope (404 otherwise); a dossier that is no longer
    editable answers with a message and a redirect to the project page (GET and POST); a
    DossierLocked raised by a service on the way does the same. The view is called as
    view(request, project, project_access, **kwargs).

    `page` names the step page an anonymous user returns to after logging in (default:
    the same URL); what he had posted is kept for that page (pole.typed_values)."""

    def decorator(view):
        @wraps(view)
        def inner(request, pk, **kwargs):
            project = get_project_for_user(request.user, pk=pk)
            if not project.is_editable:
                return _refuse_locked(request, project)
            try:
                return view(request, project, ProjectAccess(request.user, project), **kwargs)
            except DossierLocked:
                return _refuse_locked(request, Project.objects.get(pk=project.pk))

        protected = access(AUTHENTICATED)(inner)

        @wraps(view)
        def outer(request, *args, **kwargs):
            if not request.user.is_authenticated:
                come_back_to = reverse(page, kwargs={"pk": kwargs["pk"]}) if page else request.path
                return login_keeping_typed_values(request, come_back_to=come_back_to)
            return protected(request, *args, **kwargs)

        outer.access_policy = AUTHENTICATED
        return outer

    return decorator


def step_context(request, project: Project, project_access: ProjectAccess, current: str) -> dict:
    steps = [
        {"key": key, "label": label, "url": step_url(key, project), "current": key == current}
        for key, label, _name in STEPS
        if key != "deposit" or project_access.can_edit
    ]
    number = next((index for index, step in enumerate(steps, 1) if step["current"]), 1)
    return {
        "project": project,
        "access": project_access,
        "steps": steps,
        "step_number": number,
        "step_count": len(steps),
        "current_step": current,
        "project_url": project_page_url(project),
        "can_edit_project": project_access.can_edit,
    }


def after_save(request, project: Project, current: str):
    """ "Save and continue" goes to the next step, "Save" stays on this one."""
    if "continue" in request.POST and current in NEXT_STEP:
        return redirect(step_url(NEXT_STEP[current], project))
    return redirect(step_url(current, project))


# --- New project --------------------------------------------------------------------------


@access(AUTHENTICATED)
def project_create(request):
    """new/: a contact of a member organisation (one with an active membership) starts a
    project in an open call, his organisation leading it."""
    organisations = lead_organisations_for(request.user)
    calls = Call.objects.open_at(timezone.now()).select_related("funding_scheme").order_by("deadline")
    if not organisations.exists():
        return render(request, "projects/submission/create_not_member.html", status=403)
    if request.method == "POST":
        form = ProjectCreateForm(request.POST, calls=calls, organisations=organisations)
        if form.is_valid():
            data = form.cleaned_data
            try:
                project = create_project(
                    call=data["call"],
                    lead_organisation=data["lead_organisation"],
                    acronym=data["acronym"],
                    title_fr=data["title_fr"],
                    kind=data["kind"],
                    created_by=request.user,
                )
            except SubmissionRefused as refusal:
                form.add_error("call", str(refusal))
            else:
                messages.success(
                    request,
                    _("The draft of %(acronym)s has been created. Fill in the steps below; each one is saved.")
                    % {"acronym": project.acronym},
                )
                return redirect("projects:project-edit-general", pk=project.pk)
        messages.error(request, _("The project was not created: please correct the fields marked below."))
    else:
        initial = {}
        organisation_list = list(organisations[:2])
        if len(organisation_list) == 1:
            initial["lead_organisation"] = organisation_list[0].pk
        code = request.GET.get("call")
        chosen = next((call for call in calls if call.code == code), None) if code else None
        if chosen is not None:
            initial["call"] = chosen.pk
            if chosen.allowed_kinds and ProjectKind.RD not in chosen.allowed_kinds:
                initial["kind"] = chosen.allowed_kinds[0]
        form = ProjectCreateForm(initial=initial, calls=calls, organisations=organisations)
    return render(request, "projects/submission/create.html", {"form": form, "has_open_call": calls.exists()})


@dossier_view()
@require_safe
def project_edit(request, project, project_access):
    """<pk>/edit/: the first step this user works on — the general step for the lead's
    contacts, his own partner's page for another partner's contact."""
    if not project_access.is_lead and project_access.my_partners:
        return redirect("projects:project-edit-partner", pk=project.pk, partner_pk=project_access.my_partners[0].pk)
    return redirect("projects:project-edit-general", pk=project.pk)


# --- Step 1: general ----------------------------------------------------------------------


@dossier_view()
def edit_general(request, project, project_access):
    read_only = not project_access.can_edit
    if request.method == "POST":
        if read_only:
            raise PermissionDenied
        form = GeneralForm(request.POST, instance=Project.objects.get(pk=project.pk))
        if form.is_valid():
            try:
                update_general(project=project, actor=request.user, data=form.general_data())
            except SubmissionRefused as refusal:
                form.add_error(None, str(refusal))
            else:
                messages.success(request, _("The general information has been saved."))
                return after_save(request, project, "general")
        messages.error(request, _("Nothing was saved: please correct the fields marked below."))
    else:
        typed = None if read_only or request.htmx else typed_values(request)
        instance = Project.objects.get(pk=project.pk) if typed is not None else project
        initial = {}
        if request.htmx:
            initial = {
                name: request.GET[name] for name in ("kind", "sub_kind", "trl_from", "trl_to") if name in request.GET
            }
        form = GeneralForm(typed, instance=instance, initial=initial, read_only=read_only)
        if not read_only:
            form.fields["kind"].widget.attrs.update(
                {
                    "hx-get": request.path,
                    "hx-trigger": "change",
                    "hx-target": "#kind-fields",
                    "hx-swap": "outerHTML",
                    "hx-include": "#kind-fields",
                }
            )
        if request.htmx and "kind" in request.GET:
            return render(request, "projects/submission/_kind_fields.html", {"form": form})
    context = {**step_context(request, project, project_access, "general"), "form": form, "read_only": read_only}
    return render(request, "projects/submission/general.html", context)


# --- Step 3: budget -----------------------------------------------------------------------


@dossier_view()
@require_safe
def edit_budget(request, project, project_access):
    """The consolidated budget (every partner's lines, shares and aid rates) for those who
    may see every partner; another partner's contact sees his own part and the project's
    total only (a row total or a share would tell another partner's figures)."""
    partners = partners_for_budget(project)
    budget = project_budget(project, partners=partners)
    visible = []
    for partner in partners:
        if not project_access.can_see_partner(partner):
            continue
        row = budget.row_for(partner)
        partner.grid = [(label, row.lines[category]) for category, label in CostCategory.choices]
        partner.total, partner.aid_total = row.total, row.requested_aid
        partner.can_edit = project_access.can_edit_partner(partner)
        visible.append(partner)
    context = {
        **step_context(request, project, project_access, "budget"),
        "partners": visible,
        "budget": budget if project_access.sees_all_partners else None,
        "project_total": budget.total,
    }
    return render(request, "projects/submission/budget.html", context)


# --- Step 5: checks -----------------------------------------------------------------------


@dossier_view()
@require_safe
def edit_checks(request, project, project_access):
    """The live checklist of the call's rules. A partner's contact who is not the lead sees
    how many rules pass or fail, not the figures (they tell other partners' shares)."""
    results = check_eligibility(project)
    counts = {"pass": 0, "warning": 0, "failure": 0}
    for result in results or []:
        counts[result.status] = counts.get(result.status, 0) + 1
    context = {
        **step_context(request, project, project_access, "checks"),
        "results": results,
        "counts": counts,
        "show_details": project_access.sees_all_partners,
        "deposit_url": step_url("deposit", project) if project_access.can_edit else None,
    }
    if request.htmx:
        return render(request, "projects/submission/_checks.html", context)
    return render(request, "projects/submission/checks.html", context)
