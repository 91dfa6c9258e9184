# ruff: noqa: E501  (hand-written SQL reads better on one line)
"""Assessment benchmark: each preset at scale against hand-written SQL computing the same measures.

SQLite (the default database, bench/out/assess.sqlite3):

    DATABASE_URL=sqlite:///bench/out/assess.sqlite3 zhaoshang migrate
    DATABASE_URL=sqlite:///bench/out/assess.sqlite3 zhaoshang generate --units 150 --projects 100000 --seed 1
    python bench/assess_bench.py [--period 2024] [--repeat 3]

PostgreSQL (a database of its own; the bench rolls back what it changes, the data stays):

    psql -h 127.0.0.1 -U postgres -c "create database zs_bench"
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/zs_bench zhaoshang migrate
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/zs_bench zhaoshang generate --units 150 --projects 100000 --seed 1
    python bench/assess_bench.py --database-url postgres://postgres@127.0.0.1:5432/zs_bench

For each preset the units are put into the preset's groups (round robin, inside a transaction that is
rolled back), then: the engine's run (all measures by ORM GROUP BY + scoring) and a baseline that
computes the same measures with raw SQL written by hand. Prints both times (best of --repeat), the
ratio, and checks that both give the same values. Targets: each preset < 2 s, ratio <= 1.5. Not a
test: nothing asserts a time.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup(args):
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    else:
        db = Path(args.db).resolve()
        if not db.exists():
            sys.exit(
                f"{db} 不存在：先运行 DATABASE_URL=sqlite:///{db} zhaoshang migrate && "
                f"DATABASE_URL=sqlite:///{db} zhaoshang generate --units 150 --projects 100000 --seed 1"
            )
        os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhaoshang.settings")
    os.environ.setdefault("ZHAOSHANG_ALLOW_DEV_KEY", "1")
    import django

    django.setup()


STAGE_COL = {
    "signed": "signed_on",
    "registered": "registered_on",
    "started": "started_on",
    "completed": "completed_on",
    "producing": "producing_on",
}
BASIS = {
    "signed": "{p}.signed_amount",
    "planned": "COALESCE({p}.planned_investment, 0)",
    "planned_or_signed": "COALESCE({p}.planned_investment, {p}.signed_amount)",
    "foreign": "COALESCE({p}.foreign_amount, 0)",
}
LEVELS = ["national", "provincial", "prefecture", "county"]


def project_where(params, w, p="p", excluded=()):
    conds, args = [f"{p}.status <> 'terminated'"], []
    if excluded:
        conds.append(f"{p}.id NOT IN ({', '.join(str(int(i)) for i in excluded)})")
    stages = params.get("stage") or ()
    if stages:
        # basis = "verified": the stage's filing 已认定 by the as-of date (the denormalised column)
        verified = (lambda s: f" AND {p}.{STAGE_COL[s][:-3]}_verified_on <= %s") if w.verified else (lambda s: "")
        conds.append(
            "("
            + " OR ".join(f"({p}.{STAGE_COL[s]} >= %s AND {p}.{STAGE_COL[s]} <= %s{verified(s)})" for s in stages)
            + ")"
        )
        for _ in stages:
            args += [w.start, w.end] + ([w.as_of] if w.verified else [])
    size = f"{p}.signed_amount"
    if params.get("uplift"):
        size = (
            f"(CASE WHEN {p}.is_four_power AND {p}.signed_amount >= 50000 AND {p}.signed_amount < 100000 THEN 100000 "
            f"WHEN {p}.is_four_power AND {p}.signed_amount >= 100000 AND {p}.signed_amount < 200000 THEN 200000 "
            f"ELSE {p}.signed_amount END)"
        )
    if params.get("min_amount") is not None:
        conds.append(f"{size} >= %s")
        args.append(params["min_amount"])
    if params.get("max_amount") is not None:
        conds.append(f"{size} < %s")
        args.append(params["max_amount"])
    if params.get("category"):
        conds.append(f"{p}.category = %s")
        args.append(params["category"])
    if params.get("four_power") is not None:
        conds.append(f"{p}.is_four_power = %s")
        args.append(params["four_power"])
    if params.get("level"):
        lv = LEVELS[: LEVELS.index(params["level"]) + 1]
        conds.append(
            f"{p}.signed_at_event_id IN (SELECT id FROM activities_promotionevent WHERE level IN "
            f"({', '.join(['%s'] * len(lv))}))"
        )
        args += lv
    if params.get("started_by_end"):
        conds.append(f"{p}.started_on <= %s" + (f" AND {p}.started_verified_on <= %s" if w.verified else ""))
        args += [w.end] + ([w.as_of] if w.verified else [])
    if params.get("active_at_start"):
        if w.verified:
            conds.append(
                f"({p}.completed_on IS NULL OR {p}.completed_on >= %s OR {p}.completed_verified_on IS NULL "
                f"OR {p}.completed_verified_on > %s)"
            )
            args += [w.start, w.as_of]
        else:
            conds.append(f"({p}.completed_on IS NULL OR {p}.completed_on >= %s)")
            args.append(w.start)
    return " AND ".join(conds), args


def q(cursor, sql, args):
    # SQLite compares a number with text as "less"; pass amounts as numbers, not Decimal (sent as text).
    cursor.execute(sql, [float(a) if isinstance(a, Decimal) else a for a in args])
    return cursor.fetchall()


def baseline_conflicts(cursor, groups, w):
    if not groups:
        return []
    marks = ", ".join(["%s"] * len(groups))
    gids = [
        r[0]
        for r in q(
            cursor,
            f"SELECT id FROM orgs_unit_group_placeholder WHERE name IN ({marks})".replace(
                "orgs_unit_group_placeholder", "orgs_unitgroup"
            ),
            list(groups),
        )
    ]
    gm = ", ".join(["%s"] * len(gids))
    return [
        r[0]
        for r in q(
            cursor,
            f"""
        SELECT s.project_id FROM ledger_projectshare s JOIN orgs_unit u ON u.id = s.unit_id
        JOIN ledger_project p ON p.id = s.project_id JOIN orgs_unit lu ON lu.id = p.lead_unit_id
        WHERE u.group_id IN ({gm}) AND p.status <> 'terminated' AND p.signed_on <= %s
        GROUP BY s.project_id
        HAVING COUNT(DISTINCT u.group_id) >= 2 OR (MAX(lu.group_id) IN ({gm}) AND MAX(lu.group_id) <> MIN(u.group_id))""",
            [*gids, w.end, *gids],
        )
    ]


def baseline_measure(cursor, measure, params, w, subject_type, excluded=()):
    """The same numbers as zhaoshang.assessment.engine.measures, by raw SQL written here by hand."""
    out = defaultdict(Decimal)

    def add(rows):
        for k, v in rows:
            if k is not None and v is not None:
                out[k] += Decimal(str(v))

    if measure in ("project_amount", "project_count"):
        where, args = project_where(params, w, excluded=excluded)
        if subject_type == "person":
            agg = (
                "COUNT(*)"
                if measure == "project_count"
                else f"SUM({BASIS[params.get('basis', 'signed')].format(p='p')})"
            )
            add(
                q(
                    cursor,
                    f"SELECT p.introducer_id, {agg} FROM ledger_project p WHERE {where} AND p.introducer_id IS NOT NULL "
                    f"GROUP BY p.introducer_id",
                    args,
                )
            )
            return out
        # One pass: projects LEFT JOIN their shares, each row held by the share's unit or else the
        # introducing unit (the fastest form found by hand; the NOT EXISTS + shares pair was 2-3x slower).
        amount = BASIS[params.get("basis", "signed")].format(p="p")
        if measure == "project_count":
            agg = "SUM(COALESCE(s.ratio, 1))" if params.get("weighted", True) else "COUNT(*)"
        else:
            agg = f"SUM({amount} * COALESCE(s.ratio, 1))"
        add(
            q(
                cursor,
                f"SELECT COALESCE(s.unit_id, p.lead_unit_id), {agg} FROM ledger_project p "
                f"LEFT JOIN ledger_projectshare s ON s.project_id = p.id WHERE {where} GROUP BY 1",
                args,
            )
        )
    elif measure == "fund_amount":
        pw, args = project_where(
            {k: v for k, v in params.items() if k in ("started_by_end", "active_at_start", "category")}, w
        )
        cond = "f.date >= %s AND f.date <= %s"
        fargs = [w.start, w.end]
        if w.verified:
            cond += " AND f.verification = 'verified' AND f.verified_on <= %s"
            fargs.append(w.as_of)
        if params.get("kind"):
            cond += " AND f.kind = %s"
            fargs.append(params["kind"])
        add(
            q(
                cursor,
                f"SELECT COALESCE(s.unit_id, p.lead_unit_id), SUM(f.amount * COALESCE(s.ratio, 1)) "
                f"FROM ledger_fundarrival f JOIN ledger_project p ON p.id = f.project_id "
                f"LEFT JOIN ledger_projectshare s ON s.project_id = p.id WHERE {cond} AND {pw} GROUP BY 1",
                fargs + args,
            )
        )
    elif measure == "late_submissions":
        from django.db import connection

        day = (
            "date(s.submitted_at, '+8 hours')"
            if connection.vendor == "sqlite"
            else "(s.submitted_at AT TIME ZONE 'Asia/Shanghai')::date"
        )
        add(
            q(
                cursor,
                f"SELECT s.unit_id, COUNT(*) FROM activities_submission s WHERE s.period >= %s AND s.period <= %s "
                f"AND s.due_date <= %s AND (s.submitted_at IS NULL OR {day} > s.due_date) GROUP BY s.unit_id",
                [f"{w.start:%Y-%m}", f"{w.period_end:%Y-%m}", w.as_of],
            )
        )
    elif measure == "visits":
        roles = params.get("role") or ()
        rc = f" AND pe.role IN ({', '.join(['%s'] * len(roles))})" if roles else ""
        add(
            q(
                cursor,
                f"SELECT v.unit_id, COUNT(*) FROM activities_visit v JOIN orgs_person pe ON pe.id = v.leader_id "
                f"WHERE v.date >= %s AND v.date <= %s{rc} GROUP BY v.unit_id",
                [w.start, w.end, *roles],
            )
        )
    elif measure in ("leaders", "leaders_below_visits", "leaders_without_project"):
        roles = params["role"]
        rc = f"pe.is_active AND pe.role IN ({', '.join(['%s'] * len(roles))})"
        if measure == "leaders":
            add(
                q(
                    cursor,
                    f"SELECT pe.unit_id, COUNT(*) FROM orgs_person pe WHERE {rc} GROUP BY pe.unit_id",
                    list(roles),
                )
            )
        elif measure == "leaders_below_visits":
            add(
                q(
                    cursor,
                    f"SELECT pe.unit_id, COUNT(*) FROM orgs_person pe WHERE {rc} AND (SELECT COUNT(*) FROM activities_visit v "
                    f"WHERE v.leader_id = pe.id AND v.date >= %s AND v.date <= %s) < %s GROUP BY pe.unit_id",
                    [*roles, w.start, w.end, int(params["min_visits"])],
                )
            )
        else:
            where, args = project_where(params, w)
            add(
                q(
                    cursor,
                    f"SELECT pe.unit_id, COUNT(*) FROM orgs_person pe WHERE {rc} AND NOT EXISTS (SELECT 1 FROM ledger_project p "
                    f"WHERE p.introducer_id = pe.id AND {where}) GROUP BY pe.unit_id",
                    [*roles, *args],
                )
            )
    elif measure in ("adjustments", "veto"):
        key = "person_id" if subject_type == "person" else "unit_id"
        if measure == "veto":
            add(
                q(
                    cursor,
                    f"SELECT {key}, COUNT(*) FROM assessment_adjustment WHERE year = %s AND item = '一票否决' "
                    f"AND {key} IS NOT NULL GROUP BY {key}",
                    [w.year],
                )
            )
        else:
            lo, hi = params.get("item_min"), params.get("item_max")
            expr = "points"
            if lo is not None and hi is not None:
                expr = f"CASE WHEN points > {hi} THEN {hi} WHEN points < {lo} THEN {lo} ELSE points END"
            add(
                q(
                    cursor,
                    f"SELECT {key}, SUM({expr}) FROM assessment_adjustment WHERE year = %s AND item <> '一票否决' "
                    f"AND {key} IS NOT NULL GROUP BY {key}",
                    [w.year],
                )
            )
    elif measure == "unit_kind":
        kinds = params["unit_kind"]
        add(
            (r[0], 1)
            for r in q(
                cursor, f"SELECT id FROM orgs_unit WHERE kind IN ({', '.join(['%s'] * len(kinds))})", list(kinds)
            )
        )
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", default=str(ROOT / "bench" / "out" / "assess.sqlite3"), help="SQLite file")
    ap.add_argument("--database-url", help="any database, e.g. postgres://postgres@127.0.0.1:5432/zs_bench")
    ap.add_argument("--period", default="2024")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    setup(args)

    from django.db import connection, transaction

    from zhaoshang.assessment.engine.rules import interim_scheme
    from zhaoshang.assessment.engine.run import interim_progress, run_scheme, ytd_window
    from zhaoshang.assessment.engine.scheme import load_preset, preset_keys
    from zhaoshang.core.periods import parse_period
    from zhaoshang.ledger.models import Project
    from zhaoshang.orgs.models import Unit, UnitGroup

    if not Project.objects.exists():
        sys.exit(
            f"数据库 {connection.vendor} 中没有项目：先运行 DATABASE_URL=… zhaoshang migrate && "
            "DATABASE_URL=… zhaoshang generate --units 150 --projects 100000 --seed 1（见本文件开头）"
        )
    period = parse_period(args.period)
    print(
        f"数据库 {connection.vendor}，项目 {Project.objects.count():,}，单位 {Unit.objects.count()}，期间 {period.label}"
    )
    print(f"{'方案':<16}{'对象':>6}{'引擎(s)':>10}{'手写SQL(s)':>12}{'比值':>8}  一致")
    for key in preset_keys():
        scheme = load_preset(key)
        w = ytd_window(period, period.end, scheme.basis)  # year-to-date; the presets count verified facts
        scaled_values = interim_scheme(scheme, interim_progress(period.start, period.end)).values
        with transaction.atomic():
            if scheme.groups:
                groups = [
                    UnitGroup.objects.get_or_create(name=g, defaults={"code": f"B{i}-{key}"[:32]})[0]
                    for i, g in enumerate(scheme.groups)
                ]
                for i, u in enumerate(Unit.objects.order_by("id")):
                    u.group = groups[i % len(groups)]
                    u.save(update_fields=["group"])
            engine_times, base_times = [], []
            for _ in range(args.repeat):
                t0 = time.perf_counter()
                rr = run_scheme(scheme, args.period)
                engine_times.append(time.perf_counter() - t0)
                t0 = time.perf_counter()
                base = {}
                with connection.cursor() as cursor:
                    excluded = baseline_conflicts(cursor, scheme.conflict_groups, w)
                    for name, spec in scaled_values.items():
                        for gname in scheme.group_params or {"": {}}:
                            params = spec.resolve(scheme.group_params.get(gname, {}))
                            base[(name, gname)] = baseline_measure(
                                cursor, spec.measure, params, w, scheme.subject, excluded
                            )
                base_times.append(time.perf_counter() - t0)
            same = True
            for s in rr.inputs:
                for name in scheme.values:
                    b = base[(name, s.group)] if (name, s.group) in base else base[(name, "")]
                    if abs(b.get(s.id, Decimal(0)) - s.values[name]) > Decimal("0.001"):
                        same = False
                        print(f"  不一致：{key} {s.code} {name} 引擎 {s.values[name]} 手写 {b.get(s.id)}")
                        break
            e, b = min(engine_times), min(base_times)
            print(f"{key:<16}{len(rr.inputs):>6}{e:>10.3f}{b:>12.3f}{e / b:>8.2f}  {'是' if same else '否'}")
            transaction.set_rollback(True)


if __name__ == "__main__":
    main()
