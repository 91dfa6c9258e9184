"""`zhaoshang workdays add DATE N`: the date N Chinese working days after DATE (DATE itself not counted;
法定节假日 skipped, 调休 make-up working days counted), the rule the 公示 period uses. `zhaoshang workdays
between START END`: the working days after START up to and including END."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from zhaoshang.core.workdays import add_workdays, known, workdays_between


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"日期“{text}”格式不对，应为 YYYY-MM-DD，如 2024-09-27") from None


class Command(BaseCommand):
    help = "中国工作日：add DATE N 计算 DATE 之后第 N 个工作日；between START END 计算工作日数"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        a = sub.add_parser("add", help="DATE 之后第 N 个工作日（DATE 当日不计）")
        a.add_argument("date")
        a.add_argument("n")
        b = sub.add_parser("between", help="START 之后至 END（含）的工作日数")
        b.add_argument("start")
        b.add_argument("end")

    def handle(self, *args, action, **options):
        if action == "add":
            start = _date(options["date"])
            try:
                n = int(options["n"])
            except ValueError:
                raise CommandError(f"工作日数“{options['n']}”应为整数") from None
            if n < 0:
                raise CommandError("工作日数不能为负数")
            end = add_workdays(start, n)
            self.stdout.write(end.isoformat())
            if not (known(start) and known(end)):
                self.stderr.write(f"注意：{end.year}年的节假日安排尚未收录，按周一至周五计算")
        else:
            self.stdout.write(str(workdays_between(_date(options["start"]), _date(options["end"]))))
