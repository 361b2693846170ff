"""The membership application journey [M3]: the public "join" form and its thank-you
page; the staff's list of applications to review, the review page with its decisions,
and the download of application documents."""

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django.views.generic import ListView

from members.exceptions import IllegalTransition
from members.forms.applications import ApplicationForm, ApprovalForm, RefusalForm
from members.models import Membership, MembershipDocument
from members.services import applications as services
from members.services.memberships import allowed_targets
from pole.access import AUTHENTICATED, PUBLIC, AccessPolicyMixin, access, roles
from pole.activity import activity_for, record_activity
from pole.roles import STAFF

State = Membership.State


# --- Public -----------------------------------------------------------------------------


@access(PUBLIC)
@require_http_methods(["GET", "HEAD", "POST"])
def join(request):
    """The application form. A failed validation re-renders everything typed (files must
    be chosen again: browsers never keep them)."""
    if request.method == "POST":
        form = ApplicationForm(request.POST, request.FILES)
        if form.is_valid():
            services.submit_application(
                **form.application_data(),
                language=get_language(),
                actor=request.user,
            )
            return redirect("members:join-thanks")
    else:
        initial = {}
        if request.user.is_authenticated:
            user = request.user
            initial = {
                "contact_first_name": user.first_name,
                "contact_last_name": user.last_name,
                "contact_email": user.email,
            }
        form = ApplicationForm(initial=initial)
    context = {"form": form, "max_upload_mb": settings.MAX_UPLOAD_SIZE // (1024 * 1024)}
    return render(request, "members/applications/join.html", context)


@access(PUBLIC)
@require_safe
def join_thanks(request):
    return render(request, "members/applications/thanks.html")


@access(AUTHENTICATED)
@require_http_methods(["GET", "HEAD", "POST"])
def join_confirm_contact(request, token):
    """The owner of an existing account, named as an applicant's main contact, confirms
    that he is (the link of the e-mail sent to his address). Nothing is attached to his
    account before he does."""
    try:
        contact = services.contact_to_confirm(token)
    except services.InvalidConfirmation:
        contact = None
    if contact is not None and not services.owns_address(request.user, contact.email):
        context = {"wrong_account": True, "email": contact.email}
        return render(request, "members/applications/confirm_contact.html", context, status=403)
    if contact is None:
        return render(request, "members/applications/confirm_contact.html", {"invalid": True}, status=404)
    if request.method == "POST":
        try:
            services.confirm_contact(token=token, user=request.user)
        except services.InvalidConfirmation:
            return render(request, "members/applications/confirm_contact.html", {"invalid": True}, status=404)
        messages.success(
            request,
            _("You are now the main contact of %(organisation)s for its application.")
            % {"organisation": contact.organisation.legal_name},
        )
        return redirect("members:space")
    return render(request, "members/applications/confirm_contact.html", {"contact": contact})


# --- Staff --------------------------------------------------------------------------------


class ApplicationList(AccessPolicyMixin, ListView):
    """Applications waiting for a decision, oldest first, with a duplicate flag."""

    access_policy = roles(STAFF)
    template_name = "members/applications/staff_list.html"
    context_object_name = "applications"
    paginate_by = 50

    def get_queryset(self):
        return (
            Membership.objects.filter(state__in=services.PENDING_STATES)
            .select_related("organisation")
            .order_by("applied_at", "pk")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = context["applications"]
        candidates = services.duplicate_candidates(membership.organisation for membership in page)
        for membership in page:
            membership.has_possible_duplicates = bool(candidates[membership.organisation_id])
        return context


def _application_or_404(pk: int) -> Membership:
    return get_object_or_404(
        Membership.objects.select_related("organisation", "applicant__user").prefetch_related(
            "organisation__strategic_domains"
        ),
        pk=pk,
    )


def _render_application(request, membership, *, approval_form=None, refusal_form=None):
    organisation = membership.organisation
    targets = allowed_targets(membership)
    context = {
        "membership": membership,
        "organisation": organisation,
        "people": organisation.people.select_related("user").order_by("-is_main_contact", "last_name"),
        "documents": membership.documents.all(),
        "duplicates": services.find_possible_duplicates(organisation),
        "history": [(entry, _history_label(entry)) for entry in activity_for(membership)[:50]],
        "can_start_review": State.UNDER_REVIEW in targets,
        "can_approve": State.APPROVED in targets,
        "can_refuse": State.REFUSED in targets,
        "approval_form": approval_form or ApprovalForm(),
        "refusal_form": refusal_form or RefusalForm(),
    }
    return render(request, "members/applications/staff_detail.html", context)


def _history_label(entry) -> str:
    if entry.verb == "membership.applied":
        if entry.data.get("contact_to_confirm"):
            return _("Application submitted; the contact's account must confirm that it is his")
        return _("Application submitted")
    if entry.verb == "membership.contact_confirmed":
        return _("The main contact confirmed with his account")
    state = entry.verb.removeprefix("membership.")
    if state in State.values:
        return _("State: %(state)s") % {"state": State(state).label}
    return entry.verb


@access(roles(STAFF))
@require_safe
def application_detail(request, pk):
    return _render_application(request, _application_or_404(pk))


def _refused_move(request, membership: Membership) -> None:
    membership.refresh_from_db(fields=["state"])
    messages.error(
        request,
        _('This action is not possible: the application is now "%(state)s". The page shows what can still be done.')
        % {"state": membership.get_state_display()},
    )


@access(roles(STAFF))
@require_POST
def application_start_review(request, pk):
    membership = _application_or_404(pk)
    try:
        services.start_review(membership=membership, actor=request.user)
    except IllegalTransition:
        _refused_move(request, membership)
    else:
        messages.success(request, _("The application is now under review."))
    return redirect("members:staff-application", pk=membership.pk)


@access(roles(STAFF))
@require_POST
def application_approve(request, pk):
    membership = _application_or_404(pk)
    form = ApprovalForm(request.POST)
    if not form.is_valid():
        return _render_application(request, membership, approval_form=form)
    try:
        services.approve_application(
            membership=membership,
            actor=request.user,
            decision_date=form.cleaned_data["decision_date"],
            decision_reference=form.cleaned_data["decision_reference"],
            start_date=form.cleaned_data["start_date"],
        )
    except IllegalTransition:
        _refused_move(request, membership)
    else:
        messages.success(
            request,
            _("%(organisation)s is now a member. Its main contact has been e-mailed.")
            % {"organisation": membership.organisation.legal_name},
        )
    return redirect("members:staff-application", pk=membership.pk)


@access(roles(STAFF))
@require_POST
def application_refuse(request, pk):
    membership = _application_or_404(pk)
    form = RefusalForm(request.POST)
    if not form.is_valid():
        return _render_application(request, membership, refusal_form=form)
    try:
        services.refuse_application(membership=membership, actor=request.user, reason=form.cleaned_data["reason"])
    except IllegalTransition:
        _refused_move(request, membership)
    else:
        messages.success(request, _("The application has been refused. Its main contact has been e-mailed."))
    return redirect("members:staff-application", pk=membership.pk)


@access(roles(STAFF))
@require_safe
def application_document(request, pk):
    """An application document, as an attachment (never rendered by the browser); every
    download is logged."""
    document = get_object_or_404(MembershipDocument.objects.select_related("membership"), pk=pk)
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404("missing file") from None
    record_activity(
        actor=request.user,
        verb="document.downloaded",
        target=document,
        data={"membership": document.membership_id, "name": document.original_name},
    )
    response = FileResponse(
        handle, as_attachment=True, filename=document.original_name, content_type=document.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


urlpatterns = [
    path("join/", join, name="join"),
    path("join/thanks/", join_thanks, name="join-thanks"),
    path("join/confirm/<str:token>/", join_confirm_contact, name="join-confirm-contact"),
    path("staff/applications/", ApplicationList.as_view(), name="staff-applications"),
    path("staff/applications/<int:pk>/", application_detail, name="staff-application"),
    path("staff/applications/<int:pk>/review/", application_start_review, name="staff-application-start-review"),
    path("staff/applications/<int:pk>/approve/", application_approve, name="staff-application-approve"),
    path("staff/applications/<int:pk>/refuse/", application_refuse, name="staff-application-refuse"),
    path("staff/applications/documents/<int:pk>/", application_document, name="staff-application-document"),
]
