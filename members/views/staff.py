"""The staff back-office for members [S3]: the members list with its filters and CSV/XLSX
export, and one page per organisation with every field, its people, memberships, dues
and history [D1]."""

from django import forms
from django.contrib import messages
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST, require_safe
from django_filters.views import FilterView

from members.filters import StaffMemberFilter, with_current_membership
from members.history import HISTORY_LIMIT, organisation_history
from members.models import College, Dues, Membership, Organisation, OrganisationKind, Person, SizeCategory
from members.resources import OrganisationResource
from members.services.sizes import override_size_category
from pole.access import AccessPolicyMixin, access, roles
from pole.exports import spreadsheet_response
from pole.forms import StyledFormMixin
from pole.pagination import PAGE_SIZE, ElidedPageRangeMixin
from pole.roles import STAFF

STATE_LABELS = dict(Membership.State.choices)
COLLEGE_LABELS = dict(College.choices)


def staff_members_queryset():
    return (
        with_current_membership(Organisation.objects.all())
        .prefetch_related("strategic_domains")
        .order_by("legal_name", "pk")
    )


def filtered_export(request) -> HttpResponse:
    filterset = StaffMemberFilter(request.GET, queryset=staff_members_queryset(), request=request)
    queryset = filterset.qs if filterset.is_valid() else Organisation.objects.none()
    return spreadsheet_response(
        OrganisationResource(), queryset, file_format=request.GET.get("format", "csv"), name="members"
    )


class StaffMembersView(AccessPolicyMixin, ElidedPageRangeMixin, FilterView):
    """All organisations, members or not, with their current membership. `?format=csv`
    or `?format=xlsx` downloads the filtered list instead."""

    access_policy = roles(STAFF)
    filterset_class = StaffMemberFilter
    template_name = "members/staff/list.html"
    context_object_name = "organisations"
    paginate_by = PAGE_SIZE
    http_method_names = ["get", "head"]

    def get(self, request, *args, **kwargs):
        if "format" in request.GET:
            return filtered_export(request)
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return staff_members_queryset()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        for organisation in context["organisations"]:
            organisation.membership_state_label = STATE_LABELS.get(organisation.current_membership_state, "")
            organisation.college_label = COLLEGE_LABELS.get(organisation.current_college, "")
        return context


@access(roles(STAFF))
@require_safe
def staff_members_export(request):
    """The filtered members list (same parameters as the list) as `?format=csv|xlsx`."""
    return filtered_export(request)


# --- One organisation ----------------------------------------------------------------------


class SizeOverrideForm(StyledFormMixin, forms.Form):
    size = forms.ChoiceField(
        label=_("Size category set by staff"),
        choices=[("", _("None: derived from headcount and turnover")), *SizeCategory.choices],
        required=False,
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=300,
        required=False,
        help_text=_("Required when you set a size category."),
    )

    def __init__(self, *args, organisation, **kwargs):
        self.organisation = organisation
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        if self.organisation.kind != OrganisationKind.COMPANY:
            raise forms.ValidationError(_("Only companies have a size category."))
        if cleaned.get("size") and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", _("Say why the size category differs from the one derived from the figures."))
        return cleaned


def _render_organisation(request, organisation, size_form=None, status=200):
    people = list(Person.objects.filter(organisation=organisation).select_related("user"))
    memberships = list(
        Membership.objects.filter(organisation=organisation)
        .select_related("applicant")
        .prefetch_related(Prefetch("dues", queryset=Dues.objects.order_by("-year")), "documents")
    )
    if size_form is None:
        size_form = SizeOverrideForm(
            organisation=organisation,
            initial={"size": organisation.size_override, "reason": organisation.size_override_reason},
        )
    context = {
        "organisation": organisation,
        "domains": list(organisation.strategic_domains.all()),
        "people": people,
        "memberships": memberships,
        "in_directory": organisation.directory_opt_in
        and any(membership.state == Membership.State.ACTIVE for membership in memberships),
        "history": organisation_history(organisation),
        "history_limit": HISTORY_LIMIT,
        "size_form": size_form if organisation.kind == OrganisationKind.COMPANY else None,
    }
    return render(request, "members/staff/detail.html", context, status=status)


@access(roles(STAFF))
@require_safe
def staff_member(request, slug):
    organisation = get_object_or_404(Organisation, slug=slug)
    return _render_organisation(request, organisation)


@access(roles(STAFF))
@require_POST
def staff_member_size(request, slug):
    """Set or remove the staff override of the size category (with its reason)."""
    organisation = get_object_or_404(Organisation, slug=slug)
    if organisation.kind != OrganisationKind.COMPANY:
        messages.error(request, gettext("Only companies have a size category."))
        return redirect("members:staff-member", slug=organisation.slug)
    form = SizeOverrideForm(request.POST, organisation=organisation)
    if not form.is_valid():
        return _render_organisation(request, organisation, size_form=form)
    try:
        override_size_category(
            organisation=organisation,
            size=form.cleaned_data["size"],
            reason=form.cleaned_data["reason"],
            actor=request.user,
        )
    except ValueError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, gettext("The size category has been saved."))
    return redirect("members:staff-member", slug=organisation.slug)


urlpatterns = [
    path("staff/members/", StaffMembersView.as_view(), name="staff-members"),
    path("staff/members-export/", staff_members_export, name="staff-members-export"),
    path("staff/members/<slug:slug>/", staff_member, name="staff-member"),
    path("staff/members/<slug:slug>/size/", staff_member_size, name="staff-member-size"),
]
