#!/usr/bin/env python
"""Integrity benchmark (issue 9, acceptance 6) — not a test: it prints figures and compares the flag scan
against a plain SQL GROUP BY on USCC in the same run.

    .venv/bin/python bench/integrity_bench.py [--projects 100000] [--units 80] [--seed 7]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/zs_f .venv/bin/python bench/integrity_bench.py

A worker process per database (always SQLite under bench/out/; PostgreSQL too when DATABASE_URL is given)
migrates an empty database and bulk-inserts --projects projects signed 2021–2024 over --units units:

* ordinary projects, each with its own investor (a three-character brand, a trade word, a legal form and, for
  some, a place prefix) and USCC; a fifth of them are *repeat investors*: the same company (same USCC, same
  name) investing again in another unit with a clearly different amount (≥ 60 % apart) or more than
  500 days later — a second investment, not a duplicate;
* 1 % planted duplicates: a second entry of an existing project in another unit with an amount within ±15 %
  and a signing date within ±300 days; half keep the USCC (the same investor filed twice), half are fuzzy-name
  variants with another or no USCC ("河南省XX有限公司" → "XX股份有限公司", "XX（郑州）有限公司") or a long name with a
  character more and no USCC.

It then times the full scan (`flags_scan` for every year, stored flags included) and, in the same run,
`SELECT investor_uscc … GROUP BY investor_uscc HAVING COUNT(DISTINCT lead_unit_id) > 1`, and prints for both:
pairs found, recall on the planted pairs and precision (planted pairs among those found).
Goal: recall 100 %, precision ≥ 95 %, scan < 30 s on SQLite. Results: bench/out/integrity_bench.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import subprocess
import sys
import time
from decimal import Decimal
from itertools import combinations
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
SCAN_TARGET_S = 30
YEARS = (2021, 2022, 2023, 2024)

BRAND = (
    "华瑞鑫博恒泰德中新天金宏盛远达通科源创维嘉诚信安康隆昌荣兴丰茂汇聚海阳光明正元亿万宝凯越腾飞卓联合力"
    "东方西南北星辰云峰山川江河湖泉林森松柏竹梅兰菊青蓝紫红白黑金银铜铁锦绣华夏神舟龙凤麒麟鸿雁鹏程万里"
)
WORDS = ("新材料", "电子", "机械", "汽车零部件", "生物医药", "光伏", "食品", "物流", "化工", "纺织", "建材", "装备",
         "智能科技", "环保", "能源", "精密制造", "新能源电池", "半导体", "家居", "农业发展")
LONG_WORDS = ("智能装备制造技术研究", "新能源汽车动力系统工程", "高端精密仪器仪表制造", "生物医药科技产业发展")
FORMS = ("有限公司", "有限公司", "股份有限公司", "集团有限公司", "有限责任公司")
REPEAT_MULTIPLIERS = ("0.2", "0.35", "0.6", "1", "1.7", "2.9", "5")
PLACES = ("", "", "", "上海", "深圳", "北京", "杭州", "郑州", "河南省", "江苏省苏州")


# ---- worker -------------------------------------------------------------------------------------------------------


def _uscc(rng: random.Random, region: str) -> str:
    from zhaoshang.core.uscc import CHARSET, check_character

    body = "91" + region + "".join(rng.choice("0123456789") for _ in range(8)) + rng.choice(CHARSET)
    return body + check_character(body)


def _brand(rng: random.Random) -> str:
    return "".join(rng.choice(BRAND) for _ in range(3))


def _variant(rng: random.Random, investor: str, brand: str, word: str, long: bool) -> str:
    """Another way of writing the same company, as a second unit would file it."""
    choice = rng.randrange(4)
    if long and choice == 3:  # a long name with one character more
        return f"{brand}{word}所有限公司"
    if choice == 0:
        return f"河南省{brand}{word}股份有限公司"
    if choice == 1:
        return f"{brand}{word}（郑州）有限公司"
    if choice == 2:
        return f"郑州市{brand}{word}集团有限公司"
    return f"{brand}{word}控股有限公司" if investor.endswith("股份有限公司") else f"{brand}{word}股份有限公司"


def build(args, units: list) -> tuple[list, set[tuple[str, str]]]:
    """The projects (unsaved) and the planted pairs as (original code, duplicate code)."""
    from zhaoshang.ledger.models import Project

    rng = random.Random(args.seed)
    start = dt.date(YEARS[0], 1, 1)
    span = (dt.date(YEARS[-1], 12, 31) - start).days
    n_planted = args.projects // 100
    n_base = args.projects - n_planted
    # Most investors of a city's projects register locally (郑州: 4101…); one in twenty elsewhere (异地注册).
    regions = ("410105", "410100", "410102", "410122", "410181", "410183", "410104", "410108", "410185", "410182",
               "410105", "410100", "410102", "410122", "410181", "410183", "410104", "410108", "410185", "310115")
    rows: list[dict] = []
    firsts: list[dict] = []  # first investments (originals of repeats and of planted duplicates)
    used_names: set[str] = set()
    last = start + dt.timedelta(days=span)
    for i in range(n_base):
        if firsts and rng.random() < 0.2:
            # A repeat investor: the same company again, in another unit, with an amount at least 20 % away
            # from any other investment of it (the multipliers are ≥ 1.25× apart), or the same amount
            # 700+ days away (more than the 365-day window plus the ±300 days of a planted duplicate).
            orig = firsts[rng.randrange(len(firsts))]
            free = [m for m in REPEAT_MULTIPLIERS if m not in orig["used"]]
            if not free:
                continue
            m = rng.choice(free)
            orig["used"].add(m)
            if m == "1":
                away = dt.timedelta(days=rng.randint(700, 900))
                day = orig["signed_on"] + away if orig["signed_on"] + away <= last else orig["signed_on"] - away
                if day < start:
                    continue
            else:
                day = start + dt.timedelta(days=rng.randrange(span))
            unit = rng.choice([u for u in units if u != orig["unit"]])
            rows.append({**orig, "code": f"XM{i:07d}", "name": f"{orig['brand']}{orig['word']}再投资项目",
                         "unit": unit, "amount": (orig["amount"] * Decimal(m)).quantize(Decimal("0.01")),
                         "signed_on": day, "registered_on": day + dt.timedelta(days=rng.randint(10, 80))})
            continue
        while True:
            long = rng.random() < 0.05
            brand, word = _brand(rng), rng.choice(LONG_WORDS if long else WORDS)
            place = rng.choice(PLACES)
            if f"{brand}{word}" not in used_names:
                used_names.add(f"{brand}{word}")
                break
        investor = f"{place}{brand}{word}{rng.choice(FORMS)}"
        day = start + dt.timedelta(days=rng.randrange(span))
        firsts.append({
            "code": f"XM{i:07d}", "used": set(), "name": f"{brand}{word}项目", "investor": investor,
            "brand": brand, "word": word,
            "long": long, "uscc": _uscc(rng, rng.choice(regions)) if rng.random() > 0.03 else "",
            "unit": rng.choice(units), "amount": Decimal(rng.randint(100, 2_000_000)) / 10,
            "signed_on": day, "registered_on": day + dt.timedelta(days=rng.randint(10, 80)) if rng.random() < 0.85
            else None,
        })
        rows.append(firsts[-1])
    planted: set[tuple[str, str]] = set()
    originals = rng.sample([r for r in firsts if r["uscc"]], n_planted)
    for k, orig in enumerate(originals):
        by_uscc = k % 2 == 0
        day = orig["signed_on"] + dt.timedelta(days=rng.randint(-300, 300))
        dup = {
            **orig, "code": f"DUP{k:06d}", "name": orig["name"] + "（二期）",
            "unit": rng.choice([u for u in units if u != orig["unit"]]),
            "amount": (orig["amount"] * Decimal(rng.randint(85, 115)) / 100).quantize(Decimal("0.01")),
            "signed_on": day, "registered_on": day + dt.timedelta(days=20),
        }
        if not by_uscc:
            dup["investor"] = _variant(rng, orig["investor"], orig["brand"], orig["word"], orig["long"])
            # Another company's code (a subsidiary's) or none; a misspelt name (one character more) comes
            # without a code: with two different codes only an equal normalised name is the same investor.
            typo = dup["investor"].endswith("所有限公司")
            dup["uscc"] = "" if typo or rng.random() < 0.5 else _uscc(rng, "410105")
        rows.append(dup)
        planted.add((orig["code"], dup["code"]))
    projects = [
        Project(code=r["code"], name=r["name"], investor=r["investor"], investor_uscc=r["uscc"],
                category="manufacturing",
                signed_amount=r["amount"], signed_on=r["signed_on"], registered_on=r["registered_on"],
                stage="registered" if r["registered_on"] else "signed", status="advancing", lead_unit=r["unit"])
        for r in rows
    ]
    return projects, planted


def _pairs_score(found: set[tuple[str, str]], planted: set[tuple[str, str]]) -> dict:
    norm = lambda pairs: {tuple(sorted(p)) for p in pairs}  # noqa: E731
    found, planted = norm(found), norm(planted)
    hit = found & planted
    return {
        "pairs_found": len(found), "planted": len(planted), "planted_found": len(hit),
        "recall": round(len(hit) / len(planted), 4) if planted else None,
        "precision": round(len(hit) / len(found), 4) if found else None,
    }


def worker(args: argparse.Namespace) -> None:
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
        label = "PostgreSQL"
    else:
        db = OUT / f"integrity_{args.projects}.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{db}"
        label = "SQLite"
    os.environ["DJANGO_SETTINGS_MODULE"] = "zhaoshang.settings"
    os.environ.setdefault("ZHAOSHANG_ALLOW_DEV_KEY", "1")
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    os.environ["ZHAOSHANG_CITY_DIVISIONS"] = "4101"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from zhaoshang.integrity.models import Flag, FlagKind, FlagProject
    from zhaoshang.integrity.services.flags import flags_scan_years
    from zhaoshang.ledger.models import Project
    from zhaoshang.orgs.models import Unit

    call_command("migrate", interactive=False, verbosity=0)
    if args.database_url:  # a reused PostgreSQL database: start from empty tables
        FlagProject.objects.all().delete()
        Flag.history.all().delete()
        Flag.objects.all().delete()
        Project.objects.all().delete()
        Unit.objects.filter(code__startswith="BU").delete()
    units = Unit.objects.bulk_create([Unit(code=f"BU{i:03d}", name=f"基准单位{i}", kind="district")
                                      for i in range(args.units)])
    started = time.perf_counter()
    projects, planted = build(args, units)
    Project.objects.bulk_create(projects, batch_size=2000)
    load_s = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    code_of = dict(Project.objects.values_list("id", "code"))

    # The scan: every year in one pass, flags stored (what an import of the whole ledger triggers).
    started = time.perf_counter()
    report = flags_scan_years(years=YEARS)
    scan_s = time.perf_counter() - started
    found: set[tuple[str, str]] = set()
    rows: dict[int, list[int]] = {}
    for fid, pid in FlagProject.objects.filter(flag__kind=FlagKind.SAME_INVESTOR).values_list("flag_id",
                                                                                              "project_id"):
        rows.setdefault(fid, []).append(pid)
    for pids in rows.values():
        found.add(tuple(sorted(code_of[p] for p in pids)))

    # The baseline: one GROUP BY on USCC; every pair of projects of different units in a group.
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT p.id, p.investor_uscc, p.lead_unit_id FROM ledger_project p JOIN ("
            "  SELECT investor_uscc FROM ledger_project WHERE investor_uscc <> ''"
            "  GROUP BY investor_uscc HAVING COUNT(DISTINCT lead_unit_id) > 1"
            ") g ON g.investor_uscc = p.investor_uscc"
        )
        groups: dict[str, list[tuple[int, int]]] = {}
        for pid, uscc, unit in cursor.fetchall():
            groups.setdefault(uscc, []).append((pid, unit))
    base_found = {
        tuple(sorted((code_of[a], code_of[b])))
        for members in groups.values() for (a, ua), (b, ub) in combinations(members, 2) if ua != ub
    }
    base_s = time.perf_counter() - started

    scan = _pairs_score(found, planted)
    scan["seconds"] = round(scan_s, 2)
    scan["flags_by_kind"] = report.as_dict()["found"]
    dup_kind = {d: ("uscc" if int(d[3:]) % 2 == 0 else "name") for _, d in planted}
    missed = sorted(p for p in planted if tuple(sorted(p)) not in {tuple(sorted(f)) for f in found})
    scan["missed_by_kind"] = {k: sum(1 for _, d in missed if dup_kind[d] == k) for k in ("uscc", "name")}
    scan["missed_examples"] = missed[:5]
    base = _pairs_score(base_found, planted)
    base["seconds"] = round(base_s, 3)
    result = {"database": label, "projects": Project.objects.count(), "units": args.units, "insert_s": round(load_s, 1),
              "scan": scan, "group_by_uscc": base}
    print("RESULT " + json.dumps(result, ensure_ascii=False))


# ---- parent ---------------------------------------------------------------------------------------------------


def run(args: argparse.Namespace, database_url: str | None) -> dict:
    cmd = [sys.executable, __file__, "--worker", "--projects", str(args.projects), "--units", str(args.units),
           "--seed", str(args.seed)] + (["--database-url", database_url] if database_url else [])
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    print(f"· {'PostgreSQL' if database_url else 'SQLite'}：{args.projects:,} 个项目 …", flush=True)
    proc = subprocess.run(cmd, cwd=ROOT, stdout=subprocess.PIPE, text=True, env=env)
    line = next((ln for ln in proc.stdout.splitlines() if ln.startswith("RESULT ")), None)
    if proc.returncode != 0 or line is None:
        sys.exit(f"worker failed (exit {proc.returncode}):\n{proc.stdout[-3000:]}")
    return json.loads(line[len("RESULT "):])


def show(r: dict) -> None:
    s, b = r["scan"], r["group_by_uscc"]
    pct = lambda v: "—" if v is None else f"{v * 100:.1f}%"  # noqa: E731
    print(f"\n{r['database']}：{r['projects']:,} 个项目，{r['units']} 个单位（写入 {r['insert_s']} s）")
    print(f"{'方法':<26}{'时间':>10}{'找到的对':>10}{'埋入':>8}{'命中':>8}{'召回率':>10}{'精确率':>10}")
    ok = "OK" if s["seconds"] < SCAN_TARGET_S else "SLOW"
    print(f"{'扫描（全部年度，含存储）':<20}{s['seconds']:>9.2f}s{s['pairs_found']:>12}{s['planted']:>10}"
          f"{s['planted_found']:>10}{pct(s['recall']):>12}{pct(s['precision']):>12}   目标 < {SCAN_TARGET_S} s: {ok}")
    print(f"{'SQL GROUP BY 统一社会信用代码':<18}{b['seconds']:>9.3f}s{b['pairs_found']:>12}{b['planted']:>10}"
          f"{b['planted_found']:>10}{pct(b['recall']):>12}{pct(b['precision']):>12}")
    print(f"扫描产生的疑点：{s['flags_by_kind']}；漏检：{s['missed_by_kind']} {s['missed_examples']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--projects", type=int, default=100_000)
    parser.add_argument("--units", type=int, default=80)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--database-url", help="a throw-away database to run on instead of the SQLite file "
                        "(e.g. postgres://postgres@127.0.0.1:5432/bench_integrity)")
    parser.add_argument("--out", type=Path, default=OUT / "integrity_bench.json")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    if args.worker:
        worker(args)
        return
    if args.database_url:
        results = [run(args, args.database_url)]
    else:
        results = [run(args, None)]
    if not args.database_url and os.environ.get("DATABASE_URL", "").startswith("postgres"):
        results.append(run(args, os.environ["DATABASE_URL"]))
    for r in results:
        show(r)
    load = os.getloadavg()
    print(f"\n机器负载（1/5/15 分钟）：{load[0]:.2f} {load[1]:.2f} {load[2]:.2f}，CPU {os.cpu_count()} 核")
    args.out.write_text(json.dumps({"results": results, "load": load}, ensure_ascii=False, indent=2, default=str))
    print(f"结果已写入 {args.out}")


if __name__ == "__main__":
    main()
