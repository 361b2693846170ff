"""django-import-export resource for the staff export of projects [P8] [S3].

Export only (projects are created through the submission steps, never imported): one row
per project with readable, translated headers, the totals computed by the database
(`with_budget_totals`), and the strategic domains — the staff list's filters apply.
"""

from django.utils.translation import gettext_lazy as _
from import_export import fields, resources, widgets

from members.resources import AmountWidget, ChoiceWidget, TranslatedHeadersMixin, WholeNumberWidget
from pole.exports import SpreadsheetExportMixin
from projects.filters import with_budget_totals
from projects.models import Confidentiality, NonRDSubKind, Project, ProjectKind, ProjectState


def _field(attribute, header, widget=None):
    return fields.Field(attribute=attribute, column_name=header, widget=widget or widgets.CharWidget(), readonly=True)


class DateTimeWidget(widgets.DateTimeWidget):
    """Aware datetimes shown in the portal's time zone (Europe/Paris)."""

    def __init__(self):
        super().__init__(format="%Y-%m-%d %H:%M", coerce_to_string=True)


class ProjectResource(SpreadsheetExportMixin, TranslatedHeadersMixin, resources.ModelResource):
    id = _field("id", _("ID"), WholeNumberWidget())
    reference = _field("reference", _("Reference"))
    acronym = _field("acronym", _("Acronym"))
    title_fr = _field("title_fr", _("Title (French)"))
    title_en = _field("title_en", _("Title (English)"))
    kind = _field("kind", _("Kind"), ChoiceWidget(ProjectKind.choices))
    sub_kind = _field("sub_kind", _("Sub-kind"), ChoiceWidget(NonRDSubKind.choices))
    state = _field("state", _("State"), ChoiceWidget(ProjectState.choices))
    call = _field("call__code", _("Call"))
    funding_scheme = _field("call__funding_scheme__code", _("Funding scheme"))
    lead_organisation = _field("lead_organisation__legal_name", _("Lead partner"))
    lead_region = fields.Field(column_name=_("Region of the lead partner"), readonly=True)
    strategic_domains = fields.Field(column_name=_("Strategic domains (codes)"), readonly=True)
    partner_count = _field("partner_count", _("Partners"), WholeNumberWidget())
    total_budget = _field("total_budget", _("Total budget (€)"), AmountWidget())
    requested_aid = _field("requested_aid", _("Requested aid (€)"), AmountWidget())
    confidentiality = _field("confidentiality", _("Confidentiality"), ChoiceWidget(Confidentiality.choices))
    public_consent = fields.Field(column_name=_("Publication agreed"), readonly=True)
    deposited_at = _field("deposited_at", _("Deposited on"), DateTimeWidget())
    created_at = _field("created_at", _("Created"), DateTimeWidget())
    resubmission_of = _field("resubmission_of__acronym", _("Resubmission of"))

    class Meta:
        model = Project
        fields = (
            "id",
            "reference",
            "acronym",
            "title_fr",
            "title_en",
            "kind",
            "sub_kind",
            "state",
            "call",
            "funding_scheme",
            "lead_organisation",
            "lead_region",
            "strategic_domains",
            "partner_count",
            "total_budget",
            "requested_aid",
            "confidentiality",
            "public_consent",
            "deposited_at",
            "created_at",
            "resubmission_of",
        )
        export_order = fields

    def filter_export(self, queryset, **kwargs):
        if "total_budget" not in queryset.query.annotations:
            queryset = with_budget_totals(queryset)
        return queryset.select_related("call__funding_scheme", "lead_organisation", "resubmission_of").prefetch_related(
            "strategic_domains"
        )

    def get_queryset(self):
        return Project.objects.all()

    def dehydrate_lead_region(self, project):
        organisation = project.lead_organisation
        return organisation.get_region_display() if organisation and organisation.region else ""

    def dehydrate_strategic_domains(self, project):
        return ", ".join(domain.code for domain in project.strategic_domains.all())

    def dehydrate_public_consent(self, project):
        return str(_("yes") if project.public_consent else _("no"))
