"""The staff back-office for members [S3]: the members list with its filters and CSV/XLSX
export, and one page per organisation with every field, its people, memberships, dues
and history [D1]."""

from itertools import groupby

from django import forms
from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST
from django_filters.views import FilterView

from members.filters import StaffMemberFilter, with_current_membership
from members.models import College, Dues, Membership, Organisation, OrganisationKind, Person, SizeCategory
from members.resources import OrganisationResource
from members.services.sizes import override_size_category
from members.views.directory import PAGE_SIZE, PagedFilterMixin
from pole.access import AccessPolicyMixin, access, roles
from pole.models import ActivityLog
from pole.roles import STAFF

EXPORT_FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
STATE_LABELS = dict(Membership.State.choices)
COLLEGE_LABELS = dict(College.choices)


def staff_members_queryset():
    return (
        with_current_membership(Organisation.objects.all())
        .prefetch_related("strategic_domains")
        .order_by("legal_name", "pk")
    )


def export_organisations(queryset, file_format: str) -> HttpResponse:
    """The organisations of `queryset` as a CSV (UTF-8 with a byte-order mark, so that
    spreadsheet programs read the accents) or XLSX download, with readable headers."""
    dataset = OrganisationResource().export(queryset)
    if file_format == "xlsx":
        content = dataset.export("xlsx")
    else:
        content = "\ufeff" + dataset.export("csv")
    response = HttpResponse(content, content_type=EXPORT_FORMATS[file_format])
    filename = f"members-{timezone.localdate():%Y-%m-%d}.{file_format}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def filtered_export(request) -> HttpResponse:
    file_format = request.GET.get("format", "csv")
    if file_format not in EXPORT_FORMATS:
        raise Http404("Unknown export format.")
    filterset = StaffMemberFilter(request.GET, queryset=staff_members_queryset(), request=request)
    queryset = filterset.qs if filterset.is_valid() else Organisation.objects.none()
    return export_organisations(queryset, file_format)


class StaffMembersView(AccessPolicyMixin, PagedFilterMixin, FilterView):
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
@require_GET
def staff_members_export(request):
    """The filtered members list (same parameters as the list) as `?format=csv|xlsx`."""
    return filtered_export(request)


# --- One organisation ----------------------------------------------------------------------


