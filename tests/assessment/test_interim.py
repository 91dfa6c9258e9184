"""Quarter and month runs are year-to-date against the time schedule (序时进度 = months elapsed ÷ 12):
pro_rata items scale targets and count thresholds, annual_only items score 0 until the annual run, and
honours are named only on annual runs. Every number below is computed by hand in the comments."""

from __future__ import annotations

import pytest

from zhaoshang.assessment.engine.run import run_scheme, to_json
from zhaoshang.assessment.engine.scheme import SchemeError, load_preset, parse_scheme, preset_text

from .helpers import D, by_code, person, points, project, target, unit, visits

pytestmark = pytest.mark.django_db


def run(key, period):
    return to_json(run_scheme(load_preset(key), period))


@pytest.fixture
def offices(db):
    x = unit("X", "驻点招商局", kind="resident_office", name="驻北京招商局")
    y = unit("Y", "驻点招商局", kind="resident_office", name="驻天津招商局")
    target(x, 2023, "签约金额", 100000)  # 10亿元 a year
    target(y, 2023, "签约金额", 80000)  # 8亿元 a year
    project(x, "2023-02-01", 100000)  # X meets its whole-year quota in Q1
    project(y, "2023-03-01", 20000)
    project(y, "2023-05-01", 10000)
    return x, y


def test_whole_year_quota_met_in_q1_gives_full_marks_in_q2(offices):
    res = by_code(run("bole-2023", "2023Q2"))
    x, y = res["X"], res["Y"]
    # X: year-to-date 100000 (signed in Q1, nothing in Q2) against 100000 × 50% = 50000 → 200%, capped → 50
    assert points(x)["signed"] == D("50.00")
    assert x["items"][0]["explain"] == (
        "序时进度50%：目标 10.00亿元 × 50% = 5.00亿元；签约金额 10.00亿元 ÷ 目标 5.00亿元 = 200.00%，"
        "超过100.00%按100.00%计，× 50分 = 50.00分"
    )
    # the result keeps the annual target (bulletins read “占年度目标”)
    assert D(x["items"][0]["target"]) == 100000
    # Y: 20000 + 10000 = 30000 against 80000 × 50% = 40000 → 75% × 50 = 37.50
    assert points(y)["signed"] == D("37.50")
    # Q1: Y has 20000 of 80000 × 25% = 20000 → full marks; the May project is not yet counted
    assert points(by_code(run("bole-2023", "2023Q1"))["Y"])["signed"] == D("50.00")
    # the annual run compares with the whole-year target: Y 30000 ÷ 80000 × 50 = 18.75
    assert points(by_code(run("bole-2023", "2023"))["Y"])["signed"] == D("18.75")


@pytest.fixture
def leaders(db):
    z1 = unit("Z1", "重点地区", kind="county")
    z2 = unit("Z2", "市内五区及郑东新区", kind="district")
    visits(z1, person(z1, "head"), 2, 2019)  # January and February
    visits(z2, person(z2, "head"), 1, 2019)  # January
    return z1, z2


def test_count_threshold_of_four_a_year_needs_two_by_june(leaders):
    res = by_code(run("zhengzhou-2019", "2019Q2"))
    # 4 visits a year × 50% = 2 by June: Z1's head (2) meets it, Z2's head (1) does not → −3
    assert points(res["Z1"])["head_visits"] == D("0.00")
    assert points(res["Z2"])["head_visits"] == D("-3.00")
    assert res["Z2"]["items"][0]["explain"].startswith("序时进度50%：走访次数门槛 全年4次 × 50% = 2次；")
    # by May: 4 × 5/12 = 1.67, rounded up to 2 → the same
    assert points(by_code(run("zhengzhou-2019", "2019-05"))["Z1"])["head_visits"] == D("0.00")
    # by March: 4 × 25% = 1 → both meet it
    q1 = by_code(run("zhengzhou-2019", "2019Q1"))
    assert points(q1["Z1"])["head_visits"] == points(q1["Z2"])["head_visits"] == D("0.00")
    # the whole year needs 4: both heads fall short → −3 each
    year = by_code(run("zhengzhou-2019", "2019"))
    assert points(year["Z1"])["head_visits"] == points(year["Z2"])["head_visits"] == D("-3.00")


def test_annual_only_item_scores_zero_in_q2_and_counts_in_the_annual_run(leaders):
    q2 = by_code(run("zhengzhou-2019", "2019Q2"))
    item = next(i for i in q2["Z1"]["items"] if i["key"] == "leader_projects")
    # neither head has introduced a project: −5 at year end, but 0 in a quarter, with the progress shown
    assert D(item["points"]) == 0
    assert item["explain"].endswith("年度考核时计分，本期0分")
    year = by_code(run("zhengzhou-2019", "2019"))
    assert points(year["Z1"])["leader_projects"] == D("-5.00")
    # Z1 in Q2: 100 − 5 (资金到位率 0% < 30%, counted as is); every annual-only item 0 → 95
    assert q2["Z1"]["total"] == "95.00"
    # Z1 in the year: 100 − 3 (visits) − 5 (no project) − 10 (neither started quota) − 5 (funds) = 77
    assert year["Z1"]["total"] == "77.00"


def test_no_honours_in_a_quarterly_run(leaders):
    q2 = run("zhengzhou-2019", "2019Q2")
    assert all(r["honours"] == [] for r in q2["results"])
    month = run("zhengzhou-2019", "2019-12")
    assert all(r["honours"] == [] for r in month["results"])
    year = run("zhengzhou-2019", "2019")
    assert all(r["honours"] == ["先进单位"] for r in year["results"])  # top 6 of two units


def test_interim_key_is_validated():
    text = preset_text("bole-2023").replace('interim = "pro_rata"', 'interim = "quarterly"', 1)
    with pytest.raises(SchemeError) as exc:
        parse_scheme(text)
    assert "items[0].interim" in exc.value.field_errors
    assert "pro_rata" in exc.value.field_errors["items[0].interim"][0]
