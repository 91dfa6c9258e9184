"""`zhaoshang assess --scheme KEY|FILE --period 2023|2023Q2|2023-05 [--as-of DATE] [--group G]
(--json | -o OUT.xlsx) [--publish]`: run a scheme, store the run, print JSON or write a workbook."""

from __future__ import annotations

import datetime as dt
import json

from django.core.management.base import BaseCommand, CommandError

from zhaoshang.assessment.engine.run import resolve_scheme, run_scheme, store, to_json
from zhaoshang.assessment.engine.xlsx import write_xlsx
from zhaoshang.assessment.publishing import publish as publish_with_bulletin
from zhaoshang.core.errors import ApplicationError


class Command(BaseCommand):
    help = "按考核方案计算考核结果：--json 输出到标准输出，或 -o 写入 Excel"

    def add_arguments(self, parser):
        parser.add_argument("--scheme", required=True, help="预置方案编码（如 bole-2023）、已保存方案编码或 .toml 文件")
        parser.add_argument("--period", required=True, help="2023、2023Q2 或 2023-05")
        parser.add_argument("--as-of", dest="as_of", help="截止日期 YYYY-MM-DD，默认为期间末")
        parser.add_argument("--group", default="", help="只算一个考核组别")
        out = parser.add_mutually_exclusive_group(required=True)
        out.add_argument("--json", action="store_true", help="以 JSON 输出（金额和分数为字符串）")
        out.add_argument("-o", "--output", help="写入 .xlsx 文件")
        parser.add_argument("--publish", action="store_true", help="保存并发布本次结果（发布后不可更改）")

    def handle(self, *args, scheme, period, as_of, group, json: bool, output, publish, **options):
        try:
            day = dt.date.fromisoformat(as_of) if as_of else None
        except ValueError as exc:
            raise CommandError(f"截止日期“{as_of}”格式应为 YYYY-MM-DD") from exc
        try:
            rr = run_scheme(resolve_scheme(scheme), period, day, group=group)
            run = store(rr)
            if publish:
                rr.run = publish_with_bulletin(user=None, run=run, command_line=True)
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        data = to_json(rr)
        if json:
            self.stdout.write(_dumps(data))
        else:
            write_xlsx(data, output)
            self.stderr.write(f"已写入 {output}：{len(data['results'])} 个考核对象，运行编号 {rr.run.id}")
        if data["conflicts"]:
            self.stderr.write(f"发现 {len(data['conflicts'])} 个同时计入多个组别的项目，已不计入，见 conflicts")


def _dumps(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)
