"""Measures over yields, investor requests and talent, and the presets that use them, against hand
computations."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from zhaoshang.aftercare import services
from zhaoshang.aftercare.models import Talent, TalentShare
from zhaoshang.assessment.engine import measures
from zhaoshang.assessment.engine.measures import Window
from zhaoshang.assessment.engine.run import run_scheme, to_json
from zhaoshang.assessment.engine.scheme import load_preset
from zhaoshang.ledger.models import ProjectShare

from ..assessment.helpers import by_code, fund, points, project, target, unit, yielded
from ..factories import PersonFactory

pytestmark = pytest.mark.django_db
YEAR_2020 = Window(dt.date(2020, 1, 1), dt.date(2020, 12, 31), dt.date(2021, 3, 31), basis="verified")


def _share(p, pairs):
    for u, ratio, tax in pairs:
        ProjectShare.objects.create(project=p, unit=u, ratio=D(ratio), tax_ratio=None if tax is None else D(tax))


def test_shared_60_40_with_tax_50_50_splits_tax_by_the_tax_ratio_and_investment_by_the_ratio():
    a, b = unit("A", "平台"), unit("B", "平台")
    p = project(a, "2019-03-01", 10000, started_on="2019-04-01", completed_on="2019-10-01",
                producing_on="2019-12-01")
    _share(p, [(a, "0.6", "0.5"), (b, "0.4", "0.5")])
    fund(p, "2020-05-01", 1000)
    yielded(p, 2020, tax=200, output=5000, land=50)
    assert measures.compute("fund_amount", {}, YEAR_2020, "unit") == {a.id: D(600), b.id: D(400)}
    assert measures.compute("yield_tax", {}, YEAR_2020, "unit") == {a.id: D(100), b.id: D(100)}
    assert measures.compute("yield_output", {}, YEAR_2020, "unit") == {a.id: D(3000), b.id: D(2000)}
    # 亩均税收: A 100 ÷ (50 × 0.6) = 3.33…; B 100 ÷ (50 × 0.4) = 5
    per_mu = measures.compute("yield_tax", {"per_mu": True}, YEAR_2020, "unit")
    assert round(per_mu[a.id], 4) == D("3.3333") and per_mu[b.id] == D(5)


def test_tax_ratio_blank_follows_the_ratio_and_growth_on_last_year():
    a, b = unit("A", "平台"), unit("B", "平台")
    p = project(a, "2018-03-01", 10000, started_on="2018-04-01", completed_on="2018-10-01",
                producing_on="2018-12-01")
    _share(p, [(a, "0.75", None), (b, "0.25", None)])
    yielded(p, 2019, tax=400, verified_on="2020-01-20")
    yielded(p, 2020, tax=500, verified_on="2021-01-20")
    assert measures.compute("yield_tax", {}, YEAR_2020, "unit") == {a.id: D(375), b.id: D(125)}
    growth = measures.compute("yield_tax", {"growth": True}, YEAR_2020, "unit")
    assert growth == {a.id: D("0.25"), b.id: D("0.25")}  # (500 − 400) ÷ 400 for both
    # verified after the as-of date: not counted yet
    early = Window(dt.date(2020, 1, 1), dt.date(2020, 12, 31), dt.date(2021, 1, 10), basis="verified")
    assert measures.compute("yield_tax", {}, early, "unit") == {}


def test_huaiyin_output_item_matches_a_hand_computation():
    a, b = unit("A", "平台", kind="platform"), unit("B", "平台", kind="platform")
    target(a, 2020, "产出质效", 1000)
    target(b, 2020, "产出质效", 500)
    p1 = project(a, "2019-01-10", 8000, started_on="2019-02-01", completed_on="2019-09-01",
                 producing_on="2019-11-01")
    p2 = project(b, "2019-03-10", 6000, started_on="2019-04-01", completed_on="2019-10-01",
                 producing_on="2019-12-01")
    _share(p2, [(a, "0.7", "0.4"), (b, "0.3", "0.6")])
    yielded(p1, 2020, tax=450)
    yielded(p2, 2020, tax=500)
    p3 = project(a, "2019-05-01", 3000, started_on="2019-06-01", completed_on="2019-11-01",
                 producing_on="2019-12-20")
    item = yielded(p3, 2020, tax=999)
    item.verification, item.verified_on = "pending", None  # not verified: does not count
    item.save()
    res = by_code(to_json(run_scheme(load_preset("huaiyin-2020"), "2020", dt.date(2021, 3, 31))))
    # A: 450 + 500 × 0.4 = 650 ÷ 1000 × 10 = 6.50; B: 500 × 0.6 = 300 ÷ 500 × 10 = 6.00
    assert points(res["A"])["producing"] == D("6.50")
    assert points(res["B"])["producing"] == D("6.00")
    explain = next(i for i in res["A"]["items"] if i["key"] == "producing")["explain"]
    assert explain == "投产项目税收 650.00万元 ÷ 目标 1,000.00万元 × 10分 = 6.50分"


@pytest.fixture
def office(db):
    u = unit("BJ", "驻点招商局", kind="resident_office", name="驻北京招商局")
    secretary = PersonFactory(unit=u, name="帮办秘书甲")
    p = project(u, "2024-03-01", 10000, assisting_secretary=secretary)
    return u, p


def test_request_overdue_the_day_after_its_deadline_over_a_holiday_and_bole_deducts(office, settings, assessor):
    u, p = office
    settings.AFTERCARE_ANSWER_DEADLINE = {"workdays": 5}
    # received Friday 27 September 2024: 29 September (a Sunday) is a make-up working day, 1–7 October are
    # the National Day holiday; the 5th working day after is Thursday 10 October (not 4 October).
    item = services.request_create(user=assessor, project=p, subject="用电增容", received_on=dt.date(2024, 9, 27))
    assert item.deadline == dt.date(2024, 10, 10) and item.assignee.name == "帮办秘书甲"
    assert not item.overdue_on(dt.date(2024, 10, 10)) and item.overdue_on(dt.date(2024, 10, 11))

    def daily(as_of):
        res = by_code(to_json(run_scheme(load_preset("bole-2023"), "2024", as_of)))
        return points(res["BJ"])["daily"], next(i for i in res["BJ"]["items"] if i["key"] == "daily")["explain"]

    assert daily(dt.date(2024, 10, 10))[0] == D("10.00")
    # the day after: one request unanswered after its deadline, 扣5分 (本地细则 of ⑷'s 5–10)
    points_, explain = daily(dt.date(2024, 10, 11))
    assert points_ == D("5.00") and "扣5分" in explain
    # answered late, it stays overdue for the year
    services.request_answer(user=assessor, item=item, answered_on=dt.date(2024, 10, 15), answer="已协调供电公司",
                            satisfaction="fair")
    assert daily(dt.date(2024, 12, 31))[0] == D("5.00")
    assert measures.compute("request_response_days", {}, Window(dt.date(2024, 1, 1), dt.date(2024, 12, 31),
                                                              dt.date(2024, 12, 31)), "unit") == {u.id: D(18)}


def test_month_deadline_and_escalation(office, assessor):
    _u, p = office
    item = services.request_create(user=assessor, project=p, subject="土地证办理", received_on=dt.date(2024, 1, 31))
    assert item.deadline == dt.date(2024, 2, 29)  # one month, the month's last day
    services.escalate_overdue(as_of=dt.date(2024, 3, 5))
    item.refresh_from_db()
    assert item.escalated_on == dt.date(2024, 3, 1) and item.history.count() == 2


def test_talent_credited_to_two_units_counts_by_the_shares(assessor):
    a, b = unit("A", "平台"), unit("B", "平台")
    t = Talent.objects.create(name="张教授团队", is_team=True, team_size=5, level="national", enterprise="某新材料公司",
                              joined_on=dt.date(2024, 5, 1), unit=a)
    TalentShare.objects.create(talent=t, unit=a, ratio=D("0.7"))
    TalentShare.objects.create(talent=t, unit=b, ratio=D("0.3"))
    Talent.objects.create(name="李工程师", level="municipal", enterprise="某电机厂", joined_on=dt.date(2024, 6, 1),
                          unit=b)
    w = Window(dt.date(2024, 1, 1), dt.date(2024, 12, 31), dt.date(2024, 12, 31))
    assert measures.compute("talent_count", {}, w, "unit") == {a.id: D("0.7"), b.id: D("1.3")}
    weights = measures.PARAM_TYPES["talent_weights"]({"国家级": 3, "市级": 1})
    assert measures.compute("talent_count", {"talent_weights": weights}, w, "unit") == {a.id: D("2.1"),
                                                                                       b.id: D("1.9")}


def test_bole_scores_the_beijing_office_on_its_liaison_items_against_its_target(office):
    """002 四㈡ “其中北京局以跑办项目计分”: the Beijing office's 30 对接推荐 are counted by 跑办 items (a 加分项 of at
    most 2 points, 本地细则); an office without a 项目跑办 target gets 0 and its total is unchanged."""
    from zhaoshang.aftercare.models import LiaisonItem

    bj, _p = office
    sz = unit("SZ", "驻点招商局", kind="resident_office", name="驻深圳招商局")
    target(bj, 2024, "项目跑办", 30)
    for u, n in ((bj, 12), (sz, 3)):
        for i in range(n):
            LiaisonItem.objects.create(unit=u, title=f"争取政策{i}", sought="policy", body="国家发展改革委",
                                       started_on=dt.date(2024, 3, 1) + dt.timedelta(days=i))
    res = by_code(to_json(run_scheme(load_preset("bole-2023"), "2024", dt.date(2025, 3, 31))))
    bj_item = next(i for i in res["BJ"]["items"] if i["key"] == "liaison")
    # 2分 × 12 ÷ 30 = 0.80分
    assert points(res["BJ"])["liaison"] == D("0.80")
    assert bj_item["explain"] == "项目跑办12项，目标30项，按完成比例加分：2分 × 12项 ÷ 30项，加0.8分"
    assert points(res["SZ"])["liaison"] == D("0.00")
    others = sum(v for k, v in points(res["SZ"]).items() if k != "liaison")
    assert D(res["SZ"]["total"]) == others
