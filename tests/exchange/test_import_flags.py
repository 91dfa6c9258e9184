"""After an import the integrity flags of the projects it touched are re-checked: the projects the file
wrote, and those it only added fund arrivals to."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from zhaoshang.exchange.importer import import_workbook
from zhaoshang.integrity.models import Flag

from ..factories import ProjectFactory
from .helpers import fill

pytestmark = pytest.mark.django_db


def flagged(*projects) -> bool:
    return Flag.objects.filter(rows__project__in=projects).exists()


def test_a_new_project_pairs_with_one_already_in_the_ledger(tmp_path, assessor, unit_a, unit_b):
    old = ProjectFactory(lead_unit=unit_b, investor="某某新能源科技有限公司", investor_uscc="",
                         signed_on=dt.date(2023, 6, 1), signed_amount=Decimal("1000"))
    assert not flagged(old)
    rows = [{"项目编号": "XM-NEW", "项目名称": "甲区电池项目", "投资方": "某某新能源科技有限公司",
             "签约金额(万元)": 1000, "签约日期": dt.date(2023, 7, 1), "引资单位编码": "A01"}]
    result = import_workbook(fill(tmp_path / "台账.xlsx", {"项目": rows}), user=assessor)
    assert result.committed, result.errors
    assert flagged(old)


def test_a_fund_row_alone_rescans_its_projects_year(tmp_path, assessor, unit_a, unit_b):
    # Two projects of one investor in two units, written without a scan: the import of a fund arrival of one
    # of them rescans their year, read from the ledger (the file does not say it).
    first = ProjectFactory(lead_unit=unit_a, code="XM-A", investor="某某光伏有限公司", investor_uscc="",
                           signed_on=dt.date(2022, 3, 1), signed_amount=Decimal("5000"))
    ProjectFactory(lead_unit=unit_b, code="XM-B", investor="某某光伏有限公司", investor_uscc="",
                   signed_on=dt.date(2022, 4, 1), signed_amount=Decimal("5000"))
    assert not flagged(first)
    funds = [{"项目编号": "XM-A", "到位日期": dt.date(2022, 5, 1), "金额(万元)": 100, "资金类型": "固定资产投资"}]
    result = import_workbook(fill(tmp_path / "资金.xlsx", {"到位资金": funds}), user=assessor)
    assert result.committed, result.errors
    assert flagged(first)
