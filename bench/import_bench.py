#!/usr/bin/env python
"""Import benchmark — not a test: it prints figures and compares them against a baseline in the same run.

    .venv/bin/python bench/import_bench.py [--projects 100000] [--funds 300000] [--units 150] [--reuse]
        [--database-url postgres://postgres@127.0.0.1:5432/bench_import]   (a throw-away database: emptied)

1. generate: a standard workbook with --units units, --projects project rows and --funds fund rows
   (openpyxl write-only mode), bench/out/import_bench.xlsx; every project has an investor of its own;
2. read: python-calamine opens the file and iterates every row of every sheet (the floor of reading);
3. import: a fresh database (SQLite under bench/out/, or the PostgreSQL one emptied), migrated, then
   `import_workbook` of the file as the command-line actor; the time of each sheet (from the progress
   callback) and of what follows the write (stage dates, the integrity rescan) is kept apart;
4. baseline: the same 项目 and 到位资金 rows read with calamine and written by a plain `bulk_create` (no
   validation, no history, no stage filings), in a fresh database: the import's ratio to it is printed.

Each phase runs in its own process so its peak memory (ru_maxrss) is its own. Goals (issue 12): the whole import
(and the 项目 sheet) at ≥ 20,000 rows/s on SQLite and ≥ 40,000 on PostgreSQL, ≤ 4× the calamine read, peak memory
≤ 500 MB. The machine's load average is
printed with the figures, and the import's CPU time beside its wall time (on a shared machine the CPU time
is the steadier figure; on SQLite it includes the database's work, on PostgreSQL the server's is not in it).
Results also go to bench/out/import_bench.json.
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
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
XLSX = OUT / "import_bench.xlsx"
DB = OUT / "import_bench.sqlite3"
TARGET_PROJECT_RPS = {"sqlite": 20_000, "postgresql": 40_000}  # issue 12, the 项目 sheet
TARGET_MB = 500


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def _uscc(i: int) -> str:
    """A valid credit code of its own for investor `i` (GB 32100-2015 check character)."""
    sys.path.insert(0, str(ROOT))
    from zhaoshang.core.uscc import check_character

    body = f"91410100{i:09d}"
    return body + check_character(body)


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
                # Every investor its own company (a ledger has few true duplicates; the integrity rescan
                # after the import would otherwise pair every project with every other of its investor).
                f"某某科技有限公司{i}",
                _uscc(i),
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


def _django(args) -> None:
    """Point Django at the phase's database (a fresh SQLite file, or the PostgreSQL one emptied) and migrate."""
    if not args.database_url:
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

    if args.database_url:  # a throw-away server database: emptied first
        if connection.vendor != "postgresql":
            raise SystemExit("--database-url: only PostgreSQL (or the default SQLite file) is supported")
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    call_command("migrate", verbosity=0)


def import_(args) -> dict:
    _django(args)
    from zhaoshang.exchange.importer import import_workbook

    marks: list[tuple[float, int, str, float]] = []  # (when, rows done, sheet, CPU time) after every chunk

    def progress(done, total, sheet):
        marks.append((time.perf_counter(), done, sheet, time.process_time()))

    started, cpu_started = time.perf_counter(), time.process_time()
    result = import_workbook(XLSX, progress=progress)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    if not result.ok:
        for e in result.errors[:10]:
            print(e, file=sys.stderr)
        raise SystemExit(f"import failed: {result.summary()}")
    sheets: dict[str, dict] = {}
    last_t, last_done, last_cpu = started, 0, cpu_started
    for when, done, sheet, cpu_at in marks:
        entry = sheets.setdefault(sheet, {"rows": 0, "seconds": 0.0, "cpu_seconds": 0.0})
        entry["rows"] += done - last_done
        entry["seconds"] += when - last_t
        entry["cpu_seconds"] += cpu_at - last_cpu
        last_t, last_done, last_cpu = when, done, cpu_at
    after = time.perf_counter() - started - (last_t - started)
    from zhaoshang.integrity.models import Flag
    from zhaoshang.ledger.models import FundArrival, Project

    report = {
        "seconds": seconds,
        "cpu_seconds": cpu,
        "rows": result.rows,
        "sheets": sheets,
        "after_write_seconds": seconds - (last_t - started) if marks else after,
        "after_write_cpu_seconds": cpu - (last_cpu - cpu_started),
        "projects": Project.objects.count(),
        "funds": FundArrival.objects.count(),
        "flags": Flag.objects.count(),
        "peak_mb": peak_mb(),
    }
    if not args.skip_reimport:
        started2 = time.perf_counter()
        again = import_workbook(XLSX)
        report["reimport_seconds"] = time.perf_counter() - started2
        report["reimport_unchanged"] = again.total("unchanged")
    return report


