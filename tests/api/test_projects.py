"""The ledger API as the three named users see it: scope, validation naming the field, optimistic
locking, history and totals."""

from __future__ import annotations

from decimal import Decimal

import pytest

from zhaoshang.ledger.models import FundArrival, Project, ProjectShare

from ..factories import FundArrivalFactory, PersonFactory, ProjectFactory

pytestmark = pytest.mark.django_db


def valid_project(**overrides) -> dict:
    body = {
        "code": "XM-API-1",
        "name": "甲区储能电池项目",
        "investor": "某某储能科技有限公司",
        "investor_uscc": "91110000600037341L",
        "category": "C",
        "signed_amount": "12345.6789",
        "signed_on": "2024-03-01",
        "registered_on": "2024-04-01",
        "started_on": "2024-05-01",
        "status": "advancing",
        "lead_unit_code": "A01",
    }
    body.update(overrides)
    return body


# ---- scope ----------------------------------------------------------------------------------------------------


def test_unit_staff_lists_only_own_units_projects(api_a, project_a, project_b):
    r = api_a.get("/api/projects")
    assert r.status_code == 200
    body = r.json()
    assert [p["code"] for p in body["items"]] == ["XM-A-1"]
    assert body["count"] == 1
    assert body["totals"] == {"count": 1, "signed_amount": "50000.0000", "funds": "0.0000"}


def test_unit_staff_gets_404_for_other_units_project(api_a, project_b):
    r = api_a.get(f"/api/projects/{project_b.pk}")
    assert r.status_code == 404
    assert r.json()["message"]


def test_assessor_sees_all_projects(api_assessor, project_a, project_b):
    body = api_assessor.get("/api/projects").json()
    assert {p["code"] for p in body["items"]} == {"XM-A-1", "XM-B-1"}
    assert body["totals"]["signed_amount"] == "100000.0000"
    assert api_assessor.get(f"/api/projects/{project_b.pk}").status_code == 200


def test_filters_pagination_and_totals_cover_the_whole_filtered_set(api_assessor, unit_a, unit_b):
    for i in range(5):
        ProjectFactory(lead_unit=unit_a, signed_amount=Decimal("100"), code=f"A-{i}")
    ProjectFactory(lead_unit=unit_b, signed_amount=Decimal("7"), code="B-0", status="negotiating")
    r = api_assessor.get("/api/projects", {"unit_code": "A01", "limit": 2, "offset": 0, "sort": "code"})
    body = r.json()
    assert r.status_code == 200
    assert [p["code"] for p in body["items"]] == ["A-0", "A-1"]
    assert body["count"] == 5
    assert body["totals"]["signed_amount"] == "500.0000"
    body = api_assessor.get("/api/projects", {"status": "negotiating"}).json()
    assert [p["code"] for p in body["items"]] == ["B-0"]
    body = api_assessor.get("/api/projects", {"amount_min": "50", "amount_max": "100"}).json()
    assert body["count"] == 5


def test_bad_filter_names_the_parameter(api_assessor):
    r = api_assessor.get("/api/projects", {"sort": "password", "stage": "nonsense"})
    assert r.status_code == 422
    assert set(r.json()["fields"]) == {"sort", "stage"}


def test_detail_gives_ids_and_codes_shares_stages_funds_and_version(api_a, project_a, unit_a, unit_a_child):
    project_a.shares.create(unit=unit_a, ratio="0.7")
    project_a.shares.create(unit=unit_a_child, ratio="0.3")
    FundArrivalFactory(project=project_a, amount=Decimal("250.5"))
    body = api_a.get(f"/api/projects/{project_a.pk}").json()
    assert body["lead_unit_id"] == unit_a.pk and body["lead_unit_code"] == "A01"
    assert body["signed_amount"] == "50000.0000"
    assert body["signed_on"] == "2024-02-01"
    assert {(s["unit_code"], s["ratio"]) for s in body["shares"]} == {("A01", "0.700000"), ("A01-01", "0.300000")}
    assert body["fund_arrivals"][0]["amount"] == "250.5000"
    assert body["fund_totals"]["total"] == "250.5000"
    assert body["version"] == 1


# ---- create -----------------------------------------------------------------------------------------------------


def test_create_valid_project(api_a, unit_a, staff_a):
    introducer = PersonFactory(unit=unit_a, staff_no="GH001")
    r = api_a.post("/api/projects", valid_project(introducer_staff_no="GH001"))
    assert r.status_code == 201, r.json()
    body = r.json()
    assert body["signed_amount"] == "12345.6789"
    assert body["stage"] == "started"
    assert body["introducer_id"] == introducer.pk and body["introducer_staff_no"] == "GH001"
    assert {s["stage"] for s in body["stage_records"]} == {"signed", "registered", "started"}
    project = Project.objects.get(code="XM-API-1")
    assert project.signed_amount == Decimal("12345.6789")
    assert project.created_by == staff_a
    assert project.history.first().history_user == staff_a


