#!/usr/bin/env python
"""Import benchmark — not a test: it prints figures and compares them against a baseline in the same run.

    .venv/bin/python bench/import_bench.py [--projects 100000] [--funds 300000] [--units 150] [--reuse]
        [--database-url postgres://postgres@127.0.0.1:5432/bench_import]   (a throw-away database: emptied)

1. generate: a standard workbook with --units units, --projects project rows and --funds fund rows
   (openpyxl write-only mode), bench/out/import_bench.xlsx;
2. read (baseline): python-calamine opens the file and iterates every row of every sheet;
3. import: a fresh SQLite database under bench/out/ (DATABASE_URL set before django.setup()), migrated,
   then `import_workbook` of the file as the command-line actor, with a tqdm progress bar on stderr.

Each phase runs in its own process so its peak memory (ru_maxrss) is its own. Printed: rows, seconds,
rows per second, peak memory, and the ratio import time / read time. Targets: ≥ 10,000 rows/s and
peak memory < 1 GiB. Results also go to bench/out/import_bench.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
XLSX = OUT / "import_bench.xlsx"
DB = OUT / "import_bench.sqlite3"
TARGET_RPS = 10_000
TARGET_MB = 1024


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def _uscc_pool(n: int = 50) -> list[str]:
    sys.path.insert(0, str(ROOT))
    from zhaoshang.core.uscc import CHARSET, check_character

    rng = random.Random(7)
    pool = []
    for _ in range(n):
        body = (
            "91" + "".join(rng.choice("0123456789") for _ in range(6)) + "".join(rng.choice(CHARSET) for _ in range(9))
        )
        pool.append(body + check_character(body))
    return pool


def generate(args) -> dict:
    from openpyxl import Workbook

    started = time.perf_counter()
    rng = random.Random(1)
    wb = Workbook(write_only=True)
    units = wb.create_sheet("单位")
    units.append(["单位编码*", "单位名称*", "单位类型*", "考核组别", "上级单位编码"])
    codes = [f"U{i:04d}" for i in range(args.units)]
    for i, code in enumerate(codes):
        units.append([code, f"测试单位{i}", "区" if i % 3 else "开发区", "重点地区" if i % 2 else "一般地区", None])
    uscc = _uscc_pool()
    today = dt.date.today()
    start = dt.date(2021, 1, 1)
    span = (today - start).days - 400
    projects = wb.create_sheet("项目")
    projects.append(
        [
            "项目编号*",
            "项目名称*",
            "投资方*",
            "统一社会信用代码",
            "所属产业",
            "项目类别",
            "是否四力型",
            "是否外资",
            "计划总投资(万元)",
            "签约金额(万元)*",
            "签约日期",
            "注册日期",
            "开工日期",
            "项目状态",
            "引资单位编码*",
        ]
    )
    signed = []
    for i in range(args.projects):
        day = start + dt.timedelta(days=rng.randrange(span))
        signed.append(day)
        reg = day + dt.timedelta(days=rng.randrange(1, 60)) if i % 2 else None
        begun = reg + dt.timedelta(days=rng.randrange(1, 90)) if reg and i % 4 == 1 else None
        amount = rng.randrange(100, 5_000_000) / 100
        projects.append(
            [
                f"XM{i:07d}",
                f"新能源项目{i}",
                f"某某科技有限公司{i % 997}",
                uscc[i % len(uscc)],
                "新能源",
                "制造业",
                "是" if i % 5 == 0 else "否",
                "否",
                amount * 1.5,
                amount,
                day,
                reg,
                begun,
                "推进中",
                codes[i % len(codes)],
            ]
        )
    funds = wb.create_sheet("到位资金")
    funds.append(["项目编号*", "到位日期*", "金额(万元)*", "资金类型*"])
    kinds = ["固定资产投资", "注册资本", "其他"]
    for j in range(args.funds):
        i = j % args.projects
        day = signed[i] + dt.timedelta(days=1 + j // args.projects * 30 + rng.randrange(20))
        funds.append([f"XM{i:07d}", day, rng.randrange(100, 1_000_000) / 100, kinds[j % 3]])
    OUT.mkdir(parents=True, exist_ok=True)
    wb.save(XLSX)
    return {"seconds": time.perf_counter() - started, "size_mb": XLSX.stat().st_size / 1e6, "peak_mb": peak_mb()}


def read(args) -> dict:
    import python_calamine

    started = time.perf_counter()
    book = python_calamine.CalamineWorkbook.from_path(str(XLSX))
    rows = 0
    for name in book.sheet_names:
        for _row in book.get_sheet_by_name(name).iter_rows():
            rows += 1
    return {"seconds": time.perf_counter() - started, "rows": rows, "peak_mb": peak_mb()}


def import_(args) -> dict:
    if DB.exists() and not args.database_url:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{DB}{suffix}").unlink(missing_ok=True)
    os.environ["DATABASE_URL"] = args.database_url or f"sqlite:///{DB}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "zhaoshang.settings"
    os.environ.setdefault("ZHAOSHANG_ALLOW_DEV_KEY", "1")
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    os.environ["UPLOAD_MAX_MB"] = "500"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from tqdm import tqdm

    if args.database_url:  # a throw-away server database: emptied first
        if connection.vendor != "postgresql":
            raise SystemExit("--database-url: only PostgreSQL (or the default SQLite file) is supported")
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    call_command("migrate", verbosity=0)
    from zhaoshang.exchange.importer import import_workbook

    bar = tqdm(total=0, unit="行", file=sys.stderr, desc="导入", mininterval=0.5)

    def progress(done, total, sheet):
        bar.total = max(total, done)
        bar.set_description(sheet)
        bar.n = done
        bar.refresh()

    started = time.perf_counter()
    result = import_workbook(XLSX, progress=progress)
    seconds = time.perf_counter() - started
    bar.close()
    if not result.ok:
        for e in result.errors[:10]:
            print(e, file=sys.stderr)
        raise SystemExit(f"import failed: {result.summary()}")
    from zhaoshang.ledger.models import FundArrival, Project

    started2 = time.perf_counter()
    again = import_workbook(XLSX)
    seconds2 = time.perf_counter() - started2
    return {
        "seconds": seconds,
        "rows": result.rows,
        "projects": Project.objects.count(),
        "funds": FundArrival.objects.count(),
        "peak_mb": peak_mb(),
        "reimport_seconds": seconds2,
        "reimport_unchanged": again.total("unchanged"),
    }


def run_phase(name: str, args) -> dict:
    cmd = [
        sys.executable,
        __file__,
        "--phase",
        name,
        "--projects",
        str(args.projects),
        "--funds",
        str(args.funds),
        "--units",
        str(args.units),
    ] + (["--database-url", args.database_url] if args.database_url else [])
    out = subprocess.run(cmd, check=True, stdout=subprocess.PIPE, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=100_000)
    parser.add_argument("--funds", type=int, default=300_000)
    parser.add_argument("--units", type=int, default=150)
    parser.add_argument("--reuse", action="store_true", help="reuse bench/out/import_bench.xlsx if present")
    parser.add_argument("--database-url", help="a throw-away PostgreSQL database to import into (it is emptied); "
                        "default: a fresh SQLite file under bench/out/")
    parser.add_argument("--out", type=Path, default=OUT / "import_bench.json")
    parser.add_argument("--phase", choices=["generate", "read", "import"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        print(json.dumps({"generate": generate, "read": read, "import": import_}[args.phase](args)))
        return
    if not (args.reuse and XLSX.exists()):
        gen = run_phase("generate", args)
        print(f"generated {XLSX.relative_to(ROOT)}: {gen['size_mb']:.1f} MB in {gen['seconds']:.1f} s")
    rd = run_phase("read", args)
    imp = run_phase("import", args)
    rps = imp["rows"] / imp["seconds"]
    read_rps = rd["rows"] / rd["seconds"]
    report = {
        "rows": imp["rows"],
        "projects": imp["projects"],
        "funds": imp["funds"],
        "read_seconds": round(rd["seconds"], 2),
        "read_rows_per_s": round(read_rps),
        "read_peak_mb": round(rd["peak_mb"]),
        "import_seconds": round(imp["seconds"], 2),
        "import_rows_per_s": round(rps),
        "import_peak_mb": round(imp["peak_mb"]),
        "ratio_import_to_read": round(imp["seconds"] / rd["seconds"], 1),
        "reimport_seconds": round(imp["reimport_seconds"], 2),
        "reimport_unchanged": imp["reimport_unchanged"],
    }
    print(
        f"read (python-calamine, baseline): {rd['rows']:,} rows in {rd['seconds']:.2f} s = {read_rps:,.0f} rows/s, "
        f"peak {rd['peak_mb']:.0f} MB"
    )
    print(
        f"import (validate + write + history): {imp['rows']:,} rows in {imp['seconds']:.2f} s = {rps:,.0f} rows/s, "
        f"peak {imp['peak_mb']:.0f} MB  [target ≥ {TARGET_RPS:,} rows/s, < {TARGET_MB} MB]: "
        f"{'OK' if rps >= TARGET_RPS and imp['peak_mb'] < TARGET_MB else 'MISSED'}"
    )
    print(f"ratio import / read: {report['ratio_import_to_read']}×")
    print(f"re-import of the same file: {imp['reimport_seconds']:.2f} s, {imp['reimport_unchanged']:,} rows unchanged")
    report["db"] = "postgresql" if args.database_url else "sqlite"
    args.out.write_text(json.dumps(report, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
