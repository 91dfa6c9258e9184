"""Login lockout (身份鉴别 · 登录失败处理), on django-axes' counters.

An account is locked after LOGIN_FAILURE_LIMIT failures, an address after LOGIN_ADDRESS_FAILURE_LIMIT
(an office behind one NAT address shares it, so it gets more), each for LOGIN_LOCKOUT_MINUTES from the
last failure. Axes has one limit for all its lockout parameters; `LockoutHandler.get_failures` puts the
address's count on the account's scale so that one limit locks either. The 安全管理员 sees the lockouts
and can lift them (`lockouts`, `unlock_account`, `unlock_address`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Max, Sum
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _


def _window_start() -> dt.datetime:
    return timezone.now() - dt.timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)


def _failures(**filters) -> int:
    recent = AccessAttempt.objects.filter(attempt_time__gte=_window_start(), **filters)
    return recent.aggregate(n=Sum("failures_since_start"))["n"] or 0


def account_failures(username: str | None) -> int:
    return _failures(username=username) if username else 0


def address_failures(address: str | None) -> int:
    return _failures(ip_address=address) if address else 0


def is_account_locked(username: str | None) -> bool:
    return account_failures(username) >= settings.LOGIN_FAILURE_LIMIT


def is_address_locked(address: str | None) -> bool:
    return address_failures(address) >= settings.LOGIN_ADDRESS_FAILURE_LIMIT


class LockoutHandler(AxesDatabaseHandler):
    """Axes' database handler with separate limits for an account and an address."""

    def get_failures(self, request, credentials=None) -> int:
        by_account = account_failures(get_client_username(request, credentials))
        by_address = address_failures(getattr(request, "axes_ip_address", None))
        scaled = by_address * settings.LOGIN_FAILURE_LIMIT // settings.LOGIN_ADDRESS_FAILURE_LIMIT
        return max(by_account, scaled)


def attempts_left(request) -> int | None:
    """After a failed login: how many more failures lock the account (None when not known)."""
    failures = getattr(request, "axes_failures_since_start", None)
    if failures is None:
        return None
    return max(settings.LOGIN_FAILURE_LIMIT - failures, 0)


def lockout_message() -> str:
    return _("登录失败次数过多，账号或所在地址已被锁定%(minutes)d分钟。请稍后再试，或联系安全管理员解锁。") % {
        "minutes": settings.LOGIN_LOCKOUT_MINUTES}


def lockout_response(request, original_response=None, credentials=None):
    """What a locked-out login gets (AXES_LOCKOUT_CALLABLE): the login page with the message, or JSON for the API."""
    if request.path_info.startswith("/api/"):
        return JsonResponse({"message": lockout_message(), "fields": {}}, status=429)
    return render(request, "registration/login.html",
                  {"locked_out": True, "lockout_message": lockout_message(), "form": None}, status=429)


@dataclass(frozen=True)
class Lockout:
    kind: str  # "account" or "address"
    key: str  # the username or the address
    failures: int
    last_failure: dt.datetime

    @property
    def until(self) -> dt.datetime:
        return self.last_failure + dt.timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)


def lockouts() -> list[Lockout]:
    """The accounts and addresses locked now, most recent first."""
    recent = AccessAttempt.objects.filter(attempt_time__gte=_window_start())
    found = [
        Lockout("account", row["username"], row["n"], row["last"])
        for row in recent.exclude(username__isnull=True).exclude(username="").values("username")
        .annotate(n=Sum("failures_since_start"), last=Max("attempt_time"))
        if row["n"] >= settings.LOGIN_FAILURE_LIMIT
    ] + [
        Lockout("address", row["ip_address"], row["n"], row["last"])
        for row in recent.exclude(ip_address__isnull=True).values("ip_address")
        .annotate(n=Sum("failures_since_start"), last=Max("attempt_time"))
        if row["n"] >= settings.LOGIN_ADDRESS_FAILURE_LIMIT
    ]
    return sorted(found, key=lambda lock: lock.last_failure, reverse=True)


def unlock_account(username: str) -> int:
    """Forget the account's failures (all addresses). Returns how many counters were cleared."""
    count, _by_model = AccessAttempt.objects.filter(username=username).delete()
    return count


def unlock_address(address: str) -> int:
    count, _by_model = AccessAttempt.objects.filter(ip_address=address).delete()
    return count
