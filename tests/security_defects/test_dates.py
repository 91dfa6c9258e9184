"""Defect 6: implausible dates. A date before 1949-01-01 or more than ten years ahead is refused on import,
in forms and in the API (one validator on every date field of the models, core/dates.py), unless a field
says otherwise (an enterprise's founding date in the company registry)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from zhaoshang.core import dates
from zhaoshang.exchange.importer import import_workbook
from zhaoshang.integrity.models import RegistryEntry
from zhaoshang.ledger.models import FundArrival, Project

from ..exchange.helpers import fill


def test_the_api_refuses_a_date_before_1949_naming_the_field(api_a, unit_a):
    response = api_a.post("/api/projects", {"code": "XM-D-1", "name": "项目", "investor": "某公司",
                                            "signed_amount": "10", "signed_on": "1900-01-01", "lead_unit_code": "A01"})
    assert response.status_code == 400
    assert response.json()["fields"] == {"signed_on": ["签约日期（1900-01-01）早于1949年1月1日，请核对"]}
    assert not Project.objects.exists()


def test_a_fund_date_decades_ahead_is_refused_as_implausible_not_just_future(api_a, project_a):
    response = api_a.post(f"/api/projects/{project_a.pk}/funds", {"date": "2204-05-01", "amount": "10",
                                                                   "kind": "fixed_asset"})
    assert response.status_code == 400
    assert "超出今后10年" in response.json()["fields"]["date"][0]
    assert not FundArrival.objects.exists()


def test_the_form_refuses_it_beside_the_field(client, staff_a, project_a):
    client.force_login(staff_a)
    page = client.post(reverse("ledger:fund_create", args=[project_a.pk]),
                       {"date": "1931-09-18", "amount": "10", "kind": "fixed_asset"}).content.decode()
    assert "到位日期（1931-09-18）早于1949年1月1日，请核对" in page
    assert not FundArrival.objects.exists()


def test_the_import_refuses_it_naming_the_cell(tmp_path, staff_a, unit_a):
    row = {"项目编号": "XM-D-2", "项目名称": "项目", "投资方": "某公司", "签约金额(万元)": 10, "引资单位编码": "A01",
           "签约日期": dt.date(1900, 1, 1)}
    result = import_workbook(fill(tmp_path / "日期.xlsx", {"项目": [row]}), user=staff_a)
    assert [(e.row, e.column, e.message) for e in result.errors] == [
        (2, "签约日期", "签约日期（1900-01-01）早于1949年1月1日，请核对")]


def test_the_limits(monkeypatch):
    monkeypatch.setattr(dates, "today", lambda: dt.date(2024, 2, 29))
    assert dates.latest() == dt.date(2034, 2, 28)
    assert dates.date_problem(dt.date(1949, 1, 1), label="日期") is None
    assert dates.date_problem(dt.date(2034, 2, 28), label="日期") is None
    assert dates.date_problem(dt.date(2034, 3, 1), label="日期") is not None


@pytest.mark.django_db
def test_a_field_may_say_otherwise():
    entry = RegistryEntry(uscc="91110000600037341L", name="老字号", founded_on=dt.date(1669, 1, 1))
    entry.full_clean(exclude=["batch"])