@pytest.mark.parametrize(
    ("overrides", "field", "status"),
    [
        ({"registered_on": "2024-06-01", "started_on": "2024-05-01"}, "started_on", 400),
        ({"signed_amount": "-1"}, "signed_amount", 400),
        ({"investor_uscc": "91350100M000100Y4Z"}, "investor_uscc", 400),
        ({"shares": [{"unit_code": "A01", "ratio": "0.5"}, {"unit_code": "A01-01", "ratio": "0.4"}]}, "shares", 400),
        ({"lead_unit_code": "NOPE"}, "lead_unit_code", 422),
        ({"introducer_staff_no": "NOPE"}, "introducer_staff_no", 422),
        ({"signed_amount": 12.5}, "signed_amount", 422),
        ({"signed_amount": "1.23456"}, "signed_amount", 422),
        ({"signed_on": "2024-13-01"}, "signed_on", 422),
        ({"status": "done"}, "status", 422),
        ({"lead_unit": "A01"}, "lead_unit", 422),
        ({"name": None}, "name", 422),
    ],
)
def test_invalid_project_is_refused_naming_the_field_and_nothing_is_saved(
    api_a, unit_a, unit_a_child, overrides, field, status
):
    before = (Project.objects.count(), ProjectShare.objects.count())
    r = api_a.post("/api/projects", valid_project(**overrides))
    assert r.status_code == status, r.json()
    body = r.json()
    assert field in body["fields"], body
    assert body["message"]
    assert (Project.objects.count(), ProjectShare.objects.count()) == before


def test_missing_required_fields_are_all_named(api_a, unit_a):
    r = api_a.post("/api/projects", {"code": "X"})
    assert r.status_code == 422
    assert {"name", "investor", "lead_unit_code"} <= set(r.json()["fields"])


def test_stage_dates_out_of_order_message_is_chinese_and_names_the_date(api_a, unit_a):
    r = api_a.post("/api/projects", valid_project(registered_on="2024-06-01", started_on="2024-05-01"))
    assert "开工日期" in r.json()["fields"]["started_on"][0]


def test_staff_cannot_create_a_project_for_another_unit(api_a, unit_a, unit_b):
    r = api_a.post("/api/projects", valid_project(lead_unit_code="B01"))
    assert r.status_code == 403
    assert not Project.objects.filter(code="XM-API-1").exists()


def test_leader_is_read_only(api_leader, unit_a, project_a):
    assert api_leader.get("/api/projects").status_code == 200
    assert api_leader.post("/api/projects", valid_project()).status_code == 403
    r = api_leader.patch(f"/api/projects/{project_a.pk}", {"version": 1, "name": "改名"})
    assert r.status_code == 403
    project_a.refresh_from_db()
    assert project_a.name == "甲区电池项目"


# ---- update -----------------------------------------------------------------------------------------------------


def test_patch_updates_and_bumps_version(api_a, project_a, staff_a):
    r = api_a.patch(f"/api/projects/{project_a.pk}", {"version": 1, "signed_amount": "60000.5", "name": "新名称"})
    assert r.status_code == 200, r.json()
    body = r.json()
    assert body["version"] == 2 and body["signed_amount"] == "60000.5000" and body["name"] == "新名称"
    project_a.refresh_from_db()
    assert project_a.signed_amount == Decimal("60000.5")


def test_patch_with_stale_version_is_409_and_does_not_overwrite(api_a, api_assessor, project_a):
    assert api_assessor.patch(f"/api/projects/{project_a.pk}", {"version": 1, "name": "考核办改的"}).status_code == 200
    r = api_a.patch(f"/api/projects/{project_a.pk}", {"version": 1, "name": "单位改的"})
    assert r.status_code == 409
    body = r.json()
    assert "已被他人修改" in body["message"]
    assert body["extra"]["current_version"] == 2
    project_a.refresh_from_db()
    assert project_a.name == "考核办改的"


def test_patch_requires_version(api_a, project_a):
    r = api_a.patch(f"/api/projects/{project_a.pk}", {"name": "x"})
    assert r.status_code == 422
    assert "version" in r.json()["fields"]


def test_history_records_the_api_user(api_a, project_a, staff_a):
    api_a.patch(f"/api/projects/{project_a.pk}", {"version": 1, "name": "历史测试"})
    record = project_a.history.first()
    assert record.name == "历史测试"
    assert record.history_user == staff_a


