"""The security audit log's one way in: `record(request_or_user, action, obj, result)`.

Other apps call it for what only they know (an import, an export); the signal receivers and middleware in
this app record logins, failures, lockouts, logouts, refusals, downloads, role changes and admin actions.
The texts stored are Chinese data, like a history record, not interface strings: the log reads the same
whichever language the person who caused it had chosen.
"""

from __future__ import annotations

import contextvars
import datetime as dt

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Model
from django.http import HttpRequest
from django.utils import timezone

from zhaoshang.core.errors import ApplicationError
from zhaoshang.core.text import strip_control

from .models import AuditAction, AuditEvent, AuditResult

# The request being served, so that a record made deep in a service or a signal receiver still names the
# person and the address (set by AuditMiddleware).
current_request: contextvars.ContextVar[HttpRequest | None] = contextvars.ContextVar("zs_audit_request", default=None)

RESULT_WORDS = {"": AuditResult.SUCCESS, "ok": AuditResult.SUCCESS, True: AuditResult.SUCCESS,
                False: AuditResult.FAILURE}


def client_address(request: HttpRequest | None) -> str | None:
    """The client's address as the lockout counts it (REMOTE_ADDR, or X-Forwarded-For behind trusted proxies)."""
    if request is None or not hasattr(request, "META"):
        return None
    address = getattr(request, "axes_ip_address", None) or get_client_ip_address(request)
    return address or None


def describe(obj) -> str:
    """What a log row names: a model instance as "项目：甲区电池项目", anything else as its text."""
    if obj is None:
        return ""
    if isinstance(obj, Model):
        return f"{obj._meta.verbose_name}：{obj}"
    return str(obj)


def _clip(text, limit: int) -> str:
    text = strip_control(str(text or ""))
    return text if len(text) <= limit else text[: limit - 1] + "…"


def record(request_or_user, action: str, obj="", result="", *, detail: str = "", username: str = "") -> AuditEvent:
    """Append one row to the security audit log.

    `request_or_user` is the request (user and address are read from it), a user, or None (the current
    request's user, if any). `result` is an AuditResult value, or ""/True for success and False for failure.
    `username` names who acted when there is no logged-in user (a failed login)."""
    request = request_or_user if isinstance(request_or_user, HttpRequest) else current_request.get()
    user = request_or_user if request_or_user is not None and not isinstance(request_or_user, HttpRequest) else None
    if user is None and request is not None:
        candidate = getattr(request, "user", None)
        user = candidate if candidate is not None and candidate.is_authenticated else None
    result = RESULT_WORDS.get(result, result) if not isinstance(result, AuditResult) else result
    if result not in AuditResult.values:
        raise ValueError(f"unknown audit result {result!r}")
    if action not in AuditAction.values:
        raise ValueError(f"unknown audit action {action!r}")
    event = AuditEvent(
        user_pk=getattr(user, "pk", None),
        username=_clip(user.get_username() if user is not None else username, 150),
        role=getattr(user, "role", "") or "",
        address=client_address(request),
        action=action,
        target=_clip(describe(obj), 300),
        result=result,
        detail=_clip(detail, 500),
    )
    event.save()
    return event


def retention_cutoff(today: dt.date | None = None) -> dt.date:
    """The first day that must still be kept: AUDIT_RETENTION_DAYS (at least 180) before today."""
    today = today or timezone.localdate()
    return today - dt.timedelta(days=settings.AUDIT_RETENTION_DAYS)


def purge_before(before: dt.date, *, by: str = "") -> int:
    """Delete the rows older than `before` (a date), refusing any date that would take a row younger than
    the retention period. On PostgreSQL the delete runs inside the trigger's one exception, the
    `zhaoshang_audit_purge` function, which checks the 180 days again."""
    cutoff = retention_cutoff()
    if before > cutoff:
        raise ApplicationError(
            f"安全审计日志至少保留{settings.AUDIT_RETENTION_DAYS}天，只能清理 {cutoff:%Y-%m-%d} 之前的记录"
            f"（所给日期为 {before:%Y-%m-%d}）"
        )
    moment = timezone.make_aware(dt.datetime.combine(before, dt.time.min))
    with transaction.atomic():
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SELECT zhaoshang_audit_purge(%s, %s)", [moment, settings.AUDIT_RETENTION_DAYS])
                removed = cursor.fetchone()[0]
            else:
                cursor.execute(f"DELETE FROM {AuditEvent._meta.db_table} WHERE at < %s",
                               [connection.ops.adapt_datetimefield_value(moment)])
                removed = cursor.rowcount
    record(None, AuditAction.AUDIT_LOG, "安全审计日志", AuditResult.SUCCESS, username=by,
           detail=f"清理 {before:%Y-%m-%d} 之前的记录 {removed} 条")
    return removed
