from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.models import Group

from pole.admin_base import ReadOnlyAdmin, SuperuserOnlyAdmin
from pole.models import ActivityLog, FundingScheme, GeneratedFile, OtherCluster, PoleProfile, StrategicDomain


@admin.register(PoleProfile)
class PoleProfileAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "territory"]


@admin.register(StrategicDomain)
class StrategicDomainAdmin(admin.ModelAdmin):
    list_display = ["code", "name_fr", "name_en", "position"]
    list_editable = ["position"]
    search_fields = ["code", "name_fr", "name_en"]


@admin.register(FundingScheme)
class FundingSchemeAdmin(admin.ModelAdmin):
    list_display = ["code", "name_fr", "level"]
    list_filter = ["level"]
    search_fields = ["code", "name_fr", "name_en"]


@admin.register(OtherCluster)
class OtherClusterAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(ActivityLog)
class ActivityLogAdmin(ReadOnlyAdmin):
    """Read-only: the log is written by services, never edited."""

    list_display = ["created_at", "actor", "verb", "target_repr"]
    list_filter = ["verb", "target_type"]
    search_fields = ["verb", "target_repr", "actor__email"]
    list_select_related = ["actor"]
    date_hierarchy = "created_at"


# The role groups [A4] and their permissions: a staff member who could edit them could
# give the staff group every right. (Permissions have no admin page of their own.)
admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(SuperuserOnlyAdmin, DjangoGroupAdmin):
    pass


@admin.register(GeneratedFile)
class GeneratedFileAdmin(ReadOnlyAdmin):
    """Read only: the generated files (pole.reports) and what became of them, to spot a
    failed one. Their rows are written by pole.reports alone."""

    list_display = ["requested_at", "kind", "subject", "status", "pages", "requested_by", "finished_at"]
    list_filter = ["status", "kind"]
    search_fields = ["subject", "error"]
    list_select_related = ["requested_by"]
    date_hierarchy = "requested_at"
