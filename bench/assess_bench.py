# ruff: noqa: E501  (hand-written SQL reads better on one line)
"""Assessment benchmark: each preset at scale, for an annual run and a quarter's run (year-to-date, Q2),
against hand-written SQL computing the same measures over the same windows. Not a test: nothing asserts
a time; it prints the figures and the ratios.

SQLite (the default; the database is made on first use, about a minute, and kept for the next run):

    .venv/bin/python bench/assess_bench.py                      # = make bench (assessment part)
    .venv/bin/python bench/assess_bench.py --periods 2024,2024Q2,2024-05 --repeat 5
    .venv/bin/python bench/assess_bench.py --projects 20000     # another size: another file under bench/out/

PostgreSQL (a database of its own, made and dropped by you; the bench rolls back what it changes):

    createdb -h 127.0.0.1 -U postgres bench_q2
    .venv/bin/python bench/assess_bench.py --database-url postgres://postgres@127.0.0.1:5432/bench_q2
    dropdb -h 127.0.0.1 -U postgres bench_q2

An empty database is migrated and filled with `zhaoshang generate --units 150 --projects 100000 --seed 1`
(years 2023–2025), then ANALYZEd. For each preset the units are put into the preset's groups (round robin,
inside a transaction that is rolled back; the preset's named grouping, if the data has one, is emptied so
that every unit takes the group given here), then, for each period: the engine's run (all measures by ORM
GROUP BY + scoring, as `zhaoshang assess` does) and a baseline computing the same measures with raw SQL
written by hand, over the same year-to-date window and with the same parameters (count thresholds scaled
by 序时进度 in a quarter's run, the scheme's 行业门类 filters). Prints both times (best of --repeat), the
ratio, and whether both give the same values. Targets: each run < 2 s, ratio <= 1.5.
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
        db = Path(args.db or ROOT / "bench" / "out" / f"assess_{args.units}u_{args.projects}p.sqlite3").resolve()
        db.parent.mkdir(parents=True, exist_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhaoshang.settings")
    os.environ.setdefault("ZHAOSHANG_ALLOW_DEV_KEY", "1")
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    import django

    django.setup()


def ensure_data(args) -> None:
    """Migrate, and fill an empty database with the synthetic city (then ANALYZE, as a server would after a
    bulk load). A database that already has projects is used as it is."""
    from django.core.management import call_command
    from django.db import connection

    from zhaoshang.ledger.models import Project

    call_command("migrate", interactive=False, verbosity=0)
    if Project.objects.exists():
        return
    print(f"生成数据：{args.units} 个单位、{args.projects:,} 个项目（种子 {args.seed}）……", flush=True)
    t0 = time.perf_counter()
    call_command("generate", units=args.units, projects=args.projects, seed=args.seed, no_progress=True, verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"已生成，用时 {time.perf_counter() - t0:.0f} 秒", flush=True)


def sections(params) -> tuple[str, ...]:
    """The 行业门类 a measure is limited to (`industry`, or its older name `category`), as a tuple."""
    v = params.get("industry") or params.get("category") or ()
    return (v,) if isinstance(v, str) else tuple(v)


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
    if secs := sections(params):  # 行业门类 (a project 待归类 is in none)
        conds.append(f"{p}.category IN ({', '.join(['%s'] * len(secs))})")
        args += list(secs)
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


def visit_sections(params) -> tuple[str, list]:
    """Visits to enterprises of the measure's 行业门类; a visit not yet classified (待归类, '') still counts."""
    secs = sections(params)
    if not secs:
        return "", []
    return f" AND (v.industry IN ({', '.join(['%s'] * len(secs))}) OR v.industry = '')", list(secs)


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


