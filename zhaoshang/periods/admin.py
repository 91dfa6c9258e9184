from django.contrib import admin

from .models import Correction, PeriodClose


@admin.register(PeriodClose)
class PeriodCloseAdmin(admin.ModelAdmin):
    list_display = ("period", "label", "start", "end", "closed_by", "closed_at")


@admin.register(Correction)
class CorrectionAdmin(admin.ModelAdmin):
    list_display = ("at", "period", "record", "action", "project_code", "project_name", "user", "reason")
    list_filter = ("period", "record")
    readonly_fields = [f.name for f in Correction._meta.fields]
