"""The consortium step [P2] [A3]: partners added (confirmed by their organisation when it
has contacts on the portal), removed, made lead; and a partner's part (contact, role,
tasks, budget lines, requested aid), edited by the lead's contacts or by that partner's.

Who may use each page: see projects.views.submission."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from pole.french import elide_de
from pole.typed_values import typed_values
from projects.forms.submission import (
    AddPartnerForm,
    BudgetGridForm,
    NewOrganisationForm,
    PartnerPartForm,
    requested_aid_formset,
)
from projects.models import CostCategory, Partner, PartnerInvitation, Project
from projects.services.submission import (
    SubmissionRefused,
    add_partner,
    remove_partner,
    save_budget_lines,
    save_requested_aids,
    set_lead_partner,
    update_partner_part,
)
from projects.views.submission.steps import dossier_view, step_context

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
        **step_context(request, project, project_access, "consortium"),
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
    typed = typed_values(request) if project_access.can_edit else None
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


def partner_of(project: Project, partner_pk: int) -> Partner:
    return get_object_or_404(project.partners.select_related("organisation", "contact"), pk=partner_pk)


@dossier_view(page="projects:project-edit-consortium")
@require_POST
def consortium_remove(request, project, project_access, partner_pk):
    partner = partner_of(project, partner_pk)
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
    partner = partner_of(project, partner_pk)
    if not project_access.can_edit:
        raise PermissionDenied
    set_lead_partner(partner=partner, actor=request.user)
    messages.success(request, _("%(name)s is now the lead partner.") % {"name": partner.organisation.display_name})
    return redirect("projects:project-edit-consortium", pk=project.pk)


# --- A partner's part -------------------------------------------------------------------


def _save_partner_part(request, partner, part_form, budget_form, aid_formset):
    """Save a partner's part, lines and aids at once; the redirection once saved, or None
    (with the refusal on the form) when the service refuses."""
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
        return None
    name = partner.organisation.display_name
    messages.success(request, elide_de(_("The part of %(name)s has been saved.") % {"name": name}, name))
    if "continue" in request.POST:
        return redirect("projects:project-edit-budget", pk=partner.project_id)
    return redirect("projects:project-edit-partner", pk=partner.project_id, partner_pk=partner.pk)


@dossier_view()
def edit_partner(request, project, project_access, partner_pk):
    """partners/<partner_pk>/: contact, role, tasks, budget lines and requested aid of one
    partner. 403 for a partner's contact opening another partner's page."""
    partner = partner_of(project, partner_pk)
    if not project_access.can_see_partner(partner):
        raise PermissionDenied
    read_only = not project_access.can_edit_partner(partner)
    if request.method == "POST":
        if read_only:
            raise PermissionDenied
        data = request.POST
    else:
        data = None if read_only else typed_values(request)
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
            saved = _save_partner_part(request, partner, part_form, budget_form, aid_formset)
            if saved is not None:
                return saved
        messages.error(request, _("Nothing was saved: please correct the fields marked below."))
    budget_rows = [(category, label, budget_form[category]) for category, label in CostCategory.choices]
    context = {
        **step_context(request, project, project_access, "budget"),
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
