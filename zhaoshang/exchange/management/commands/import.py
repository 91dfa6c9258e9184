"""`zhaoshang import FILE.xlsx [--dry-run] [--user USERNAME] [--errors OUT.xlsx] [--correction-reason TEXT]
[--verified]`

Imports the standard workbook with the same rules as the web page: all or nothing, every error with
sheet, row and column. On errors it prints the count and the first 20, writes the error workbook next
to the file (or to --errors) and exits with status 1. A progress bar runs on stderr.

Imported stage filings and fund arrivals are 待核实. `--verified` brings in a ledger that was already
checked: what the import writes becomes 已认定 (the operator without --user, or an assessor's --user;
refused for a unit user).
"""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from zhaoshang.exchange.errors_workbook import write_error_workbook
from zhaoshang.exchange.importer import import_workbook, verify_problem

from ._common import user_by_name

SHOWN = 20


class Command(BaseCommand):
    help = "导入标准数据交换工作簿（全部正确才写入；有错误时生成标出错误的工作簿）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="要导入的 .xlsx 文件")
        parser.add_argument("--dry-run", action="store_true", help="只校验，不写入")
        parser.add_argument("--user", help="以该用户身份导入（权限范围与修改记录）；不填则以系统身份导入")
        parser.add_argument("--errors", help="错误工作簿的保存位置（默认与文件同目录：文件名-错误.xlsx）")
        parser.add_argument("--no-progress", action="store_true", help="不显示进度条")
        parser.add_argument("--correction-reason", default="",
                            help="更正理由：考核办（或系统身份）导入已结账期间的新增或修改记录时必填")
        parser.add_argument("--verified", action="store_true",
                            help="导入的数据已经核实：写入的阶段备案和到位资金直接认定（仅系统身份或考核办）")

    def handle(self, *args, **options) -> None:
        path = Path(options["file"])
        if not path.exists():
            raise CommandError(f"文件不存在：{path}")
        user = user_by_name(options["user"])
        if options["verified"] and (problem := verify_problem(user)):
            raise CommandError(f"不能直接认定：{problem}")
        bar = None
        progress = None
        if not options["no_progress"]:
            from tqdm import tqdm

            bar = tqdm(total=0, unit="行", file=sys.stderr, desc="导入", dynamic_ncols=True)

            def progress(done: int, total: int, sheet: str) -> None:
                bar.total = max(total, done)
                bar.set_description(sheet)
                bar.n = done
                bar.refresh()

        try:
            result = import_workbook(path, user=user, dry_run=options["dry_run"], progress=progress,
                                     correction_reason=options["correction_reason"],
                                     verified=options["verified"])
        finally:
            if bar is not None:
                bar.close()
        for warning in result.warnings:
            self.stderr.write(f"提示：{warning}")
        if result.ok:
            self.stdout.write(result.summary())
            for sheet, counts in result.counts.items():
                deleted = f"，删除{counts['deleted']}" if counts["deleted"] else ""
                self.stdout.write(f"  {sheet}：新增{counts['created']}，更新{counts['updated']}，"
                                  f"未变化{counts['unchanged']}{deleted}")
            return
        self.stderr.write(result.summary())
        if result.errors:
            self.stderr.write(f"共{len(result.errors)}处错误，前{min(SHOWN, len(result.errors))}处：")
            self.stderr.write("工作表\t行\t列\t问题")
            for e in result.errors[:SHOWN]:
                self.stderr.write(f"{e.sheet}\t{e.row or ''}\t{e.column}\t{e.message}")
            out = Path(options["errors"]) if options["errors"] else path.with_name(f"{path.stem}-错误.xlsx")
            try:
                write_error_workbook(path, result.errors, out)
                self.stderr.write(f"已生成错误工作簿（错误单元格标红并批注）：{out}")
            except OSError as exc:
                self.stderr.write(f"无法写入错误工作簿：{exc}")
        raise CommandError("导入未完成，数据库没有任何改动", returncode=1)
