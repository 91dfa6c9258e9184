"""What the exchange commands share: finding the acting user."""

from __future__ import annotations

from django.core.management.base import CommandError

from zhaoshang.orgs.models import User


def user_by_name(username: str | None):
    if not username:
        return None
    user = User.objects.filter(username=username).select_related("unit").first()
    if user is None:
        raise CommandError(f"用户“{username}”不存在")
    return user
