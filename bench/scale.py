#!/usr/bin/env python
"""Province-scale benchmark (`make bench-scale`) — not a test: it measures and prints a goal table.

    .venv/bin/python bench/scale.py [--projects 2000000] [--units 3000] [--base-projects 100000]
        [--base-units 150] [--server postgres://postgres@127.0.0.1:5432] [--keep]

On the PostgreSQL server it creates three throw-away databases (zs_scale_base, zs_scale_big,
zs_scale_import), runs the four bench scripts with --database-url — ledger_bench (which generates each
size with `zhaoshang generate` and times the 2M one), assess_bench, reports_bench (baseline and scaled
in the same run) and import_bench (on SQLite and on PostgreSQL) — drops the databases (unless --keep),
and writes bench/out/scale.json and bench/out/scale.md: goal, measured, ratio to the baseline, pass/fail
per row of issue 12's goals, with the machine's load. Hours at 2M; a small size proves the plumbing:

    .venv/bin/python bench/scale.py --projects 20000 --units 300 --base-projects 2000 --base-units 60
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
DBS = ("zs_scale_base", "zs_scale_big", "zs_scale_import")


def admin(server: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(sql)


def bench(script: str, *args: str) -> None:
    cmd = [sys.executable, str(ROOT / "bench" / script), *args]
    print("$ " + " ".join(cmd[1:]), flush=True)
    subprocess.run(cmd, cwd=ROOT, check=True)


def load(name: str) -> dict:
    return json.loads((OUT / name).read_text())


def rows(args, scale: dict) -> list[dict]:
    """Issue 12's goals against what was measured: (goal, measured, ratio to the baseline, pass)."""
    out = []

    def add(work, goal, measured, ok, ratio=None, unit=""):
        out.append({"work": work, "goal": goal, "measured": None if measured is None else f"{measured:g}{unit}",
                    "ratio": None if ratio is None else round(ratio, 2), "pass": bool(ok)})

    base = {(m["name"], m["role"]): m for m in scale["ledger_base"]["scaled"]["measurements"]}
    big = {(m["name"], m["role"]): m for m in scale["ledger_big"]["scaled"]["measurements"]}

    def page(name, role, limit, flat):
        b, m = base.get((name, role), {}), big.get((name, role), {})
        if "p95_ms" not in m or "p95_ms" not in b:
            return add(f"ledger {role} {name}", f"p95 ≤ {limit} ms", None, False)
        ratio = m["p95_ms"] / b["p95_ms"]
        goal = f"p95 ≤ {limit} ms" + (" and ≤ 1.5× baseline" if flat else "")
        add(f"ledger {role} {name}", goal, m["p95_ms"], m["p95_ms"] <= limit and (not flat or ratio <= 1.5), ratio,
            " ms")

    for name in ("http:list", "http:filtered", "http:sorted", "http:later_page"):
        page(name, "unit_staff", 150, True)
    page("http:filtered", "assessor", 150, True)
    page("http:list", "assessor", 300, False)
    page("http:later_page", "assessor", 300, False)
    rep = scale["reports"]["summary"]
    for key in ("cockpit_data:assessor", "cockpit_data:unit"):
        r = rep[key]
        add(key, "≤ 1 s", r["scaled_s"], r["scaled_s"] <= 1, r["ratio"], " s")
    r = rep["bulletin_docx"]
    add(f"bulletin .docx, {args.units} units", "≤ 5 s", r["scaled_s"], r["scaled_s"] <= 5, r["ratio"], " s")
    add(f"bulletin .docx, {args.base_units} units", "≤ 1 s", r["baseline_s"], r["baseline_s"] <= 1, None, " s")
    for a in scale["assess_big"]["rows"]:
        add(f"assessment {a['preset']} {a['period']}", "≤ 3 s and ≤ 1.0× hand SQL", a["engine_s"],
            a["engine_s"] <= 3 and a["ratio"] <= 1.0 and a["same"], a["ratio"], " s")
    gen = scale["ledger_big"]["scaled"]["generate_s"]
    add(f"generate --units {args.units} --projects {args.projects}", "≤ 300 s", gen, gen is not None and gen <= 300,
        None, " s")
    for db, floor in (("sqlite", 20_000), ("postgresql", 40_000)):
        imp = scale[f"import_{db}"]
        add(f"import ({db}) rows/s", f"≥ {floor:,}", imp["import_rows_per_s"], imp["import_rows_per_s"] >= floor)
        add(f"import ({db}) / calamine read", "≤ 4×", imp["ratio_import_to_read"], imp["ratio_import_to_read"] <= 4)
        add(f"import ({db}) peak", "≤ 500 MB", imp["import_peak_mb"], imp["import_peak_mb"] <= 500, None, " MB")
    return out


