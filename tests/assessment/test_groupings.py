"""Groupings (分组口径) in a run: a scheme names its grouping, each subject's group is read under it (a unit
with no group there keeps its own), and groups, ranking, group parameters and conflicts follow; a run
that finds nobody says why on the page, at the command line and in the API; every preset ranks the
demo city."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from zhaoshang.assessment.engine.run import run_scheme, to_json
from zhaoshang.assessment.engine.scheme import load_preset, parse_scheme
from zhaoshang.assessment.models import AssessmentRun
from zhaoshang.core.errors import ApplicationError
from zhaoshang.core.periods import today
from zhaoshang.orgs.services import membership_set

from .helpers import D, by_code, person, points, project, shares, target, unit

pytestmark = pytest.mark.django_db

LAIWU_NO_SUBJECTS = "方案要求的组别 区及功能区、市直部门 在本市没有单位"


def run(scheme, period="2019"):
    return to_json(run_scheme(scheme, period))


@pytest.fixture
def two_schemes(assessor):
    """中牟县 is 重点地区 (its own group, Zhengzhou's) and 区及功能区 under 莱芜竞赛口径; 商务局 is listed in no
    grouping and keeps its own 市直部门."""
    county = unit("ZM01", "重点地区", kind="county", name="中牟县")
    department = unit("BM03", "市直部门", kind="department", name="市商务局")
    membership_set(user=assessor, unit=county, grouping="莱芜竞赛口径", group="区及功能区")
    for u, signed in ((county, 100000), (department, 20000)):
        target(u, 2019, "签约金额", signed)
    project(county, "2019-03-01", 50000)
    project(department, "2019-04-01", 10000)
    return county, department


def test_a_unit_is_in_one_group_for_zhengzhou_and_another_for_laiwu(two_schemes):
    zhengzhou = by_code(run(load_preset("zhengzhou-2019")))
    assert set(zhengzhou) == {"ZM01"} and zhengzhou["ZM01"]["group"] == "重点地区"
    laiwu = run(load_preset("laiwu-2019"))
    assert [(r["subject"]["code"], r["group"], r["rank"]) for r in laiwu["results"]] == [
        ("ZM01", "区及功能区", 1),
        ("BM03", "市直部门", 1),  # no membership: falls back to its own group
    ]
    # 60 × 50000 / 100000 = 30 and 60 × 10000 / 20000 = 30 (外资, 过亿元 have no target: skipped, rescaled)
    assert points(by_code(laiwu)["ZM01"])["signed"] == D("30.00")


def test_a_grouping_missing_from_the_database_falls_back_for_everyone(db):
    unit("D1", "区及功能区")
    unit("M1", "市直部门", kind="department")
    data = run(load_preset("laiwu-2019"))
    assert {(r["subject"]["code"], r["group"]) for r in data["results"]} == {("D1", "区及功能区"), ("M1", "市直部门")}


def test_ranking_follows_the_grouping_not_the_units_own_group(assessor):
    a, b = unit("A", "重点地区"), unit("B", "重点地区")
    membership_set(user=assessor, unit=a, grouping="莱芜竞赛口径", group="区及功能区")
    membership_set(user=assessor, unit=b, grouping="莱芜竞赛口径", group="市直部门")
    for u in (a, b):
        target(u, 2019, "签约金额", 10000)
    project(a, "2019-03-01", 5000)
    project(b, "2019-03-01", 8000)
    data = run(load_preset("laiwu-2019"))
    assert {(r["subject"]["code"], r["group"], r["rank"]) for r in data["results"]} == {
        ("A", "区及功能区", 1),
        ("B", "市直部门", 1),
    }


def test_conflicts_read_the_exclusive_groups_under_the_grouping(two_schemes):
    county, department = two_schemes
    shared = project(department, "2019-05-01", 30000, code="L3")
    shares(shared, [(department, "0.5"), (county, "0.5")])
    data = run(load_preset("laiwu-2019"))
    assert [c["project"]["code"] for c in data["conflicts"]] == ["L3"]
    assert {(u["code"], u["group"]) for u in data["conflicts"][0]["units"]} == {
        ("ZM01", "区及功能区"),
        ("BM03", "市直部门"),
    }
    # Zhengzhou has no exclusive groups; the county is 重点地区 there and keeps the project's share
    assert run(load_preset("zhengzhou-2019"))["conflicts"] == []


GROUP_PARAMS_SCHEME = """
key = "t-grouping"
name = "分组参数"
[subjects]
groups = ["大组", "小组"]
grouping = "测试口径"
[group_params."大组"]
big = 10000
[group_params."小组"]
big = 1000
[[items]]
key = "big"
name = "大项目"
rule = "per_item"
per = 1
value = { measure = "project_count", stage = "signed", min_amount = "$big" }
"""


def test_group_parameters_follow_the_grouping(assessor):
    a, b = unit("A", "小组"), unit("B", "小组")
    membership_set(user=assessor, unit=a, grouping="测试口径", group="大组")
    project(a, "2019-03-01", 5000)  # below 大组's 1亿
    project(b, "2019-03-01", 5000)  # above 小组's 1000万
    res = by_code(run(parse_scheme(GROUP_PARAMS_SCHEME)))
    assert (res["A"]["group"], points(res["A"])["big"]) == ("大组", D("0.00"))
    assert (res["B"]["group"], points(res["B"])["big"]) == ("小组", D("1.00"))


PERSON_SCHEME = """
key = "t-person"
name = "专班人员"
subject = "person"
[subjects]
unit_kinds = ["产业专班"]
groups = ["甲组"]
grouping = "专班口径"
[[items]]
key = "signed"
name = "签约项目"
rule = "per_item"
per = 1
value = { measure = "project_count", stage = "signed" }
"""


def test_the_grouping_key_is_optional_text():
    assert parse_scheme(GROUP_PARAMS_SCHEME).grouping == "测试口径"
    assert load_preset("zhengzhou-2019").grouping == ""  # the units' own 考核组别
    with pytest.raises(ApplicationError) as exc:
        parse_scheme(GROUP_PARAMS_SCHEME.replace('grouping = "测试口径"', "grouping = 1"))
    assert "subjects.grouping" in exc.value.field_errors


def test_a_person_is_chosen_by_their_units_group_and_ranked_within_their_unit(assessor):
    listed, other = unit("T1", "乙组", kind="task_force"), unit("T2", "乙组", kind="task_force")
    membership_set(user=assessor, unit=listed, grouping="专班口径", group="甲组")
    p, _ = person(listed, name="张三"), person(other, name="李四")
    project(listed, "2019-03-01", 5000, introducer=p)
    data = run(parse_scheme(PERSON_SCHEME))
    assert [(r["subject"]["name"], r["group"], r["rank"]) for r in data["results"]] == [("张三", "T1", 1)]


# ---------------------------------------------------------------------------------------------
# A run with nobody to assess says why


def test_a_run_without_subjects_names_the_groups_and_the_grouping(db):
    unit("Z1", "重点地区")
    with pytest.raises(ApplicationError) as exc:
        run_scheme(load_preset("laiwu-2019"), "2019")
    message = exc.value.message
    assert message.startswith(LAIWU_NO_SUBJECTS)
    assert "分组口径“莱芜竞赛口径”在本系统中不存在" in message and "没有可考核的对象" in message
    assert exc.value.field_errors == {"scheme": [message]}


def test_a_run_without_subjects_when_the_grouping_exists(assessor):
    z = unit("Z1", "重点地区")
    membership_set(user=assessor, unit=z, grouping="莱芜竞赛口径", group="其他组")
    with pytest.raises(ApplicationError, match="按分组口径“莱芜竞赛口径”"):
        run_scheme(load_preset("laiwu-2019"), "2019")


def test_a_person_scheme_without_subjects_names_the_unit_kinds(db):
    with pytest.raises(ApplicationError, match="方案要求的单位类型 产业专班 在本市没有人员"):
        run_scheme(load_preset("bozhou-2021"), "2021")


def test_the_command_line_says_why(db):
    with pytest.raises(CommandError, match=LAIWU_NO_SUBJECTS):
        call_command("assess", "--scheme", "laiwu-2019", "--period", "2019", "--json")
    assert not AssessmentRun.objects.exists()


def test_the_run_form_says_why(db, client, assessor):
    client.force_login(assessor)
    resp = client.post(reverse("assessment:run_list"), {"scheme": "laiwu-2019", "period": "2019", "group": ""})
    assert resp.status_code == 200 and LAIWU_NO_SUBJECTS in resp.content.decode()
    assert not AssessmentRun.objects.exists()


def test_the_api_says_why(db, assessor):
    from tests.api.conftest import _api

    resp = _api(assessor).post("/api/assessment/runs", {"scheme": "laiwu-2019", "period": "2019"})
    assert resp.status_code == 400
    body = resp.json()
    assert body["message"].startswith(LAIWU_NO_SUBJECTS) and body["fields"]["scheme"][0] == body["message"]
    assert not AssessmentRun.objects.exists()


# ---------------------------------------------------------------------------------------------
# The demo city: every preset gives a ranked result (issue 10, acceptance 4)

PRESET_GROUPS = {
    "zhengzhou-2019": {"重点地区", "市内五区及郑东新区"},
    "huaiyin-2020": {"平台", "镇街", "重点招商部门", "一般招商部门"},
    "bole-2023": {"驻点招商局"},
    "bozhou-2021": {"产业专班"},
    "laiwu-2019": {"区及功能区", "市直部门"},
}


@pytest.fixture(scope="module")
def demo_city(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo city, loaded once for the module's tests (they only read it)."""
    from django.conf import settings

    from zhaoshang.demo.city import load_demo_city

    media, settings.MEDIA_ROOT = settings.MEDIA_ROOT, tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock():
        from django.db import transaction

        atomic = transaction.atomic()
        atomic.__enter__()
        load_demo_city()
    yield
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)
    settings.MEDIA_ROOT = media


@pytest.mark.parametrize("key", sorted(PRESET_GROUPS))
def test_every_preset_ranks_the_demo_city(demo_city, key):
    data = to_json(run_scheme(load_preset(key), str(today().year - 1)))
    results = data["results"]
    assert results, key
    if key == "bozhou-2021":  # people are chosen by their unit's group and ranked within their 专班
        assert all(r["group"].endswith("专班") for r in results)
    else:
        assert {r["group"] for r in results} == PRESET_GROUPS[key]
    assert all(r["rank"] >= 1 for r in results)
    assert any(D(r["total"]) > 0 for r in results)
    if key in ("huaiyin-2020", "laiwu-2019"):  # their targets come from the demo (schemegen), not the generator
        assert any(not r["missing_targets"] for r in results)
