#!/usr/bin/env python
"""Ledger benchmark — not a test: it prints figures and compares them against a baseline in the same run.

    .venv/bin/python bench/ledger_bench.py [--projects 100000] [--units 150] [--requests 50] [--reuse]
        [--database-url postgres://postgres@127.0.0.1:5432/bench12]   (a throw-away database: it is emptied)

For each size (a 1,000-project baseline, then --projects) a worker process gets its own SQLite file under
bench/out/ (DATABASE_URL is set before django.setup()), migrates it and times
`zhaoshang generate --units U --projects N`. It then measures, logged in as an assessor (sees every unit) and
as a unit staff user of the county with the most towns:

* SQL: the selectors the ledger list uses — project_list + ledger_totals + the first/later page slice;
* HTTP: django.test.Client GET of /ledger/ unfiltered, filtered (unit + year + stage + amount range + text),
  sorted, a later page, and /ledger/<id>/ for random ids in the user's scope.

Each measurement is N requests after a warm-up; it reports p50/p95 in ms and the SQL query count of one
request (CaptureQueriesContext), so the report shows p95 at N / p95 at 1k and that query counts do not grow.
HTTP rows are skipped with a notice when the page answers 404/500 (views not there yet).
Targets: generate < 180 s; p95 < 150 ms. Results: bench/out/ledger_bench.json.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import statistics
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
BASELINE = 1000
GENERATE_TARGET_S = 180
P95_TARGET_MS = 150


# ---- worker: one database size ------------------------------------------------------------------------------------


def worker(args: argparse.Namespace) -> None:
    db = OUT / f"ledger_{args.units}u_{args.projects}p.sqlite3"
    os.environ["DATABASE_URL"] = args.database_url or f"sqlite:///{db}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "zhaoshang.settings"
    os.environ.setdefault("ZHAOSHANG_ALLOW_DEV_KEY", "1")
    os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    os.environ["STATIC_ROOT"] = str(OUT / "static")  # WhiteNoise wants the directory to exist
    (OUT / "static").mkdir(parents=True, exist_ok=True)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    if args.database_url:  # a throw-away server database: emptied unless --reuse
        result: dict = {"projects": args.projects, "units": args.units, "db": connection.vendor}
        reuse = args.reuse
        if not reuse:
            empty_database(connection)
    else:
        result = {"projects": args.projects, "units": args.units, "db": str(db.relative_to(ROOT))}
        reuse = args.reuse and db.exists()
        if not reuse:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{db}{suffix}").unlink(missing_ok=True)
    call_command("migrate", interactive=False, verbosity=0)
    if reuse:
        result["generate_s"] = None
    else:
        started = time.perf_counter()
        call_command("generate", units=args.units, projects=args.projects, seed=args.seed,
                     no_progress=not sys.stderr.isatty(), verbosity=0)
        result["generate_s"] = round(time.perf_counter() - started, 2)
    with connection.cursor() as cursor:  # what a production server does after a bulk load (docs/deploy.md)
        # VACUUM on PostgreSQL also sets the visibility map, without which the deep pages' index-only scans
        # visit the heap for every row they skip (autovacuum would do it, later)
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    result["measurements"] = measure(args)
    print("RESULT " + json.dumps(result, ensure_ascii=False))


def empty_database(connection) -> None:
    """Drop every table of a throw-away PostgreSQL database (the bench's own, never a real one)."""
    if connection.vendor != "postgresql":
        sys.exit("--database-url: only PostgreSQL (or the default SQLite file) is supported")
    with connection.cursor() as cursor:
        cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")


def measure(args: argparse.Namespace) -> list[dict]:
    from django.conf import settings
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from zhaoshang.ledger.selectors import ProjectFilters, ledger_totals, project_list, project_page, scope_branches
    from zhaoshang.orgs.choices import UnitKind, UserRole
    from zhaoshang.orgs.models import Unit, User

    county = (Unit.objects.filter(kind=UnitKind.COUNTY).annotate(n=Count("children")).order_by("-n", "code").first()
              or Unit.objects.order_by("code").first())
    users = {
        "assessor": User.objects.update_or_create(username="bench-assessor", defaults={"role": UserRole.ASSESSOR})[0],
        "unit_staff": User.objects.update_or_create(
            username="bench-staff", defaults={"role": UserRole.UNIT_STAFF, "unit": county})[0],
    }
    page_size = settings.LEDGER_PAGE_SIZE
    rng = random.Random(1)
    rows: list[dict] = []
    for role, user in users.items():
        total = project_list(user=user).count()
        later = max(1, total // page_size // 2)
        busiest_year = (project_list(user=user).filter(signed_on__isnull=False).order_by("-signed_on")
                        .values_list("signed_on__year", flat=True).first()) or 2024
        year = busiest_year - 1
        filters = {"unit": county.pk, "year": year, "stage": "started", "amount_min": "1000",
                   "amount_max": "200000", "q": "科技"}
        scenarios = {
            "list": ({}, ProjectFilters(), 0),
            "filtered": (filters, ProjectFilters(unit=county.pk, year=year, stage="started", amount_min=Decimal("1000"),
                                                 amount_max=Decimal("200000"), q="科技"), 0),
            "sorted": ({"sort": "-signed_amount"}, ProjectFilters(sort="-signed_amount"), 0),
            "later_page": ({"page": later}, ProjectFilters(), (later - 1) * page_size),
        }
        # SQL: the selectors behind the list page.
        for name, (_, flt, offset) in scenarios.items():
            def run(flt=flt, offset=offset, user=user):
                qs = project_list(user=user, filters=flt)
                branches = scope_branches(user=user, filters=flt)  # as the ledger view sums and pages
                totals = ledger_totals(qs, flt, branches)
                project_page(qs, page=offset // page_size + 1, size=page_size, branches=branches)
                return totals.count

            rows.append(timed(f"sql:{name}", role, run, args.requests, connection, CaptureQueriesContext))
        # HTTP: the pages themselves.
        client = Client(raise_request_exception=False)
        client.force_login(user)
        ids = list(project_list(user=user).values_list("id", flat=True)[:20000])
        probes = {name: ("/ledger/", params) for name, (params, _, _) in scenarios.items()}
        for name, (path, params) in probes.items():
            rows.append(timed_http(f"http:{name}", role, client, lambda p=path, q=params: (p, q), args.requests,
                                   connection, CaptureQueriesContext))
        it = itertools.cycle([rng.choice(ids) for _ in range(args.requests)] if ids else [0])
        rows.append(timed_http("http:detail", role, client, lambda it=it: (f"/ledger/{next(it)}/", {}), args.requests,
                               connection, CaptureQueriesContext))
    return rows


def _stats(times: list[float]) -> tuple[float, float]:
    times = sorted(times)
    p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]
    return round(statistics.median(times), 2), round(p95, 2)


def _slowest(ctx) -> dict:
    if not ctx.captured_queries:
        return {}
    q = max(ctx.captured_queries, key=lambda q: float(q["time"]))
    return {"slowest_ms": round(float(q["time"]) * 1000, 1), "slowest_sql": q["sql"][:600]}


def timed(name, role, fn, n, connection, capture) -> dict:
    for _ in range(3):
        fn()
    times = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    with capture(connection) as ctx:
        matched = fn()
    p50, p95 = _stats(times)
    return {"name": name, "role": role, "p50_ms": p50, "p95_ms": p95, "queries": len(ctx.captured_queries),
            "rows": matched, **_slowest(ctx)}


def timed_http(name, role, client, target, n, connection, capture) -> dict:
    path, params = target()
    resp = client.get(path, params)
    if resp.status_code != 200:
        return {"name": name, "role": role, "skipped": f"{path} 返回 {resp.status_code}"}
    for _ in range(2):
        client.get(*target())
    times = []
    for _ in range(n):
        path, params = target()
        t = time.perf_counter()
        resp = client.get(path, params)
        times.append((time.perf_counter() - t) * 1000)
        if resp.status_code != 200:
            return {"name": name, "role": role, "skipped": f"{path} 返回 {resp.status_code}"}
    # Query count: the most any of 10 requests needed (detail pages differ by the rows a project has).
    counts, worst = [], None
    for _ in range(10):
        with capture(connection) as ctx:
            client.get(*target())
        counts.append(len(ctx.captured_queries))
        if worst is None or _slowest(ctx).get("slowest_ms", 0) > _slowest(worst).get("slowest_ms", 0):
            worst = ctx
    p50, p95 = _stats(times)
    return {"name": name, "role": role, "p50_ms": p50, "p95_ms": p95, "queries": max(counts), **_slowest(worst)}


# ---- parent: run both sizes and compare ---------------------------------------------------------------------------


def run_size(args: argparse.Namespace, projects: int) -> dict:
    cmd = [sys.executable, __file__, "--worker", "--projects", str(projects), "--units", str(args.units),
           "--seed", str(args.seed), "--requests", str(args.requests)] + (["--reuse"] if args.reuse else [])
    if args.database_url:
        cmd += ["--database-url", args.database_url]
    print(f"· {projects:,} 个项目 / {args.units} 个单位 …", flush=True)
    proc = subprocess.run(cmd, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    line = next((ln for ln in proc.stdout.splitlines() if ln.startswith("RESULT ")), None)
    if proc.returncode != 0 or line is None:
        sys.exit(f"worker for {projects} projects failed (exit {proc.returncode}):\n{proc.stdout[-3000:]}")
    return json.loads(line[len("RESULT "):])


def report(base: dict, big: dict) -> dict:
    n_base, n_big = f"{base['projects'] // 1000}k", f"{big['projects'] // 1000}k"
    print()
    gen = big["generate_s"]
    verdict = "—" if gen is None else ("OK" if gen < GENERATE_TARGET_S else "SLOW")
    print(f"generate --units {big['units']} --projects {big['projects']}: "
          f"{'(reused)' if gen is None else f'{gen:.1f} s'}  (目标 < {GENERATE_TARGET_S} s: {verdict});  "
          f"baseline {base['projects']}: {base['generate_s']} s")
    print()
    header = (f"{'measurement':<18}{'role':<12}{'p50@' + n_base:>10}{'p95@' + n_base:>10}{'q@' + n_base:>7}"
              f"{'p50@' + n_big:>11}{'p95@' + n_big:>11}{'q@' + n_big:>8}{'p95 ratio':>11}  target")
    print(header)
    print("-" * len(header))
    base_rows = {(r["name"], r["role"]): r for r in base["measurements"]}
    summary = []
    for r in big["measurements"]:
        b = base_rows.get((r["name"], r["role"]), {})
        if "skipped" in r or "skipped" in b:
            print(f"{r['name']:<18}{r['role']:<12}  跳过：{r.get('skipped') or b.get('skipped')}（页面尚未实现或出错）")
            summary.append({**r, "baseline": b})
            continue
        ratio = r["p95_ms"] / b["p95_ms"] if b.get("p95_ms") else None
        ok = "OK" if r["p95_ms"] < P95_TARGET_MS else "SLOW"
        print(f"{r['name']:<18}{r['role']:<12}{b['p50_ms']:>10.1f}{b['p95_ms']:>10.1f}{b['queries']:>7}"
              f"{r['p50_ms']:>11.1f}{r['p95_ms']:>11.1f}{r['queries']:>8}{ratio:>11.2f}  {ok}")
        summary.append({**r, "baseline": b, "p95_ratio": round(ratio, 2) if ratio else None,
                        "meets_target": ok == "OK"})
    grew = [s["name"] + "/" + s["role"] for s in summary
            if "queries" in s and s.get("baseline", {}).get("queries") not in (None, s["queries"])]
    print()
    print("query counts: " + ("constant between sizes" if not grew else "differ for " + ", ".join(grew)))
    rows = {(r["name"], r["role"]): r.get("rows") for r in base["measurements"] if r["name"].startswith("sql:")}
    for key in grew:
        name, role = key.split("/")
        matched = rows.get(("sql:" + name.split(":", 1)[1], role))
        if matched == 0:
            print(f"  {key}: the baseline set is empty ({matched} projects match), so the page's per-row query "
                  "is not issued there; not growth with size")
    slow = [s for s in summary if s.get("meets_target") is False]
    for s in slow:
        print(f"\nSLOW {s['name']} ({s['role']}): p95 {s['p95_ms']} ms; slowest query {s.get('slowest_ms')} ms:\n"
              f"  {s.get('slowest_sql', '')}")
    return {"targets": {"generate_s": GENERATE_TARGET_S, "p95_ms": P95_TARGET_MS}, "baseline": base, "scaled": big,
            "summary": summary, "query_counts_constant": not grew}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--projects", type=int, default=100_000)
    parser.add_argument("--units", type=int, default=150)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--requests", type=int, default=50, help="timed requests per measurement (after warm-up)")
    parser.add_argument("--reuse", action="store_true", help="reuse an existing database file of the same size")
    parser.add_argument("--database-url", help="a throw-away PostgreSQL database, emptied for each size "
                        "(default: a SQLite file per size under bench/out/)")
    parser.add_argument("--baseline", type=int, default=BASELINE, help="projects of the baseline size")
    parser.add_argument("--skip-baseline", action="store_true",
                        help="measure --projects only (e.g. --reuse on a database that already holds it)")
    parser.add_argument("--out", type=Path, default=OUT / "ledger_bench.json")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    if args.worker:
        worker(args)
        return
    if args.skip_baseline:
        big = run_size(args, args.projects)
        args.out.write_text(json.dumps({"scaled": big}, ensure_ascii=False, indent=2))
        for r in big["measurements"]:
            print(f"{r['name']:<18}{r['role']:<12}{r.get('p50_ms', '-'):>10}{r.get('p95_ms', '-'):>10}"
                  f"{r.get('queries', '-'):>6}  {r.get('skipped', '')}")
        return
    # With one server database the baseline must come first: the second size empties and refills it.
    base = run_size(args, args.baseline)
    big = run_size(args, args.projects)
    data = report(base, big)
    args.out.write_text(json.dumps(data, ensure_ascii=False, indent=2))
    print(f"\n结果已写入 {args.out}")


if __name__ == "__main__":
    main()
