"""Missing targets (不参与考核，按其他指标得分率折算), ties at the honours boundary, and the second reading
of Bole's 到位资金 sentence. Every number is computed by hand in the comments."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from zhaoshang.assessment.engine.compose import score
from zhaoshang.assessment.engine.rules import SubjectInput
from zhaoshang.assessment.engine.run import RunResult, run_scheme, store, to_json
from zhaoshang.assessment.engine.scheme import SchemeError, load_preset, parse_scheme, preset_text
from zhaoshang.core.periods import parse_period

from .helpers import D, by_code, points, project, target, unit

# ---------------------------------------------------------------------------------------------
# Missing targets


@pytest.fixture
def laiwu_department(db):
    """M2, a 市直部门 with a 签约金额 and a 外资 target but no 过亿元项目 target."""
    m2 = unit("M2", "市直部门", kind="department", name="市商务局")
    target(m2, 2019, "签约金额", 20000)
    target(m2, 2019, "外资", 100)
    project(m2, "2019-05-01", 16000, is_foreign=True, foreign_amount=D(90))
    return m2


def test_laiwu_department_without_big_target_is_rescaled(laiwu_department):
    res = by_code(to_json(run_scheme(load_preset("laiwu-2019"), "2019")))["M2"]
    # signed: 60 × 16000/20000 = 48; foreign: 20 × 90/100 = 18; big: no target → does not apply
    assert points(res) == {"signed": D("48.00"), "foreign": D("18.00"), "big": D("0.00")}
    big = next(i for i in res["items"] if i["key"] == "big")
    assert big["applies"] is False
    assert "未设定过亿元项目目标，本项不参与考核，总分按其他指标得分率折算" in big["explain"]
    # (48 + 18) × 100 ÷ 80 = 82.50 — no longer capped at 80
    assert res["total"] == "82.50"
    assert res["missing_targets"] == ["过亿元项目"]
    assert "(48.00分 + 18.00分) × 满分100分 ÷ 适用指标分值80分 = 82.50分" in res["total_explain"]


def test_missing_target_zero_keeps_todays_behaviour(laiwu_department):
    text = preset_text("laiwu-2019").replace('missing_target = "skip"', 'missing_target = "zero"')
    res = by_code(to_json(run_scheme(parse_scheme(text), "2019")))["M2"]
    # 48 + 18 + 0 = 66, the 过亿元 item scores 0
    assert res["total"] == "66.00"
    assert res["missing_targets"] == []


def test_run_page_lists_subjects_with_missing_targets_by_name(laiwu_department, assessor, client):
    run = store(run_scheme(load_preset("laiwu-2019"), "2019"))
    client.force_login(assessor)
    page = client.get(reverse("assessment:run_detail", args=[run.pk])).content.decode()
    block = page.split('id="missing-targets"')[1].split("</div>")[0]
    assert "市商务局：过亿元项目" in block
    assert "按其他指标得分率折算" in block and "missing" not in block and "big" not in block


# ---------------------------------------------------------------------------------------------
# Ties at the honours boundary

TIE_SCHEME = """
key = "tie-test"
name = "并列测试"
subject = "unit"
[subjects]
groups = ["区县"]
[ranking]
within = "all"
[honours]
name = "先进单位"
top = 6
within = "all"
{tie_breakers}
[[items]]
key = "signed"
name = "签约金额"
rule = "per_item"
per = 1
value = {{ measure = "visits" }}
[[items]]
key = "funds"
name = "到位资金"
rule = "per_item"
per = 1
value = {{ measure = "late_submissions" }}
"""


def tie_inputs(u6=(30, 20), u7=(20, 30)):
    """U1–U5 clearly ahead (100, 90, 80, 70, 60); U6 and U7 both 50 at place 6; U8 10."""
    rows = [(100, 0), (90, 0), (80, 0), (70, 0), (60, 0), u6, u7, (10, 0)]
    return [
        SubjectInput(i, "unit", f"U{i}", f"单位{i}", "区县", {"signed_value": D(a), "funds_value": D(b)})
        for i, (a, b) in enumerate(rows, start=1)
    ]


def honoured(results):
    return sorted(r.subject.code for r in results if r.honours)


def pending(results):
    return sorted(r.subject.code for r in results if r.honours_pending)


def test_tie_at_place_six_resolved_by_tie_breaker():
    scheme = parse_scheme(TIE_SCHEME.format(tie_breakers='tie_breakers = ["signed"]'))
    results = score(scheme, tie_inputs())
    # U6 and U7 both total 50; U6 has more 签约金额 points (30 > 20) → U6 is the sixth, U7 is not
    assert honoured(results) == ["U1", "U2", "U3", "U4", "U5", "U6"]
    assert pending(results) == []
    u7 = next(r for r in results if r.subject.code == "U7")
    assert u7.honours_note == "总分并列第6名，按签约金额得分排序后未列入先进单位"


def test_tie_at_place_six_without_tie_breaker_is_left_to_the_office():
    scheme = parse_scheme(TIE_SCHEME.format(tie_breakers=""))
    results = score(scheme, tie_inputs())
    # never seven of six: only the five clear ones are named, U6 and U7 wait for 考核办
    assert honoured(results) == ["U1", "U2", "U3", "U4", "U5"]
    assert pending(results) == ["U6", "U7"]
    assert "并列，需考核办确定" in next(r for r in results if r.subject.code == "U6").honours_note


def test_tie_remaining_after_tie_breakers_is_left_to_the_office():
    scheme = parse_scheme(TIE_SCHEME.format(tie_breakers='tie_breakers = ["signed", "funds"]'))
    results = score(scheme, tie_inputs(u6=(25, 25), u7=(25, 25)))
    assert honoured(results) == ["U1", "U2", "U3", "U4", "U5"]
    assert pending(results) == ["U6", "U7"]


def test_run_page_shows_undecided_tie(assessor, client, db):
    scheme = parse_scheme(TIE_SCHEME.format(tie_breakers=""))
    inputs = tie_inputs()
    rr = RunResult(scheme, parse_period("2019"), "2019", dt.date(2019, 12, 31), "", inputs, score(scheme, inputs))
    run = store(rr)
    client.force_login(assessor)
    page = client.get(reverse("assessment:run_detail", args=[run.pk])).content.decode()
    block = page.split('id="honours-undecided"')[1].split("</div>")[0]
    assert "单位6" in block and "单位7" in block and "单位5" not in block
    assert "并列，需考核办确定" in block
    assert page.count('<span class="badge bg-success">先进单位</span>') == 5


# ---------------------------------------------------------------------------------------------
# Bole 到位资金: the two readings


def bole_inputs():
    # X: 900 of 1000 (90%); Y: 600 of 2000 (30%)
    return [
        SubjectInput(
            1,
            "unit",
            "X",
            "驻北京招商局",
            "驻点招商局",
            {"funds_value": D(900), "S": D(0), "K": D(0), "R": D(0)},
            {"到位资金": D(1000)},
        ),
        SubjectInput(
            2,
            "unit",
            "Y",
            "驻天津招商局",
            "驻点招商局",
            {"funds_value": D(600), "S": D(0), "K": D(0), "R": D(0)},
            {"到位资金": D(2000)},
        ),
    ]


def funds_points(results):
    return {r.subject.code: next(i.points for i in r.items if i.key == "funds") for r in results}


def test_bole_preset_reading_completion_over_best_completion():
    # today's reading: Y = 30 × 30% ÷ 90% = 10.00
    assert funds_points(score(load_preset("bole-2023"), bole_inputs())) == {"X": D("30.00"), "Y": D("10.00")}


def test_bole_other_reading_amount_over_first_ranked_amount():
    text = preset_text("bole-2023").replace('against = "best"', 'against = "first_amount"')
    results = score(parse_scheme(text), bole_inputs())
    # X ranks first by completion → 30; Y = 30 × 600 ÷ 900 = 20.00
    assert funds_points(results) == {"X": D("30.00"), "Y": D("20.00")}
    y = next(r for r in results if r.subject.code == "Y")
    assert "÷ 第1名固定资产投资到位资金" in next(i.explain for i in y.items if i.key == "funds")


# ---------------------------------------------------------------------------------------------
# Validation names the key


@pytest.mark.parametrize(
    ("old", "new", "key"),
    [
        ('missing_target = "skip"', 'missing_target = "maybe"', "items[1].missing_target"),
        ('target = "外资"', 'against = "best"\ntarget = "外资"', "items[1].against"),
    ],
)
def test_laiwu_validation_names_the_key(old, new, key):
    with pytest.raises(SchemeError) as exc:
        parse_scheme(preset_text("laiwu-2019").replace(old, new, 1))
    assert key in exc.value.field_errors


def test_unknown_tie_breaker_and_bad_reading_name_the_key():
    with pytest.raises(SchemeError) as exc:
        parse_scheme(TIE_SCHEME.format(tie_breakers='tie_breakers = ["signed", "nope"]'))
    assert list(exc.value.field_errors) == ["honours.tie_breakers[1]"]
    with pytest.raises(SchemeError) as exc:
        parse_scheme(preset_text("bole-2023").replace('against = "best"', 'against = "second"'))
    assert "items[1].against" in exc.value.field_errors


def test_skip_without_target_is_refused():
    text = TIE_SCHEME.format(tie_breakers="").replace(
        'per = 1\nvalue = { measure = "visits" }', 'per = 1\nmissing_target = "skip"\nvalue = { measure = "visits" }'
    )
    with pytest.raises(SchemeError) as exc:
        parse_scheme(text)
    assert "items[0].missing_target" in exc.value.field_errors
