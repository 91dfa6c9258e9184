"""`zhaoshang export OUT.xlsx [--unit CODE] [--year Y] [--user USERNAME]`: the standard workbook filled
with the data the user may see (all data without --user)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from zhaoshang.exchange.exporter import export_workbook
from zhaoshang.orgs.models import Unit

from ._common import user_by_name


class Command(BaseCommand):
    help = "导出标准数据交换工作簿（按用户可见范围，可按单位、年度筛选）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("out", help="输出文件，如 导出.xlsx")
        parser.add_argument("--unit", help="只导出该单位（含下级单位）的数据，填单位编码")
        parser.add_argument("--year", type=int, help="只导出该年度的数据")
        parser.add_argument("--user", help="按该用户的可见范围导出")

    def handle(self, *args, **options) -> None:
        user = user_by_name(options["user"])
        unit = None
        if options["unit"]:
            unit = Unit.objects.filter(code=options["unit"]).first()
            if unit is None:
                raise CommandError(f"单位编码“{options['unit']}”不存在")
        counts = export_workbook(options["out"], user=user, unit=unit, year=options["year"])
        total = sum(counts.values())
        detail = "，".join(f"{k}{v}行" for k, v in counts.items() if v)
        self.stdout.write(f"已导出{total}行到 {options['out']}" + (f"（{detail}）" if detail else ""))
