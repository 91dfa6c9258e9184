from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Adjustment


@admin.register(Adjustment)
class AdjustmentAdmin(SimpleHistoryAdmin):
    list_display = ("year", "unit", "person", "item", "points", "entered_by", "entered_at")
    list_filter = ("year",)
    search_fields = ("item", "reason", "unit__name", "person__name")
    autocomplete_fields = ("unit", "person")
    list_select_related = ("unit", "person", "entered_by")
    readonly_fields = ("entered_by", "entered_at")

    def save_model(self, request, obj, form, change):
        # Who entered an adjustment is part of its justification; take it from the login, not a field.
        if not change:
            obj.entered_by = request.user
        super().save_model(request, obj, form, change)
