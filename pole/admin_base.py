"""Base classes for the apps' ModelAdmins: one home, so that every app's admin reads the same.

- `SuperuserOnlyAdmin`: models only superusers see or edit (the role groups…);
- `NoRevertHistoryAdmin`: django-simple-history's history without "revert", for models
  whose state only services write;
- `SpreadsheetAdminMixin`: import-export limited to CSV and XLSX (see pole/exports.py)."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from simple_history.admin import SimpleHistoryAdmin

from pole.exports import ADMIN_FORMATS


class SuperuserOnlyAdmin:
    """Only superusers see or edit these models, whatever permissions a group holds."""

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request, *args):
        return request.user.is_active and request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser


class NoRevertHistoryAdmin(SimpleHistoryAdmin):
    """History shown, but no "revert to this version": a revert would write the state
    field behind the services' back."""

    def revert_disabled(self, request, obj=None):
        return True

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


class SpreadsheetAdminMixin:
    """For a ModelAdmin with import-export: CSV and XLSX only (no HTML, JSON, YAML…)."""

    formats = ADMIN_FORMATS
    import_formats = ADMIN_FORMATS
    export_formats = ADMIN_FORMATS


class ReadOnlyAdmin(admin.ModelAdmin):
    """A list of rows that code alone writes (activity log, generated files): browsable,
    never added, changed or deleted by hand."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
