"""Acceptance 2: a scheme item counting 世界500强 or 新建 projects, and the pipeline measures, give the
hand-computed values."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tests.assessment.helpers import project, unit
from zhaoshang.assessment.engine.measures import PARAM_TYPES
from zhaoshang.assessment.engine.run import run_scheme, to_json
from zhaoshang.assessment.engine.scheme import SchemeError, parse_scheme
from zhaoshang.chains.models import TargetEnterprise

pytestmark = pytest.mark.django_db
D = Decimal

SCHEME = """
key = "chain-test"
name = "产业链招商测试"
subject = "unit"
basis = "filed"
[subjects]
groups = ["区县"]

[[items]]
key = "f500"
name = "引进世界500强项目"
rule = "relative_best"
points = 10
value = { measure = "project_count", stage = "signed", tags = ["世界500强"] }

[[items]]
key = "new"
name = "新建项目"
rule = "relative_best"
points = 10
value = { measure = "project_count", stage = "signed", build_kind = "new" }

[[items]]
key = "new_amount"
name = "新建500强项目金额"
rule = "relative_best"
points = 10
value = { measure = "project_amount", stage = "signed", build_kind = "新建", tags = ["fortune500", "china500"] }

[[items]]
key = "days"
name = "签约周期"
rule = "relative_best"
points = 10
value = { measure = "median_days_to_sign" }

[[items]]
key = "conversion"
name = "目标企业转化率"
rule = "relative_best"
points = 10
value = { measure = "conversion_rate" }
"""


def value(data: dict, code: str, key: str) -> Decimal:
    result = next(r for r in data["results"] if r["subject"]["code"] == code)
    return D(next(i["value"] for i in result["items"] if i["key"] == key) or 0)


@pytest.fixture
def city(chain):
    """A: P1 世界500强 新建 50,000万元; P2 上市 新建 30,000; P3 世界500强 续建 20,000; P4 世界500强 新建 but
    signed in 2023 (outside the year). B: P5 中国500强 新建 40,000; P6 世界500强 扩建 10,000."""
    a, b = unit("A", "区县"), unit("B", "区县")
    project(a, "2024-02-01", 50000, investor_tags="|fortune500|", build_kind="new")
    project(a, "2024-03-01", 30000, investor_tags="|listed|", build_kind="new")
    project(a, "2024-04-01", 20000, investor_tags="|fortune500|", build_kind="continued")
    project(a, "2023-12-01", 90000, investor_tags="|fortune500|", build_kind="new")
    p5 = project(b, "2024-05-01", 40000, investor_tags="|china500|", build_kind="new")
    project(b, "2024-06-01", 10000, investor_tags="|fortune500|", build_kind="expansion")
    # B's target T contacted 2024-04-11, its project P5 signed 05-01: 20 days; a second target never converted.
    seg = chain.segs["整车"]
    TargetEnterprise.objects.create(name="T", segment=seg, following_unit=b, first_contact_on=dt.date(2024, 4, 11),
                                    project=p5, status="signed")
    TargetEnterprise.objects.create(name="T2", segment=seg, following_unit=b, first_contact_on=dt.date(2024, 5, 1),
                                    status="contacted")
    return a, b


def test_tag_and_build_kind_parameters_take_codes_and_chinese_names():
    assert PARAM_TYPES["tags"]("世界500强") == ("fortune500",)
    assert PARAM_TYPES["tags"](["fortune500", "上市"]) == ("fortune500", "listed")
    assert PARAM_TYPES["build_kind"]("新建") == PARAM_TYPES["build_kind"]("new") == ("new",)
    with pytest.raises(SchemeError, match="不是有效取值"):
        parse_scheme(SCHEME.replace('tags = ["世界500强"]', 'tags = ["独角兽"]'))


def test_a_scheme_counts_500_strong_and_new_projects(city):
    data = to_json(run_scheme(parse_scheme(SCHEME), "2024"))
    assert value(data, "A", "f500") == 2  # P1, P3 (P4 was signed in 2023)
    assert value(data, "B", "f500") == 1  # P6
    assert value(data, "A", "new") == 2  # P1, P2
    assert value(data, "B", "new") == 1  # P5
    assert value(data, "A", "new_amount") == D("50000")  # P1 only: P2 is 上市, not 500强
    assert value(data, "B", "new_amount") == D("40000")  # P5 (中国500强)
    assert value(data, "B", "days") == D("20")
    assert value(data, "B", "conversion") == D("50")  # 1 of 2 targets contacted in 2024
