from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Attendance, PromotionEvent, Recommendation, Submission, Visit


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