def test_staff_writing_another_units_project(api_a, api_b, project_a, project_b, unit_a):
    # Invisible: 404, so ids of other units' projects reveal nothing.
    assert api_a.patch(f"/api/projects/{project_b.pk}", {"version": 1, "name": "x"}).status_code == 404
    # Visible because shared with unit A, but introduced by unit B: read yes, write 403.
    project_b.shares.create(unit=unit_a, ratio="0.5")
    project_b.shares.create(unit=project_b.lead_unit, ratio="0.5")
    assert api_a.get(f"/api/projects/{project_b.pk}").status_code == 200
    assert api_a.patch(f"/api/projects/{project_b.pk}", {"version": 1, "name": "x"}).status_code == 403
    assert api_a.post(f"/api/projects/{project_b.pk}/funds", {"date": "2024-03-01", "amount": "1"}).status_code == 403
    # Moving one's own project to another unit is refused too.
    r = api_a.patch(f"/api/projects/{project_a.pk}", {"version": 1, "lead_unit_code": "B01"})
    assert r.status_code == 403
    project_b.refresh_from_db()
    assert project_b.name == "乙县光伏项目"


def test_clearing_a_filed_stage_is_refused_for_unit_staff(api_a, project_a):
    project_a.registered_on = project_a.signed_on
    project_a.save()
    r = api_a.patch(f"/api/projects/{project_a.pk}", {"version": 1, "registered_on": None})
    assert r.status_code == 400
    assert "registered_on" in r.json()["fields"]


# ---- shares, stages, funds -------------------------------------------------------------------------------------------


def test_put_shares(api_a, project_a, unit_a_child):
    url = f"/api/projects/{project_a.pk}/shares"
    r = api_a.put(url, {"shares": [{"unit_code": "A01", "ratio": "0.6"}, {"unit_code": "A01-01", "ratio": "0.4"}]})
    assert r.status_code == 200, r.json()
    assert {s["unit_code"]: s["ratio"] for s in r.json()} == {"A01": "0.600000", "A01-01": "0.400000"}
    r = api_a.put(url, {"shares": [{"unit_code": "A01", "ratio": "0.6"}, {"unit_code": "A01-01", "ratio": "0.3"}]})
    assert r.status_code == 400 and "shares" in r.json()["fields"]
    assert ProjectShare.objects.filter(project=project_a).count() == 2
    r = api_a.put(url, {"shares": [{"unit_code": "ZZ", "ratio": "1"}]})
    assert r.status_code == 422 and "shares.0.unit_code" in r.json()["fields"]
    assert api_a.put(url, {"shares": []}).status_code == 200
    assert not ProjectShare.objects.filter(project=project_a).exists()


def test_file_stage(api_a, project_a):
    url = f"/api/projects/{project_a.pk}/stages"
    r = api_a.post(url, {"stage": "registered", "date": "2024-02-10", "note": "执照"})
    assert r.status_code == 201, r.json()
    assert r.json()["stage"] == "registered"
    project_a.refresh_from_db()
    assert project_a.stage == "registered" and project_a.version == 2
    r = api_a.post(f"/api/projects/{project_a.pk}/stages", {"stage": "registered", "date": "2024-02-11"})
    assert r.status_code == 400 and "stage" in r.json()["fields"]
    r = api_a.post(f"/api/projects/{project_a.pk}/stages", {"stage": "signed", "date": "2024-02-11"})
    assert r.status_code == 422 and "stage" in r.json()["fields"]


def test_recording_funds_changes_the_totals(api_a, project_a, staff_a):
    url = f"/api/projects/{project_a.pk}/funds"
    assert api_a.get(url).json()["totals"]["total"] == "0.0000"
    r = api_a.post(url, {"date": "2024-03-05", "amount": "1234.5", "kind": "fixed_asset"})
    assert r.status_code == 201, r.json()
    assert r.json()["amount"] == "1234.5000" and r.json()["recorded_by"] == "staff_a"
    body = api_a.get(url).json()
    assert body["totals"]["total"] == "1234.5000"
    assert len(body["items"]) == 1
    assert api_a.get("/api/projects").json()["totals"]["funds"] == "1234.5000"
    assert FundArrival.objects.get().history.first().history_user == staff_a


def test_fund_amount_must_be_positive(api_a, project_a):
    r = api_a.post(f"/api/projects/{project_a.pk}/funds", {"date": "2024-03-05", "amount": "0"})
    assert r.status_code == 400 and "amount" in r.json()["fields"]
    assert not FundArrival.objects.exists()
