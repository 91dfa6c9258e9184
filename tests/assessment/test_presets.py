"""Worked examples: for each preset a small dataset whose scores were computed by hand from the
rules in issue 4 (the arithmetic is in the comments), asserted item by item."""

from __future__ import annotations

from decimal import Decimal

import pytest

from zhaoshang.assessment.engine.run import run_scheme, to_json
from zhaoshang.assessment.engine.scheme import load_preset

from .helpers import (
    D,
    adjustment,
    by_code,
    day,
    event,
    fund,
    person,
    points,
    project,
    shares,
    submission,
    target,
    unit,
    visits,
    yielded,
)

pytestmark = pytest.mark.django_db


def run(key, period, as_of=None):
    return to_json(run_scheme(load_preset(key), period, day(as_of) if as_of else None))


@pytest.fixture
def bole(db):
    x = unit("X", "驻点招商局", kind="resident_office", name="驻北京招商局")
    y = unit("Y", "驻点招商局", kind="resident_office", name="驻天津招商局")
    unit("OTHER", "镇街")  # not a subject
    target(x, 2023, "签约金额", 100000)
    target(x, 2023, "到位资金", 20000)
    target(y, 2023, "签约金额", 50000)
    target(y, 2023, "到位资金", 10000)
    p1 = project(x, "2023-03-01", 60000, signed_at_event=event("prefecture"), started_on="2023-06-01")
    project(x, "2023-05-01", 25000, signed_at_event=event("national"))
    project(x, "2022-12-01", 100000)  # signed last year
    project(x, "2023-04-01", 30000, status="terminated")  # 终止
    project(x, "2023-12-20", 2000, signed_at_event=event("county"))  # below 州市级: not in S
    q1 = project(y, "2023-02-01", 40000)
    shares(q1, [(y, "0.75"), (x, "0.25")])
    fund(p1, "2023-07-01", 12000)
    fund(p1, "2023-07-01", 5000, kind="registered_capital")  # not 固定资产投资
    fund(p1, "2024-01-05", 3000)  # next year
    fund(q1, "2023-08-01", 8000)  # Y 6000, X 2000
    submission(x, "2023-01", "2023-02-10", "2023-02-09T10:00")
    submission(x, "2023-02", "2023-03-10", "2023-03-12T10:00")  # late
    submission(x, "2023-03", "2023-04-10", None)  # missing
    submission(x, "2023-12", "2024-01-10", None)  # due after the as-of date: not yet counted
    submission(y, "2023-01", "2023-02-10", "2023-02-10T23:30")  # on the due day (Shanghai time)
    adjustment(2023, "通报批评", -3, unit=x)
    adjustment(2023, "表扬", 2, unit=y)
    return x, y


def test_bole_worked_example(bole):
    data = run("bole-2023", "2023")
    res = by_code(data)
    assert set(res) == {"X", "Y"}
    x, y = res["X"], res["Y"]
    # X signed: 60000 + 25000 + 2000 + 25% × 40000 = 97000 → 50 × 0.97 = 48.50
    # X funds: 12000 + 25% × 8000 = 14000, c = 0.7 (best); Y: 6000 / 10000 = 0.6 → 30 × 0.6 / 0.7 = 25.71
    # X start rate: S = 2 (州市级 and 国家级), K = 1 → 10 × 1 / 2 = 5; Y: S = 0 → 10
    # X daily: 10 − 0.5 × 2 − 3 = 6; Y: 10 + 2 = 12 → capped at 10
    # 项目跑办（北京局）: neither has a 项目跑办 target (only the Beijing office has one) → 0, the total unchanged
    assert points(x) == {"signed": D("48.50"), "funds": D("30.00"), "start_rate": D("5.00"), "daily": D("6.00"),
                         "liaison": D("0.00")}
    assert points(y) == {"signed": D("30.00"), "funds": D("25.71"), "start_rate": D("10.00"), "daily": D("10.00"),
                         "liaison": D("0.00")}
    assert (x["total"], x["grade"], x["rank"]) == ("89.50", "合格", 1)
    assert (y["total"], y["grade"], y["rank"]) == ("75.71", "不合格", 2)
    signed = x["items"][0]
    assert signed["value"] == "97000.000000" or Decimal(signed["value"]) == 97000
    assert signed["explain"] == "签约金额 9.70亿元 ÷ 目标 10.00亿元 × 50分 = 48.50分"
    assert "超过上限按10分计" in y["items"][3]["explain"]


