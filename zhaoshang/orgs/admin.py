"""Admin for master data: units, groups, people, users and API tokens (assessment office and
system administrators only; unit users work through the ledger pages)."""

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from simple_history.admin import SimpleHistoryAdmin

from .models import ApiToken, Grouping, GroupMembership, Person, Unit, UnitGroup, User


@admin.register(UnitGroup)
class UnitGroupAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "description")
    search_fields = ("code", "name")


class GroupMembershipInline(admin.TabularInline):
    model = GroupMembership
    fields = ("unit", "group")
    autocomplete_fields = ("unit", "group")
    extra = 0


@admin.register(Grouping)
class GroupingAdmin(SimpleHistoryAdmin):
    """分组口径: a unit without a row here keeps its own 考核组别 under this grouping."""

    list_display = ("name", "description")
    search_fields = ("name",)
    inlines = [GroupMembershipInline]


@admin.register(GroupMembership)
class GroupMembershipAdmin(SimpleHistoryAdmin):
    list_display = ("grouping", "unit", "group")
    list_filter = ("grouping", "group")
    search_fields = ("unit__code", "unit__name", "group__name", "grouping__name")
    autocomplete_fields = ("unit", "group")
    list_select_related = ("grouping", "unit", "group")


class UnitMembershipInline(admin.TabularInline):
    """A unit's group under each named grouping; without a row it keeps its own 考核组别 there."""

    model = GroupMembership
    fields = ("grouping", "group")
    autocomplete_fields = ("grouping", "group")
    extra = 0
    verbose_name = verbose_name_plural = "其他分组口径下的考核组别"


class PersonInline(admin.TabularInline):
    model = Person
    fields = ("staff_no", "name", "title", "role", "is_active")
    extra = 0
    show_change_link = True


@admin.register(Unit)
class UnitAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "kind", "group", "parent", "is_active", "verification_delegated")
    list_filter = ("kind", "group", "is_active", "verification_delegated")
    search_fields = ("code", "name", "regions", "focus_industries")
    autocomplete_fields = ("parent", "group")
    list_select_related = ("group", "parent")
    inlines = [UnitMembershipInline, PersonInline]
    fieldsets = (
        (None, {"fields": ("code", "name", "kind", "parent", "group", "is_active", "verification_delegated")}),
        ("驻点招商局", {"fields": ("regions", "focus_industries", "lead_leader"), "classes": ("collapse",)}),
    )


@admin.register(Person)
class PersonAdmin(SimpleHistoryAdmin):
    list_display = ("staff_no", "name", "unit", "title", "role", "user", "is_active")
    list_filter = ("role", "is_active", "unit__kind")
    search_fields = ("staff_no", "name", "title", "unit__name")
    autocomplete_fields = ("unit", "user")
    list_select_related = ("unit", "user")


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ("username", "last_name", "first_name", "role", "unit", "is_staff", "is_active")
    list_filter = ("role", "is_staff", "is_superuser", "is_active")
    search_fields = ("username", "first_name", "last_name", "email", "unit__name")
    autocomplete_fields = ("unit",)
    list_select_related = ("unit",)
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        ("角色与单位", {"fields": ("role", "unit")}),
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        ("角色与单位", {"classes": ("wide",), "fields": ("role", "unit")}),
    )


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Only the hash is stored. A token added here is issued like any other and its key is shown
    once, in a message, because it cannot be recovered afterwards."""

    list_display = ("name", "user", "prefix", "created_at", "last_used_at")
    list_filter = ("created_at",)
    search_fields = ("name", "user__username", "prefix")
    autocomplete_fields = ("user",)
    fields = ("user", "name", "prefix", "key_hash", "created_at", "last_used_at")
    readonly_fields = ("prefix", "key_hash", "created_at", "last_used_at")

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        token, key = ApiToken.issue(user=obj.user, name=obj.name)
        obj.pk, obj.key_hash, obj.prefix, obj.created_at = token.pk, token.key_hash, token.prefix, token.created_at
        messages.warning(request, f"令牌只显示这一次，请立即复制保存：{key}")
