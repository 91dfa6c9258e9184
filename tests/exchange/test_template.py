"""The blank workbook a user downloads: every sheet, headers, 填表说明, dropdowns, formats, frozen rows."""

from __future__ import annotations

import openpyxl
import pytest
from django.core.management import call_command

from zhaoshang.exchange.spec import INSTRUCTIONS_SHEET, LISTS_SHEET, SHEETS

pytestmark = pytest.mark.django_db


def test_template_has_every_sheet_header_and_validation(tmp_path, unit_a, unit_b):
    out = tmp_path / "模板.xlsx"
    call_command("template", str(out))
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == [INSTRUCTIONS_SHEET, *[s.name for s in SHEETS], LISTS_SHEET]
    assert wb[LISTS_SHEET].sheet_state == "hidden"
    lists = [c.value for row in wb[LISTS_SHEET].iter_rows() for c in row]
    assert "A01" in lists and "B01" in lists  # unit codes for the dropdown
    projects = wb["项目"]
    headers = [c.value for c in projects[1]]
    assert headers[:3] == ["项目编号*", "项目名称*", "投资方*"]
    assert "统一社会信用代码" in headers and "签约金额(万元)*" in headers
    assert projects.freeze_panes == "A2"
    assert projects["A1"].comment is not None
    formulas = {dv.formula1 for dv in projects.data_validations.dataValidation}
    assert any(f.startswith(f"={LISTS_SHEET}!") for f in formulas)
    status_col = openpyxl.utils.get_column_letter(headers.index("项目状态") + 1)
    assert any(
        status_col + "2" in str(dv.sqref) and dv.type == "list" for dv in projects.data_validations.dataValidation
    )
    date_col = openpyxl.utils.get_column_letter(headers.index("签约日期") + 1)
    assert projects.column_dimensions[date_col].number_format == "yyyy-mm-dd"
    for sheet in SHEETS:
        ws = wb[sheet.name]
        assert [c.value for c in ws[1]] == [c.title for c in sheet.columns]
    described = {(r[0], r[1]) for r in wb[INSTRUCTIONS_SHEET].iter_rows(values_only=True) if r and r[0]}
    for sheet in SHEETS:
        for column in sheet.columns:
            assert (sheet.name, column.header) in described
