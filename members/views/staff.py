"""The staff back-office for members [S3]: the members list with its filters and CSV/XLSX
export, and one page per organisation with every field, its people, memberships, dues
and history [D1]."""

import datetime
from collections import defaultdict
from decimal import Decimal
from itertools import groupby
from pathlib import PurePosixPath

from django import forms
from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Prefetch, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import formats, timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST, require_safe
from django_filters.views import FilterView

from members.activity import change_reason_label, transition_labels, verb_label
from members.filters import StaffMemberFilter, with_current_membership
from members.models import College, Dues, Membership, Organisation, OrganisationKind, Person, SizeCategory
from members.resources import OrganisationResource
from members.services.sizes import override_size_category
from pole.access import AccessPolicyMixin, access, roles
from pole.exports import spreadsheet_response
from pole.forms import StyledFormMixin
from pole.models import ActivityLog
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


HISTORY_LIMIT = 200
# Fields whose change says nothing to a reader (they change on every save).
HISTORY_IGNORED_FIELDS = {"updated_at", "created_at", "last_reminder_at"}


def _related_pks(field, value) -> list:
    """The primary keys a history value points at: one for a foreign key, several for a
    many-to-many field (see _m2m_values)."""
    if value in (None, ""):
        return []
    if field.many_to_many:
        return list(value)
    return [value]


def _display_value(field, value, related: dict | None = None) -> str:
    """A history value as a reader understands it: the label of a choice, yes/no, a date
    in the page's format, a file's own name, the names of related objects (`related`:
    primary key → name, fetched in bulk)."""
    if value is None or value == "" or value == []:
        return "—"
    if field.is_relation:
        names = [str((related or {}).get(pk, pk)) for pk in _related_pks(field, value)]
        return ", ".join(sorted(names)) or "—"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if isinstance(value, datetime.datetime):
        return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, Decimal):
        return formats.number_format(value, use_l10n=True, force_grouping=True)
    if isinstance(field, models.FileField):
        return PurePosixPath(str(value)).name
    text = str(value)
    return text if len(text) <= 120 else text[:119] + "…"


def _label_changes(entries: list[dict]) -> None:
    """Turn the raw values of the history changes into readable ones, in place; the
    related objects are fetched with one query per related model, whatever the number of
    changes."""
    wanted = defaultdict(set)
    for entry in entries:
        for change in entry["changes"]:
            field = change["model_field"]
            if field.is_relation:
                for value in (change["old"], change["new"]):
                    wanted[field.related_model].update(pk for pk in _related_pks(field, value) if pk is not None)
    names = {
        model: {pk: str(row) for pk, row in model._default_manager.in_bulk(pks).items()}
        for model, pks in wanted.items()
    }
    for entry in entries:
        for change in entry["changes"]:
            field = change.pop("model_field")
            related = names.get(field.related_model) if field.is_relation else None
            change["old"] = _display_value(field, change["old"], related)
            change["new"] = _display_value(field, change["new"], related)


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


def _m2m_values(records) -> dict[int, dict[str, frozenset]]:
    """The many-to-many values of historical records (history_id → field name → primary
    keys), one query per field whatever the number of records: simple-history's own
    diff_against would run two queries per pair of records."""
    values = defaultdict(lambda: defaultdict(frozenset))
    if not records:
        return values
    for field in getattr(records[0], "_history_m2m_fields", []):
        through = getattr(records[0], field.name).model
        target = next(
            f.attname for f in through._meta.fields if f.is_relation and f.related_model is field.related_model
        )
        rows = through.objects.filter(history_id__in=[record.history_id for record in records])
        for history_id, pk in rows.values_list("history_id", target):
            values[history_id][field.name] |= {pk}
    return values


def _changes_between(previous, record, m2m) -> list[dict]:
    """The fields that differ between two versions of one object. diff_against compares
    the editable fields; the derived ones (size category, region) and the many-to-many
    ones (`m2m`, from _m2m_values) are compared here."""
    tracked = [f for f in record.tracked_fields if f.name not in HISTORY_IGNORED_FIELDS and not f.primary_key]
    delta = record.diff_against(previous, included_fields=[f.name for f in tracked if f.editable])
    pairs = [(change.field, change.old, change.new) for change in delta.changes]
    for field in tracked:
        if not field.editable and getattr(previous, field.attname) != getattr(record, field.attname):
            pairs.append((field.name, getattr(previous, field.attname), getattr(record, field.attname)))
    for field in getattr(record, "_history_m2m_fields", []):
        old, new = m2m[previous.history_id][field.name], m2m[record.history_id][field.name]
        if old != new:
            pairs.append((field.name, sorted(old), sorted(new)))
    model = record.instance_type
    changes = []
    for name, old, new in pairs:
        field = model._meta.get_field(name)
        changes.append({"field": field.verbose_name, "model_field": field, "old": old, "new": new})
    return changes


def _entries_for(records):
    """History entries of one model's records, sorted by object then date: each record
    compared with the previous record of the same object."""
    entries = []
    m2m = _m2m_values(records)
    for _pk, versions in groupby(records, key=lambda record: record.id):
        previous = None
        for record in versions:
            changes = []
            if previous is not None and record.history_type == "~":
                changes = _changes_between(previous, record, m2m)
            if previous is None or record.history_type != "~" or changes:
                entries.append(
                    {
                        "when": record.history_date,
                        "who": record.history_user,
                        "subject": _history_subject(record),
                        "action": ACTIONS.get(record.history_type, record.history_type),
                        "changes": changes,
                        "reason": change_reason_label(record.history_change_reason),
                        "source": "history",
                    }
                )
            previous = record
    return entries


def organisation_history(organisation) -> list[dict]:
    """Every recorded change to `organisation`, its people, memberships and dues
    (django-simple-history), and the activity log of the same objects (transitions with
    their reasons), newest first, at most HISTORY_LIMIT entries, with readable values. A
    constant number of queries whatever the number of records: five, one for the strategic
    domains of the organisation's records, one per kind of related object that changed
    (plus one for content types on a cold cache)."""

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
    _label_changes(entries)

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
                "action": verb_label(entry.verb),
                "changes": [],
                "transition": transition_labels(entry.verb, data) if data.get("from") or data.get("to") else None,
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
