"""The security audit log, and what the password and session rules remember about each account."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhaoshang.core.errors import PermissionDeniedError


class AuditAction(models.TextChoices):
    LOGIN = "login", _("登录")
    LOGIN_FAILED = "login_failed", _("登录失败")
    LOCKOUT = "lockout", _("锁定")
    UNLOCK = "unlock", _("解除锁定")
    LOGOUT = "logout", _("退出登录")
    SESSION_END = "session_end", _("会话结束")
    DENIED = "denied", _("拒绝访问")
    EXPORT = "export", _("导出")
    DOWNLOAD = "download", _("下载")
    IMPORT = "import", _("导入")
    ROLE_CHANGE = "role_change", _("角色或范围变更")
    ACCOUNT = "account", _("账号管理")
    PASSWORD = "password", _("密码")
    OTP = "otp", _("二次验证")
    ADMIN = "admin", _("后台管理操作")
    AUDIT_LOG = "audit_log", _("审计日志维护")


class AuditResult(models.TextChoices):
    SUCCESS = "success", _("成功")
    FAILURE = "failure", _("失败")
    DENIED = "denied", _("拒绝")


class AuditLogIsAppendOnly(PermissionDeniedError):
    """Somebody tried to change or delete a row of the security audit log."""


class AuditEventQuerySet(models.QuerySet):
    """No bulk change or delete: the log only grows (old rows go only through `audit.purge_before`)."""

    def update(self, **kwargs):
        raise AuditLogIsAppendOnly(str(_("安全审计日志只能追加，不能修改或删除")))

    def delete(self):
        raise AuditLogIsAppendOnly(str(_("安全审计日志只能追加，不能修改或删除")))

    def bulk_update(self, objs, fields, batch_size=None):
        raise AuditLogIsAppendOnly(str(_("安全审计日志只能追加，不能修改或删除")))

    def update_or_create(self, defaults=None, create_defaults=None, **kwargs):
        raise AuditLogIsAppendOnly(str(_("安全审计日志只能追加，不能修改或删除")))


class AuditEvent(models.Model):
    """One security-relevant event: when, who, from where, what, on which object, with what result.

    Append-only: saving an existing row or deleting one raises here, and on PostgreSQL a trigger refuses
    UPDATE and DELETE (migration 0002) except inside the purge function. The user is kept by id and name,
    not by a foreign key, so that deleting an account neither changes nor blocks its log rows."""

    at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True, editable=False)
    user_pk = models.BigIntegerField(_("用户ID"), null=True, blank=True, editable=False)
    username = models.CharField(_("用户"), max_length=150, blank=True, db_index=True, editable=False)
    role = models.CharField(_("角色"), max_length=20, blank=True, editable=False)
    address = models.GenericIPAddressField(_("地址"), null=True, blank=True, editable=False)
    action = models.CharField(_("事件"), max_length=20, choices=AuditAction.choices, db_index=True, editable=False)
    target = models.CharField(_("对象"), max_length=300, blank=True, editable=False)
    result = models.CharField(_("结果"), max_length=10, choices=AuditResult.choices, default=AuditResult.SUCCESS,
                              editable=False)
    detail = models.CharField(_("说明"), max_length=500, blank=True, editable=False)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = _("安全审计日志")
        ordering = ["-at", "-id"]
        default_permissions = ("view",)

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.username} {self.get_action_display()}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AuditLogIsAppendOnly(str(_("安全审计日志只能追加，不能修改或删除")))
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditLogIsAppendOnly(str(_("安全审计日志只能追加，不能修改或删除")))


class AccountSecurity(models.Model):
    """Per account: must the password be changed at the next page, when was it last changed (for the expiry),
    and since when are its sessions valid (退出所有设备 moves this forward)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, primary_key=True, on_delete=models.CASCADE,
                                related_name="security", verbose_name=_("用户"))
    must_change_password = models.BooleanField(_("须修改密码"), default=False)
    password_changed_at = models.DateTimeField(_("密码修改时间"), null=True, blank=True)
    sessions_valid_after = models.DateTimeField(_("会话有效起点"), null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = _("账号安全状态")

    def __str__(self) -> str:
        return str(self.user)


class PasswordHistory(models.Model):
    """The hashes of an account's recent passwords, so that none of the last few is chosen again."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="password_history",
                             verbose_name=_("用户"))
    password = models.CharField(_("密码摘要"), max_length=128)
    created_at = models.DateTimeField(_("设置时间"), default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = _("历史密码")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.user} {self.created_at:%Y-%m-%d}"
