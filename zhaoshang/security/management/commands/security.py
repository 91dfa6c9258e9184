"""`zhaoshang security purge --before YYYY-MM-DD`: delete security audit log rows older than a date.

Refuses any date that would take a row younger than AUDIT_RETENTION_DAYS (at least 180 days, 网络安全法
Art. 21). This is the only way a row leaves the log; on PostgreSQL a trigger refuses every other delete."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from zhaoshang.core.errors import ApplicationError
from zhaoshang.security.audit import purge_before


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(f"日期格式应为 YYYY-MM-DD，不是 {text!r}") from exc


class Command(BaseCommand):
    help = "安全审计日志维护：purge --before 日期（清理该日期之前、且已超过保留期的记录）"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        purge = sub.add_parser("purge", help="清理指定日期之前的安全审计日志（至少保留180天）")
        purge.add_argument("--before", required=True, type=_date, help="YYYY-MM-DD：清理此日期之前的记录")

    def handle(self, *args, **options):
        if options["action"] == "purge":
            try:
                removed = purge_before(options["before"], by="命令行")
            except ApplicationError as exc:
                raise CommandError(exc.message) from exc
            self.stdout.write(f"已清理 {options['before']:%Y-%m-%d} 之前的安全审计日志 {removed} 条。")
