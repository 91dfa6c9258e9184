from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import BulletinSnapshot, DocumentNumber


@admin.register(BulletinSnapshot)
class BulletinSnapshotAdmin(admin.ModelAdmin):
    list_display = ("run", "sha256", "created_at")
    readonly_fields = ("run", "content", "sha256", "created_at")


@admin.register(DocumentNumber)
class DocumentNumberAdmin(SimpleHistoryAdmin):
    """文号 are taken by publishing and never reused: shown, never edited or deleted here."""

    list_display = ("text", "issuer", "year", "number", "kind", "run", "created_at")
    list_filter = ("year", "kind", "issuer")
    readonly_fields = ("issuer", "code", "year", "number", "run", "kind", "created_at")

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description="文号")
    def text(self, obj) -> str:
        return obj.text