def test_bole_as_of_ignores_later_business_dates(bole):
    data = run("bole-2023", "2023", "2023-06-30")
    x = by_code(data)["X"]
    # P5 (signed 12-20) is ignored: 60000 + 25000 + 10000 = 95000 → 47.50. P1 started 06-01 ≤ as-of: K = 1.
    assert points(x)["signed"] == D("47.50")
    assert points(x)["start_rate"] == D("5.00")
    # Funds dated in July and August have not arrived yet → both 0 → highest 0 → 0.
    assert points(x)["funds"] == D("0.00")
    # Submissions due by 06-30: 02 late, 03 missing → 2.
    assert points(x)["daily"] == D("6.00")


def test_bole_period_quarter(bole):
    data = run("bole-2023", "2023Q1")
    assert data["period"] == {"label": "2023年第一季度", "start": "2023-01-01", "end": "2023-03-31"}
    x = by_code(data)["X"]
    # Q1 is year-to-date against the time schedule: P1 60000 + Y's share 10000 = 70000 against the
    # pro-rated target 100000 × 25% = 25000 → 280%, capped at 100% → 50.00
    assert points(x)["signed"] == D("50.00")
    assert x["items"][0]["explain"].startswith("序时进度25%：目标 10.00亿元 × 25% = 2.50亿元；")


@pytest.fixture
def huaiyin(db):
    a = unit("A", "平台", kind="platform")
    b = unit("B", "平台", kind="platform")
    unit("C", "镇街", kind="township")
    for ind, v in {"新招引": 12500, "新开工": 40000, "在建": 5000, "新竣工": 10000, "产出质效": 1200}.items():
        target(a, 2020, ind, v)
    h1 = project(a, "2020-02-01", 6000, planned_investment=D(30000), started_on="2020-05-01")
    h2 = project(
        a,
        "2019-06-01",
        8000,
        planned_investment=D(12000),
        started_on="2019-09-01",
        completed_on="2020-03-01",
        producing_on="2020-06-01",
    )
    h3 = project(a, "2019-01-01", 5000, started_on="2019-03-01", completed_on="2019-12-01")
    project(a, "2020-03-01", 4000, started_on="2020-04-01")  # no planned investment: signed amount counts
    fund(h1, "2020-06-01", 3000)
    fund(h1, "2020-06-01", 2000, kind="registered_capital")
    fund(h2, "2020-02-01", 1000)
    fund(h3, "2020-02-01", 4000)  # completed before the period: not 在建
    yielded(h2, 2020, tax=600)  # 产出质效: the tax of a producing project (issue 15)
    submission(a, "2020-05", "2020-06-10", None)
    return a, b


def test_huaiyin_worked_example(huaiyin):
    data = run("huaiyin-2020", "2020")
    res = by_code(data)
    a, b = res["A"], res["B"]
    # 新招引 8 × 10000/12500 = 6.40; 新开工 30 × (30000 + 4000)/40000 = 25.50; 在建 10 × 4000/5000 = 8.00;
    # 新竣工 35 × min(1, 12000/10000) = 35.00; 产出质效 10 × 600/1200 = 5.00; 过程性 7 − 0.5 = 6.50
    assert points(a) == {
        "new_signed": D("6.40"),
        "new_started": D("25.50"),
        "building": D("8.00"),
        "completed": D("35.00"),
        "producing": D("5.00"),
        "process": D("6.50"),
    }
    assert a["total"] == "86.40" and a["rank"] == 1
    # B has no targets: 0 on every proportional item, 7 on the process item.
    assert b["total"] == "7.00" and b["rank"] == 2
    assert "未设定新招引目标" in b["items"][0]["explain"]
    assert [r["group"] for r in data["results"]] == ["平台", "平台", "镇街"]