class SizeOverrideForm(forms.Form):
    size = forms.ChoiceField(
        label=_("Size category set by staff"),
        choices=[("", _("None: derived from headcount and turnover")), *SizeCategory.choices],
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control"}),
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


HISTORY_LIMIT = 200
# Fields whose change says nothing to a reader (they change on every save).
HISTORY_IGNORED_FIELDS = {"updated_at", "created_at", "last_reminder_at"}


def _display_value(field, value):
    if value is None or value == "":
        return "—"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    text = str(value)
    return text if len(text) <= 120 else text[:119] + "…"


def _history_subject(record) -> str:
    model = record.instance_type
    if model is Organisation:
        return gettext("Organisation")
    if model is Person:
        return gettext("Contact %(name)s") % {"name": f"{record.first_name} {record.last_name}"}
    if model is Membership:
        return gettext("Membership (%(college)s)") % {"college": COLLEGE_LABELS.get(record.college, record.college)}
    return gettext("Dues %(year)s") % {"year": record.year}


ACTIONS = {
    "+": pgettext_lazy("history action", "Created"),
    "~": pgettext_lazy("history action", "Changed"),
    "-": pgettext_lazy("history action", "Deleted"),
}


def _changes_between(previous, record) -> list[dict]:
    """The fields that differ between two versions of one object. diff_against compares
    the editable fields; the derived ones (size category, region) are compared here."""
    tracked = [f for f in record.tracked_fields if f.name not in HISTORY_IGNORED_FIELDS and not f.primary_key]
    delta = record.diff_against(previous, included_fields=[f.name for f in tracked if f.editable])
    pairs = [(change.field, change.old, change.new) for change in delta.changes]
    for field in tracked:
        if not field.editable and getattr(previous, field.attname) != getattr(record, field.attname):
            pairs.append((field.name, getattr(previous, field.attname), getattr(record, field.attname)))
    model = record.instance_type
    changes = []
    for name, old, new in pairs:
        field = model._meta.get_field(name)
        changes.append(
            {"field": field.verbose_name, "old": _display_value(field, old), "new": _display_value(field, new)}
        )
    return changes


def _entries_for(records):
    """History entries of one model's records, sorted by object then date: each record
    compared with the previous record of the same object."""
    entries = []
    for _pk, versions in groupby(records, key=lambda record: record.id):
        previous = None
        for record in versions:
            changes = []
            if previous is not None and record.history_type == "~":
                changes = _changes_between(previous, record)
            if previous is None or record.history_type != "~" or changes:
                entries.append(
                    {
                        "when": record.history_date,
                        "who": record.history_user,
                        "subject": _history_subject(record),
                        "action": ACTIONS.get(record.history_type, record.history_type),
                        "changes": changes,
                        "reason": record.history_change_reason or "",
                        "source": "history",
                    }
                )
            previous = record
    return entries


# The labels of the values that activity-log rows carry in "from" and "to", by verb prefix.
TRANSITION_LABELS = {
    "membership.": dict(Membership.State.choices),
    "dues.": dict(Dues.Status.choices),
    "organisation.size": dict(SizeCategory.choices),
}


VERB_LABELS = {
    "organisation.size_overridden": _("Size category set by staff"),
    "organisation.size_override_removed": _("Size category set by staff removed"),
}


def _verb_label(verb: str) -> str:
    """A readable name for an activity-log verb; the verb itself when unknown."""
    if verb in VERB_LABELS:
        return str(VERB_LABELS[verb])
    prefix, _dot, target = verb.partition(".")
    if prefix == "membership" and target in Membership.State.values:
        return gettext("Membership: %(state)s") % {"state": Membership.State(target).label}
    if prefix == "dues" and target in Dues.Status.values:
        return gettext("Dues: %(status)s") % {"status": Dues.Status(target).label}
    return verb


def _transition_labels(verb: str, data: dict) -> dict:
    labels = next((labels for prefix, labels in TRANSITION_LABELS.items() if verb.startswith(prefix)), {})
    return {key: str(labels.get(data.get(key), data.get(key) or "")) for key in ("from", "to")}


def organisation_history(organisation) -> list[dict]:
    """Every recorded change to `organisation`, its people, memberships and dues
    (django-simple-history), and the activity log of the same objects (transitions with
    their reasons), newest first, at most HISTORY_LIMIT entries. Five queries whatever
    the number of records (plus one for content types on a cold cache)."""

    def records(model, **lookup):
        return list(
            model.history.filter(**lookup).select_related("history_user").order_by("id", "history_date", "history_id")
        )

    organisation_records = records(Organisation, id=organisation.pk)
    person_records = records(Person, organisation_id=organisation.pk)
    membership_records = records(Membership, organisation_id=organisation.pk)
    membership_ids = {record.id for record in membership_records}
    dues_records = records(Dues, membership_id__in=membership_ids) if membership_ids else []

    entries = []
    for model_records in (organisation_records, person_records, membership_records, dues_records):
        entries += _entries_for(model_records)

    types = ContentType.objects.get_for_models(Organisation, Person, Membership, Dues)
    targets = Q(target_type=types[Organisation], target_id=str(organisation.pk))
    for model, model_records in ((Person, person_records), (Membership, membership_records), (Dues, dues_records)):
        ids = {str(record.id) for record in model_records}
        if ids:
            targets |= Q(target_type=types[model], target_id__in=ids)
    for entry in ActivityLog.objects.filter(targets).select_related("actor")[:HISTORY_LIMIT]:
        data = entry.data if isinstance(entry.data, dict) else {}
        entries.append(
            {
                "when": entry.created_at,
                "who": entry.actor,
                "subject": entry.target_repr,
                "action": _verb_label(entry.verb),
                "changes": [],
                "transition": _transition_labels(entry.verb, data) if data.get("from") or data.get("to") else None,
                "reason": data.get("reason", ""),
                "source": "activity",
            }
        )
    entries.sort(key=lambda entry: entry["when"], reverse=True)
    return entries[:HISTORY_LIMIT]


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
@require_GET
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
