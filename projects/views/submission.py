"""The submission of a project [P1]–[P3] [P5] [A3]: a new project, then the steps of its
dossier (general → consortium → budget → documents → checks → deposit), each page saving
the draft; partners' parts, documents and their download, partner invitations.

Every page fetches the project through projects.permissions.get_project_for_user (a
contact of an unrelated organisation gets 404). The lead's contacts edit everything while
the dossier is editable (draft or returned); another partner's contacts read the general
steps and edit only their own part and documents (403 on any other POST); nobody sees the
budget lines or documents of a partner he may not see. Once the dossier is deposited,
every step URL answers with a message and a redirect to the project page, and the
services refuse any change (DossierLocked) whatever URL is forged.

When a session expires while a step is being filled in, the POST is kept in the new
session and the step shows it again after the login (nothing unsaved is lost, nothing is
saved without the user's say-so).
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.http import FileResponse, Http404, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from pole.access import AUTHENTICATED, access
from pole.activity import record_activity
from pole.french import elide_de
from pole.invitation_views import InvitationView
from projects.budgets import partners_for_budget, project_budget
from projects.eligibility import check_eligibility
from projects.exceptions import DossierLocked
from projects.forms.submission import (
    AddPartnerForm,
    BudgetGridForm,
    DocumentUploadForm,
    GeneralForm,
    NewOrganisationForm,
    PartnerInvitationForm,
    PartnerPartForm,
    ProjectCreateForm,
    requested_aid_formset,
)
from projects.models import (
    Call,
    CostCategory,
    DocumentKind,
    Partner,
    PartnerInvitation,
    Project,
    ProjectDocument,
    ProjectKind,
)
from projects.permissions import ProjectAccess, get_project_for_user, lead_organisations_for, projects_visible_to
from projects.services.partner_invitations import (
    accept_partner_invitation,
    accept_partner_invitation_with_new_account,
    invite_partner_contact,
)
from projects.services.submission import (
    SubmissionRefused,
    add_document,
    add_partner,
    create_project,
    remove_document,
    remove_partner,
    save_budget_lines,
    save_requested_aids,
    set_lead_partner,
    update_general,
    update_partner_part,
)

# Partials written with other parts of the app; a step shows a simpler rendering until they exist.
BUDGET_TABLE_TEMPLATE = "projects/includes/budget_table.html"
CHECKLIST_TEMPLATE = "projects/includes/checklist.html"

STEPS = [
    ("general", gettext_lazy("General information"), "projects:project-edit-general"),
    ("consortium", gettext_lazy("Consortium"), "projects:project-edit-consortium"),
    ("budget", gettext_lazy("Budget"), "projects:project-edit-budget"),
    ("documents", gettext_lazy("Documents"), "projects:project-edit-documents"),
    ("checks", gettext_lazy("Checks"), "projects:project-edit-checks"),
    ("deposit", gettext_lazy("Deposit"), "projects:project-deposit"),
]
NEXT_STEP = {"general": "consortium", "consortium": "budget", "budget": "documents", "documents": "checks"}

# Where a POST from a user whose session expired is kept until he logs in again.
TYPED_VALUES_KEY = "projects_submission_typed_values"
MAX_TYPED_VALUES = 64 * 1024


# --- Shared plumbing ----------------------------------------------------------------------


def project_page_url(project: Project) -> str:
    """The project page (another module's), else the list of the user's projects."""
    for name, kwargs in (("projects:project-detail", {"pk": project.pk}), ("projects:my-projects", {})):
        try:
            return reverse(name, kwargs=kwargs)
        except NoReverseMatch:
            continue
    return "/"


def _step_url(key: str, project: Project) -> str | None:
    url_name = dict((k, n) for k, _label, n in STEPS)[key]
    try:
        return reverse(url_name, kwargs={"pk": project.pk})
    except NoReverseMatch:
        return None


def _template_exists(name: str) -> bool:
    try:
        get_template(name)
    except TemplateDoesNotExist:
        return False
    return True


def _refuse_locked(request, project: Project):
    messages.error(
        request,
        _("This dossier can no longer be changed: it is %(state)s.") % {"state": project.get_state_display().lower()},
    )
    return redirect(project_page_url(project))


def _stash_typed_values(request, come_back_to: str) -> None:
    """Keep what an anonymous POST carried (the session expired while the user typed), for
    the step page `come_back_to` to show after the login. Files cannot be kept."""
    data = {key: request.POST.getlist(key) for key in request.POST if key != "csrfmiddlewaretoken"}
    if data and sum(len(value) for values in data.values() for value in values) <= MAX_TYPED_VALUES:
        request.session[TYPED_VALUES_KEY] = {"path": come_back_to, "data": data}


def _typed_values(request) -> QueryDict | None:
    """What the user typed before his session expired, if it was typed on this page."""
    stashed = request.session.get(TYPED_VALUES_KEY)
    if not stashed or stashed.get("path") != request.path:
        return None
    del request.session[TYPED_VALUES_KEY]
    data = QueryDict(mutable=True)
    for key, values in stashed.get("data", {}).items():
        data.setlist(key, values)
    messages.warning(
        request,
        _("Your session had expired: what you typed is shown again below but is not saved yet. Check it and save."),
    )
    return data


def dossier_view(page: str | None = None):
    """Decorator of the dossier's pages and actions: logged-in users (AUTHENTICATED); the
    project fetched within the user's scope (404 otherwise); a dossier that is no longer
    editable answers with a message and a redirect to the project page (GET and POST); a
    DossierLocked raised by a service on the way does the same. The view is called as
    view(request, project, project_access, **kwargs).

    `page` names the step page an anonymous user returns to after logging in (default:
    the same URL); what he had posted is kept for that page."""

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
                if request.method == "POST":
                    _stash_typed_values(request, come_back_to)
                return redirect_to_login(come_back_to)
            return protected(request, *args, **kwargs)

        outer.access_policy = AUTHENTICATED
        return outer

    return decorator


def _step_context(request, project: Project, project_access: ProjectAccess, current: str) -> dict:
    steps = []
    for key, label, _name in STEPS:
        if key == "deposit" and not project_access.can_edit:
            continue
        url = _step_url(key, project)
        if url is None:
            continue
        steps.append({"key": key, "label": label, "url": url, "current": key == current})
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


def _after_save(request, project: Project, current: str):
    """ "Save and continue" goes to the next step, "Save" stays on this one."""
    if "continue" in request.POST and current in NEXT_STEP:
        url = _step_url(NEXT_STEP[current], project)
        if url:
            return redirect(url)
    return redirect(_step_url(current, project) or project_page_url(project))


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
                return _after_save(request, project, "general")
        messages.error(request, _("Nothing was saved: please correct the fields marked below."))
    else:
        typed = None if read_only or request.htmx else _typed_values(request)
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
    context = {**_step_context(request, project, project_access, "general"), "form": form, "read_only": read_only}
    return render(request, "projects/submission/general.html", context)


# --- Step 2: consortium -------------------------------------------------------------------


def _consortium_partners(project: Project) -> list[Partner]:
    pending = PartnerInvitation.objects.filter(accepted_at__isnull=True).order_by("-created_at")
    return list(
        project.partners.select_related("organisation", "contact", "project_contact").prefetch_related(
            Prefetch("invitations", queryset=pending, to_attr="pending_invitations")
        )
    )


def _render_consortium(request, project, project_access, *, add_form=None, new_form=None, status=200):
    partners = _consortium_partners(project)
    organisation_ids = [partner.organisation_id for partner in partners]
    query = (request.POST.get("q") if request.method == "POST" else request.GET.get("q", "")) or ""
    if project_access.can_edit:
        add_form = add_form or AddPartnerForm(project=project, query=query, partner_org_ids=organisation_ids)
        new_form = new_form or NewOrganisationForm()
    rows = [
        {
            "partner": partner,
            "can_edit": project_access.can_edit_partner(partner),
            "can_see": project_access.can_see_partner(partner),
            "can_invite": project_access.can_invite_for(partner),
            "pending": partner.pending_invitations if project_access.can_invite_for(partner) else [],
        }
        for partner in partners
    ]
    context = {
        **_step_context(request, project, project_access, "consortium"),
        "rows": rows,
        "awaiting_count": sum(1 for partner in partners if not partner.is_confirmed),
        "add_form": add_form,
        "new_form": new_form,
        "query": query,
        "searched": len(query.strip()) >= 2,
    }
    return render(request, "projects/submission/consortium.html", context, status=status)


@dossier_view()
@require_safe
def edit_consortium(request, project, project_access):
    add_form = new_form = None
    typed = _typed_values(request) if project_access.can_edit else None
    if typed is not None:
        partner_org_ids = list(project.partners.values_list("organisation_id", flat=True))
        if typed.get("new-legal_name") is not None:
            new_form = NewOrganisationForm(typed)
        if typed.get("add-organisation") is not None:
            add_form = AddPartnerForm(typed, project=project, query=typed.get("q", ""), partner_org_ids=partner_org_ids)
    return _render_consortium(request, project, project_access, add_form=add_form, new_form=new_form)


@dossier_view(page="projects:project-edit-consortium")
@require_safe
def consortium_search(request, project, project_access):
    """The organisations matching ?q= (name, acronym, SIREN/SIRET), as the options of the
    "add a partner" select: htmx live search of the consortium step."""
    if not project_access.can_edit:
        raise PermissionDenied
    partner_org_ids = list(project.partners.values_list("organisation_id", flat=True))
    query = request.GET.get("q", "")
    form = AddPartnerForm(project=project, query=query, partner_org_ids=partner_org_ids)
    context = {"add_form": form, "query": query, "searched": len(query.strip()) >= 2}
    return render(request, "projects/submission/_organisation_select.html", context)


def _partner_added_message(request, partner: Partner) -> None:
    name = partner.organisation.display_name
    if partner.is_confirmed:
        messages.success(request, _("%(name)s has joined the consortium.") % {"name": name})
    else:
        messages.success(
            request,
            _(
                "%(name)s has been added to the consortium, awaiting the confirmation of its administrators, "
                "who have been told by e-mail."
            )
            % {"name": name},
        )


@dossier_view(page="projects:project-edit-consortium")
@require_POST
def consortium_add(request, project, project_access):
    if not project_access.can_edit:
        raise PermissionDenied
    partner_org_ids = list(project.partners.values_list("organisation_id", flat=True))
    form = AddPartnerForm(
        request.POST, project=project, query=request.POST.get("q", ""), partner_org_ids=partner_org_ids
    )
    if form.is_valid():
        organisation = form.cleaned_data["organisation"]
        try:
            partner = add_partner(project=project, organisation=organisation, actor=request.user)
        except SubmissionRefused as refusal:
            form.add_error("organisation", str(refusal))
        else:
            _partner_added_message(request, partner)
            return redirect("projects:project-edit-consortium", pk=project.pk)
    messages.error(request, _("No partner was added: please correct the fields marked below."))
    return _render_consortium(request, project, project_access, add_form=form)


@dossier_view(page="projects:project-edit-consortium")
@require_POST
def consortium_create_organisation(request, project, project_access):
    if not project_access.can_edit:
        raise PermissionDenied
    form = NewOrganisationForm(request.POST)
    if form.is_valid():
        existing = form.existing_organisation
        organisation = existing or form.save(commit=False)
        try:
            partner = add_partner(
                project=project,
                organisation=organisation,
                actor=request.user,
            )
        except SubmissionRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            if existing is None:
                messages.success(
                    request,
                    _("%(name)s has been created and has joined the consortium.") % {"name": organisation.legal_name},
                )
            else:
                _partner_added_message(request, partner)
            return redirect("projects:project-edit-consortium", pk=project.pk)
    messages.error(request, _("No partner was added: please correct the fields marked below."))
    return _render_consortium(request, project, project_access, new_form=form)


def _partner_of(project: Project, partner_pk: int) -> Partner:
    return get_object_or_404(project.partners.select_related("organisation", "contact"), pk=partner_pk)


@dossier_view(page="projects:project-edit-consortium")
@require_POST
def consortium_remove(request, project, project_access, partner_pk):
    partner = _partner_of(project, partner_pk)
    if not project_access.can_edit:
        raise PermissionDenied
    try:
        remove_partner(partner=partner, actor=request.user)
    except SubmissionRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, _("%(name)s has left the consortium.") % {"name": partner.organisation.display_name})
    return redirect("projects:project-edit-consortium", pk=project.pk)


@dossier_view(page="projects:project-edit-consortium")
@require_POST
def consortium_set_lead(request, project, project_access, partner_pk):
    partner = _partner_of(project, partner_pk)
    if not project_access.can_edit:
        raise PermissionDenied
    set_lead_partner(partner=partner, actor=request.user)
    messages.success(request, _("%(name)s is now the lead partner.") % {"name": partner.organisation.display_name})
    return redirect("projects:project-edit-consortium", pk=project.pk)


@dossier_view()
def consortium_invite(request, project, project_access, partner_pk):
    """Invite a partner's contact by e-mail [A3]: the lead's contacts for any partner, a
    partner's contacts for their own."""
    partner = _partner_of(project, partner_pk)
    if not project_access.can_invite_for(partner):
        raise PermissionDenied
    if request.method == "POST":
        form = PartnerInvitationForm(request.POST)
        if form.is_valid():
            invitation = invite_partner_contact(
                partner=partner,
                email=form.cleaned_data["email"],
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
                invited_by=request.user,
            )
            messages.success(
                request,
                _("An invitation has been sent to %(email)s. It is valid for 14 days.") % {"email": invitation.email},
            )
            if project_access.can_edit:
                return redirect("projects:project-edit-consortium", pk=project.pk)
            return redirect("projects:project-edit-partner", pk=project.pk, partner_pk=partner.pk)
        messages.error(request, _("No invitation was sent: please correct the fields marked below."))
    else:
        form = PartnerInvitationForm(_typed_values(request))
    context = {**_step_context(request, project, project_access, "consortium"), "partner": partner, "form": form}
    return render(request, "projects/submission/invite.html", context)


# --- A partner's part -------------------------------------------------------------------


@dossier_view()
def edit_partner(request, project, project_access, partner_pk):
    """partners/<partner_pk>/: contact, role, tasks, budget lines and requested aid of one
    partner. 403 for a partner's contact opening another partner's page."""
    partner = _partner_of(project, partner_pk)
    if not project_access.can_see_partner(partner):
        raise PermissionDenied
    read_only = not project_access.can_edit_partner(partner)
    if request.method == "POST":
        if read_only:
            raise PermissionDenied
        data = request.POST
    else:
        data = None if read_only else _typed_values(request)
    lines = list(partner.budget_lines.all())
    aids = list(partner.requested_aids.all())
    part_form = PartnerPartForm(
        data,
        partner=partner,
        read_only=read_only,
        show_organisation_contacts=project_access.can_choose_organisation_contact(partner),
    )
    budget_form = BudgetGridForm(data, lines=lines, read_only=read_only)
    aid_formset = requested_aid_formset(data, partner_aids=aids, call=project.call, read_only=read_only)
    if request.method == "POST":
        if part_form.is_valid() and budget_form.is_valid() and aid_formset.is_valid():
            try:
                with transaction.atomic():
                    update_partner_part(
                        partner=partner,
                        actor=request.user,
                        contact=part_form.cleaned_data["contact"],
                        role=part_form.cleaned_data["role"],
                        tasks=part_form.cleaned_data["tasks"],
                    )
                    save_budget_lines(partner=partner, actor=request.user, amounts=budget_form.amounts())
                    save_requested_aids(partner=partner, actor=request.user, aids=aid_formset.aids())
            except SubmissionRefused as refusal:
                part_form.add_error(None, str(refusal))
            else:
                name = partner.organisation.display_name
                messages.success(request, elide_de(_("The part of %(name)s has been saved.") % {"name": name}, name))
                if "continue" in request.POST:
                    return redirect("projects:project-edit-budget", pk=project.pk)
                return redirect("projects:project-edit-partner", pk=project.pk, partner_pk=partner.pk)
        messages.error(request, _("Nothing was saved: please correct the fields marked below."))
    budget_rows = [(category, label, budget_form[category]) for category, label in CostCategory.choices]
    context = {
        **_step_context(request, project, project_access, "budget"),
        "partner": partner,
        "part_form": part_form,
        "budget_form": budget_form,
        "budget_rows": budget_rows,
        "aid_formset": aid_formset,
        "read_only": read_only,
        "saved_total": sum((line.amount for line in lines), start=0),
        "can_invite": project_access.can_invite_for(partner),
    }
    return render(request, "projects/submission/partner.html", context)


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
    show_table = project_access.sees_all_partners and _template_exists(BUDGET_TABLE_TEMPLATE)
    context = {
        **_step_context(request, project, project_access, "budget"),
        "partners": visible,
        "budget": budget if project_access.sees_all_partners else None,
        "budget_table": BUDGET_TABLE_TEMPLATE if show_table else None,
        "project_total": budget.total,
    }
    return render(request, "projects/submission/budget.html", context)


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
        **_step_context(request, project, project_access, "documents"),
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
                return _after_save(request, project, "documents")
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
        **_step_context(request, project, project_access, "checks"),
        "results": results,
        "counts": counts,
        "show_details": project_access.sees_all_partners,
        "checklist_template": CHECKLIST_TEMPLATE if _template_exists(CHECKLIST_TEMPLATE) else None,
        "deposit_url": _step_url("deposit", project) if project_access.can_edit else None,
    }
    if request.htmx:
        return render(request, "projects/submission/_checks.html", context)
    return render(request, "projects/submission/checks.html", context)