def baseline_facts(cursor, w, subject_type, excluded=()):
    """申报与认定, which every run reports beside its scores (engine.facts): per subject the signed amount and
    the funds in place as filed and as verified by the as-of date, and the facts still waiting (待核实, 初审通过,
    or verified only after the as-of date): three GROUP BY queries, as by hand."""
    out = defaultdict(lambda: defaultdict(Decimal))
    if subject_type == "person":
        holder, ratio, joins, who = "p.introducer_id", "1", "", " AND p.introducer_id IS NOT NULL"
    else:
        holder, ratio = "COALESCE(s.unit_id, p.lead_unit_id)", "COALESCE(s.ratio, 1)"
        joins, who = " LEFT JOIN ledger_projectshare s ON s.project_id = p.id", ""
    skip = f" AND p.id NOT IN ({', '.join(str(int(i)) for i in excluded)})" if excluded else ""
    live = f"p.status <> 'terminated'{skip}{who}"
    waiting = (
        "({t}.verification IN ('pending', 'preliminary') OR ({t}.verification = 'verified' AND {t}.verified_on > %s))"
    )

    def add(rows, *keys):
        for row in rows:
            for k, v in zip(keys, row[1:], strict=True):
                if row[0] is not None and v is not None:
                    out[row[0]][k] += Decimal(str(v))

    add(
        q(
            cursor,
            f"SELECT {holder}, SUM(p.signed_amount * {ratio}), SUM(CASE WHEN p.signed_verified_on <= %s THEN p.signed_amount * {ratio} END) "
            f"FROM ledger_project p{joins} WHERE {live} AND p.signed_on >= %s AND p.signed_on <= %s GROUP BY 1",
            [w.as_of, w.start, w.end],
        ),
        "signed_filed",
        "signed_verified",
    )
    add(
        q(
            cursor,
            f"SELECT {holder}, SUM(f.amount * {ratio}), SUM(CASE WHEN f.verification = 'verified' AND f.verified_on <= %s THEN f.amount * {ratio} END), "
            f"SUM(CASE WHEN {waiting.format(t='f')} THEN 1 ELSE 0 END) "
            f"FROM ledger_fundarrival f JOIN ledger_project p ON p.id = f.project_id{joins} WHERE {live} AND f.date >= %s AND f.date <= %s GROUP BY 1",
            [w.as_of, w.as_of, w.start, w.end],
        ),
        "funds_filed",
        "funds_verified",
        "waiting",
    )
    add(
        q(
            cursor,
            f"SELECT {holder}, COUNT(*) FROM ledger_stagerecord r JOIN ledger_project p ON p.id = r.project_id{joins} "
            f"WHERE {live} AND {waiting.format(t='r')} AND r.date >= %s AND r.date <= %s GROUP BY 1",
            [w.as_of, w.start, w.end],
        ),
        "waiting",
    )
    return out


def person_credit_sql(role, column, where, args, params, count):
    """Per person: the projects' credit split of `role` (ledger_projectcredit, each person their ratio) or,
    without one, the project's `column` person whole — counted (Σ ratio, or 1 a project unweighted) or summed
    (amount × ratio)."""
    amount = BASIS[params.get("basis", "signed")].format(p="p")
    value = ("SUM(ratio)" if params.get("weighted", True) else "COUNT(*)") if count \
        else "SUM(amount * ratio)"
    sql = (f"SELECT holder, {value} FROM ("
           f"SELECT c.person_id AS holder, c.ratio AS ratio, {amount} AS amount FROM ledger_project p "
           f"JOIN ledger_projectcredit c ON c.project_id = p.id AND c.role = '{role}' WHERE {where} "
           f"UNION ALL "
           f"SELECT p.{column}, 1, {amount} FROM ledger_project p WHERE {where} AND p.{column} IS NOT NULL "
           f"AND NOT EXISTS (SELECT 1 FROM ledger_projectcredit c WHERE c.project_id = p.id AND c.role = '{role}')"
           f") AS credited GROUP BY holder")
    return sql, list(args) * 2


