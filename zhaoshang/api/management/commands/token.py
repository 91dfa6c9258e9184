"""`zhaoshang token create USERNAME --name NAME` · `token list USERNAME` · `token revoke PREFIX`.

The key is printed once at creation; only its hash is stored, so a lost key is revoked and reissued.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from zhaoshang.orgs.models import ApiToken, User


def _user(username: str) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        raise CommandError(f"用户不存在：{username}")
    return user


class Command(BaseCommand):
    help = "管理 API 令牌：create 生成（只显示一次）、list 列出、revoke 撤销"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="为用户生成令牌，令牌只显示这一次")
        create.add_argument("username")
        create.add_argument("--name", required=True, help="用途，如“省平台数据同步”")
        listing = sub.add_parser("list", help="列出用户的令牌（只显示前缀）")
        listing.add_argument("username")
        revoke = sub.add_parser("revoke", help="按前缀撤销令牌")
        revoke.add_argument("prefix")

    def handle(self, *args, action: str, **options):
        getattr(self, f"_{action}")(**options)

    def _create(self, *, username: str, name: str, **_):
        user = _user(username)
        if not user.is_active:
            raise CommandError(f"用户已停用：{username}")
        name = name.strip()
        if not name:
            raise CommandError("--name 不能为空")
        token, key = ApiToken.issue(user=user, name=name)
        self.stderr.write(
            f"已为 {username} 生成令牌“{token.name}”（前缀 {token.prefix}）。令牌只显示这一次，请妥善保存："
        )
        self.stdout.write(key)

    def _list(self, *, username: str, **_):
        user = _user(username)
        tokens = ApiToken.objects.filter(user=user).order_by("created_at")
        if not tokens:
            self.stdout.write(f"{username} 没有令牌")
            return
        for t in tokens:
            used = timezone.localtime(t.last_used_at).strftime("%Y-%m-%d %H:%M") if t.last_used_at else "从未使用"
            created = timezone.localtime(t.created_at).strftime("%Y-%m-%d %H:%M")
            self.stdout.write(f"{t.prefix}\t{t.name}\t创建 {created}\t最近使用 {used}")

    def _revoke(self, *, prefix: str, **_):
        matches = list(ApiToken.objects.filter(prefix=prefix.strip()[:8]).select_related("user"))
        if not matches:
            raise CommandError(f"没有前缀为 {prefix} 的令牌")
        if len(matches) > 1:
            owners = "、".join(f"{t.user.username}/{t.name}" for t in matches)
            raise CommandError(f"前缀 {prefix} 对应多个令牌（{owners}），请在管理后台撤销")
        token = matches[0]
        token.delete()
        self.stdout.write(f"已撤销 {token.user.username} 的令牌“{token.name}”（{token.prefix}）")