@pytest.fixture
def laiwu(db):
    d1 = unit("D1", "区及功能区")
    d2 = unit("D2", "区及功能区")
    m1 = unit("M1", "市直部门", kind="department")
    for u, vals in ((d1, (100000, 1000, 2)), (d2, (50000, 500, 1)), (m1, (20000, 100, 1))):
        for ind, v in zip(("签约金额", "外资", "过亿元项目"), vals, strict=True):
            target(u, 2019, ind, v)
    project(d1, "2019-03-01", 80000, is_foreign=True, foreign_amount=D(1500))
    project(d1, "2019-04-01", 15000)
    l3 = project(m1, "2019-05-01", 30000, code="L3")
    shares(l3, [(m1, "0.5"), (d2, "0.5")])
    project(d2, "2019-06-01", 70000)
    project(m1, "2019-07-01", 5000)
    return l3


def test_laiwu_worked_example_with_conflict(laiwu):
    data = run("laiwu-2019", "2019")
    res = by_code(data)
    # D1: 60 × 95000/100000 = 57; 20 × min(1.2, 1500/1000) = 24; 20 × 2/2 = 20 → 101
    assert points(res["D1"]) == {"signed": D("57.00"), "foreign": D("24.00"), "big": D("20.00")}
    # D2: 60 × min(1.2, 70000/50000) = 72; 0; 20 × 1/1 = 20 → 92 (L3 counts for neither side)
    assert points(res["D2"]) == {"signed": D("72.00"), "foreign": D("0.00"), "big": D("20.00")}
    # M1: 60 × 5000/20000 = 15 → 15
    assert points(res["M1"]) == {"signed": D("15.00"), "foreign": D("0.00"), "big": D("0.00")}
    assert [(r["subject"]["code"], r["rank"]) for r in data["results"]] == [("D1", 1), ("D2", 2), ("M1", 1)]
    assert res["D1"]["total"] == "101.00"
    assert len(data["conflicts"]) == 1
    c = data["conflicts"][0]
    assert c["project"]["code"] == "L3"
    assert {u["code"] for u in c["units"]} == {"M1", "D2"}
    assert "不得相互抵顶" in c["message"]
    assert "超过120.00%按120.00%计" in res["D2"]["items"][0]["explain"]


@pytest.fixture
def bozhou(db):
    t = unit("T1", None, kind="task_force", name="新能源汽车专班")
    other = unit("O1", None, kind="district")
    ppl = {k: person(t, name=k) for k in "abcdef"}
    person(other, name="g")  # not of a task force
    project(t, "2021-03-01", 12000, introducer=ppl["a"], category="C")
    project(t, "2021-04-01", 6000, introducer=ppl["b"], category="C")
    project(t, "2021-05-01", 5000, introducer=ppl["b"], category="C")
    project(t, "2021-06-01", 20000, introducer=ppl["c"], category="K")
    project(t, "2020-06-01", 20000, introducer=ppl["d"], category="C")  # last year
    project(t, "2021-07-01", 15000, introducer=ppl["e"], category="C")
    adjustment(2021, "一票否决", 0, person=ppl["e"])
    project(t, "2021-08-01", 5000, introducer=ppl["f"], category="C")
    project(t, "2021-09-01", 5000, introducer=ppl["f"], category="C")
    return ppl


def test_bozhou_worked_example(bozhou):
    data = run("bozhou-2021", "2021")
    grades = {r["subject"]["name"]: r["grade"] for r in data["results"]}
    # a: one 工业 project ≥ 1亿; b: two totalling 1.1亿 > 1亿 → 优秀. c: a real-estate (K) project → 合格.
    # d: nothing this year → 无实绩. e: 1.5亿 but 一票否决 → 一票否决. f: two totalling exactly 1亿 (not more) → 合格.
    assert grades == {"a": "优秀", "b": "优秀", "c": "合格", "d": "无实绩", "e": "一票否决", "f": "合格"}
    d = next(r for r in data["results"] if r["subject"]["name"] == "d")
    assert d["subject"]["type"] == "person"
    assert any("不得继续留在专班" in f for f in d["flags"])


