"""Two middlewares.

`AuditMiddleware` wraps every request: it lets `audit.record` find the request, records each refusal
(403, or 404 from a page, to a logged-in user or an API client: scope checks answer 404 for what a user may
not see) and each file delivered (an export, a download of evidence or a document), and marks logged-in
pages and the API `Cache-Control: no-store`, so a shared office PC's browser keeps no copy of them.

`AccountPolicyMiddleware` enforces, for a logged-in session: the idle and absolute session limits and
退出所有设备; the second factor for the three administrators when ADMIN_OTP_REQUIRED; the password change
(issued, demo outside demo mode, or expired); and 三员分立's rule that the administrators use only the
security pages.
"""

from __future__ import annotations

import time
from urllib.parse import unquote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from . import passwords
from .audit import current_request, record
from .models import AuditAction, AuditResult
from .roles import is_administrator
from .signals import LOGIN_AT, SEEN_AT

# A session's "last seen" is written at most this often, not on every request.
SEEN_PRECISION_SECONDS = 60


def _filename(disposition: str) -> str:
    """The file name in a Content-Disposition header (RFC 6266: filename*=UTF-8''… or filename="…")."""
    for part in disposition.split(";"):
        key, _sep, value = part.strip().partition("=")
        if key.lower() == "filename*":
            return unquote(value.split("''", 1)[-1])
    for part in disposition.split(";"):
        key, _sep, value = part.strip().partition("=")
        if key.lower() == "filename":
            return value.strip('"')
    return ""


class AuditMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = current_request.set(request)
        try:
            response = self.get_response(request)
            self.after(request, response)
        finally:
            current_request.reset(token)
        return response

    def after(self, request, response) -> None:
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        if signed_in or request.path_info.startswith("/api/"):
            patch_cache_control(response, no_store=True, private=True)
        if not signed_in:
            return
        status = response.status_code
        # A 404 counts when a page answered it (an object outside the user's scope looks missing); a path that
        # matches no page at all (the browser's /favicon.ico) is not a refusal.
        if status == 403 or (status == 404 and getattr(request, "resolver_match", None) is not None):
            record(request, AuditAction.DENIED, request.get_full_path(), AuditResult.DENIED,
                   detail=f"{request.method} HTTP {status}")
        elif 200 <= status < 300 and response.has_header("Content-Disposition"):
            match = getattr(request, "resolver_match", None)
            name = (match.url_name or "") if match else ""
            action = AuditAction.EXPORT if "export" in name or "/export" in request.path_info else AuditAction.DOWNLOAD
            record(request, action, _filename(response["Content-Disposition"]) or request.path_info,
                   AuditResult.SUCCESS, detail=request.get_full_path())


def _wants_json(request) -> bool:
    return request.path_info.startswith("/api/")


class AccountPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            refused = (self.check_session(request, user) or self.check_second_factor(request, user)
                       or self.check_password(request, user) or self.check_separation(request, user))
            if refused is not None:
                return refused
        return self.get_response(request)

    # -- sessions ---------------------------------------------------------------------------

    def check_session(self, request, user):
        session, now = request.session, time.time()
        login_at, seen = session.get(LOGIN_AT), session.get(SEEN_AT)
        if login_at is None:  # a session opened before these rules: its clocks start now
            login_at = seen = session[LOGIN_AT] = session[SEEN_AT] = now
        state = passwords.state_of(user)
        valid_after = state.sessions_valid_after.timestamp() if state and state.sessions_valid_after else None
        if now - login_at > settings.SESSION_ABSOLUTE_HOURS * 3600:
            return self.end_session(request, f"登录超过{settings.SESSION_ABSOLUTE_HOURS}小时", _(
                "登录已超过%(hours)d小时，请重新登录。") % {"hours": settings.SESSION_ABSOLUTE_HOURS})
        if seen is not None and now - seen > settings.SESSION_IDLE_MINUTES * 60:
            return self.end_session(request, f"超过{settings.SESSION_IDLE_MINUTES}分钟未操作", _(
                "超过%(minutes)d分钟未操作，已自动退出，请重新登录。") % {"minutes": settings.SESSION_IDLE_MINUTES})
        if valid_after is not None and login_at < valid_after:
            return self.end_session(request, "退出所有设备", _("您的账号已在所有设备上退出，请重新登录。"))
        if seen is None or now - seen >= SEEN_PRECISION_SECONDS:
            session[SEEN_AT] = now
        return None

    def end_session(self, request, why: str, message: str):
        request.zs_session_end = why  # the logout receiver records the reason
        path = request.get_full_path()
        logout(request)
        if _wants_json(request):
            return JsonResponse({"message": message, "fields": {}}, status=401)
        messages.info(request, message)
        if getattr(request, "htmx", False):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = f"{reverse(settings.LOGIN_URL)}?{urlencode({'next': path})}"
            return response
        return redirect_to_login(path)

    # -- second factor, password ------------------------------------------------------------

    def _redirect(self, request, name: str, message: str):
        if _wants_json(request):
            return JsonResponse({"message": message, "fields": {}}, status=403)
        target = f"{reverse(name)}?{urlencode({'next': request.get_full_path()})}"
        if getattr(request, "htmx", False):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = target
            return response
        return redirect(target)

    @staticmethod
    def _always_open(path: str) -> bool:
        return path.startswith(("/static/", "/i18n/")) or path == reverse("logout")

    def check_second_factor(self, request, user):
        if not (settings.ADMIN_OTP_REQUIRED and is_administrator(user)):
            return None
        if getattr(user, "is_verified", lambda: False)():
            return None
        path = request.path_info
        if self._always_open(path) or path == reverse("security:otp"):
            return None
        return self._redirect(request, "security:otp", _("请先完成二次验证。"))

    def check_password(self, request, user):
        if not passwords.must_change_password(user):
            return None
        path = request.path_info
        if self._always_open(path) or path in (reverse("security:password_change"), reverse("security:otp")):
            return None
        return self._redirect(request, "security:password_change", _("请先修改密码。"))

    # -- 三员分立 -----------------------------------------------------------------------------

    ADMINISTRATOR_PATHS = ("/security/", "/accounts/", "/i18n/", "/static/")

    def check_separation(self, request, user):
        """The three administrators see no business data: every page outside theirs is refused."""
        if not is_administrator(user):
            return None
        path = request.path_info
        if path == "/" or path.startswith(self.ADMINISTRATOR_PATHS):
            return None
        message = _("系统管理员、安全管理员和审计管理员不能查看或办理业务数据。")
        if _wants_json(request):
            return JsonResponse({"message": message, "fields": {}}, status=403)
        return render(request, "403.html", {"message": message}, status=403)
