"""The confirmation of a consortium by the partner's organisation [A3]: the page that the
e-mail to its administrators links to, where one of them (or staff) confirms that the
organisation takes part in the project, or declines (the partner then leaves it)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from pole.access import AUTHENTICATED, access
from projects.models import Partner
from projects.permissions import partners_answerable_by
from projects.services.partner_confirmation import ConfirmationNotPending, confirm_partner, decline_partner


@access(AUTHENTICATED)
@require_http_methods(["GET", "HEAD", "POST"])
def partner_confirm(request, pk):
    """partners/<pk>/confirmation/: what the consortium is (project, call, lead, partners)
    and two buttons, confirm or decline. A partner already answered for shows so."""
    partner = get_object_or_404(
        partners_answerable_by(request.user).select_related("organisation", "project__call", "confirmed_by"), pk=pk
    )
    project = partner.project
    if request.method == "POST" and not partner.is_confirmed:
        answer = request.POST.get("answer")
        try:
            if answer == "confirm":
                confirm_partner(partner=partner, actor=request.user)
                messages.success(
                    request,
                    _("%(name)s now takes part in %(project)s: its contacts can see the project.")
                    % {"name": partner.organisation.display_name, "project": project.acronym},
                )
                return redirect("projects:project-detail", pk=project.pk)
            if answer == "decline":
                decline_partner(partner=partner, actor=request.user)
                messages.success(
                    request,
                    _("%(name)s does not take part in %(project)s: it has left the consortium; its lead is told.")
                    % {"name": partner.organisation.display_name, "project": project.acronym},
                )
                return redirect("projects:my-projects")
        except ConfirmationNotPending:
            partner = get_object_or_404(Partner.objects.select_related("organisation", "confirmed_by"), pk=pk)
    others = list(project.partners.exclude(pk=partner.pk).select_related("organisation").order_by("-is_lead", "pk"))
    context = {"partner": partner, "project": project, "others": others}
    return render(request, "projects/consortium/confirm.html", context)


urlpatterns = [
    path("partners/<int:pk>/confirmation/", partner_confirm, name="partner-confirm"),
]
