"""What the security audit log hears without anybody calling it: logins, failures, lockouts, logouts, changes
to a user's role, units or account, and every action taken in the Django admin."""

from __future__ import annotations

import time

from axes.signals import user_locked_out
from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_init, post_save
from django.dispatch import receiver
from django.utils import timezone

from . import lockout
from .audit import record
from .models import AccountSecurity, AuditAction, AuditResult

User = get_user_model()

# Session keys: when this session logged in and when it was last used (middleware.AccountPolicyMiddleware).
LOGIN_AT = "zs_login_at"
SEEN_AT = "zs_seen_at"

# The fields of a user whose change is a role or scope change (安全管理员) or an account change (系统管理员).
ROLE_FIELDS = ("role", "unit_id", "is_superuser", "is_staff")
ACCOUNT_FIELDS = ("is_active", "username", "first_name", "last_name", "email")


@receiver(user_logged_in)
def on_login(sender, request, user, **kwargs):
    now = time.time()
    session = getattr(request, "session", None)
    if session is not None:
        session[LOGIN_AT] = now
        session[SEEN_AT] = now
    # A password of unknown age (set before the policy, or by the demo) starts its expiry clock now.
    AccountSecurity.objects.get_or_create(user=user, defaults={"password_changed_at": timezone.now()})
    record(user, AuditAction.LOGIN, "系统", AuditResult.SUCCESS)


@receiver(user_login_failed)
def on_login_failed(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username") or "")
    via = credentials.get("via") or "登录页"
    if request is not None and getattr(request, "zs_refused_while_locked", False):
        detail = "账号或地址锁定中，未核对密码"
    else:
        detail = "用户名或密码错误" if via == "登录页" else "令牌无效"
    record(request, AuditAction.LOGIN_FAILED, via, AuditResult.FAILURE, detail=detail, username=username)


@receiver(user_locked_out)
def on_locked_out(sender, request, username, ip_address, **kwargs):
    if getattr(request, "zs_refused_while_locked", False):
        return  # an attempt during a lockout, already recorded as a failure; the lockout itself was recorded
    # Name what reached its limit: the account, the address, or both.
    targets = ([f"账号 {username}"] if lockout.is_account_locked(username) else []) + (
        [f"地址 {ip_address}"] if lockout.is_address_locked(ip_address) else [])
    record(request, AuditAction.LOCKOUT, "、".join(targets) or f"账号 {username}", AuditResult.DENIED,
           username=username or "", detail="连续登录失败次数达到上限，锁定")


@receiver(user_logged_out)
def on_logout(sender, request, user, **kwargs):
    if user is None:
        return
    # A session ended by the rules (idle, 12 hours, 退出所有设备) says why; a click on 退出 is a plain logout.
    reason = getattr(request, "zs_session_end", "")
    action = AuditAction.SESSION_END if reason else AuditAction.LOGOUT
    record(user, action, "系统", AuditResult.SUCCESS, detail=reason)


# ----------------------------------------------------------------------------------------------
# Role, scope and account changes, whoever makes them (the security pages, the admin, a command).


@receiver(post_init, sender=User)
def remember_user_fields(sender, instance, **kwargs):
    deferred = instance.get_deferred_fields()
    instance._zs_before = {f: getattr(instance, f) for f in ROLE_FIELDS + ACCOUNT_FIELDS
                           if f.removesuffix("_id") not in deferred and f not in deferred}


def _label(user, field: str, value) -> str:
    if field == "role":
        return str(dict(type(user)._meta.get_field("role").choices).get(value, value) or "—")
    if field == "unit_id":
        if value is None:
            return "—"
        unit_model = type(user)._meta.get_field("unit").related_model
        return str(unit_model.objects.filter(pk=value).values_list("name", flat=True).first() or value)
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value or "—")


FIELD_NAMES = {"role": "角色", "unit_id": "所属单位", "is_superuser": "超级用户", "is_staff": "可进入后台",
               "is_active": "启用", "username": "用户名", "first_name": "名", "last_name": "姓", "email": "邮箱"}


@receiver(post_save, sender=User)
def record_user_changes(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    before = getattr(instance, "_zs_before", {})
    after = {f: getattr(instance, f) for f in before}
    instance._zs_before = after
    if created:
        record(None, AuditAction.ACCOUNT, f"账号 {instance.get_username()}", AuditResult.SUCCESS,
               detail=f"开设账号，角色 {_label(instance, 'role', instance.role)}")
        return
    for fields, action in ((ROLE_FIELDS, AuditAction.ROLE_CHANGE), (ACCOUNT_FIELDS, AuditAction.ACCOUNT)):
        changes = [f"{FIELD_NAMES[f]}：{_label(instance, f, before[f])} → {_label(instance, f, after[f])}"
                   for f in fields if f in before and before[f] != after[f]]
        if changes:
            record(None, action, f"账号 {instance.get_username()}", AuditResult.SUCCESS, detail="；".join(changes))


# ----------------------------------------------------------------------------------------------
# The Django admin writes a LogEntry for each addition, change and deletion; each becomes an audit row.

ADMIN_FLAGS = {ADDITION: "新增", CHANGE: "修改", DELETION: "删除"}


@receiver(post_save, sender=LogEntry)
def record_admin_action(sender, instance, created, raw=False, **kwargs):
    if not created or raw:
        return
    kind = instance.content_type.name if instance.content_type_id else ""
    message = instance.get_change_message() if instance.change_message else ""
    record(instance.user, AuditAction.ADMIN, f"{kind}：{instance.object_repr}", AuditResult.SUCCESS,
           detail=f"{ADMIN_FLAGS.get(instance.action_flag, '')} {message}".strip())
