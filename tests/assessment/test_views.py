"""Pages and API: assessors run and edit; leaders read; unit users see only their own unit's rows."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse
from ninja.testing import TestClient

from zhaoshang.assessment.api import router
from zhaoshang.assessment.models import AssessmentRun, ManualScore
from zhaoshang.assessment.models import Scheme as SchemeRow

from .test_presets import bole  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db


@pytest.fixture
def run(bole, assessor, client):  # noqa: F811
    client.force_login(assessor)
    resp = client.post(reverse("assessment:run_list"), {"scheme": "bole-2023", "period": "2023", "group": ""})
    assert resp.status_code == 302
    return AssessmentRun.objects.get()


def test_assessor_runs_and_sees_ranked_results(run, client):
    page = client.get(reverse("assessment:run_detail", args=[run.pk])).content.decode()
    assert "驻北京招商局" in page and "89.50" in page and "bg-primary" in page  # 合格 colour
    sheet = client.get(reverse("assessment:subject_sheet", args=[run.pk, run.results["results"][0]["subject"]["id"]]))
    text = sheet.content.decode()
    assert "签约金额 9.70亿元 ÷ 目标 10.00亿元 × 50分 = 48.50分" in text


def test_sheet_links_exact_projects(run, client):
    x = next(r for r in run.results["results"] if r["subject"]["code"] == "X")
    text = client.get(reverse("assessment:subject_sheet", args=[run.pk, x["subject"]["id"]])).content.decode()
    from zhaoshang.ledger.models import Project

    counted = Project.objects.filter(signed_on__year=2023).exclude(status="terminated")
    for p in counted.filter(lead_unit__code="X"):
        assert reverse("ledger:project_detail", args=[p.id]) in text
    old = Project.objects.get(signed_on__year=2022)
    assert reverse("ledger:project_detail", args=[old.id]) not in text


def test_unit_user_sees_only_own_unit_and_only_published(run, client, bole):  # noqa: F811
    from tests.factories import UserFactory

    x, _ = bole
    user = UserFactory(username="x_staff", role="unit_staff", unit=x)
    client.force_login(user)
    assert client.get(reverse("assessment:run_detail", args=[run.pk])).status_code == 404
    run.published = True
    run.save()
    page = client.get(reverse("assessment:run_detail", args=[run.pk])).content.decode()
    assert "驻北京招商局" in page and "驻天津招商局" not in page
    assert client.post(reverse("assessment:run_list"), {"scheme": "bole-2023", "period": "2023"}).status_code == 403
    assert client.get(reverse("assessment:scheme_new")).status_code == 403


def test_leader_reads_but_cannot_run(run, client, leader):
    client.force_login(leader)
    assert client.get(reverse("assessment:run_detail", args=[run.pk])).status_code == 200
    assert client.post(reverse("assessment:run_list"), {"scheme": "bole-2023", "period": "2023"}).status_code == 403
    assert client.post(reverse("assessment:scheme_copy", args=["bole-2023"])).status_code == 403


def test_what_if_changes_scores_without_saving(run, client):
    before = json.dumps(AssessmentRun.objects.get().results, sort_keys=True)
    resp = client.post(
        reverse("assessment:what_if", args=[run.pk]), {"points__signed": "80", "target__funds": "100"},
        HTTP_HX_REQUEST="true",
    )
    text = resp.content.decode()
    # X's signed item becomes 80 × 0.97 = 77.60 → total 89.50 + 29.10 = 118.60
    assert "118.60" in text and "89.50" in text and "<html" not in text
    assert json.dumps(AssessmentRun.objects.get().results, sort_keys=True) == before


def test_scheme_upload_refused_with_key_named_and_saved_when_valid(client, assessor):
    client.force_login(assessor)
    from zhaoshang.assessment.engine.scheme import preset_text

    bad = preset_text("bole-2023").replace("points = 50", 'points = "五十"')
    resp = client.post(reverse("assessment:scheme_new"), {"text": bad})
    assert "items[0].points：应为数字，而不是文本“五十”" in resp.content.decode()
    assert not SchemeRow.objects.exists()
    resp = client.post(reverse("assessment:scheme_validate"), {"text": bad})
    assert "items[0].points" in resp.content.decode()
    resp = client.post(reverse("assessment:scheme_copy", args=["bole-2023"]), {"new_key": "bole-2024"})
    assert resp.status_code == 302
    row = SchemeRow.objects.get()
    assert (row.key, row.version) == ("bole-2024", 1)
    edited = row.text.replace("points = 50", "points = 60")
    client.post(reverse("assessment:scheme_edit", args=["bole-2024"]), {"text": edited})
    assert SchemeRow.objects.filter(key="bole-2024").count() == 2
    assert client.get(reverse("assessment:scheme_list")).status_code == 200
    assert client.get(reverse("assessment:scheme_detail", args=["bole-2024"])).status_code == 200


def test_manual_points_within_range_with_reason(client, assessor, bole):  # noqa: F811
    from zhaoshang.assessment.engine.run import run_scheme, store
    from zhaoshang.assessment.engine.scheme import parse_scheme, preset_text

    text = preset_text("bole-2023").replace('key = "bole-2023"', 'key = "bole-manual"') + (
        '\n[[items]]\nkey = "review"\nname = "综合评价"\nrule = "manual"\nmin = 0\nmax = 5\n'
    )
    run = store(run_scheme(parse_scheme(text), "2023"))
    client.force_login(assessor)
    x = next(s for s in run.results["inputs"] if s["code"] == "X")
    url = reverse("assessment:manual_scores", args=[run.pk])
    resp = client.post(url, {"item": "review", "subject": x["id"], "points": "6", "reason": "好"})
    assert "分值应在" in resp.content.decode()
    client.post(url, {"item": "review", "subject": x["id"], "points": "4.5", "reason": "驻点工作扎实"})
    score = ManualScore.objects.get()
    assert score.points == 4.5 and score.history.count() == 1
    again = run_scheme(parse_scheme(text), "2023")
    res = next(r for r in again.results if r.subject.code == "X")
    assert res.items[-1].points == 4.5 and "驻点工作扎实" in res.items[-1].explain


def test_assess_command_json(bole, capsys):  # noqa: F811
    call_command("assess", "--scheme", "bole-2023", "--period", "2023", "--json", "--publish")
    data = json.loads(capsys.readouterr().out)
    assert data["scheme"]["key"] == "bole-2023" and len(data["scheme"]["sha256"]) == 64
    assert data["period"]["start"] == "2023-01-01" and data["as_of"] == "2023-12-31"
    assert data["run"]["published"] is True and data["run"]["id"] == AssessmentRun.objects.get().id
    assert [r["subject"]["code"] for r in data["results"]] == ["X", "Y"]
    assert data["results"][0]["items"][0]["points"] == "48.50"


def test_assess_command_xlsx(bole, tmp_path):  # noqa: F811
    out = tmp_path / "r.xlsx"
    call_command("assess", "--scheme", "bole-2023", "--period", "2023Q4", "--as-of", "2023-11-30", "-o", str(out))
    assert out.exists()


def test_api(run, assessor, leader):
    api = TestClient(router)
    assert {s["key"] for s in api.get("/schemes", user=leader).json()} >= {"bole-2023", "laiwu-2019"}
    data = api.get(f"/runs/{run.pk}", user=leader).json()
    assert data["results"][0]["total"] == "89.50"
    bad = api.post("/schemes/validate", json={"text": "key = 1"}, user=assessor).json()
    assert bad["ok"] is False and "key" in bad["errors"]
    sid = data["results"][0]["subject"]["id"]
    signed = api.get(f"/runs/{run.pk}/subjects/{sid}", user=leader).json()["rows"]["signed"][0]
    assert signed["label"] == "签约金额" and signed["count"] == len(signed["rows"]) > 0
    assert all(r["kind"] == "project" and r["text"].startswith(r["code"]) for r in signed["rows"])
    wi = api.post(f"/runs/{run.pk}/what-if", json={"points": {"signed": "80"}}, user=leader).json()
    assert wi[0]["total"] == "118.60"


def test_sheet_says_the_rows_behind_a_value_in_words_not_ids(unit_a):
    """People by name and post, submissions by month, fund arrivals by date, project and amount, visits by
    date and enterprise (待归类 where unclassified); never an id."""
    import datetime as dt

    from tests.factories import FundArrivalFactory, PersonFactory, ProjectFactory
    from zhaoshang.activities.models import Submission, Visit
    from zhaoshang.assessment.behind import name_rows

    person = PersonFactory(unit=unit_a, name="潘子桂", staff_no="XY01-02", title="招商局局长")
    late = Submission.objects.create(unit=unit_a, period="2024-03", due_date=dt.date(2024, 4, 5))
    p = ProjectFactory(lead_unit=unit_a, code="P-0007", name="新能源电池项目")
    fund = FundArrivalFactory(project=p, date=dt.date(2024, 5, 6), amount=Decimal("12345.6"))
    visit = Visit.objects.create(unit=unit_a, leader=person, date=dt.date(2024, 2, 1), enterprise="郑州某机械有限公司")
    texts = [r.text for r in name_rows({"people": [person.pk], "submissions": [late.pk], "funds": [fund.pk],
                                        "visits": [visit.pk], "visits_unclassified": [visit.pk]})]
    assert texts == [
        "2024-05-06 P-0007 新能源电池项目 12,345.60万元",
        "2024-02-01 潘子桂带队走访郑州某机械有限公司（待归类）",
        "2024年3月台账未报（截止2024-04-05）",
        "潘子桂（招商局局长）",
    ]


def test_run_page_names_the_first_left_out_projects_and_a_unit_sees_only_its_own(run, client, bole):  # noqa: F811
    """After a province's scan a run can leave out hundreds of thousands of projects: the page names the first
    100 and counts the rest; a unit's user reads only those counted for its units, on the page and in the JSON."""
    from tests.factories import UserFactory

    x, other = bole
    conflicts = [{"project": {"id": 10_000 + i, "code": f"XM-{i:04d}", "name": f"重复项目{i}"},
                  "units": [{"code": (x if i % 3 == 0 else other).code, "name": "", "group": ""}],
                  "message": f"项目“重复项目{i}”疑似同一投资方重复计入，在核实前均不计入"} for i in range(150)]
    run.results = {**run.results, "conflicts": conflicts}
    run.published = True
    run.save()

    page = client.get(reverse("assessment:run_detail", args=[run.pk])).content.decode()
    assert page.count("疑似同一投资方重复计入") == 100
    assert "以上为前 100 项，共 150 项" in page and reverse("integrity:flag_list") in page

    client.force_login(UserFactory(username="x_staff", role="unit_staff", unit=x))
    page = client.get(reverse("assessment:run_detail", args=[run.pk])).content.decode()
    assert page.count("疑似同一投资方重复计入") == 50 and "以上为前" not in page
    assert "重复项目0”" in page and "重复项目1”" not in page
    data = json.loads(client.get(reverse("assessment:run_json", args=[run.pk])).content)
    assert [c["project"]["code"] for c in data["conflicts"]] == [f"XM-{i:04d}" for i in range(0, 150, 3)]
