"""`zhaoshang bulletin --run ID -o OUT.docx [--annual] [--xlsx OUT.xlsx]`: write a run's quarterly
bulletin (or, with --annual, the annual assessment report) as Word, and optionally its tables as Excel.
A published run's bulletin is frozen: it is the same document every time."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from zhaoshang.assessment.models import AssessmentRun
from zhaoshang.reports.bulletin import annual_content, bulletin_content, write_annual, write_bulletin
from zhaoshang.reports.tables import annual_workbook, bulletin_workbook


class Command(BaseCommand):
    help = "生成考核结果的季度通报（或 --annual 年度考核报告）Word 文档"

    def add_arguments(self, parser):
        parser.add_argument("--run", type=int, required=True, help="考核结果编号（assess --json 输出的 run.id）")
        parser.add_argument("-o", "--output", required=True, help="写入 .docx 文件")
        parser.add_argument("--annual", action="store_true", help="生成年度考核报告（含各单位得分明细）")
        parser.add_argument("--xlsx", help="同时把各表格写入 .xlsx 文件")

    def handle(self, *args, run, output, annual, xlsx, **options):
        row = AssessmentRun.objects.filter(pk=run).first()
        if row is None:
            raise CommandError(f"考核结果 {run} 不存在")
        if annual:
            content = annual_content(row)
            write_annual(content, output)
            if xlsx:
                annual_workbook(content, xlsx)
        else:
            content = bulletin_content(row)
            write_bulletin(content, output)
            if xlsx:
                bulletin_workbook(content, xlsx)
        state = "已发布（内容已冻结）" if row.published else "未发布（草稿）"
        self.stderr.write(f"已写入 {output}：{content['title']}，{content['doc_no']}，考核结果 {row.id} {state}")
