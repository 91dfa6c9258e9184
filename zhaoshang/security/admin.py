"""The Django admin's user page is for the installation superuser only: after installation the 系统管理员
and the 安全管理员 manage accounts, roles and units on the security pages, each only their part
(三员分立), and an assessor with admin rights must not be able to grant roles there."""

from django.contrib import admin

from zhaoshang.orgs.admin import UserAdmin
from zhaoshang.orgs.models import User


class SuperuserOnlyUserAdmin(UserAdmin):
    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser


if admin.site.is_registered(User):
    admin.site.unregister(User)
admin.site.register(User, SuperuserOnlyUserAdmin)
