"""The security pages: my account (everyone), accounts (系统管理员), roles, units, lockouts and sessions
(安全管理员), and the security audit log (审计管理员). Each page checks its role itself (三员分立); a refusal is
a 403 that the audit middleware records."""

from __future__ import annotations

import datetime as dt
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import devices_for_user
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import lockout, passwords, roles
from .audit import record
from .export import audit_workbook_response
from .forms import AccountCreateForm, AccountEditForm, AuditFilterForm, OtpTokenForm, OwnPasswordForm, RoleForm
from .models import AccountSecurity, AuditAction, AuditEvent, AuditResult
from .otp import qr_svg, secret_text

User = get_user_model()
AUDIT_PAGE_SIZE = 100


def role_required(check, job: str):
    """Only users for whom `check(user)` holds; others get a 403 that names whose job it is."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(request, *args, **kwargs):
            if not check(request.user):
                raise PermissionDenied(_("此操作属于%(job)s的职责，您的账号无权执行（三员分立）。") % {"job": job})
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


accounts_job = role_required(roles.can_manage_accounts, _("系统管理员"))
security_job = role_required(roles.can_manage_security, _("安全管理员"))
audit_job = role_required(roles.can_read_audit, _("审计管理员"))
accounts_or_security = role_required(roles.can_list_accounts, _("系统管理员或安全管理员"))


def _next_url(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return default


@login_required
def home(request):
    """Business users start at the ledger; the three administrators at their security page."""
    if roles.is_administrator(request.user):
        return redirect("security:index")
    return redirect("ledger:project_list")


@login_required
def index(request):
    if not roles.is_administrator(request.user):
        return redirect("security:account")
    return render(request, "security/index.html", {"policy": policy_rows()})


def policy_rows() -> list[tuple[str, str]]:
    """The password, login and session rules in force (set in the server's environment, see docs/security.md)."""
    s = settings
    return [
        (_("密码长度"), _("至少%(n)d个字符") % {"n": s.PASSWORD_MIN_LENGTH}),
        (_("密码组成"), _("大写字母、小写字母、数字、符号中至少3类；不能是常见密码，不能包含用户名")),
        (_("密码重复"), _("不能与最近%(n)d次使用过的密码相同") % {"n": s.PASSWORD_HISTORY}),
        (_("密码有效期"), _("%(n)d天") % {"n": s.PASSWORD_MAX_AGE_DAYS} if s.PASSWORD_MAX_AGE_DAYS else _("不限")),
        (_("首次登录"), _("管理员下发的密码须在首次登录时修改")),
        (_("登录失败锁定"), _("同一账号连续失败%(n)d次锁定%(m)d分钟；同一地址失败%(a)d次锁定%(m)d分钟") % {
            "n": s.LOGIN_FAILURE_LIMIT, "a": s.LOGIN_ADDRESS_FAILURE_LIMIT, "m": s.LOGIN_LOCKOUT_MINUTES}),
        (_("会话超时"), _("%(idle)d分钟无操作自动退出；登录%(hours)d小时后须重新登录") % {
            "idle": s.SESSION_IDLE_MINUTES, "hours": s.SESSION_ABSOLUTE_HOURS}),
        (_("管理员二次验证"), _("已开启（动态验证码）") if s.ADMIN_OTP_REQUIRED else _("未开启")),
        (_("审计日志保留"), _("至少%(n)d天") % {"n": s.AUDIT_RETENTION_DAYS}),
    ]


# ---------------------------------------------------------------------------------------------
# My account: everyone


@login_required
def account(request):
    state = passwords.state_of(request.user)
    devices = list(devices_for_user(request.user, confirmed=True))
    return render(request, "security/account.html", {
        "state": state, "has_device": bool(devices), "otp_required": settings.ADMIN_OTP_REQUIRED,
        "expires_on": (state.password_changed_at + dt.timedelta(days=settings.PASSWORD_MAX_AGE_DAYS)
                       if state and state.password_changed_at and settings.PASSWORD_MAX_AGE_DAYS else None),
    })


@login_required
def password_change(request):
    user = request.user
    state = passwords.state_of(user)
    if state is not None and state.must_change_password:
        reason = _("您的密码由管理员下发（或为演示密码），请设置只有您知道的新密码后再继续。")
    elif passwords.password_expired(user):
        reason = _("您的密码已超过%(n)d天未修改，请设置新密码后再继续。") % {"n": settings.PASSWORD_MAX_AGE_DAYS}
    else:
        reason = ""
    form = OwnPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        update_session_auth_hash(request, form.user)
        record(request, AuditAction.PASSWORD, f"账号 {user.get_username()}", AuditResult.SUCCESS, detail="本人修改密码")
        messages.success(request, _("密码已修改。"))
        return HttpResponseRedirect(_next_url(request, reverse("home")))
    if request.method == "POST":
        record(request, AuditAction.PASSWORD, f"账号 {user.get_username()}", AuditResult.FAILURE,
               detail="本人修改密码未通过校验")
    return render(request, "security/password_change.html", {
        "form": form, "reason": reason, "next": request.GET.get("next", "")})


def _end_all_sessions(user) -> None:
    AccountSecurity.objects.update_or_create(user=user, defaults={"sessions_valid_after": timezone.now()})


@login_required
@require_POST
def logout_everywhere(request):
    user = request.user
    _end_all_sessions(user)
    record(request, AuditAction.SESSION_END, f"账号 {user.get_username()}", AuditResult.SUCCESS,
           detail="本人退出所有设备")
    request.zs_session_end = "退出所有设备"
    logout(request)
    messages.info(request, _("已在所有设备上退出，请重新登录。"))
    return redirect(settings.LOGIN_URL)


# ---------------------------------------------------------------------------------------------
# Second factor (TOTP): the three administrators, required when ADMIN_OTP_REQUIRED


@login_required
def otp(request):
    user = request.user
    if not roles.is_administrator(user):
        raise PermissionDenied(_("二次验证仅用于系统管理员、安全管理员和审计管理员。"))
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    setting_up = device is None
    if setting_up:
        device, _created = TOTPDevice.objects.get_or_create(user=user, confirmed=False, defaults={"name": "TOTP"})
    form = OtpTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"].strip()):
            if setting_up:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
            otp_login(request, device)
            record(request, AuditAction.OTP, f"账号 {user.get_username()}", AuditResult.SUCCESS,
                   detail="绑定动态验证码设备" if setting_up else "二次验证通过")
            return HttpResponseRedirect(_next_url(request, reverse("security:index")))
        record(request, AuditAction.OTP, f"账号 {user.get_username()}", AuditResult.FAILURE, detail="动态验证码错误")
        form.add_error("token", _("动态验证码不正确或已过期"))
    return render(request, "security/otp.html", {
        "form": form, "setting_up": setting_up, "next": request.GET.get("next", ""),
        "secret": secret_text(device) if setting_up else "",
        "qr": qr_svg(device.config_url) if setting_up else "",
    })


# ---------------------------------------------------------------------------------------------
# Accounts: the list for both the 系统管理员 and the 安全管理员, each acting on their part


@accounts_or_security
def user_list(request):
    q = (request.GET.get("q") or "").strip()
    users = User.objects.select_related("unit").order_by("username")
    if q:
        users = users.filter(Q(username__icontains=q) | Q(first_name__icontains=q) | Q(last_name__icontains=q)
                             | Q(unit__name__icontains=q))
    page = Paginator(users, 100).get_page(request.GET.get("page"))
    locked = {lock.key for lock in lockout.lockouts() if lock.kind == "account"}
    return render(request, "security/user_list.html", {"page": page, "q": q, "locked": locked})


@accounts_job
def user_create(request):
    form = AccountCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save(commit=False)
        user.role = roles.UserRole.PENDING
        user.set_unusable_password()
        user.save()
        password = passwords.issue_password(user)
        record(request, AuditAction.PASSWORD, f"账号 {user.get_username()}", AuditResult.SUCCESS,
               detail="开设账号并下发初始密码（首次登录须修改）")
        return render(request, "security/issued_password.html", {"target": user, "password": password})
    note = _("新账号为“待授权”，由安全管理员授予角色和单位后方可办理业务。")
    return render(request, "security/user_form.html", {"form": form, "title": _("开设账号"), "note": note})


def _target_user(request, pk: int):
    target = get_object_or_404(User, pk=pk)
    return target


@accounts_job
def user_account(request, pk: int):
    target = _target_user(request, pk)
    form = AccountEditForm(request.POST or None, instance=target)
    if request.method == "POST" and form.is_valid():
        if target.pk == request.user.pk and not form.cleaned_data["is_active"]:
            form.add_error("is_active", _("不能停用自己的账号"))
        else:
            form.save()
            messages.success(request, _("账号已保存。"))
            return redirect("security:user_list")
    return render(request, "security/user_form.html", {"form": form, "target": target, "title": _("账号信息"),
                                                        "can_issue_password": target.pk != request.user.pk})


@accounts_job
@require_POST
def user_password(request, pk: int):
    target = _target_user(request, pk)
    if target.pk == request.user.pk:
        raise PermissionDenied(_("请在“我的账号”中修改自己的密码。"))
    password = passwords.issue_password(target)
    record(request, AuditAction.PASSWORD, f"账号 {target.get_username()}", AuditResult.SUCCESS,
           detail="重置密码并下发（首次登录须修改）")
    return render(request, "security/issued_password.html", {"target": target, "password": password})


@security_job
def user_role(request, pk: int):
    target = _target_user(request, pk)
    if target.pk == request.user.pk:
        raise PermissionDenied(_("不能修改自己的角色。"))
    if target.is_superuser:
        raise PermissionDenied(_("超级用户仅用于安装，不在此授权。"))
    form = RoleForm(request.POST or None, instance=target)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("角色与单位已保存。"))
        return redirect("security:user_list")
    devices = list(devices_for_user(target, confirmed=None))
    return render(request, "security/user_role.html", {"form": form, "target": target, "has_device": bool(devices)})


