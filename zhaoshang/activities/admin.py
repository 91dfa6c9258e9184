from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Attendance,
    Expense,
    MajorInfoReport,
    OfficeBudget,
    PromotionEvent,
    QuarterSettlement,
    Recommendation,
    Submission,
    SubmissionDeadline,
    SubmissionSnapshot,
    SubmissionStep,
    SubsidyPayment,
    Visit,
    WeeklyCheck,
    WorkLog,
)


@admin.register(PromotionEvent)
class PromotionEventAdmin(SimpleHistoryAdmin):
    list_display = ("code", "date", "name", "level", "host_unit")
    list_filter = ("level",)
    date_hierarchy = "date"
    search_fields = ("code", "name", "city_leaders_present")
    autocomplete_fields = ("host_unit",)
    list_select_related = ("host_unit",)


@admin.register(Visit)
class VisitAdmin(SimpleHistoryAdmin):
    list_display = ("date", "unit", "leader", "enterprise")
    list_filter = ("unit__kind",)
    date_hierarchy = "date"
    search_fields = ("enterprise", "matter", "unit__name", "leader__name")
    autocomplete_fields = ("unit", "leader")
    list_select_related = ("unit", "leader")


@admin.register(Recommendation)
class RecommendationAdmin(SimpleHistoryAdmin):
    list_display = ("date", "unit", "enterprise", "target", "project")
    list_filter = ("target",)
    date_hierarchy = "date"
    search_fields = ("enterprise", "unit__name", "project__code")
    autocomplete_fields = ("unit", "project")
    list_select_related = ("unit", "project")


@admin.register(Submission)
class SubmissionAdmin(SimpleHistoryAdmin):
    list_display = ("unit", "period", "due_date", "submitted_at")
    list_filter = ("period",)
    search_fields = ("unit__name", "period")
    autocomplete_fields = ("unit",)
    list_select_related = ("unit",)


@admin.register(Attendance)
class AttendanceAdmin(SimpleHistoryAdmin):
    list_display = ("person", "date", "on_station")
    list_filter = ("on_station",)
    date_hierarchy = "date"
    search_fields = ("person__name", "person__staff_no")
    autocomplete_fields = ("person",)
    list_select_related = ("person",)


@admin.register(SubmissionStep)
class SubmissionStepAdmin(SimpleHistoryAdmin):
    list_display = ("submission", "action", "at", "by")
    list_filter = ("action",)
    list_select_related = ("submission__unit", "by")


@admin.register(SubmissionSnapshot)
class SubmissionSnapshotAdmin(SimpleHistoryAdmin):
    list_display = ("submission", "taken_at", "sha256")
    readonly_fields = ("submission", "taken_at", "data", "sha256", "counts")
    list_select_related = ("submission__unit",)


@admin.register(SubmissionDeadline)
class SubmissionDeadlineAdmin(SimpleHistoryAdmin):
    list_display = ("period", "due_date", "note")


@admin.register(WorkLog)
class WorkLogAdmin(SimpleHistoryAdmin):
    list_display = ("unit", "date", "author")
    date_hierarchy = "date"
    list_select_related = ("unit", "author")


@admin.register(WeeklyCheck)
class WeeklyCheckAdmin(SimpleHistoryAdmin):
    list_display = ("unit", "week_ending", "checked_by", "checked_at")
    list_select_related = ("unit", "checked_by")


@admin.register(MajorInfoReport)
class MajorInfoReportAdmin(SimpleHistoryAdmin):
    list_display = ("enterprise", "unit", "reported_on", "status", "assigned_unit")
    list_filter = ("status",)
    list_select_related = ("unit", "assigned_unit")


@admin.register(OfficeBudget)
class OfficeBudgetAdmin(SimpleHistoryAdmin):
    list_display = ("unit", "year", "amount")


@admin.register(Expense)
class ExpenseAdmin(SimpleHistoryAdmin):
    list_display = ("unit", "date", "category", "amount", "status")
    list_filter = ("category", "status")
    list_select_related = ("unit",)


@admin.register(QuarterSettlement)
class QuarterSettlementAdmin(SimpleHistoryAdmin):
    list_display = ("unit", "quarter", "expenses_total", "settled_at")


@admin.register(SubsidyPayment)
class SubsidyPaymentAdmin(SimpleHistoryAdmin):
    list_display = ("unit", "quarter", "person_days", "amount", "paid_at")
