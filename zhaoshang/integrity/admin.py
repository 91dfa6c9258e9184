"""Admin for the integrity app: the assessment office inspects and corrects records here, with full
history. Everyday work goes through the pages and services. One section per sub-domain."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Flag,
    FlagProject,
    InspectionPlan,
    PreReview,
    Rectification,
    RegistryEntry,
    RegistryImport,
    SelfCheckAttachment,
    SelfCheckReport,
    SiteVisit,
    SiteVisitPhoto,
)

# ---------------------------------------------------------------------------------------------
# Inspections (督查) and pre-review (预评审)


class SelfCheckAttachmentInline(admin.TabularInline):
    model = SelfCheckAttachment
    extra = 0


class SiteVisitPhotoInline(admin.TabularInline):
    model = SiteVisitPhoto
    extra = 0


@admin.register(InspectionPlan)
class InspectionPlanAdmin(SimpleHistoryAdmin):
    list_display = ("period", "title", "status", "created_by", "created_at")
    list_filter = ("period", "status")
    search_fields = ("title",)
    filter_horizontal = ("units",)
    raw_id_fields = ("projects",)


@admin.register(SelfCheckReport)
class SelfCheckReportAdmin(SimpleHistoryAdmin):
    list_display = ("plan", "unit", "submitted_by", "submitted_at")
    list_filter = ("plan__period",)
    inlines = [SelfCheckAttachmentInline]


@admin.register(SiteVisit)
class SiteVisitAdmin(SimpleHistoryAdmin):
    list_display = ("plan", "unit", "visited_on", "people")
    list_filter = ("plan__period",)
    raw_id_fields = ("project",)
    inlines = [SiteVisitPhotoInline]


@admin.register(Rectification)
class RectificationAdmin(SimpleHistoryAdmin):
    list_display = ("description", "unit", "deadline", "status", "closed_at")
    list_filter = ("status", "plan__period")
    search_fields = ("description", "owner_name")
    raw_id_fields = ("project", "site_visit", "owner_person")


@admin.register(PreReview)
class PreReviewAdmin(SimpleHistoryAdmin):
    list_display = ("project", "reviewed_on", "direction_fit", "policy_fit", "high_pollution", "high_energy",
                    "high_emission", "conclusion", "reviewer")
    list_filter = ("conclusion", "high_pollution", "high_energy", "high_emission")
    search_fields = ("project__code", "project__name", "reviewer")
    raw_id_fields = ("project",)


# ---------------------------------------------------------------------------------------------
# Flags (疑点) and the registry extracts (工商登记). Flags are raised by the scan and resolved on their page
# (integrity/views/flags.py), which keeps the resolution rules; the admin shows them with their history.


class FlagProjectInline(admin.TabularInline):
    model = FlagProject
    extra = 0
    raw_id_fields = ("project",)
    readonly_fields = ("project", "unit", "position")
    can_delete = False


@admin.register(Flag)
class FlagAdmin(SimpleHistoryAdmin):
    list_display = ("kind", "year", "status", "resolution", "kept_unit", "resolved_by", "created_at")
    list_filter = ("kind", "status", "resolution", "year")
    search_fields = ("reason", "rows__project__code", "rows__project__name")
    readonly_fields = ("fingerprint", "kind", "year", "reason", "evidence", "created_at", "last_seen_at")
    raw_id_fields = ("kept_project",)
    inlines = [FlagProjectInline]


@admin.register(RegistryImport)
class RegistryImportAdmin(admin.ModelAdmin):
    list_display = ("file_name", "row_count", "imported_by", "imported_at")


@admin.register(RegistryEntry)
class RegistryEntryAdmin(admin.ModelAdmin):
    list_display = ("uscc", "name", "founded_on", "authority", "capital", "status")
    search_fields = ("uscc", "name")
    list_filter = ("status",)
    raw_id_fields = ("batch",)
