"""django-import-export resource for the staff export of projects [P8] [S3].

Export only (projects are created through the submission steps, never imported): one row
per project with readable, translated headers, the totals computed by the database
(`with_budget_totals`), and the strategic domains — the staff list's filters apply.
"""

from django.utils.translation import gettext_lazy as _
from import_export import fields, resources

from pole.exports import (
    AmountWidget,
    ChoiceWidget,
    DateTimeWidget,
    SpreadsheetExportMixin,
    TranslatedHeadersMixin,
    WholeNumberWidget,
    column,
)
from projects.filters import with_budget_totals
from projects.models import Confidentiality, NonRDSubKind, Project, ProjectKind, ProjectState


class ProjectResource(SpreadsheetExportMixin, TranslatedHeadersMixin, resources.ModelResource):
    id = column("id", _("ID"), WholeNumberWidget(), readonly=True)
    reference = column("reference", _("Reference"), readonly=True)
    acronym = column("acronym", _("Acronym"), readonly=True)
    title_fr = column("title_fr", _("Title (French)"), readonly=True)
    title_en = column("title_en", _("Title (English)"), readonly=True)
    kind = column("kind", _("Kind"), ChoiceWidget(ProjectKind.choices), readonly=True)
    sub_kind = column("sub_kind", _("Sub-kind"), ChoiceWidget(NonRDSubKind.choices), readonly=True)
    state = column("state", _("State"), ChoiceWidget(ProjectState.choices), readonly=True)
    call = column("call__code", _("Call"), readonly=True)
    funding_scheme = column("call__funding_scheme__code", _("Funding scheme"), readonly=True)
    lead_organisation = column("lead_organisation__legal_name", _("Lead partner"), readonly=True)
    lead_region = fields.Field(column_name=_("Region of the lead partner"), readonly=True)
    strategic_domains = fields.Field(column_name=_("Strategic domains (codes)"), readonly=True)
    partner_count = column("partner_count", _("Partners"), WholeNumberWidget(), readonly=True)
    total_budget = column("total_budget", _("Total budget (€)"), AmountWidget(), readonly=True)
    requested_aid = column("requested_aid", _("Requested aid (€)"), AmountWidget(), readonly=True)
    confidentiality = column(
        "confidentiality", _("Confidentiality"), ChoiceWidget(Confidentiality.choices), readonly=True
    )
    public_consent = fields.Field(column_name=_("Publication agreed"), readonly=True)
    deposited_at = column("deposited_at", _("Deposited on"), DateTimeWidget(), readonly=True)
    created_at = column("created_at", _("Created"), DateTimeWidget(), readonly=True)
    resubmission_of = column("resubmission_of__acronym", _("Resubmission of"), readonly=True)

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
