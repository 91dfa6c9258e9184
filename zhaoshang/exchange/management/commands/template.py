"""`zhaoshang template OUT.xlsx`: write the blank standard workbook (every sheet, 填表说明, dropdowns)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandParser

from zhaoshang.exchange.template import write_template


class Command(BaseCommand):
    help = "生成标准数据交换工作簿模板（各工作表、填表说明、下拉选项）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("out", help="输出文件，如 模板.xlsx")

    def handle(self, *args, **options) -> None:
        path = write_template(options["out"])
        self.stdout.write(f"已生成模板：{path}")
