"""The workbook sheet 产出: import with the service's rules, errors named by sheet, row and column, export."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from zhaoshang.exchange.exporter import export_workbook
from zhaoshang.exchange.importer import import_workbook
from zhaoshang.ledger.choices import Verification
from zhaoshang.ledger.models import ProjectYield

from ..exchange.helpers import fill, read_rows
from ..factories import ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def producing(unit_a):
    return ProjectFactory(lead_unit=unit_a, code="XM-P-1", name="甲区电机厂", signed_on=dt.date(2022, 1, 5),
                          registered_on=dt.date(2022, 2, 1), started_on=dt.date(2022, 3, 1),
                          completed_on=dt.date(2022, 12, 1), producing_on=dt.date(2023, 1, 10), stage="producing")


def test_import_export_and_errors(tmp_path, staff_a, staff_b, producing, project_a):
    rows = [{"项目编号": "XM-P-1", "年度": 2023, "产值(万元)": 20000, "税收(万元)": 800, "用工人数": 120,
             "用地(亩)": 100}]
    result = import_workbook(fill(tmp_path / "产出.xlsx", {"产出": rows}), user=staff_a)
    assert result.ok, result.errors
    item = ProjectYield.objects.get()
    assert item.tax == Decimal("800") and item.land_mu == Decimal("100") and item.verification == Verification.PENDING
    assert item.history.get().history_user == staff_a
    # the same file again changes nothing; a changed verified row goes back to 待核实
    assert import_workbook(fill(tmp_path / "again.xlsx", {"产出": rows}), user=staff_a).total("created") == 0
    ProjectYield.objects.update(verification=Verification.VERIFIED, verified_on=dt.date(2024, 1, 5))
    rows[0]["税收(万元)"] = 900
    assert import_workbook(fill(tmp_path / "changed.xlsx", {"产出": rows}), user=staff_a).ok
    item.refresh_from_db()
    assert item.tax == Decimal("900") and item.verification == Verification.PENDING and item.verified_on is None

    bad = [{"项目编号": "XM-P-1", "年度": 2022, "税收(万元)": 1},
           {"项目编号": project_a.code, "年度": 2024, "税收(万元)": 1},
           {"项目编号": "XM-P-1", "年度": 2024}]
    result = import_workbook(fill(tmp_path / "bad.xlsx", {"产出": bad}), user=staff_a)
    found = {(e.sheet, e.row, e.column, e.message) for e in result.errors}
    assert ("产出", 2, "年度", "项目于2023-01-10投产，不能登记2022年的产出") in found
    assert ("产出", 3, "年度", "项目尚未投产（未填写投产日期），不能登记产出") in found
    assert ("产出", 4, "税收(万元)", "产值、税收、用工人数、用地至少填写一项") in found
    # another unit's project is a code that names nothing
    result = import_workbook(fill(tmp_path / "other.xlsx", {"产出": rows}), user=staff_b)
    assert not result.ok and ProjectYield.objects.count() == 1

    export_workbook(tmp_path / "out.xlsx", user=staff_a)
    exported = read_rows(tmp_path / "out.xlsx", "产出")
    assert exported == [{"项目编号": "XM-P-1", "年度": 2023, "产值(万元)": 20000, "税收(万元)": 900, "用工人数": 120,
                         "用地(亩)": 100, "说明": None}]
