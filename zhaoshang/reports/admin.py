from django.contrib import admin

from .models import BulletinSnapshot


@admin.register(BulletinSnapshot)
class BulletinSnapshotAdmin(admin.ModelAdmin):
    list_display = ("run", "sha256", "created_at")
    readonly_fields = ("run", "content", "sha256", "created_at")
