"""`zhaoshang close_period 2024Q1 --user NAME [--note TEXT]`: close a period; unit users can no longer
write ledger records dated in it (assessors can, with a reason, and the correction is flagged)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from zhaoshang.core.errors import ApplicationError
from zhaoshang.orgs.models import User
from zhaoshang.periods.closing import period_close


class Command(BaseCommand):
    help = "期间结账：结账后各单位不能再修改该期间的台账记录"

    def add_arguments(self, parser):
        parser.add_argument("period", help="2024、2024Q1 或 2024-03")
        parser.add_argument("--user", required=True, help="执行结账的考核办用户名")
        parser.add_argument("--note", default="")

    def handle(self, *args, period, user, note, **options):
        account = User.objects.filter(username=user).first()
        if account is None:
            raise CommandError(f"用户“{user}”不存在")
        try:
            row = period_close(user=account, period=period, note=note)
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(f"{row.label}（{row.start:%Y-%m-%d} 至 {row.end:%Y-%m-%d}）已结账")
