"""The resident offices in the API, written through the office pages' services: a unit user writes for
their own office and gets 404 for another; read-only roles read and are refused writes (403); the rules
of the pages hold (budget only by the assessment office, no approving one's own expense, the budget
ceiling, settlement before the next quarter's subsidy); every write leaves a history row naming its
author; a model validation error names the field in Chinese."""

from __future__ import annotations

import datetime as dt

import pytest

from zhaoshang.activities.models import Attendance, Expense, OfficeBudget, WeeklyCheck, WorkLog
from zhaoshang.orgs.choices import UserRole

from ..factories import PersonFactory, UnitFactory, UserFactory
from .conftest import _api

pytestmark = pytest.mark.django_db

DAY = dt.date(2024, 3, 4)


@pytest.fixture
def offices(db):
    bj = UnitFactory(code="BJ", name="驻北京招商局", kind="resident_office")
    sh = UnitFactory(code="SH", name="驻上海招商局", kind="resident_office")
    return bj, sh


@pytest.fixture
def bj_staff(offices):
    user = UserFactory(username="bj_staff", role=UserRole.UNIT_STAFF, unit=offices[0])
    PersonFactory(staff_no="BJ001", name="李驻点", unit=offices[0], user=user)
    return user


@pytest.fixture
def bj_head(offices):
    return UserFactory(username="bj_head", role=UserRole.UNIT_HEAD, unit=offices[0])


@pytest.fixture
def sh_staff(offices):
    return UserFactory(username="sh_staff", role=UserRole.UNIT_STAFF, unit=offices[1])


def test_a_unit_user_sees_and_writes_their_own_office_only(offices, bj_staff, sh_staff):
    bj, sh = offices
    WorkLog.objects.create(unit=bj, date=DAY, enterprises="甲公司")
    api = _api(sh_staff)
    assert [o["name"] for o in api.get("/api/offices").json()["items"]] == ["驻上海招商局"]
    for path in ("", "/work-logs", "/weekly-checks", "/budgets", "/expenses", "/attendance", "/settlements",
                 "/subsidies"):
        assert api.get(f"/api/offices/{bj.pk}{path}").status_code == 404, path
    writes = [
        ("post", "/work-logs", {"date": "2024-03-04", "enterprises": ["乙公司"]}),
        ("post", "/weekly-checks", {"week_ending": "2024-03-10"}),
        ("post", "/expenses", {"date": "2024-03-04", "category": "travel", "amount": "100", "description": "高铁"}),
        ("put", "/attendance", {"staff_no": "BJ001", "date": "2024-03-04", "on_station": True}),
        ("post", "/settlements", {"quarter": "2024Q1"}),
    ]
    for method, path, body in writes:
        response = getattr(api, method)(f"/api/offices/{bj.pk}{path}", body)
        assert response.status_code == 404, path
        assert "驻北京" not in response.json()["message"]
    assert WorkLog.objects.count() == 1 and not Expense.objects.exists() and not Attendance.objects.exists()


def test_a_work_log_is_created_through_the_service_with_its_history(offices, bj_staff):
    bj, _ = offices
    api = _api(bj_staff)
    response = api.post(f"/api/offices/{bj.pk}/work-logs", {
        "date": "2024-03-04", "enterprises": ["甲公司", " 乙公司 "], "contacts": "对接投资部", "results": "约定考察"})
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["enterprises"] == ["甲公司", "乙公司"] and body["author_name"] == "李驻点"
    log = WorkLog.objects.get()
    assert log.created_by == bj_staff and log.author.staff_no == "BJ001"
    assert log.history.get().history_user == bj_staff
    listed = api.get(f"/api/offices/{bj.pk}/work-logs").json()
    assert listed["count"] == 1 and listed["items"][0]["results"] == "约定考察"
    # The page shows what the API wrote.
    from django.test import Client

    client = Client()
    client.force_login(bj_staff)
    assert "乙公司" in client.get(f"/work/offices/{bj.pk}/").content.decode()

    future = api.post(f"/api/offices/{bj.pk}/work-logs", {
        "date": f"{dt.date.today() + dt.timedelta(days=3):%Y-%m-%d}", "enterprises": ["丙公司"]})
    assert future.status_code == 400
    assert future.json()["message"] == "日期不能晚于今天" and "date" in future.json()["fields"]


