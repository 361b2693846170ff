"""The Django admin of the members app [S3]: staff corrections and reference data, with
history (django-simple-history) and CSV/XLSX import-export (django-import-export).

State fields (Membership.state, Dues.status) are read-only here: they change only
through the services of members/services/, which check the transition table and keep
the activity log. For the same reason, reverting those records to an old version is
disabled."""

from allauth.mfa.admin import AuthenticatorAdmin as AllauthAuthenticatorAdmin
from allauth.mfa.models import Authenticator
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from members.models import (
    Dues,
    DuesRate,
    Invitation,
    Membership,
    MembershipDocument,
    Organisation,
    Person,
    User,
)
from members.resources import OrganisationResource, PersonResource
from pole.admin_base import NoRevertHistoryAdmin, SpreadsheetAdminMixin

# Fields that make a person more powerful: only a superuser edits them [A4]. The staff
# group has no add/change/delete permission on accounts (members.apps, pole/0004); this
# keeps the rule even if someone grants it again.
PRIVILEGED_USER_FIELDS = ("is_staff", "is_superuser", "groups", "user_permissions")


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_staff", "is_active", "last_login"]
    list_filter = ["is_staff", "is_active", "groups"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "language")}),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser or obj is None:
            return fieldsets
        # No password row (its link leads to the password form) for anyone else.
        return tuple(
            (name, {**options, "fields": tuple(f for f in options["fields"] if f != "password")})
            for name, options in fieldsets
        )

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            readonly += [field for field in PRIVILEGED_USER_FIELDS if field not in readonly]
        return readonly

    def has_add_permission(self, request):
        # A new account is created with a password: superusers only.
        return request.user.is_superuser

    def user_change_password(self, request, id, form_url=""):
        if not request.user.is_superuser:
            raise PermissionDenied
        return super().user_change_password(request, id, form_url)


# allauth's authenticators hold the second factor of every account: superusers only.
admin.site.unregister(Authenticator)


@admin.register(Authenticator)
class AuthenticatorAdmin(AllauthAuthenticatorAdmin):
    exclude = ["data"]  # the encrypted secret, of no use to read

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request):
        return False  # enrolment goes through the user's own pages

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        # A superuser removes the authenticator of someone who lost their phone.
        return request.user.is_active and request.user.is_superuser


class PersonInline(admin.TabularInline):
    model = Person
    extra = 0
    fields = [
        "first_name",
        "last_name",
        "email",
        "phone",
        "job_title",
        "is_legal_representative",
        "is_main_contact",
        "is_billing_contact",
        "is_technical_contact",
        "is_organisation_admin",
        "is_active",
        "user",
    ]
    autocomplete_fields = ["user"]
    show_change_link = True


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fields = ["college", "state", "applied_at", "decision_date", "decision_reference", "start_date", "end_date"]
    readonly_fields = ["state"]
    show_change_link = True