def baseline(args) -> dict:
    """The floor: the same 项目 and 到位资金 rows read with calamine and written with a plain `bulk_create`
    (no parsing beyond the types, no validation, no history, no stage filings) in one transaction."""
    _django(args)
    import python_calamine
    from django.db import transaction

    from zhaoshang.ledger.models import FundArrival, Project
    from zhaoshang.orgs.models import Unit

    started = time.perf_counter()
    book = python_calamine.CalamineWorkbook.from_path(str(XLSX))
    rows = 0
    with transaction.atomic():
        unit_rows = list(book.get_sheet_by_name("单位").iter_rows())[1:]
        Unit.objects.bulk_create([Unit(code=r[0], name=r[1], kind="district") for r in unit_rows])
        units = dict(Unit.objects.values_list("code", "id"))
        rows += len(unit_rows)
        ids: dict[str, int] = {}
        batch: list = []

        def day(v):
            return v.date() if isinstance(v, dt.datetime) else v if isinstance(v, dt.date) else None

        def flush(model, items):
            model.objects.bulk_create(items, batch_size=2000)
            items.clear()

        for r in list(book.get_sheet_by_name("项目").iter_rows())[1:]:
            batch.append(Project(code=r[0], name=r[1], investor=r[2], investor_uscc=r[3], industry=r[4],
                                 signed_amount=Decimal(repr(r[9])), planned_investment=Decimal(repr(r[8])),
                                 signed_on=day(r[10]) or None, registered_on=day(r[11]) or None,
                                 started_on=day(r[12]) or None, lead_unit_id=units[r[14]]))
            rows += 1
            if len(batch) >= 5000:
                flush(Project, batch)
        flush(Project, batch)
        ids = dict(Project.objects.values_list("code", "id"))
        for r in list(book.get_sheet_by_name("到位资金").iter_rows())[1:]:
            batch.append(FundArrival(project_id=ids[r[0]], date=day(r[1]), amount=Decimal(repr(r[2])),
                                     kind="fixed_asset"))
            rows += 1
            if len(batch) >= 5000:
                flush(FundArrival, batch)
        flush(FundArrival, batch)
    return {"seconds": time.perf_counter() - started, "rows": rows, "peak_mb": peak_mb()}


