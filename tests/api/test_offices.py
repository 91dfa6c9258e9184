"""Resident offices in the API (read-only), with the office pages' scope: an office's staff read their own
office's logs, budgets and expenses; another office's are 404; the assessor reads every office."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from zhaoshang.activities.models import Expense, OfficeBudget, WorkLog
from zhaoshang.orgs.choices import UserRole

from ..factories import UnitFactory, UserFactory
from .conftest import _api

pytestmark = pytest.mark.django_db


@pytest.fixture
def offices(db):
    bj = UnitFactory(code="BJ", name="驻北京招商局", kind="resident_office")
    sh = UnitFactory(code="SH", name="驻上海招商局", kind="resident_office")
    for office in (bj, sh):
        WorkLog.objects.create(unit=office, date=dt.date(2024, 3, 4), enterprises="甲公司\n乙公司", results="约定考察")
        OfficeBudget.objects.create(unit=office, year=2024, amount=Decimal("32.5"))
        Expense.objects.create(unit=office, date=dt.date(2024, 3, 5), category="travel", amount=Decimal("860"),
                               description="往返高铁票")
    return bj, sh


def test_office_staff_read_their_own_office_only(offices):
    bj, sh = offices
    api = _api(UserFactory(username="bj_staff", role=UserRole.UNIT_STAFF, unit=bj))
    listed = api.get("/api/offices").json()
    assert [o["name"] for o in listed["items"]] == ["驻北京招商局"]
    logs = api.get(f"/api/offices/{bj.pk}/work-logs").json()
    assert logs["count"] == 1 and logs["items"][0]["enterprises"] == ["甲公司", "乙公司"]
    assert api.get(f"/api/offices/{bj.pk}/budgets").json() == [{"year": 2024, "amount": "32.5000", "note": ""}]
    expense = api.get(f"/api/offices/{bj.pk}/expenses").json()["items"][0]
    assert expense["amount"] == "860.00" and expense["category_display"] == "差旅费"
    assert expense["status_display"] == "待审批"
    for path in ("work-logs", "budgets", "expenses"):
        assert api.get(f"/api/offices/{sh.pk}/{path}").status_code == 404


def test_assessor_reads_every_office(offices, assessor):
    api = _api(assessor)
    assert api.get("/api/offices").json()["count"] == 2