def baseline_measure(cursor, measure, params, w, subject_type, excluded=()):
    """The same numbers as zhaoshang.assessment.engine.measures, by raw SQL written here by hand."""
    out = defaultdict(Decimal)

    def add(rows):
        for k, v in rows:
            if k is not None and v is not None:
                out[k] += Decimal(str(v))

    if measure in ("secretary_projects", "secretary_amount"):
        if subject_type != "person":
            return out
        where, args = project_where(params, w, excluded=excluded)
        count = measure == "secretary_projects"
        add(q(cursor, *person_credit_sql("secretary", "assisting_secretary_id", where, args, params, count)))
        return out
    if measure in ("project_amount", "project_count"):
        where, args = project_where(params, w, excluded=excluded)
        if subject_type == "person":
            count = measure == "project_count"
            add(q(cursor, *person_credit_sql("introducer", "introducer_id", where, args, params, count)))
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
            {k: v for k, v in params.items() if k in ("started_by_end", "active_at_start", "industry", "category")}, w
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
        vc, vargs = visit_sections(params)
        add(
            q(
                cursor,
                f"SELECT v.unit_id, COUNT(*) FROM activities_visit v JOIN orgs_person pe ON pe.id = v.leader_id "
                f"WHERE v.date >= %s AND v.date <= %s{rc}{vc} GROUP BY v.unit_id",
                [w.start, w.end, *roles, *vargs],
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
            vc, vargs = visit_sections(params)
            add(
                q(
                    cursor,
                    f"SELECT pe.unit_id, COUNT(*) FROM orgs_person pe WHERE {rc} AND (SELECT COUNT(*) FROM activities_visit v "
                    f"WHERE v.leader_id = pe.id AND v.date >= %s AND v.date <= %s{vc}) < %s GROUP BY pe.unit_id",
                    [*roles, w.start, w.end, *vargs, int(params["min_visits"])],
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


def assign_groups(key, scheme) -> None:
    """Put every unit into the scheme's groups, round robin (inside the caller's rolled-back transaction).
    A named grouping the scheme reads (分组口径) is emptied, so that every unit takes the group given here."""
    from zhaoshang.orgs.models import Unit, UnitGroup

    if not scheme.groups:
        return
    if getattr(scheme, "grouping", ""):
        from zhaoshang.orgs.models import GroupMembership

        GroupMembership.objects.filter(grouping__name=scheme.grouping).delete()
    groups = [
        UnitGroup.objects.get_or_create(name=g, defaults={"code": f"B{i}-{key}"[:32]})[0]
        for i, g in enumerate(scheme.groups)
    ]
    units = list(Unit.objects.order_by("id"))
    for i, u in enumerate(units):
        u.group = groups[i % len(groups)]
    Unit.objects.bulk_update(units, ["group"])


def baseline(scheme, period, w):
    """Every value of the scheme for every unit (or person), by the SQL written above, with the scheme's
    parameters as a run of `period` uses them (count thresholds × 序时进度 in a quarter's or month's run)."""
    from django.db import connection

    from zhaoshang.assessment.engine.rules import interim_scheme
    from zhaoshang.assessment.engine.run import interim_progress

    scaled_values = interim_scheme(scheme, interim_progress(period.start, period.end)).values
    out = {}
    with connection.cursor() as cursor:
        excluded = baseline_conflicts(cursor, scheme.conflict_groups, w)
        for name, spec in scaled_values.items():
            for gname in scheme.group_params or {"": {}}:
                params = spec.resolve(scheme.group_params.get(gname, {}))
                out[(name, gname)] = baseline_measure(cursor, spec.measure, params, w, scheme.subject, excluded)
        out["申报与认定"] = baseline_facts(cursor, w, scheme.subject, excluded)
    return out


def compare(key, scheme, rr, base) -> bool:
    same = True
    facts = base["申报与认定"]
    for s in rr.inputs:
        mine, hand = rr.facts.get(s.id, {}), facts.get(s.id, {})
        for k in ("signed_filed", "signed_verified", "funds_filed", "funds_verified", "waiting"):
            if abs(Decimal(mine.get(k, 0)) - hand.get(k, Decimal(0))) > Decimal("0.001"):
                same = False
                print(f"  不一致：{key} {s.code} 申报与认定 {k} 引擎 {mine.get(k)} 手写 {hand.get(k)}")
                break
        for name in scheme.values:
            b = base[(name, s.group)] if (name, s.group) in base else base[(name, "")]
            if abs(b.get(s.id, Decimal(0)) - s.values[name]) > Decimal("0.001"):
                same = False
                print(f"  不一致：{key} {s.code} {name} 引擎 {s.values[name]} 手写 {b.get(s.id)}")
                break
    return same


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", help="SQLite file (default bench/out/assess_<units>u_<projects>p.sqlite3)")
    ap.add_argument("--database-url", help="any database, e.g. postgres://postgres@127.0.0.1:5432/bench_q2")
    ap.add_argument("--periods", default="2024,2024Q2", help="periods, comma-separated (default: 2024,2024Q2)")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--presets", help="only these presets, comma-separated (default: every preset)")
    ap.add_argument("--units", type=int, default=150, help="units generated in an empty database")
    ap.add_argument("--projects", type=int, default=100000, help="projects generated in an empty database")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", type=Path, help="also write the rows as JSON (bench/scale.py reads them)")
    args = ap.parse_args()
    setup(args)
    ensure_data(args)

    from django.db import connection, transaction

    from zhaoshang.assessment.engine.run import run_scheme, ytd_window
    from zhaoshang.assessment.engine.scheme import load_preset, preset_keys
    from zhaoshang.core.periods import parse_period
    from zhaoshang.ledger.models import Project
    from zhaoshang.orgs.models import Unit

    periods = [t.strip() for t in args.periods.split(",") if t.strip()]
    print(
        f"数据库 {connection.vendor}，项目 {Project.objects.count():,}，单位 {Unit.objects.count()}，"
        f"期间 {'、'.join(parse_period(t).label for t in periods)}（季度、月度按年初至今），每项取 {args.repeat} 次中最快"
    )
    print(f"{'方案':<16}{'期间':<10}{'对象':>6}{'引擎(s)':>10}{'手写SQL(s)':>12}{'比值':>8}  一致")
    worst, over, rows = 0.0, [], []
    keys = [k.strip() for k in args.presets.split(",")] if args.presets else preset_keys()
    if unknown := set(keys) - set(preset_keys()):
        sys.exit(f"--presets: 没有这些方案：{'、'.join(sorted(unknown))}（可选：{'、'.join(preset_keys())}）")
    for key in keys:
        scheme = load_preset(key)
        with transaction.atomic():
            assign_groups(key, scheme)
            for text in periods:
                period = parse_period(text)
                w = ytd_window(period, period.end, scheme.basis)  # year-to-date; the presets count verified facts
                engine_times, base_times = [], []
                for _ in range(args.repeat):
                    t0 = time.perf_counter()
                    rr = run_scheme(scheme, text)
                    engine_times.append(time.perf_counter() - t0)
                    t0 = time.perf_counter()
                    base = baseline(scheme, period, w)
                    base_times.append(time.perf_counter() - t0)
                same = compare(key, scheme, rr, base)
                e, b = min(engine_times), min(base_times)
                ratio = e / b
                worst = max(worst, ratio)
                if ratio > 1.5 or not same:
                    over.append(f"{key} {text}")
                print(
                    f"{key:<16}{text:<10}{len(rr.inputs):>6}{e:>10.3f}{b:>12.3f}{ratio:>8.2f}  {'是' if same else '否'}"
                )
                rows.append({"preset": key, "period": text, "subjects": len(rr.inputs), "engine_s": round(e, 3),
                             "hand_sql_s": round(b, 3), "ratio": round(ratio, 2), "same": same})
            transaction.set_rollback(True)
    print(
        f"最大比值 {worst:.2f}；"
        + (f"超过1.5倍或不一致：{'、'.join(over)}" if over else "全部在1.5倍以内，引擎与手写SQL结果一致")
    )
    if args.out:
        import json

        args.out.write_text(json.dumps({"vendor": connection.vendor, "projects": Project.objects.count(),
                                        "rows": rows}, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
