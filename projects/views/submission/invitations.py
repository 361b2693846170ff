"""Partner invitations [A3]: a partner's contact invited by e-mail from the consortium
step, and the page of the invitation's link (pole.invitation_views), which makes him the
partner's contact for this project only (projects.services.partner_invitations).

Who may use each page: see projects.views.submission."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from pole.invitation_views import InvitationView
from pole.typed_values import typed_values
from projects.forms.submission import PartnerInvitationForm
from projects.models import PartnerInvitation
from projects.services.partner_invitations import (
    accept_partner_invitation,
    accept_partner_invitation_with_new_account,
    invite_partner_contact,
)
from projects.views.submission.consortium import partner_of
from projects.views.submission.steps import dossier_view, project_page_url, step_context


@dossier_view()
def consortium_invite(request, project, project_access, partner_pk):
    """Invite a partner's contact by e-mail [A3]: the lead's contacts for any partner, a
    partner's contacts for their own."""
    partner = partner_of(project, partner_pk)
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
        form = PartnerInvitationForm(typed_values(request))
    context = {**step_context(request, project, project_access, "consortium"), "partner": partner, "form": form}
    return render(request, "projects/submission/invite.html", context)


# --- Partner invitations [A3] -------------------------------------------------------------


class PartnerInvitationAcceptView(InvitationView):
    """The link of a partner invitation e-mail (PUBLIC: the token is the secret): what the
    visitor needs to become the partner's contact for this project only, as for colleagues'
    invitations (pole.invitation_views)."""

    model = PartnerInvitation
    select_related = ("partner__organisation", "partner__project", "invited_by")
    intro_template = "projects/submission/invitation_intro.html"

    def get_invitation_context(self, invitation) -> dict:
        partner = invitation.partner
        return {
            **super().get_invitation_context(invitation),
            "partner": partner,
            "project": partner.project,
            "organisation": partner.organisation,
        }

    def texts(self, invitation) -> dict:
        acronym = {"acronym": invitation.partner.project.acronym}
        return {
            "join": _("Join %(acronym)s") % acronym,
            "signup": _("Create my account and join %(acronym)s") % acronym,
            "login": _(
                "An account already exists for %(email)s. Log in with it: you will come back to this page "
                "to join the project."
            )
            % {"email": invitation.email},
            "used": _(
                "An invitation link works only once. If you accepted it, log in and open the project from your "
                "projects."
            ),
            "used_link": None,
            "expired": _(
                "Invitations are valid for 14 days. Ask the lead partner of %(acronym)s to send you a new one."
            )
            % acronym,
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
