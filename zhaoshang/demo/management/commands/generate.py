"""`zhaoshang generate --units N --projects N --seed S [--years 2023,2024] [--flush]`

Builds a synthetic city: unit groups, units of every kind, people in every role, projects with shares,
stage filings and fund arrivals, promotion events, leaders' visits, recommendations, monthly submissions,
resident-office attendance and annual targets. The same arguments give the same data; no date lies
after today (Asia/Shanghai).

This is a bulk import: rows are written in one transaction (COPY on PostgreSQL, see `core.bulkcopy`, with the
empty tables' indexes and foreign keys built once at the end, see `core.bulkindexes`) and get no history rows
(django-simple-history records changes made afterwards through the services). The report ends with the time
taken and the process's peak memory. Projects are drawn and written a chunk at a time; what grows with the
city is the registry of investors that repeat investors are drawn from (one entry per investor): about 1.4 GB
at 2,000,000 projects, 230 MB at 100,000.
"""

from __future__ import annotations

import resource
import sys
import time

from django.core.management.base import BaseCommand, CommandError, CommandParser

from zhaoshang.demo.generator import DEFAULT_YEARS, existing_counts, flush_city, generate
from zhaoshang.ledger import summary as ledger_summary


def parse_years(text: str) -> list[int]:
    try:
        years = sorted({int(part) for part in text.replace("，", ",").split(",") if part.strip()})
    except ValueError as exc:
        raise CommandError(f"年度格式有误：“{text}”，应为 2023,2024") from exc
    if not years or any(y < 2000 or y > 2100 for y in years):
        raise CommandError(f"年度格式有误：“{text}”，应为 2000–2100 之间的年份，如 2023,2024")
    return years


class Command(BaseCommand):
    help = "生成合成的演示城市数据（单位、人员、项目、活动、目标），同样参数生成同样数据"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--units", type=int, default=20, help="单位数（默认20）")
        parser.add_argument("--projects", type=int, default=600, help="项目数（默认600）")
        parser.add_argument("--seed", type=int, default=1, help="随机种子（默认1）")
        parser.add_argument("--years", default=",".join(map(str, DEFAULT_YEARS)), help="年度，逗号分隔，如 2023,2024")
        parser.add_argument("--flush", action="store_true", help="先清空现有的单位、人员、项目和活动数据")
        parser.add_argument("--no-progress", action="store_true", help="不显示进度条")

    def handle(self, *args, **opts) -> None:
        if opts["units"] < 1:
            raise CommandError("--units 至少为1")
        if opts["projects"] < 0:
            raise CommandError("--projects 不能为负数")
        years = parse_years(opts["years"])
        n_units, n_projects = existing_counts()
        if (n_units or n_projects) and not opts["flush"]:
            raise CommandError(
                f"数据库中已有 {n_units} 个单位、{n_projects} 个项目，拒绝生成以免混入真实数据。"
                "如确认要清空后重新生成，请加 --flush。"
            )
        started = time.perf_counter()
        if opts["flush"]:
            flush_city()
        try:
            summary = generate(seed=opts["seed"], units=opts["units"], projects=opts["projects"], years=years,
                               progress=not opts["no_progress"])
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        # The cockpit's figures are counted at the end of a load into an empty ledger, or appended per COPY batch
        # into one that had rows: mark them folded now rather than at the first leader's view (PostgreSQL).
        ledger_summary.compact()
        elapsed = time.perf_counter() - started
        parts = "，".join(f"{label} {n:,}" for label, n in summary.counts.items())
        if opts["verbosity"] > 0:
            years_text = "、".join(map(str, summary.years))
            self.stdout.write(self.style.SUCCESS(
                f"已生成（种子 {opts['seed']}，年度 {years_text}）：{parts}。"
                f"用时 {elapsed:.1f} 秒，内存峰值 {peak_mb():.0f} MB。"
            ))


def peak_mb() -> float:
    """The process's peak resident memory (ru_maxrss: kilobytes on Linux, bytes on macOS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024 if sys.platform == "darwin" else 1024)