@admin.register(Organisation)
class OrganisationAdmin(SpreadsheetAdminMixin, SimpleHistoryAdmin, ImportExportModelAdmin):
    resource_classes = [OrganisationResource]
    list_display = [
        "legal_name",
        "acronym",
        "kind",
        "size_category",
        "department",
        "region",
        "siren",
        "directory_opt_in",
        "updated_at",
    ]
    list_filter = ["kind", "size_category", "region", "directory_opt_in", "memberships__state", "strategic_domains"]
    search_fields = ["legal_name", "acronym", "siren", "siret", "city", "slug"]
    readonly_fields = ["size_category", "region", "created_at", "updated_at"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    prepopulated_fields = {"slug": ["legal_name"]}
    filter_horizontal = ["strategic_domains"]
    inlines = [PersonInline, MembershipInline]
    fieldsets = (
        (None, {"fields": ("legal_name", "acronym", "slug", "kind")}),
        (_("Identifiers"), {"fields": ("siren", "siret", "naf_code", "rnsr")}),
        (
            _("Size"),
            {
                "fields": (
                    "headcount",
                    "turnover",
                    "balance_sheet",
                    "size_category",
                    "size_override",
                    "size_override_reason",
                )
            },
        ),
        (_("Address"), {"fields": ("street", "postcode", "city", "department", "region", "country")}),
        (
            _("Public profile"),
            {
                "fields": (
                    "website",
                    "logo",
                    "description_fr",
                    "description_en",
                    "strategic_domains",
                    "competences",
                    "directory_opt_in",
                )
            },
        ),
        (_("Dates"), {"fields": ("created_at", "updated_at")}),
    )

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        if formset.model is not Person:
            return
        from members.services.invitations import notify_new_contact

        # A person who gains access to the organisation's space: its administrators are told [A3].
        for inline_form in formset.forms:
            person = inline_form.instance
            changed = set(inline_form.changed_data) & {"user", "is_active"}
            if person.pk and person.user_id and person.is_active and changed:
                notify_new_contact(person=person)


@admin.register(Person)
class PersonAdmin(SpreadsheetAdminMixin, SimpleHistoryAdmin, ImportExportModelAdmin):
    resource_classes = [PersonResource]
    list_display = ["last_name", "first_name", "email", "organisation", "job_title", "is_main_contact", "is_active"]
    list_filter = [
        "is_legal_representative",
        "is_main_contact",
        "is_billing_contact",
        "is_technical_contact",
        "is_organisation_admin",
        "is_active",
    ]
    search_fields = ["last_name", "first_name", "email", "organisation__legal_name", "organisation__acronym"]
    list_select_related = ["organisation"]
    autocomplete_fields = ["organisation", "user"]

    def save_model(self, request, obj, form, change):
        # A person who gains access to the organisation's space: its administrators are told [A3].
        gains_access = bool(obj.user_id and obj.is_active) and (
            not change or bool({"user", "is_active", "organisation"} & set(form.changed_data))
        )
        super().save_model(request, obj, form, change)
        if gains_access:
            from members.services.invitations import notify_new_contact

            notify_new_contact(person=obj)


class MembershipDocumentInline(admin.TabularInline):
    model = MembershipDocument
    extra = 0
    fields = ["kind", "original_name", "size", "content_type", "uploaded_at"]
    readonly_fields = ["original_name", "size", "content_type", "uploaded_at"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False  # documents come with an application, through the join form


@admin.register(Membership)
class MembershipAdmin(NoRevertHistoryAdmin):
    list_display = ["organisation", "college", "state", "applied_at", "decision_date", "start_date", "end_date"]
    list_filter = ["state", "college"]
    search_fields = ["organisation__legal_name", "organisation__acronym", "decision_reference"]
    list_select_related = ["organisation"]
    readonly_fields = ["state", "created_at"]
    autocomplete_fields = ["organisation", "applicant"]
    date_hierarchy = "applied_at"
    inlines = [MembershipDocumentInline]


@admin.register(MembershipDocument)
class MembershipDocumentAdmin(admin.ModelAdmin):
    list_display = ["original_name", "kind", "membership", "size", "uploaded_at"]
    list_filter = ["kind"]
    search_fields = ["original_name", "membership__organisation__legal_name"]
    list_select_related = ["membership__organisation"]
    readonly_fields = ["membership", "file", "original_name", "size", "content_type", "uploaded_at"]

    def has_add_permission(self, request):
        return False


@admin.register(DuesRate)
class DuesRateAdmin(SimpleHistoryAdmin):
    list_display = ["year", "kind", "size_band", "amount"]
    list_filter = ["year", "kind", "size_band"]
    list_editable = ["amount"]


@admin.register(Dues)
class DuesAdmin(NoRevertHistoryAdmin):
    list_display = ["membership", "year", "amount", "status", "invoice_number", "due_date", "paid_on", "reminders_sent"]
    list_filter = ["year", "status"]
    search_fields = ["membership__organisation__legal_name", "invoice_number", "payment_reference"]
    list_select_related = ["membership__organisation"]
    readonly_fields = ["status", "reminders_sent", "last_reminder_at", "notice", "created_at"]
    autocomplete_fields = ["membership"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "organisation", "make_admin", "invited_by", "created_at", "accepted_at"]
    list_filter = ["make_admin"]
    search_fields = ["email", "organisation__legal_name"]
    list_select_related = ["organisation", "invited_by"]
    readonly_fields = ["token", "invited_by", "created_at", "accepted_at", "person"]
    autocomplete_fields = ["organisation"]