@pytest.fixture
def zhengzhou(db):
    z1 = unit("Z1", "重点地区", kind="dev_zone")
    z2 = unit("Z2", "重点地区", kind="county")
    z3 = unit("Z3", "市内五区及郑东新区", kind="district")
    h1, d1 = person(z1, "head"), person(z1, "division")
    visits(z1, h1, 5, 2019)
    visits(z1, d1, 6, 2019)
    a1 = project(z1, "2019-03-01", 250000, introducer=h1, started_on="2019-06-01")
    project(z1, "2019-04-01", 60000, introducer=d1, is_four_power=True, started_on="2019-08-01")
    fund(a1, "2019-09-01", 100000)
    submission(z1, "2019-04", "2019-05-10", None)
    adjustment(2019, "专职团队", 5, unit=z1)
    adjustment(2019, "以商招商", 1, unit=z1)
    adjustment(2019, "模式创新", -2, unit=z1)

    h2 = person(z2, "head")
    visits(z2, h2, 3, 2019)
    b1 = project(z2, "2019-02-01", 1200000, started_on="2019-05-01")
    fund(b1, "2019-10-01", 600000)
    adjustment(2019, "一票否决", 0, unit=z2)

    h3, d3 = person(z3, "head"), person(z3, "division")
    visits(z3, h3, 6, 2019)
    visits(z3, d3, 12, 2019)
    c1 = project(z3, "2019-02-01", 100000, introducer=h3, started_on="2019-07-01")
    project(z3, "2019-03-01", 40000, introducer=d3)
    fund(c1, "2019-08-01", 20000)


def test_zhengzhou_worked_example(zhengzhou):
    data = run("zhengzhou-2019", "2019")
    res = by_code(data)
    nonzero = lambda r: {k: v for k, v in points(r).items() if v}  # noqa: E731
    # Z1 (开发区, 重点地区): d1 6 < 8 visits −2; no signed project ≥ 50亿 −5; started: A1 ≥ 20亿 and the 四力型
    # 6亿 counts as 10亿 → both quotas met; funds 10亿 / 31亿 = 32% → neither; 1 month late −1;
    # 四力型 +1; adjustments 3 (5 capped) + 1 + 0 (−2 floored) = +4 → 100 − 2 − 5 − 1 + 1 + 4 = 97
    assert nonzero(res["Z1"]) == {
        "division_visits": D("-2.00"),
        "zone_project": D("-5.00"),
        "submissions": D("-1.00"),
        "four_power_bonus": D("1.00"),
        "adjust": D("4.00"),
    }
    assert res["Z1"]["total"] == "97.00"
    # Z2 (county): h2 3 visits −3; h2 introduced nothing −5; started: one ≥ 20亿 but no second ≥ 10亿 −5;
    # funds 60亿 / 120亿 = 50% → +2; signed ≥ 100亿 +5 → 94; 一票否决: no honours.
    assert nonzero(res["Z2"]) == {
        "head_visits": D("-3.00"),
        "leader_projects": D("-5.00"),
        "started_projects": D("-5.00"),
        "funds_high": D("2.00"),
        "big_bonus": D("5.00"),
    }
    assert res["Z2"]["total"] == "94.00" and res["Z2"]["vetoed"] and res["Z2"]["honours"] == []
    # Z3 (市内五区): d3's 4亿 < 5亿 −5; started: C1 ≥ 10亿 but no second ≥ 5亿 −5; funds 2亿/14亿 = 14% −5;
    # visits 6 + 12 = 18 ≥ 1.5 × (4 + 8) and everyone met the quota +2 → 87
    assert nonzero(res["Z3"]) == {
        "leader_projects": D("-5.00"),
        "started_projects": D("-5.00"),
        "funds_low": D("-5.00"),
        "visit_bonus": D("2.00"),
    }
    assert res["Z3"]["total"] == "87.00"
    assert [(r["subject"]["code"], r["rank"]) for r in data["results"]] == [("Z1", 1), ("Z2", 2), ("Z3", 1)]
    assert res["Z1"]["honours"] == ["先进单位"] and res["Z3"]["honours"] == ["先进单位"]