# --- Partner invitations [A3] -------------------------------------------------------------


class PartnerInvitationAcceptView(InvitationView):
    """The link of a partner invitation e-mail (PUBLIC: the token is the secret): what the
    visitor needs to become the partner's contact for this project only, as for colleagues'
    invitations (pole.invitation_views)."""

    model = PartnerInvitation
    select_related = ("partner__organisation", "partner__project", "invited_by")
    template_prefix = "projects/submission/invitation_"

    def get_invitation_context(self, invitation) -> dict:
        partner = invitation.partner
        return {
            **super().get_invitation_context(invitation),
            "partner": partner,
            "project": partner.project,
            "organisation": partner.organisation,
        }

    def accept(self, invitation, user):
        return accept_partner_invitation(invitation=invitation, user=user)

    def accept_with_new_account(self, invitation, **account):
        return accept_partner_invitation_with_new_account(invitation=invitation, **account)

    def welcome(self, invitation, granted) -> str:
        return _("Welcome! You are now the contact of %(name)s for the project %(project)s only.") % {
            "name": granted.organisation.display_name,
            "project": granted.project.acronym,
        }

    def landing_url(self, invitation, granted) -> str:
        """His partner's page while the dossier can be edited, else the project page."""
        project = granted.project
        if project.is_editable:
            return reverse("projects:project-edit-partner", kwargs={"pk": project.pk, "partner_pk": granted.pk})
        return project_page_url(project)


