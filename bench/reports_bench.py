#!/usr/bin/env python
"""Reports benchmark — not a test: prints figures and compares them against a baseline in the same run.

    .venv/bin/python bench/reports_bench.py [--projects 100000] [--units 150] [--reps 5]
        [--database-url postgres://…/big --base-database-url postgres://…/base]   (throw-away databases)

Reuses the databases of bench/ledger_bench.py (bench/out/ledger_<U>u_<N>p.sqlite3; made with
`zhaoshang generate` if missing), copied to bench/out/reports_<U>u_<N>p.sqlite3 so that the run's and the
bulletin's rows never touch them. For the baseline (1,000 projects) and the scaled size, a worker process:

* runs a 150-unit scheme (every unit, ranked within its group: signed amount, funds, projects started
  against the units' targets, late submissions) for the first quarter of the latest year with data — the
  engine, stored, not timed against a target;
* **bulletin**: builds the content from the run and the ledger and writes the .docx (`bulletin_docx`) —
  target < 3 s; also the .xlsx of its tables and the annual report;
* **cockpit**: `cockpit_data()` for an assessor (all units) and a unit user, and GET /reports/cockpit/data/ —
  target < 1 s.
Each figure is the median of --reps runs after a warm-up. Results: bench/out/reports_bench.json.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
BASELINE = 1000
TARGETS = {"bulletin_docx": 3.0, "cockpit_data:assessor": 1.0, "cockpit_data:unit": 1.0, "http:cockpit_data": 1.0}

SCHEME = """
key = "bench-150"
name = "全市招商引资工作考核（基准测试）"
version = 1
subject = "unit"
base = 0
[subjects]
unit_kinds = ["县(市)", "区", "开发区", "乡镇街道", "市直部门", "驻点招商局", "产业专班", "平台"]
[ranking]
within = "group"
[[grades]]
min = 80
name = "优秀"
[[grades]]
min = 60
name = "合格"
[[grades]]
name = "不合格"
[[items]]
key = "signed"
name = "签约金额"
rule = "proportional"
points = 40
cap = 1.2
target = "签约金额"
value = { measure = "project_amount", stage = "signed" }
[[items]]
key = "funds"
name = "到位资金"
rule = "proportional"
points = 30
cap = 1.2
target = "到位资金"
value = { measure = "fund_amount" }
[[items]]
key = "started"
name = "开工项目"
rule = "proportional"
points = 20
cap = 1
target = "开工项目数"
value = { measure = "project_count", stage = "started" }
[[items]]
key = "daily"
name = "台账报送"
rule = "per_item"
label = "未报或迟报次数"
base = 10
per = -1
floor = 0
cap = 10
value = { measure = "late_submissions" }
"""


def worker(args: argparse.Namespace) -> None:
    source = OUT / f"ledger_{args.units}u_{args.projects}p.sqlite3"
    db = OUT / f"reports_{args.units}u_{args.projects}p.sqlite3"
    os.environ["DATABASE_URL"] = args.database_url or f"sqlite:///{db}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "zhaoshang.settings"
    os.environ.setdefault("ZHAOSHANG_ALLOW_DEV_KEY", "1")
    os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    os.environ["STATIC_ROOT"] = str(OUT / "static")
    (OUT / "static").mkdir(parents=True, exist_ok=True)
    if args.database_url:  # a throw-away server database: generated into when empty, else used as it is
        source = None
    else:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        if source.exists():
            shutil.copyfile(source, db)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", interactive=False, verbosity=0)
    generated = None
    from zhaoshang.ledger.models import Project as _Project

    if (source is None and not _Project.objects.exists()) or (source is not None and not source.exists()):
        started = time.perf_counter()
        call_command("generate", units=args.units, projects=args.projects, seed=42, no_progress=True, verbosity=0)
        generated = round(time.perf_counter() - started, 1)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

    from django.db.models import Max
    from django.test import Client

    from zhaoshang.assessment.engine.run import run_scheme, store
    from zhaoshang.assessment.engine.scheme import parse_scheme
    from zhaoshang.ledger.models import Project
    from zhaoshang.orgs.choices import UserRole
    from zhaoshang.orgs.models import Unit, User
    from zhaoshang.reports.bulletin import annual_docx, bulletin_docx
    from zhaoshang.reports.cockpit import cockpit_data
    from zhaoshang.reports.content import build
    from zhaoshang.reports.tables import bulletin_workbook

    year = Project.objects.aggregate(y=Max("signed_on"))["y"].year
    assessor, _ = User.objects.get_or_create(username="bench-assessor", defaults={"role": UserRole.ASSESSOR})
    unit = Unit.objects.filter(children__isnull=False).order_by("code").first() or Unit.objects.first()
    staff, _ = User.objects.get_or_create(username="bench-unit", defaults={"role": UserRole.UNIT_STAFF, "unit": unit})

    started = time.perf_counter()
    rr = run_scheme(parse_scheme(SCHEME), f"{year}Q1")
    run = store(rr)
    engine_s = time.perf_counter() - started
    tmp = Path(tempfile.mkdtemp(prefix="reports-bench-"))

    def timed(fn) -> float:
        fn()  # warm-up
        times = []
        for _ in range(args.reps):
            t = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t)
        return round(statistics.median(times), 3)

    client = Client()
    client.force_login(assessor)
    content = build(run)
    figures = {
        "bulletin_docx": timed(lambda: bulletin_docx(run, tmp / "b.docx")),
        "bulletin_content": timed(lambda: build(run)),
        "bulletin_xlsx": timed(lambda: bulletin_workbook(content, tmp / "b.xlsx")),
        "annual_docx": timed(lambda: annual_docx(run, tmp / "a.docx")),
        "cockpit_data:assessor": timed(lambda: cockpit_data(user=assessor, year=year)),
        "cockpit_data:unit": timed(lambda: cockpit_data(user=staff, year=year)),
        "http:cockpit_data": timed(lambda: client.get(f"/reports/cockpit/data/?year={year}")),
    }
    result = {
        "projects": Project.objects.count(), "units": Unit.objects.count(), "year": year, "subjects": len(rr.results),
        "engine_run_s": round(engine_s, 3), "generate_s": generated, "figures": figures,
        "docx_kb": round((tmp / "b.docx").stat().st_size / 1024, 1),
        "db": connection.vendor if args.database_url else str(db.relative_to(ROOT)),
    }
    shutil.rmtree(tmp, ignore_errors=True)
    print("RESULT " + json.dumps(result, ensure_ascii=False))


def run_size(args: argparse.Namespace, projects: int) -> dict:
    cmd = [sys.executable, __file__, "--worker", "--projects", str(projects), "--units", str(args.units),
           "--reps", str(args.reps)]
    url = args.base_database_url if projects == args.baseline else args.database_url
    if url:
        cmd += ["--database-url", url]
    print(f"· {projects:,} 个项目 / {args.units} 个单位 …", flush=True)
    proc = subprocess.run(cmd, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    line = next((ln for ln in proc.stdout.splitlines() if ln.startswith("RESULT ")), None)
    if proc.returncode != 0 or line is None:
        sys.exit(f"worker for {projects} projects failed (exit {proc.returncode}):\n{proc.stdout[-3000:]}")
    return json.loads(line[len("RESULT "):])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--projects", type=int, default=100_000)
    parser.add_argument("--units", type=int, default=150)
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--database-url", help="a throw-away database for --projects (generated into when empty); "
                        "default: a SQLite copy of ledger_bench's file")
    parser.add_argument("--base-database-url", help="the same for the baseline size")
    parser.add_argument("--baseline", type=int, default=BASELINE, help="projects of the baseline size")
    parser.add_argument("--out", type=Path, default=OUT / "reports_bench.json")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args)
        return
    if args.database_url and not args.base_database_url:
        sys.exit("--database-url needs --base-database-url too (a database per size)")
    OUT.mkdir(parents=True, exist_ok=True)
    base = run_size(args, args.baseline)
    big = run_size(args, args.projects)
    print()
    print(f"scheme: {big['subjects']} units ranked, {big['year']}Q1; engine run {big['engine_run_s']} s "
          f"(baseline {base['engine_run_s']} s); bulletin .docx {big['docx_kb']} KB")
    at_base, at_big = f"@{base['projects']}", f"@{big['projects']}"
    header = f"{'figure (median s)':<24}{at_base:>12}{at_big:>12}{'ratio':>8}  target"
    print(header)
    print("-" * len(header))
    summary = {}
    for name, value in big["figures"].items():
        b = base["figures"][name]
        target = TARGETS.get(name)
        verdict = "" if target is None else (f"< {target:g} s " + ("OK" if value < target else "SLOW"))
        ratio = value / b if b else None
        print(f"{name:<24}{b:>12.3f}{value:>12.3f}{(ratio or 0):>8.1f}  {verdict}")
        summary[name] = {"baseline_s": b, "scaled_s": value, "ratio": round(ratio, 2) if ratio else None,
                         "target_s": target, "meets_target": None if target is None else value < target}
    args.out.write_text(json.dumps({"baseline": base, "scaled": big, "summary": summary}, ensure_ascii=False,
                                   indent=2))
    print(f"\nwritten {args.out}")


if __name__ == "__main__":
    main()
