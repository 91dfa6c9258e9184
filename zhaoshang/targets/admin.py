from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Target


@admin.register(Target)
class TargetAdmin(SimpleHistoryAdmin):
    list_display = ("year", "unit", "indicator", "value")
    list_filter = ("year", "indicator")
    search_fields = ("unit__name", "indicator")
    autocomplete_fields = ("unit",)
    list_select_related = ("unit",)