def test_validation_errors_name_the_field_in_chinese(offices, bj_staff):
    bj, _ = offices
    api = _api(bj_staff)
    negative = api.post(f"/api/offices/{bj.pk}/expenses", {
        "date": "2024-03-05", "category": "travel", "amount": "-860", "description": "往返高铁票"})
    assert negative.status_code == 400
    body = negative.json()
    assert body["message"].startswith("数据校验未通过：金额(元)：")
    assert "金额不能为负数" in body["message"] and "amount" in body["fields"]
    blank = api.post(f"/api/offices/{bj.pk}/expenses", {
        "date": "2024-03-05", "category": "travel", "amount": "860", "description": "  "})
    assert blank.status_code == 400 and "事由：" in blank.json()["message"]
    float_amount = api.post(f"/api/offices/{bj.pk}/expenses", {
        "date": "2024-03-05", "category": "travel", "amount": 860.5, "description": "高铁"})
    assert float_amount.status_code == 422 and "字符串" in float_amount.json()["fields"]["amount"][0]
    unknown_person = api.put(f"/api/offices/{bj.pk}/attendance",
                             {"staff_no": "SH999", "date": "2024-03-04", "on_station": True})
    assert unknown_person.status_code == 422
    assert unknown_person.json()["fields"] == {"staff_no": ["本驻点招商局没有工号为“SH999”的人员"]}
    assert not Expense.objects.exists()


def test_read_only_roles_read_every_office_and_write_nothing(offices, leader):
    bj, sh = offices
    api = _api(leader)
    assert api.get("/api/offices").json()["count"] == 2
    assert api.get(f"/api/offices/{sh.pk}/work-logs").status_code == 200
    assert api.post(f"/api/offices/{bj.pk}/work-logs", {"date": "2024-03-04", "enterprises": ["甲"]}).status_code == 403
    assert api.put(f"/api/offices/{bj.pk}/budgets", {"year": 2024, "amount": "32.5"}).status_code == 403
    assert api.post(f"/api/offices/{bj.pk}/subsidies", {"quarter": "2024Q1"}).status_code == 403
    assert not WorkLog.objects.exists() and not OfficeBudget.objects.exists()


