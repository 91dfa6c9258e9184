"""行业门类 in the assessment (issue 10, acceptance 2): Zhengzhou's is a *manufacturing* assessment, so a
real-estate (K) project meets none of its quotas and does not lift its 资金到位率; Bozhou rates *industrial*
(工业 = B、C、D) projects, so a mining project counts; a vetoed Bozhou person is never 优秀. Visits to
enterprises not yet classified still count where a scheme counts visits to manufacturing enterprises, and
the rows behind the number list them apart."""

from __future__ import annotations

import datetime as dt

import pytest

from zhaoshang.activities.models import Visit
from zhaoshang.assessment.engine import measures
from zhaoshang.assessment.engine.measures import PARAM_TYPES, Window
from zhaoshang.assessment.engine.run import run_scheme, to_json
from zhaoshang.assessment.engine.scheme import SchemeError, load_preset, parse_scheme, preset_text

from .helpers import adjustment, by_code, fund, person, points, project, unit

pytestmark = pytest.mark.django_db


def run(key, period, text: str | None = None):
    scheme = parse_scheme(text) if text else load_preset(key)
    return to_json(run_scheme(scheme, period))


# ---------------------------------------------------------------------------------------------
# The parameter


def test_industry_parameter_takes_codes_names_lists_and_the_industrial_set():
    parse = PARAM_TYPES["industry"]
    assert parse("C") == parse("制造业") == parse("c") == ("C",)
    assert parse(["K", "批发和零售业"]) == ("F", "K")
    assert parse("工业") == ("B", "C", "D")
    assert parse(["工业", "G"]) == ("B", "C", "D", "G")
    # the older name, as stored schemes wrote it
    assert PARAM_TYPES["category"]("制造业") == PARAM_TYPES["category"]("manufacturing") == ("C",)
    with pytest.raises(ValueError, match="不对应某一行业门类"):
        parse("服务业")
    with pytest.raises(ValueError, match="GB/T 4754-2017"):
        parse("高新技术")


def test_a_stored_scheme_with_category_still_parses_to_the_same_filter():
    old = preset_text("bozhou-2021").replace('industry = "工业"', 'category = "制造业"')
    values = parse_scheme(old).values
    assert values["big"].params["category"] == ("C",)
    assert measures.MEASURES["project_count"].params >= {"industry", "category"}
    with pytest.raises(SchemeError, match="行业门类"):
        parse_scheme(preset_text("bozhou-2021").replace('industry = "工业"', 'industry = "高新技术"', 1))


# ---------------------------------------------------------------------------------------------
# Zhengzhou: only section C


@pytest.fixture
def district(db):
    """A 市内五区 unit (head quota 10亿, started 10亿 and 5亿) whose division head met every quota with a
    manufacturing project; the head has introduced nothing yet. Funds 2亿 of 6亿 signed: 33%."""
    z = unit("Z", "市内五区及郑东新区", kind="district")
    head, division = person(z, "head"), person(z, "division")
    for i in range(4):
        Visit.objects.create(date=dt.date(2019, 3, 1 + i), unit=z, leader=head, enterprise=f"制造企业{i}", industry="C")
    for i in range(8):
        Visit.objects.create(date=dt.date(2019, 4, 1 + i), unit=z, leader=division, enterprise=f"工厂{i}",
                             industry="C")
    c1 = project(z, "2019-02-01", 60000, introducer=division, category="C", started_on="2019-05-01")
    fund(c1, "2019-06-01", 20000)
    return z, head


def head_project(z, head, section: str):
    """The head introduces a 15亿 project, started in the year, with 10亿 of funds in place."""
    p = project(z, "2019-03-01", 150000, introducer=head, category=section, started_on="2019-07-01")
    fund(p, "2019-08-01", 100000)
    return p


def test_a_real_estate_project_meets_no_zhengzhou_quota(district):
    z, head = district
    without = points(by_code(run("zhengzhou-2019", "2019"))["Z"])
    # Without the head's project: the head's quota is missed (−5), 开工 10亿 missed (−5); funds 33%: neither.
    assert without["leader_projects"] == without["started_projects"] == -5
    assert without["funds_high"] == without["funds_low"] == 0

    head_project(z, head, "K")
    with_k = points(by_code(run("zhengzhou-2019", "2019"))["Z"])
    # A 房地产业 project changes nothing: not the head's quota, not 开工, not the 资金到位率 (which,
    # counted over all projects, would be 12亿 ÷ 21亿 = 57% and earn +2).
    assert with_k == without


