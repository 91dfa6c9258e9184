"""The 项目 sheet carries 建设性质 and 投资方标签: labels import (several tags separated by 、), a wrong tag is
named with its sheet, row and column, and an export imports again unchanged."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.exchange.helpers import UNITS, fill, read_rows
from tests.factories import ProjectFactory
from zhaoshang.exchange.exporter import export_workbook
from zhaoshang.exchange.importer import import_workbook
from zhaoshang.ledger.models import Project

pytestmark = pytest.mark.django_db


def row(code: str, kind, tags) -> dict:
    return {"项目编号": code, "项目名称": f"项目{code}", "投资方": "某某科技有限公司", "签约金额(万元)": 1000,
            "签约日期": dt.date(2024, 2, 1), "引资单位编码": "A01", "建设性质": kind, "投资方标签": tags}


def test_build_kind_and_tags_import_and_export_again(tmp_path, assessor):
    rows = [row("T1", "新建", "世界500强、上市"), row("T2", "续建", None), row("T3", None, "fortune500，专精特新")]
    result = import_workbook(fill(tmp_path / "台账.xlsx", {"单位": UNITS, "项目": rows}), user=assessor)
    assert result.ok, [e.as_dict() for e in result.errors]
    got = {p.code: (p.build_kind, p.investor_tags) for p in Project.objects.all()}
    assert got == {"T1": ("new", "|fortune500|listed|"), "T2": ("continued", ""),
                   "T3": ("", "|fortune500|specialised|")}

    out = tmp_path / "导出.xlsx"
    export_workbook(out)
    exported = {r["项目编号"]: (r["建设性质"], r["投资方标签"]) for r in read_rows(out, "项目")}
    assert exported == {"T1": ("新建", "世界500强、上市"), "T2": ("续建", None), "T3": (None, "世界500强、专精特新")}
    again = import_workbook(out, user=assessor)
    assert again.ok and again.total("updated") == 0


def test_a_wrong_tag_is_named_with_sheet_row_and_column(tmp_path, assessor, unit_a):
    ProjectFactory(lead_unit=unit_a, code="KEEP")
    rows = [row("T1", "新建", "世界500强、独角兽")]
    result = import_workbook(fill(tmp_path / "台账.xlsx", {"单位": UNITS, "项目": rows}), user=assessor)
    assert not result.ok
    [error] = result.errors
    assert (error.sheet, error.row, error.column) == ("项目", 2, "投资方标签")
    assert "“独角兽”不是有效的投资方标签" in error.message and "专精特新" in error.message
    assert list(Project.objects.values_list("code", flat=True)) == ["KEEP"]