def test_money_flow_budget_expense_approval_settlement_and_subsidy(offices, bj_staff, bj_head, assessor):
    bj, _ = offices
    staff, head, office = _api(bj_staff), _api(bj_head), _api(assessor)
    # Only the assessment office sets the budget (万元).
    assert staff.put(f"/api/offices/{bj.pk}/budgets", {"year": 2024, "amount": "0.1"}).status_code == 403
    budget = office.put(f"/api/offices/{bj.pk}/budgets", {"year": 2024, "amount": "0.1", "note": "定额包干"})
    assert budget.json() == {"year": 2024, "amount": "0.1000", "note": "定额包干"}
    assert OfficeBudget.objects.get().history.get().history_user == assessor

    for day in (4, 5):
        response = staff.put(f"/api/offices/{bj.pk}/attendance", {"staff_no": "BJ001", "date": f"2024-03-0{day}",
                                                                   "on_station": True})
        assert response.json()["on_station"] is True
    assert [a["date"] for a in staff.get(f"/api/offices/{bj.pk}/attendance", {"month": "2024-03"}).json()] == [
        "2024-03-04", "2024-03-05"]

    first = staff.post(f"/api/offices/{bj.pk}/expenses", {
        "date": "2024-03-05", "category": "travel", "amount": "860", "description": "往返高铁票"}).json()
    second = staff.post(f"/api/offices/{bj.pk}/expenses", {
        "date": "2024-03-06", "category": "meals", "amount": "300", "description": "工作餐"}).json()
    assert first["amount"] == "860.00" and first["status_display"] == "待审批"
    # Not by the person who entered it, nor by staff.
    assert staff.post(f"/api/offices/{bj.pk}/expenses/{first['id']}/decision", {"approve": True}).status_code == 403
    approved = head.post(f"/api/offices/{bj.pk}/expenses/{first['id']}/decision", {"approve": True})
    assert approved.json()["status_display"] == "已审批"
    # 0.1万元 = 1000元: 860 + 300 would exceed it.
    over = head.post(f"/api/offices/{bj.pk}/expenses/{second['id']}/decision", {"approve": True})
    assert over.status_code == 400 and "定额包干经费 1,000.00 元" in over.json()["message"]
    head.post(f"/api/offices/{bj.pk}/expenses/{second['id']}/decision", {"approve": False})

    detail = staff.get(f"/api/offices/{bj.pk}", {"year": 2024}).json()
    assert detail["budget"]["approved_yuan"] == "860.00" and detail["budget"]["remaining_yuan"] == "140.00"

    # The next quarter's subsidy waits for this quarter's settlement.
    refused = office.post(f"/api/offices/{bj.pk}/subsidies", {"quarter": "2024Q2"})
    assert refused.status_code == 400 and "2024Q1 的费用尚未核销" in refused.json()["message"]
    settled = head.post(f"/api/offices/{bj.pk}/settlements", {"quarter": "2024q1"})
    assert settled.status_code == 201 and settled.json()["expenses_total"] == "860.00"
    paid = office.post(f"/api/offices/{bj.pk}/subsidies", {"quarter": "2024Q1"}).json()
    assert paid["person_days"] == 2 and paid["amount"] == "160.00" and paid["rate"] == "80.00"
    assert staff.get(f"/api/offices/{bj.pk}/subsidies").json()[0]["quarter"] == "2024Q1"


def test_weekly_check_counts_the_weeks_logs(offices, bj_staff):
    bj, _ = offices
    WorkLog.objects.create(unit=bj, date=dt.date(2024, 3, 4), enterprises="甲公司\n乙公司")
    WorkLog.objects.create(unit=bj, date=dt.date(2024, 3, 10), enterprises="丙公司")
    api = _api(bj_staff)
    saturday = api.post(f"/api/offices/{bj.pk}/weekly-checks", {"week_ending": "2024-03-09"})
    assert saturday.status_code == 400 and "核实周（周日）" in saturday.json()["message"]
    check = api.post(f"/api/offices/{bj.pk}/weekly-checks", {"week_ending": "2024-03-10", "note": "已核实"}).json()
    assert check["logs_checked"] == 2 and check["enterprises_checked"] == 3 and check["checked_by"]
    assert WeeklyCheck.objects.get().checked_by == bj_staff
    again = api.post(f"/api/offices/{bj.pk}/weekly-checks", {"week_ending": "2024-03-10"})
    assert again.status_code == 400 and "该周已核实" in again.json()["message"]


def test_the_api_page_describes_the_office_fields_in_chinese(client):
    schema = client.get("/api/openapi.json").json()
    paths = schema["paths"]
    for path in ("/api/offices/{office_id}/attendance", "/api/offices/{office_id}/work-logs",
                 "/api/offices/{office_id}/weekly-checks", "/api/offices/{office_id}/budgets",
                 "/api/offices/{office_id}/expenses", "/api/offices/{office_id}/settlements",
                 "/api/offices/{office_id}/subsidies"):
        assert path in paths, path
    expense = schema["components"]["schemas"]["ExpenseIn"]["properties"]
    assert "元" in expense["amount"]["description"] and expense["amount"]["type"] == "string"
    assert schema["components"]["schemas"]["BudgetIn"]["properties"]["amount"]["description"].startswith("年度经费")
    assert paths["/api/offices/{office_id}/work-logs"]["post"]["summary"] == "填报工作日志"
