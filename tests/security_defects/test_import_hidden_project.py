"""Defect 4: importing a row with another unit's project code answered with that project's stage errors
(and so told what the user may not see). Now the code is answered as if it did not exist for this user,
except that it is taken: "项目编号已被占用", nothing else."""

from __future__ import annotations

import datetime as dt

from zhaoshang.exchange.importer import import_workbook
from zhaoshang.ledger.models import Project

from ..exchange.helpers import fill


def test_another_units_project_code_is_only_taken(tmp_path, staff_a, unit_a, project_b):
    before = Project.objects.get(pk=project_b.pk)
    row = {"项目编号": project_b.code, "项目名称": "甲区新项目", "投资方": "某公司", "签约金额(万元)": 10,
           "引资单位编码": "A01", "签约日期": dt.date(2024, 3, 1), "注册日期": dt.date(2024, 1, 1)}
    result = import_workbook(fill(tmp_path / "占用.xlsx", {"项目": [row]}), user=staff_a)
    assert [(e.sheet, e.row, e.column, e.message) for e in result.errors] == [
        ("项目", 2, "项目编号", f"项目编号“{project_b.code}”已被占用，请换一个编号")]
    text = " ".join(e.message for e in result.errors)
    assert project_b.name not in text and "乙县" not in text and "阶段" not in text
    assert Project.objects.get(pk=project_b.pk).name == before.name


def test_a_fund_row_naming_another_units_project_is_an_unknown_code(tmp_path, staff_a, project_b):
    rows = {"到位资金": [{"项目编号": project_b.code, "到位日期": dt.date(2024, 3, 1), "金额(万元)": 5,
                          "资金类型": "其他"}]}
    result = import_workbook(fill(tmp_path / "资金.xlsx", rows), user=staff_a)
    assert [e.message for e in result.errors] == [f"项目编号“{project_b.code}”不存在（文件和系统中都没有）"]


def test_a_project_shared_with_the_unit_is_still_seen(tmp_path, staff_a, assessor, project_b, unit_a, unit_b):
    from decimal import Decimal

    from zhaoshang.ledger import services

    services.project_set_shares(user=assessor, project=project_b,
                                shares=[(unit_a, Decimal("0.5")), (unit_b, Decimal("0.5"))])
    row = {"项目编号": project_b.code, "项目名称": "改名", "投资方": "某公司", "签约金额(万元)": 10,
           "引资单位编码": "B01"}
    result = import_workbook(fill(tmp_path / "共享.xlsx", {"项目": [row]}), user=staff_a)
    assert ["本单位及下级单位" in e.message for e in result.errors] == [True]
