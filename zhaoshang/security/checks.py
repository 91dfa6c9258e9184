"""`zhaoshang check --deploy`: the Django superuser is for installation only (三员分立); a production system
with an active one is warned."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.checks import Tags, Warning, register
from django.db import DatabaseError


@register(Tags.security, deploy=True)
def active_superuser(app_configs, **kwargs):
    try:
        names = list(get_user_model().objects.filter(is_superuser=True, is_active=True)
                     .values_list("username", flat=True)[:5])
    except DatabaseError:  # no database yet (before `migrate`): nothing to warn about
        return []
    if not names:
        return []
    return [Warning(
        f"超级用户仅用于安装：启用中的超级用户 {', '.join(names)} 应在建好系统管理员、安全管理员和审计管理员后停用"
        "（三员分立）。",
        hint="在“安全管理 · 账号”中停用，或 `zhaoshang shell -c` 将其 is_active 设为 False。",
        id="zhaoshang.security.W001",
    )]