@security_job
@require_POST
def user_logout_everywhere(request, pk: int):
    target = _target_user(request, pk)
    _end_all_sessions(target)
    record(request, AuditAction.SESSION_END, f"账号 {target.get_username()}", AuditResult.SUCCESS,
           detail="安全管理员令其退出所有设备")
    messages.success(request, _("%(user)s 已在所有设备上退出。") % {"user": target.get_username()})
    return redirect("security:user_role", pk=target.pk)


@security_job
@require_POST
def user_otp_reset(request, pk: int):
    target = _target_user(request, pk)
    removed = 0
    for device in devices_for_user(target, confirmed=None):
        device.delete()
        removed += 1
    record(request, AuditAction.OTP, f"账号 {target.get_username()}", AuditResult.SUCCESS,
           detail=f"安全管理员重置动态验证码设备（{removed}个）")
    messages.success(request, _("已重置动态验证码设备，该账号下次登录时重新绑定。"))
    return redirect("security:user_role", pk=target.pk)


# ---------------------------------------------------------------------------------------------
# Lockouts: the 安全管理员


@security_job
def lockouts(request):
    return render(request, "security/lockouts.html", {"lockouts": lockout.lockouts()})


@security_job
@require_POST
def unlock(request):
    kind, key = request.POST.get("kind"), (request.POST.get("key") or "").strip()
    if kind == "account" and key:
        lockout.unlock_account(key)
        target = f"账号 {key}"
    elif kind == "address" and key:
        lockout.unlock_address(key)
        target = f"地址 {key}"
    else:
        messages.error(request, _("请选择要解除的锁定。"))
        return redirect("security:lockouts")
    record(request, AuditAction.UNLOCK, target, AuditResult.SUCCESS, detail="安全管理员解除锁定")
    messages.success(request, _("已解除锁定：%(target)s") % {"target": key})
    return redirect("security:lockouts")


# ---------------------------------------------------------------------------------------------
# The security audit log: the 审计管理员, read-only


def filtered_events(form: AuditFilterForm):
    events = AuditEvent.objects.all()
    if not form.is_valid():
        return events.none()
    data = form.cleaned_data
    if data["start"]:
        events = events.filter(at__date__gte=data["start"])
    if data["end"]:
        events = events.filter(at__date__lte=data["end"])
    if data["username"]:
        events = events.filter(username__icontains=data["username"].strip())
    if data["action"]:
        events = events.filter(action=data["action"])
    if data["result"]:
        events = events.filter(result=data["result"])
    if data["address"]:
        events = events.filter(address__startswith=data["address"].strip())
    if data["target"]:
        events = events.filter(target__icontains=data["target"].strip())
    return events


@audit_job
def audit_list(request):
    form = AuditFilterForm(request.GET or None)
    events = filtered_events(form) if request.GET else AuditEvent.objects.all()
    page = Paginator(events, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "security/audit_list.html", {"form": form, "page": page, "query": query.urlencode()})


@audit_job
def audit_export(request):
    form = AuditFilterForm(request.GET or None)
    events = filtered_events(form) if request.GET else AuditEvent.objects.all()
    return audit_workbook_response(events)
