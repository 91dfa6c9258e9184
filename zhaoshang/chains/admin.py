"""Admin of the chains app: the city's chains with their segments, gaps and task force (四个一), the standing
meetings; with full history. Everyday work (targets, meetings) goes through the pages and services."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    ActionItem,
    ChainSegment,
    IndustryChain,
    Meeting,
    MeetingReport,
    MeetingSeries,
    SegmentGap,
    TargetEnterprise,
    TaskForce,
)


class SegmentInline(admin.TabularInline):
    model = ChainSegment
    extra = 0
    fields = ("position", "name", "order", "local_enterprises", "note")


class TaskForceInline(admin.StackedInline):
    model = TaskForce
    extra = 0
    filter_horizontal = ("team",)
    raw_id_fields = ("leader",)


@admin.register(IndustryChain)
class IndustryChainAdmin(SimpleHistoryAdmin):
    list_display = ("name", "sections", "order", "is_active")
    search_fields = ("name",)
    filter_horizontal = ("offices",)
    inlines = [TaskForceInline, SegmentInline]


class GapInline(admin.TabularInline):
    model = SegmentGap
    extra = 0


@admin.register(ChainSegment)
class ChainSegmentAdmin(SimpleHistoryAdmin):
    list_display = ("chain", "position", "name", "order")
    list_filter = ("chain", "position")
    inlines = [GapInline]


@admin.register(TargetEnterprise)
class TargetEnterpriseAdmin(SimpleHistoryAdmin):
    list_display = ("name", "segment", "status", "following_unit", "first_contact_on", "project")
    list_filter = ("status", "segment__chain")
    search_fields = ("name", "uscc")
    raw_id_fields = ("project",)


@admin.register(MeetingSeries)
class MeetingSeriesAdmin(SimpleHistoryAdmin):
    list_display = ("name", "kind", "cadence", "organiser", "starts_on", "is_active")


class ReportInline(admin.TabularInline):
    model = MeetingReport
    extra = 0


class ActionInline(admin.TabularInline):
    model = ActionItem
    extra = 0


@admin.register(Meeting)
class MeetingAdmin(SimpleHistoryAdmin):
    list_display = ("date", "title", "kind", "organiser")
    list_filter = ("kind",)
    filter_horizontal = ("attendees",)
    inlines = [ReportInline, ActionInline]