def markdown(args, table: list[dict], load_avg: str) -> str:
    lines = [f"Scale run: {args.projects:,} projects / {args.units:,} units on PostgreSQL, baseline "
             f"{args.base_projects:,} / {args.base_units:,} in the same run. Load: {load_avg}", "",
             "Ratio: a page, the cockpit or the bulletin to its baseline figure; an assessment to its hand SQL.", "",
             "| work | goal | measured | ratio | pass |", "|---|---|---|---|---|"]
    for r in table:
        lines.append(f"| {r['work']} | {r['goal']} | {r['measured'] or '—'} | {r['ratio'] or '—'} | "
                     f"{'pass' if r['pass'] else 'FAIL'} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--projects", type=int, default=2_000_000)
    ap.add_argument("--units", type=int, default=3000)
    ap.add_argument("--base-projects", type=int, default=100_000)
    ap.add_argument("--base-units", type=int, default=150)
    ap.add_argument("--server", default=os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432"),
                    help="a PostgreSQL server where this user may create databases")
    ap.add_argument("--requests", type=int, default=30)
    ap.add_argument("--keep", action="store_true", help="keep the databases (to rerun a script by hand)")
    args = ap.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    url = {name: f"{args.server}/{name}" for name in DBS}
    for name in DBS:
        admin(args.server, f"DROP DATABASE IF EXISTS {name}")
        admin(args.server, f"CREATE DATABASE {name}")
    started = time.time()
    try:
        for size, units, db in ((args.base_projects, args.base_units, "zs_scale_base"),
                                (args.projects, args.units, "zs_scale_big")):
            tag = "base" if db.endswith("base") else "big"
            bench("ledger_bench.py", "--skip-baseline", "--projects", str(size), "--units", str(units),
                  "--requests", str(args.requests), "--database-url", url[db],
                  "--out", str(OUT / f"scale_ledger_{tag}.json"))
            bench("assess_bench.py", "--database-url", url[db], "--periods", "2024,2024Q2", "--repeat", "3",
                  "--out", str(OUT / f"scale_assess_{tag}.json"))
        bench("reports_bench.py", "--projects", str(args.projects), "--baseline", str(args.base_projects),
              "--units", str(args.units), "--database-url", url["zs_scale_big"],
              "--base-database-url", url["zs_scale_base"], "--out", str(OUT / "scale_reports.json"))
        # the import goal is 100k projects + 300k funds: the baseline size, three fund rows a project
        sizes = ["--projects", str(args.base_projects), "--funds", str(3 * args.base_projects)]
        bench("import_bench.py", *sizes, "--out", str(OUT / "scale_import_sqlite.json"))
        bench("import_bench.py", *sizes, "--reuse", "--database-url", url["zs_scale_import"],
              "--out", str(OUT / "scale_import_postgresql.json"))
    finally:
        if not args.keep:
            for name in DBS:
                admin(args.server, f"DROP DATABASE IF EXISTS {name}")
    scale = {
        "ledger_base": load("scale_ledger_base.json"), "ledger_big": load("scale_ledger_big.json"),
        "assess_base": load("scale_assess_base.json"), "assess_big": load("scale_assess_big.json"),
        "reports": load("scale_reports.json"), "import_sqlite": load("scale_import_sqlite.json"),
        "import_postgresql": load("scale_import_postgresql.json"),
    }
    load_avg = " / ".join(f"{x:.2f}" for x in os.getloadavg()) + f" (1/5/15 min), {os.cpu_count()} CPUs"
    table = rows(args, scale)
    scale.update(goals=table, load=load_avg, minutes=round((time.time() - started) / 60, 1),
                 size={"projects": args.projects, "units": args.units, "base_projects": args.base_projects,
                       "base_units": args.base_units})
    (OUT / "scale.json").write_text(json.dumps(scale, ensure_ascii=False, indent=2, default=str))
    md = markdown(args, table, load_avg)
    (OUT / "scale.md").write_text(md)
    print("\n" + md)
    print(f"written {OUT / 'scale.json'} and {OUT / 'scale.md'}")


if __name__ == "__main__":
    main()
