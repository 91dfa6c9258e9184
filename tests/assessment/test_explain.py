"""Explanations an official can read: a formula item says its sentence, counts have their counters, the
rows behind a number are named (ten listed, the rest folded), 加分项 and 减分项 stand apart, and what-if
reaches every item (thresholds, per-item points) and refuses bad input in Chinese."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from tests.api.conftest import _api
from zhaoshang.assessment.behind import SHOWN, subject_behind
from zhaoshang.assessment.engine.compose import score
from zhaoshang.assessment.engine.rules import SubjectInput
from zhaoshang.assessment.engine.run import rescore, run_scheme, store, to_json
from zhaoshang.assessment.engine.scheme import SchemeError, load_preset, parse_scheme, preset_text

from .helpers import D, adjustment, by_code, person, points, submission, unit, visits
from .test_presets import bole  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db


def item(result: dict, key: str) -> dict:
    return next(i for i in result["items"] if i["key"] == key)


@pytest.fixture
def zhengzhou(db):
    z1 = unit("Z1", "重点地区", kind="county", name="中牟县")
    z2 = unit("Z2", "市内五区及郑东新区", kind="district", name="金水区")
    visits(z1, person(z1, "head", "张明"), 5, 2019)
    visits(z1, person(z1, "head", "李华"), 4, 2019)
    visits(z2, person(z2, "head", "王强"), 12, 2019)
    visits(z2, person(z2, "head", "赵刚"), 2, 2019)
    submission(z2, "2019-03", "2019-04-10", None)
    return z1, z2


def test_formula_item_says_its_sentence_with_counters_and_no_code(zhengzhou):
    res = by_code(to_json(run_scheme(load_preset("zhengzhou-2019"), "2019")))
    z1, z2 = res["Z1"], res["Z2"]
    assert item(z1, "head_visits")["explain"] == "党政主要负责人2人，带队走访对接制造业企业均不少于4次，不扣分"
    assert item(z2, "head_visits")["explain"] == (
        "党政主要负责人2人，其中1人带队走访对接制造业企业少于4次，每人扣3分，扣3分"
    )
    # nothing signed: the rate is taken as 0, which is below 30%
    assert item(z1, "funds_low")["explain"] == "未签约制造业项目，制造业项目资金到位率按0计，低于30%，扣5分"
    assert item(z2, "submissions")["explain"] == "未报或迟报1次，每次扣1分，扣1分"
    # 0 points read 0.00, never −0.00
    assert item(z1, "head_visits")["points"] == "0.00" and item(z1, "zone_project")["points"] == "0.00"
    assert "非开发区" in item(z1, "zone_project")["explain"]
    # the total on a base score: 减分项 and 加分项 apart
    assert z2["total_explain"].startswith("基础分100分；减分项：党政主要负责人走访不足扣3分、")
    assert "；加分项：无；总分" in z2["total_explain"]


def test_formula_item_without_a_sentence_names_its_values_in_words():
    text = preset_text("zhengzhou-2019")
    scheme = parse_scheme(text)
    scheme.item("head_visits").explain = []  # as a scheme that gives no sentence
    subj = SubjectInput(1, "unit", "Z1", "中牟县", "重点地区", values={n: D(0) for n in scheme.values})
    subj.values["heads_low"] = D(2)
    head = next(i for i in score(scheme, [subj])[0].items if i.key == "head_visits")
    assert head.explain == "走访次数不足的党政主要负责人2人；扣6分"


def test_a_sentence_naming_an_unknown_value_is_refused_with_its_key():
    text = preset_text("bole-2023") + (
        '\n[[items]]\nkey = "x"\nname = "开工"\nrule = "formula"\nexpr = "K"\n'
        'explain = [{ when = "K > 0", text = "开工{started}个" }, { text = "{points}", if = 1 }]\n'
    )
    with pytest.raises(SchemeError) as exc:
        parse_scheme(text)
    errors = exc.value.field_errors
    assert "started" in errors["items[5].explain[0].text"][0] and "items[5].explain[1].if" in errors


def test_rows_behind_are_named_ten_at_most_with_the_rest_folded(zhengzhou, client, assessor):
    z1, z2 = zhengzhou
    run = store(run_scheme(load_preset("zhengzhou-2019"), "2019"))
    scheme = parse_scheme(run.scheme_text)
    result = next(r for r in run.results["results"] if r["subject"]["code"] == "Z2")
    behind = subject_behind(run, scheme, result, z2.id)
    visits_behind = next(b for b in behind["visit_bonus"] if b.name == "leader_visits")
    assert len(visits_behind.rows) == 14 and len(visits_behind.shown) == SHOWN and len(visits_behind.more) == 4
    assert visits_behind.rows[0].text == "2019-01-01 王强带队走访企业0（待归类）"
    people = next(b for b in behind["head_visits"] if b.name == "heads")
    assert [r.text for r in people.rows] == ["王强（党政主要负责人）", "赵刚（党政主要负责人）"]
    late = next(b for b in behind["submissions"])
    assert [r.text for r in late.rows] == ["2019年3月台账未报（截止2019-04-10）"]

    client.force_login(assessor)
    page = client.get(reverse("assessment:subject_sheet", args=[run.pk, z2.id])).content.decode()
    assert "共14项，展开" in page and "<details" in page
    assert "赵刚（党政主要负责人）" in page and "2019年3月台账未报" in page
    for code in ("（heads）", "leader_visits", "heads_low", "-0.00"):
        assert code not in page.replace('id="item-', "")
    # on a base score the sheet has its 减分项 and 加分项 apart
    assert page.index(">减分项") < page.index(">加分项")


def test_per_item_with_a_base_shows_bonuses_and_deductions_apart(bole, client, assessor):  # noqa: F811
    x, y = bole
    run = store(run_scheme(load_preset("bole-2023"), "2023"))
    res = by_code(run.results)
    assert item(res["X"], "daily")["explain"] == (
        "基础分10分；减分项：未报或迟报2次，每次扣0.5分，扣1分；考核调整扣3分；加分项：无；得6分"
    )
    assert item(res["Y"], "daily")["explain"] == (
        "基础分10分；减分项：无（未报或迟报0次）；加分项：考核调整加2分；得10分（按规则计12分，超过上限按10分计）"
    )
    assert "日常工作考核6分（基础分10分，减分项扣4分，加分项加0分）" in res["X"]["total_explain"]
    assert "签约项目开工率5分" in res["X"]["total_explain"]

    client.force_login(assessor)
    page = client.get(reverse("assessment:subject_sheet", args=[run.pk, y.id])).content.decode()
    card = page[page.index('id="item-daily"') :]
    assert card.index("减分项") < card.index("加分项") < card.index("表扬加2分（依据通报）")
    adjustment(2023, "专项加分", 1, unit=y)  # a later entry changes nothing in the stored run's words
    assert "表扬加2分" in client.get(reverse("assessment:subject_sheet", args=[run.pk, y.id])).content.decode()


THRESHOLD_SCHEME = """
key = "visits-bands"
name = "走访分档"
subject = "unit"
[subjects]
groups = ["重点地区", "市内五区及郑东新区"]
[values.v]
measure = "visits"
[[items]]
key = "visits"
name = "走访次数"
rule = "thresholds"
value = "v"
bands = [{ min = 10, points = 10 }, { min = 5, points = 6 }]
[[items]]
key = "late"
name = "台账报送"
rule = "per_item"
label = "未报或迟报次数"
base = 5
per = -1
floor = 0
cap = 5
value = { measure = "late_submissions" }
"""


def test_what_if_changes_thresholds_and_per_item_points(zhengzhou, client, assessor):
    run = store(run_scheme(parse_scheme(THRESHOLD_SCHEME), "2019"))
    res = by_code(run.results)
    # Z1 9 visits (≥5 → 6), Z2 14 (≥10 → 10); Z2 one missing report: 5 − 1 = 4
    assert points(res["Z1"]) == {"visits": D("6.00"), "late": D("5.00")}
    assert points(res["Z2"]) == {"visits": D("10.00"), "late": D("4.00")}
    assert item(res["Z1"], "visits")["explain"] == "走访9次，达到“不少于5次”档，得6分"
    _, results = rescore(run, {"bands": {"visits": [[15, 10], [8, 8]]}, "per": {"late": "-2"}})
    out = {r.subject.code: {i.key: i.points for i in r.items} for r in results}
    assert out["Z1"] == {"visits": D("8.00"), "late": D("5.00")}  # 9 ≥ 8 → 8
    assert out["Z2"] == {"visits": D("8.00"), "late": D("3.00")}  # 14 < 15 → 8; 5 − 2 = 3

    client.force_login(assessor)
    url = reverse("assessment:what_if", args=[run.pk])
    page = client.get(url).content.decode()
    assert 'name="bmin__visits__0" value="10"' in page and 'name="per__late" value="-1"' in page
    resp = client.post(
        url,
        {"bmin__visits__0": "15", "bpts__visits__1": "8", "bmin__visits__1": "8", "base__late": "6", "cap__late": "6"},
        HTTP_HX_REQUEST="true",
    )
    assert resp.status_code == 200
    rows = {r["code"]: r for r in resp.context["rows"]}
    assert rows["Z1"]["total"] == D("14.00")  # 8 + 6
    assert rows["Z2"]["total"] == D("13.00")  # 8 + (6 − 1)


def test_what_if_refuses_bad_input_in_chinese_naming_the_field(bole, client, assessor, leader):  # noqa: F811
    run = store(run_scheme(load_preset("bole-2023"), "2023"))
    api, url = _api(leader), f"/api/assessment/runs/{run.pk}/what-if"
    resp = api.post(url, {"points": {"nope": "80"}})
    assert resp.status_code == 400
    assert "points.nope" in resp.json()["fields"] and "没有键为“nope”的考核指标" in resp.json()["message"]
    resp = api.post(url, {"points": {"signed": "八十"}})
    assert resp.status_code == 400
    assert resp.json()["fields"]["points.signed"] == ["“签约资金完成情况”的分值应为数字，而不是“八十”"]
    resp = api.post(url, {"per": {"signed": 1}})
    assert resp.status_code == 400 and "逐项加减" in resp.json()["fields"]["per.signed"][0]
    assert api.post(url, {"bands": {"funds": [[1, 2]]}}).status_code == 400
    assert api.post(url, {"weights": {"signed": 1}}).status_code == 422  # not a change the API knows
    ok = api.post(url, {"per": {"daily": -1}, "factor": {"start_rate": 0.5}})
    assert ok.status_code == 200
    x = next(r for r in ok.json() if r["subject"]["code"] == "X")
    # daily 10 − 1 × 2 − 3 = 5; start rate 5 × 0.5 = 2.5
    assert points(x)["daily"] == D("5.00") and points(x)["start_rate"] == D("2.50")

    client.force_login(assessor)
    url = reverse("assessment:what_if", args=[run.pk])
    resp = client.post(url, {"points__signed": "abc"}, HTTP_HX_REQUEST="true")
    assert resp.status_code == 400
    assert "“签约资金完成情况”的分值应为数字，而不是“abc”" in resp.content.decode()
    resp = client.post(url, {"points__nope": "1"})
    assert resp.status_code == 400 and "没有键为“nope”的考核指标" in resp.content.decode()


def test_amounts_carry_units_and_thousands_separators():
    from zhaoshang.assessment.engine.explain import amount, fmt, pts

    assert fmt(Decimal("12345.6"), "money", "万元") == "12,345.60万元"
    assert fmt(Decimal("2600000"), "money") == "260.00亿元"
    assert fmt(Decimal("3"), "count", "人") == "3人"
    assert fmt(Decimal("0.30"), "ratio") == "30.00%"
    assert amount(Decimal("200000")) == "20亿元" and amount(Decimal("5000")) == "5,000万元"
    assert pts(Decimal("-0.00")) == "0.00分"
