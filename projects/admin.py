"""The Django admin of the projects app: staff corrections and reference data, with history
(django-simple-history) where the model keeps it.

`Project.state` is read-only here: it changes only through
projects.services.states.transition_project, which checks the transition table and writes
the activity log; reverting a project to an old version of its history is disabled for the
same reason (members.admin.NoRevertHistoryAdmin). What the deposit stamps (reference,
version, date) and the deposited dossiers themselves (ProjectVersion) are read-only too, and
uploaded files are shown, never replaced: they come through the submission steps, which
check their content. Projects can be exported (CSV/XLSX, projects.resources), never imported."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from import_export.admin import ExportMixin
from simple_history.admin import SimpleHistoryAdmin

from pole.admin_base import NoRevertHistoryAdmin, SpreadsheetAdminMixin
from projects.models import (
    BudgetLine,
    Call,
    DocumentKind,
    FundingApplication,
    GrantedAmount,
    Milestone,
    Partner,
    PartnerContact,
    PartnerInvitation,
    PartnerSearch,
    PartnerSearchAnswer,
    ProgressReport,
    Project,
    ProjectDocument,
    ProjectKind,
    ProjectOutcome,
    ProjectVersion,
    RequestedAid,
)
from projects.resources import ProjectResource

# --- Calls ----------------------------------------------------------------------------------


class CallAdminForm(forms.ModelForm):
    """The two JSON lists of a call edited as check boxes rather than raw JSON."""

    allowed_kinds = forms.MultipleChoiceField(
        label=_("allowed project kinds"), choices=ProjectKind.choices, widget=forms.CheckboxSelectMultiple
    )
    required_document_kinds = forms.MultipleChoiceField(
        label=_("required document types"),
        choices=DocumentKind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Call
        fields = ["allowed_kinds", "required_document_kinds"]  # the admin adds those of its fieldsets

    def clean(self):
        cleaned = super().clean()
        floor, ceiling = cleaned.get("budget_floor"), cleaned.get("budget_ceiling")
        if floor is not None and ceiling is not None and floor > ceiling:
            self.add_error("budget_ceiling", _("The maximum budget cannot be below the minimum budget."))
        opens_at, deadline = cleaned.get("opens_at"), cleaned.get("deadline")
        if opens_at and deadline and deadline <= opens_at:
            self.add_error("deadline", _("The deadline must come after the opening."))
        return cleaned


@admin.register(Call)
class CallAdmin(SimpleHistoryAdmin):
    form = CallAdminForm
    list_display = ["code", "title_fr", "funding_scheme", "opens_at", "deadline", "is_published"]
    list_filter = ["funding_scheme", "is_published", "lead_must_be_company"]
    search_fields = ["code", "title_fr", "title_en"]
    list_select_related = ["funding_scheme"]
    readonly_fields = ["created_at"]
    date_hierarchy = "deadline"
    fieldsets = (
        (None, {"fields": ("code", "funding_scheme", "title_fr", "title_en", "description_fr", "description_en")}),
        (_("Calendar and publication"), {"fields": ("opens_at", "deadline", "is_published", "created_at")}),
        (_("Projects accepted"), {"fields": ("allowed_kinds", "required_document_kinds")}),
        (
            _("Eligibility rules"),
            {
                "fields": (
                    "min_companies",
                    "min_research_or_training",
                    "lead_must_be_company",
                    "max_partner_share",
                    "research_aid_warning_share",
                    "budget_floor",
                    "budget_ceiling",
                )
            },
        ),
    )


# --- Projects -------------------------------------------------------------------------------


class PartnerInline(admin.TabularInline):
    model = Partner
    extra = 0
    fields = ["organisation", "is_lead", "contact", "project_contact", "confirmation", "role"]
    readonly_fields = ["project_contact"]
    autocomplete_fields = ["organisation", "contact"]
    show_change_link = True


class ProjectDocumentInline(admin.TabularInline):
    model = ProjectDocument
    extra = 0
    fields = ["kind", "original_name", "partner", "version", "size", "content_type", "uploaded_at"]
    readonly_fields = fields
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False  # documents are uploaded through the submission steps, which check their content


class ProjectVersionInline(admin.TabularInline):
    model = ProjectVersion
    extra = 0
    fields = ["number", "deposited_at", "deposited_by", "pdf", "pdf_sha256"]
    readonly_fields = fields
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False  # versions are made by the deposit


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0
    fields = ["title", "due_on", "reached_on"]


@admin.register(Project)
class ProjectAdmin(SpreadsheetAdminMixin, ExportMixin, NoRevertHistoryAdmin):
    resource_classes = [ProjectResource]
    list_display = [
        "acronym",
        "reference",
        "kind",
        "state",
        "call",
        "lead_organisation",
        "public_consent",
        "updated_at",
    ]
    list_filter = ["state", "kind", "sub_kind", "call", "strategic_domains", "confidentiality", "public_consent"]
    search_fields = ["acronym", "title_fr", "title_en", "reference"]
    list_select_related = ["call", "lead_organisation"]
    readonly_fields = [
        "state",
        "reference",
        "version",
        "deposited_at",
        "lead_organisation",
        "created_by",
        "created_at",
        "updated_at",
    ]
    autocomplete_fields = ["call", "resubmission_of", "co_labelling_poles"]
    filter_horizontal = ["strategic_domains"]
    date_hierarchy = "created_at"
    inlines = [PartnerInline, ProjectDocumentInline, ProjectVersionInline, MilestoneInline]
    fieldsets = (
        (None, {"fields": ("acronym", "call", "kind", "sub_kind", "state", "reference", "version", "deposited_at")}),
        (_("Public information"), {"fields": ("title_fr", "title_en", "summary_fr", "summary_en")}),
        (
            _("Content"),
            {
                "fields": (
                    "description",
                    "strategic_domains",
                    "markets",
                    "duration_months",
                    "start_date",
                    "trl_from",
                    "trl_to",
                )
            },
        ),
        (
            _("Consortium and publication"),
            {"fields": ("lead_organisation", "co_labelling_poles", "confidentiality", "public_consent")},
        ),
        (_("History"), {"fields": ("resubmission_of", "created_by", "created_at", "updated_at")}),
    )


# --- Consortium and budget --------------------------------------------------------------------


class BudgetLineInline(admin.TabularInline):
    model = BudgetLine
    extra = 0
    fields = ["category", "amount"]


class RequestedAidInline(admin.TabularInline):
    model = RequestedAid
    extra = 0
    fields = ["funding_scheme", "amount"]


class PartnerInvitationInline(admin.TabularInline):
    model = PartnerInvitation
    extra = 0
    fields = ["email", "first_name", "last_name", "invited_by", "created_at", "accepted_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False  # invitations are sent by the lead, with their e-mail, from the consortium step


class PartnerContactInline(admin.TabularInline):
    """Contacts for this project only [A3]: created by accepting a partner invitation."""

    model = PartnerContact
    fk_name = "partner"
    extra = 0
    fields = ["first_name", "last_name", "email", "phone", "user", "created_at"]
    readonly_fields = ["user", "created_at"]


@admin.register(Partner)
class PartnerAdmin(SimpleHistoryAdmin):
    list_display = ["organisation", "project", "is_lead", "confirmation", "contact", "role"]
    list_filter = ["is_lead", "confirmation", "organisation__kind", "project__state"]
    search_fields = ["organisation__legal_name", "organisation__acronym", "project__acronym", "project__reference"]
    list_select_related = ["organisation", "project", "contact"]
    autocomplete_fields = ["project", "organisation", "contact"]
    readonly_fields = ["created_at", "confirmed_by", "confirmed_at"]
    fields = [
        "project",
        "organisation",
        "is_lead",
        "confirmation",
        "confirmed_by",
        "confirmed_at",
        "contact",
        "project_contact",
        "role",
        "tasks",
        "created_at",
    ]
    inlines = [BudgetLineInline, RequestedAidInline, PartnerInvitationInline, PartnerContactInline]


# --- Documents and versions ---------------------------------------------------------------------


@admin.register(ProjectDocument)
class ProjectDocumentAdmin(admin.ModelAdmin):
    list_display = ["original_name", "kind", "project", "partner", "version", "size", "uploaded_at"]
    list_filter = ["kind", "version"]
    search_fields = ["original_name", "project__acronym", "project__reference"]
    list_select_related = ["project", "partner__organisation"]
    readonly_fields = [
        "project",
        "partner",
        "file",
        "original_name",
        "size",
        "content_type",
        "sha256",
        "version",
        "uploaded_by",
        "uploaded_at",
    ]
    fields = ["kind", *readonly_fields]

    def has_add_permission(self, request):
        return False


@admin.register(ProjectVersion)
class ProjectVersionAdmin(admin.ModelAdmin):
    """A deposited dossier never changes: shown only."""

    list_display = ["project", "number", "deposited_at", "deposited_by", "pdf_sha256"]
    search_fields = ["project__acronym", "project__reference"]
    list_select_related = ["project", "deposited_by"]
    date_hierarchy = "deposited_at"
    fields = readonly_fields = ["project", "number", "deposited_at", "deposited_by", "pdf", "pdf_sha256", "snapshot"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


# --- Follow-up --------------------------------------------------------------------------------


class GrantedAmountInline(admin.TabularInline):
    model = GrantedAmount
    extra = 0
    fields = ["partner", "amount"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "partner":
            # Only the partners of the application's project (all of them on the add page).
            queryset = Partner.objects.select_related("organisation", "project")
            object_id = request.resolver_match.kwargs.get("object_id") if request.resolver_match else None
            if object_id:
                queryset = queryset.filter(project__funding_applications=object_id)
            kwargs["queryset"] = queryset
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(FundingApplication)
class FundingApplicationAdmin(SimpleHistoryAdmin):
    list_display = ["project", "funding_scheme", "submitted_on", "outcome", "decided_on", "start_date", "end_date"]
    list_filter = ["outcome", "funding_scheme"]
    search_fields = ["project__acronym", "project__reference"]
    list_select_related = ["project", "funding_scheme"]
    autocomplete_fields = ["project"]
    date_hierarchy = "submitted_on"
    inlines = [GrantedAmountInline]


@admin.register(Milestone)
class MilestoneAdmin(admin.ModelAdmin):
    list_display = ["title", "project", "due_on", "reached_on"]
    list_filter = [("reached_on", admin.EmptyFieldListFilter)]
    search_fields = ["title", "project__acronym", "project__reference"]
    list_select_related = ["project"]
    autocomplete_fields = ["project"]
    date_hierarchy = "due_on"


@admin.register(ProgressReport)
class ProgressReportAdmin(admin.ModelAdmin):
    list_display = ["project", "period_start", "period_end", "submitted_by", "submitted_at"]
    search_fields = ["project__acronym", "project__reference", "achievements"]
    list_select_related = ["project", "submitted_by"]
    autocomplete_fields = ["project"]
    readonly_fields = ["submitted_by", "submitted_at"]
    date_hierarchy = "period_end"


@admin.register(ProjectOutcome)
class ProjectOutcomeAdmin(SimpleHistoryAdmin):
    list_display = ["project", "patents", "products", "jobs", "turnover", "startups", "publications", "updated_at"]
    search_fields = ["project__acronym", "project__reference"]
    list_select_related = ["project"]
    autocomplete_fields = ["project"]
    readonly_fields = ["updated_at"]


# --- Partner search -----------------------------------------------------------------------------


class PartnerSearchAnswerInline(admin.StackedInline):
    model = PartnerSearchAnswer
    extra = 0
    fields = ["organisation", "author", "message", "created_at"]
    readonly_fields = ["created_at"]
    autocomplete_fields = ["organisation", "author"]


@admin.register(PartnerSearch)
class PartnerSearchAdmin(admin.ModelAdmin):
    list_display = ["title", "organisation", "strategic_domain", "author", "is_open", "created_at"]
    list_filter = ["is_open", "strategic_domain"]
    search_fields = ["title", "description", "organisation__legal_name", "organisation__acronym"]
    list_select_related = ["organisation", "strategic_domain", "author"]
    autocomplete_fields = ["organisation", "author"]
    readonly_fields = ["created_at"]
    date_hierarchy = "created_at"
    inlines = [PartnerSearchAnswerInline]