def test_the_same_project_in_manufacturing_meets_them(district):
    z, head = district
    head_project(z, head, "C")
    with_c = points(by_code(run("zhengzhou-2019", "2019"))["Z"])
    # Now the head's quota is met, 开工 10亿 and 5亿 are met, and funds are 12亿 ÷ 21亿 = 57% ≥ 45%: +2.
    assert with_c["leader_projects"] == with_c["started_projects"] == 0
    assert with_c["funds_high"] == 2


def test_zhengzhou_counts_visits_to_manufacturing_and_unclassified_enterprises(district):
    z, head = district
    data = by_code(run("zhengzhou-2019", "2019"))["Z"]
    assert points(data)["head_visits"] == 0  # 4 visits to manufacturing enterprises
    # One of them turns out to be a logistics company: 3 left, below 4 → −3.
    Visit.objects.filter(leader=head, enterprise="制造企业0").update(industry="G")
    assert points(by_code(run("zhengzhou-2019", "2019"))["Z"])["head_visits"] == -3
    # Not yet classified (an old ledger): it still counts, so the score is kept until the office classifies it.
    Visit.objects.filter(leader=head, enterprise="制造企业0").update(industry="")
    assert points(by_code(run("zhengzhou-2019", "2019"))["Z"])["head_visits"] == 0


def test_rows_behind_the_visits_list_the_unclassified_ones(district):
    z, head = district
    Visit.objects.filter(leader=head, enterprise="制造企业0").update(industry="")
    logistics = Visit.objects.create(date=dt.date(2019, 5, 1), unit=z, leader=head, enterprise="物流公司",
                                     industry="G")
    unclassified = Visit.objects.get(enterprise="制造企业0")
    params = load_preset("zhengzhou-2019").values["leader_visits"].params
    w = Window(dt.date(2019, 1, 1), dt.date(2019, 12, 31), dt.date(2019, 12, 31))
    rows = measures.rows("visits", params, w, "unit", z.pk)
    assert len(rows["visits"]) == 12 and logistics.pk not in rows["visits"]
    assert rows["visits_unclassified"] == [unclassified.pk]
    # A measure over every visit does not mark any.
    assert measures.rows("visits", {}, w, "unit", z.pk)["visits_unclassified"] == []


# ---------------------------------------------------------------------------------------------
# Bozhou: 工业, and 一票否决


@pytest.fixture
def task_force(db):
    return unit("T1", None, kind="task_force", name="产业专班")


def test_a_mining_project_counts_for_bozhou(task_force):
    ppl = {k: person(task_force, name=k) for k in ("mining", "power", "estate", "none")}
    project(task_force, "2021-03-01", 12000, introducer=ppl["mining"], category="B")
    project(task_force, "2021-04-01", 12000, introducer=ppl["power"], category="D")
    project(task_force, "2021-05-01", 12000, introducer=ppl["estate"], category="K")
    project(task_force, "2021-06-01", 12000, introducer=ppl["none"], category="")
    grades = {r["subject"]["name"]: r["grade"] for r in run("bozhou-2021", "2021")["results"]}
    # 采矿业 and 电力 are 工业: 1.2亿 ≥ 1亿 → 优秀. 房地产业 and a project not yet classified are not → 合格.
    assert grades == {"mining": "优秀", "power": "优秀", "estate": "合格", "none": "合格"}


def test_a_vetoed_bozhou_person_is_not_excellent(task_force):
    good, vetoed = person(task_force, name="good"), person(task_force, name="vetoed")
    project(task_force, "2021-03-01", 30000, introducer=good, category="C")
    project(task_force, "2021-03-02", 30000, introducer=vetoed, category="C")
    adjustment(2021, "一票否决", 0, person=vetoed)
    results = {r["subject"]["name"]: r for r in run("bozhou-2021", "2021")["results"]}
    assert results["good"]["grade"] == "优秀" and not results["good"]["vetoed"]
    assert results["vetoed"]["grade"] == "一票否决" and results["vetoed"]["vetoed"]
    assert "一票否决" in results["vetoed"]["flags"]


def test_bozhou_describes_industrial_projects():
    assert "工业项目" in load_preset("bozhou-2021").description
    assert "制造业项目" not in load_preset("bozhou-2021").description