def run_phase(name: str, args) -> dict:
    cmd = [sys.executable, __file__, "--phase", name, "--projects", str(args.projects), "--funds", str(args.funds),
           "--units", str(args.units)]
    cmd += ["--database-url", args.database_url] if args.database_url else []
    cmd += ["--skip-reimport"] if args.skip_reimport else []
    out = subprocess.run(cmd, check=True, stdout=subprocess.PIPE, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def load() -> str:
    return " / ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=100_000)
    parser.add_argument("--funds", type=int, default=300_000)
    parser.add_argument("--units", type=int, default=150)
    parser.add_argument("--reuse", action="store_true", help="reuse bench/out/import_bench.xlsx if present")
    parser.add_argument("--skip-reimport", action="store_true", help="do not time a second import of the same file")
    parser.add_argument("--skip-baseline", action="store_true", help="do not time the plain bulk_create baseline")
    parser.add_argument("--database-url", help="a throw-away PostgreSQL database to import into (it is emptied); "
                        "default: a fresh SQLite file under bench/out/")
    parser.add_argument("--out", type=Path, default=OUT / "import_bench.json")
    parser.add_argument("--phase", choices=["generate", "read", "import", "baseline"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        phases = {"generate": generate, "read": read, "import": import_, "baseline": baseline}
        print(json.dumps(phases[args.phase](args)))
        return
    db = "postgresql" if args.database_url else "sqlite"
    load_before = load()
    if not (args.reuse and XLSX.exists()):
        gen = run_phase("generate", args)
        print(f"generated {XLSX.relative_to(ROOT)}: {gen['size_mb']:.1f} MB in {gen['seconds']:.1f} s")
    rd = run_phase("read", args)
    imp = run_phase("import", args)
    base = None if args.skip_baseline else run_phase("baseline", args)
    rps = imp["rows"] / imp["seconds"]
    read_rps = rd["rows"] / rd["seconds"]
    project = imp["sheets"].get("项目", {"rows": 0, "seconds": 1})
    project_rps = project["rows"] / project["seconds"]
    target_project = TARGET_PROJECT_RPS[db]
    report = {
        "db": db,
        "load_before": load_before,
        "load_after": load(),
        "rows": imp["rows"],
        "projects": imp["projects"],
        "funds": imp["funds"],
        "flags_after_import": imp["flags"],
        "read_seconds": round(rd["seconds"], 2),
        "read_rows_per_s": round(read_rps),
        "import_seconds": round(imp["seconds"], 2),
        "import_rows_per_s": round(rps),
        "import_peak_mb": round(imp["peak_mb"]),
        "import_cpu_seconds": round(imp["cpu_seconds"], 2),
        "sheets": {name: {"rows": v["rows"], "seconds": round(v["seconds"], 2),
                          "cpu_seconds": round(v["cpu_seconds"], 2),
                          "rows_per_s": round(v["rows"] / v["seconds"]) if v["seconds"] else None}
                   for name, v in imp["sheets"].items()},
        "after_write_seconds": round(imp["after_write_seconds"], 2),
        "after_write_cpu_seconds": round(imp["after_write_cpu_seconds"], 2),
        "project_rows_per_s": round(project_rps),
        "ratio_import_to_read": round(imp["seconds"] / rd["seconds"], 1),
    }
    if base:
        report |= {"baseline_seconds": round(base["seconds"], 2),
                   "baseline_rows_per_s": round(base["rows"] / base["seconds"]),
                   "baseline_peak_mb": round(base["peak_mb"]),
                   "ratio_import_to_baseline": round(imp["seconds"] / base["seconds"], 1)}
    if "reimport_seconds" in imp:
        report |= {"reimport_seconds": round(imp["reimport_seconds"], 2),
                   "reimport_unchanged": imp["reimport_unchanged"]}
    print(f"[{db}] load average before {load_before}, after {report['load_after']}")
    print(f"read (python-calamine): {rd['rows']:,} rows in {rd['seconds']:.2f} s = {read_rps:,.0f} rows/s, "
          f"peak {rd['peak_mb']:.0f} MB")
    for name, v in report["sheets"].items():
        print(f"  sheet {name}: {v['rows']:,} rows in {v['seconds']:.2f} s = {v['rows_per_s'] or 0:,} rows/s "
              f"(CPU {v['cpu_seconds']:.2f} s)")
    print(f"  after the write (stage dates, integrity rescan): {report['after_write_seconds']:.2f} s "
          f"(CPU {report['after_write_cpu_seconds']:.2f} s)")
    print(f"import (parse + validate + write + history): {imp['rows']:,} rows in {imp['seconds']:.2f} s = "
          f"{rps:,.0f} rows/s (CPU {imp['cpu_seconds']:.2f} s of this process; the database server's is not "
          f"counted), peak {imp['peak_mb']:.0f} MB")
    ok = project_rps >= target_project and imp["peak_mb"] <= TARGET_MB
    print(f"项目 sheet: {project_rps:,.0f} rows/s [target ≥ {target_project:,}], peak {imp['peak_mb']:.0f} MB "
          f"[target ≤ {TARGET_MB}]: {'OK' if ok else 'MISSED'}")
    print(f"ratio import / read: {report['ratio_import_to_read']}×")
    # Issue 12's goals are for the whole import (as bench/scale.py checks them); the rows per CPU second of
    # this process are printed beside them, the figure a busy machine disturbs least (SQLite's work is in it).
    whole_ok = rps >= target_project and imp["peak_mb"] <= TARGET_MB and report["ratio_import_to_read"] <= 4
    report["import_rows_per_cpu_s"] = round(imp["rows"] / imp["cpu_seconds"]) if imp["cpu_seconds"] else None
    print(f"whole import: {rps:,.0f} rows/s [goal ≥ {target_project:,}] ({report['import_rows_per_cpu_s'] or 0:,} "
          f"rows per CPU second), ≤ 4× the read: {report['ratio_import_to_read']}×, peak {imp['peak_mb']:.0f} MB "
          f"[≤ {TARGET_MB}]: {'OK' if whole_ok else 'MISSED'}")
    if base:
        print(f"baseline (calamine + plain bulk_create, no validation or history): {base['rows']:,} rows in "
              f"{base['seconds']:.2f} s = {report['baseline_rows_per_s']:,} rows/s, peak {base['peak_mb']:.0f} MB; "
              f"import / baseline: {report['ratio_import_to_baseline']}×")
    if "reimport_seconds" in report:
        print(f"re-import of the same file: {report['reimport_seconds']:.2f} s, "
              f"{report['reimport_unchanged']:,} rows unchanged")
    args.out.write_text(json.dumps(report, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
