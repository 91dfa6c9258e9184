"""The 项目类别 column of the 项目 sheet takes a 行业门类: its code, its name, 待归类 or blank, and the four
words of workbooks made before the sections (制造业 → C, 农业 → A, 服务业 and 其他 → 待归类), so an old
workbook still imports. The 走访 sheet has an optional 企业行业门类. Export writes names that import again."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest

from zhaoshang.activities.models import Visit
from zhaoshang.exchange.exporter import export_workbook
from zhaoshang.exchange.importer import import_workbook
from zhaoshang.exchange.template import write_template
from zhaoshang.ledger.models import Project

from ..factories import ProjectFactory
from .helpers import PEOPLE, UNITS, fill, read_rows

pytestmark = pytest.mark.django_db


def project_row(code: str, category) -> dict:
    row = {"项目编号": code, "项目名称": f"项目{code}", "投资方": "某某科技有限公司", "签约金额(万元)": 1000,
           "签约日期": dt.date(2024, 2, 1), "引资单位编码": "A01"}
    if category is not None:
        row["项目类别"] = category
    return row


def sections_after_import(tmp_path, user, values: dict[str, object]):
    rows = [project_row(code, value) for code, value in values.items()]
    result = import_workbook(fill(tmp_path / "台账.xlsx", {"单位": UNITS, "项目": rows}), user=user)
    return result, dict(Project.objects.values_list("code", "category"))


def test_codes_names_and_old_words_import(tmp_path, assessor):
    result, sections = sections_after_import(tmp_path, assessor, {
        "CODE": "C", "LOWER": "k", "FULLWIDTH": "Ｄ", "NAME": "房地产业", "LONG": "信息传输、软件和信息技术服务业",
        "BOTH": "G 交通运输、仓储和邮政业", "OLD-MFG": "制造业", "OLD-AGR": "农业", "OLD-SVC": "服务业",
        "OLD-OTHER": "其他", "MARKED": "待归类", "BLANK": None,
    })
    assert result.ok, [e.as_dict() for e in result.errors]
    assert sections == {
        "CODE": "C", "LOWER": "K", "FULLWIDTH": "D", "NAME": "K", "LONG": "I", "BOTH": "G", "OLD-MFG": "C",
        "OLD-AGR": "A", "OLD-SVC": "", "OLD-OTHER": "", "MARKED": "", "BLANK": "",
    }


def test_a_bad_value_names_sheet_row_column_and_what_is_allowed(tmp_path, assessor):
    result, sections = sections_after_import(tmp_path, assessor, {"GOOD": "C", "BAD": "高新技术"})
    assert not result.ok and sections == {}  # nothing imports while an error remains
    [error] = result.errors
    assert (error.sheet, error.row, error.column) == ("项目", 3, "项目类别")
    assert "“高新技术”不是有效的项目类别" in error.message
    for allowed in ("门类代码", "A–T", "制造业", "房地产业", "待归类"):
        assert allowed in error.message


def test_template_explains_the_column(tmp_path):
    wb = openpyxl.load_workbook(write_template(tmp_path / "模板.xlsx"))
    notes = [[c for c in row] for row in wb["填表说明"].iter_rows(values_only=True)]
    [category] = [r for r in notes if r[0] == "项目" and r[1] == "项目类别"]
    assert "GB/T 4754-2017" in category[4] and "“服务业”“其他”计为待归类" in category[4]
    assert "K 房地产业" in category[4]
    [visit] = [r for r in notes if r[0] == "走访" and r[1] == "企业行业门类"]
    assert not visit[2]  # optional
    # The drop-down offers the names (and 待归类); typing a code is allowed, so the list only warns.
    dv = [d for d in wb["项目"].data_validations.dataValidation if d.errorStyle == "warning" and d.type == "list"]
    assert dv


def test_export_writes_the_name_and_imports_again(tmp_path, assessor, unit_a):
    ProjectFactory(lead_unit=unit_a, code="XM-K", category="K")
    ProjectFactory(lead_unit=unit_a, code="XM-NONE", category="")
    out = tmp_path / "导出.xlsx"
    export_workbook(out)
    assert {r["项目编号"]: r["项目类别"] for r in read_rows(out, "项目")} == {"XM-K": "房地产业", "XM-NONE": "待归类"}
    again = import_workbook(out, user=assessor)
    assert again.ok and again.total("updated") == 0
    assert dict(Project.objects.values_list("code", "category")) == {"XM-K": "K", "XM-NONE": ""}


def test_visits_carry_the_enterprise_section(tmp_path, assessor):
    visits = [
        {"日期": dt.date(2024, 3, 2), "单位编码": "A01", "带队领导工号": "P001", "企业名称": "甲制造",
         "企业行业门类": "C"},
        {"日期": dt.date(2024, 3, 3), "单位编码": "A01", "带队领导工号": "P001", "企业名称": "乙物流",
         "企业行业门类": "交通运输、仓储和邮政业"},
        {"日期": dt.date(2024, 3, 4), "单位编码": "A01", "带队领导工号": "P001", "企业名称": "丙公司"},
    ]
    result = import_workbook(fill(tmp_path / "走访.xlsx", {"单位": UNITS, "人员": PEOPLE, "走访": visits}),
                             user=assessor)
    assert result.ok, [e.as_dict() for e in result.errors]
    assert dict(Visit.objects.values_list("enterprise", "industry")) == {"甲制造": "C", "乙物流": "G", "丙公司": ""}
    out = tmp_path / "导出.xlsx"
    export_workbook(out)
    assert {r["企业名称"]: r.get("企业行业门类") for r in read_rows(out, "走访")} == {
        "甲制造": "制造业", "乙物流": "交通运输、仓储和邮政业", "丙公司": None}


def test_an_old_visit_sheet_without_the_column_keeps_the_sections(tmp_path, assessor):
    """A workbook made before the column: re-importing it leaves each visit's section as it is."""
    visit = {"日期": dt.date(2024, 3, 2), "单位编码": "A01", "带队领导工号": "P001", "企业名称": "甲制造"}
    assert import_workbook(fill(tmp_path / "a.xlsx", {"单位": UNITS, "人员": PEOPLE, "走访": [visit]}),
                           user=assessor).ok
    Visit.objects.update(industry="C")
    path = fill(tmp_path / "b.xlsx", {"单位": UNITS, "人员": PEOPLE, "走访": [visit]})
    wb = openpyxl.load_workbook(path)
    ws = wb["走访"]
    col = next(c.column for c in ws[1] if c.value == "企业行业门类")
    ws.delete_cols(col)
    wb.save(path)
    assert import_workbook(path, user=assessor).ok
    assert Visit.objects.get().industry == "C"
