"""Admin for the ledger. Everyday entry happens on the ledger pages through the services; the admin
is for the assessment office to inspect and correct records, with full history (and revert)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import FundArrival, Project, ProjectShare, StageEvidence, StageRecord


class ProjectShareInline(admin.TabularInline):
    model = ProjectShare
    extra = 0
    autocomplete_fields = ("unit",)


class FundArrivalInline(admin.TabularInline):
    model = FundArrival
    extra = 0
    fields = ("date", "amount", "kind", "note", "evidence", "evidence_kind", "verification", "recorded_by",
              "recorded_at")
    readonly_fields = ("verification", "recorded_by", "recorded_at")


class StageRecordInline(admin.TabularInline):
    model = StageRecord
    extra = 0
    fields = ("stage", "date", "note", "verification", "filed_by", "filed_at")
    readonly_fields = ("verification", "filed_by", "filed_at")
    show_change_link = True


@admin.register(Project)
class ProjectAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "investor", "lead_unit", "signed_amount", "signed_on", "stage", "status")
    list_filter = ("stage", "status", "category", "is_foreign", "is_four_power", "lead_unit__kind")
    search_fields = ("code", "name", "investor", "investor_uscc")
    date_hierarchy = "signed_on"
    list_select_related = ("lead_unit",)
    autocomplete_fields = ("lead_unit", "assisting_unit", "introducer", "assisting_secretary", "signed_at_event")
    readonly_fields = ("stage", "version", "created_at", "updated_at", "created_by")
    inlines = [ProjectShareInline, StageRecordInline, FundArrivalInline]
    fieldsets = (
        (None, {"fields": ("code", "name", "category", "industry", "industry_chain", "is_four_power")}),
        ("投资方", {"fields": ("investor", "investor_uscc", "investor_origin", "is_foreign", "foreign_amount")}),
        ("金额", {"fields": ("signed_amount", "planned_investment")}),
        ("引资与帮办", {"fields": ("lead_unit", "introducer", "assisting_unit", "assisting_secretary")}),
        ("阶段", {"fields": ("signed_on", "signed_at_event", "registered_on", "started_on", "completed_on",
                           "producing_on", "stage")}),
        ("状态", {"fields": ("status", "status_reason", "version", "created_by", "created_at", "updated_at")}),
    )

    def save_model(self, request, obj, form, change):
        # The admin bypasses the services, so keep the denormalised stage and the lock version right.
        obj.refresh_stage()
        if change:
            obj.version += 1
        super().save_model(request, obj, form, change)


class StageEvidenceInline(admin.TabularInline):
    model = StageEvidence
    extra = 0
    readonly_fields = ("uploaded_at",)


# 核实认定 steps go through the verification queue (scope, evidence, reasons, history); the admin
# shows where a fact stands but does not move it.
VERIFICATION_FIELDS = ("verification", "verification_reason", "preliminary_by", "preliminary_at", "verified_by",
                       "verified_at", "verified_on", "reviewed_by", "reviewed_at")


@admin.register(StageRecord)
class StageRecordAdmin(SimpleHistoryAdmin):
    list_display = ("project", "stage", "date", "verification", "filed_by", "filed_at")
    list_filter = ("stage", "verification")
    search_fields = ("project__code", "project__name")
    autocomplete_fields = ("project",)
    list_select_related = ("project", "filed_by")
    readonly_fields = ("filed_by", "filed_at", *VERIFICATION_FIELDS)
    inlines = [StageEvidenceInline]


@admin.register(FundArrival)
class FundArrivalAdmin(SimpleHistoryAdmin):
    list_display = ("project", "date", "amount", "kind", "verification", "recorded_by")
    list_filter = ("kind", "verification", "evidence_kind")
    date_hierarchy = "date"
    search_fields = ("project__code", "project__name", "note")
    autocomplete_fields = ("project",)
    list_select_related = ("project", "recorded_by")
    readonly_fields = ("recorded_by", "recorded_at", *VERIFICATION_FIELDS)


@admin.register(ProjectShare)
class ProjectShareAdmin(SimpleHistoryAdmin):
    list_display = ("project", "unit", "ratio")
    search_fields = ("project__code", "project__name", "unit__name")
    autocomplete_fields = ("project", "unit")
    list_select_related = ("project", "unit")