urlpatterns = [
    path("new/", project_create, name="project-create"),
    path("<int:pk>/edit/", project_edit, name="project-edit"),
    path("<int:pk>/edit/general/", edit_general, name="project-edit-general"),
    path("<int:pk>/edit/consortium/", edit_consortium, name="project-edit-consortium"),
    path("<int:pk>/edit/consortium/search/", consortium_search, name="project-consortium-search"),
    path("<int:pk>/edit/consortium/add/", consortium_add, name="project-consortium-add"),
    path(
        "<int:pk>/edit/consortium/new-organisation/",
        consortium_create_organisation,
        name="project-consortium-create-organisation",
    ),
    path("<int:pk>/edit/consortium/<int:partner_pk>/remove/", consortium_remove, name="project-consortium-remove"),
    path("<int:pk>/edit/consortium/<int:partner_pk>/lead/", consortium_set_lead, name="project-consortium-lead"),
    path("<int:pk>/edit/consortium/<int:partner_pk>/invite/", consortium_invite, name="project-consortium-invite"),
    path("<int:pk>/edit/partners/<int:partner_pk>/", edit_partner, name="project-edit-partner"),
    path("<int:pk>/edit/budget/", edit_budget, name="project-edit-budget"),
    path("<int:pk>/edit/documents/", edit_documents, name="project-edit-documents"),
    path("<int:pk>/edit/documents/<int:document_pk>/remove/", document_remove, name="project-document-remove"),
    path("<int:pk>/edit/checks/", edit_checks, name="project-edit-checks"),
    path("documents/<int:pk>/", document_download, name="project-document"),
    path("partner-invitations/<str:token>/", PartnerInvitationAcceptView.as_view(), name="partner-invitation-accept"),
]
